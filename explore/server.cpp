// explore/server.cpp — cpp-httplib around Api::handle.
#include "agree/explore/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include <httplib.h>

namespace agree::explore {
namespace {

Request to_request(const httplib::Request& req) {
  Request r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [name, value] : req.params) r.query.emplace_back(name, value);
  r.host = req.get_header_value("Host");
  r.origin = req.get_header_value("Origin");
  r.fetch_site = req.get_header_value("Sec-Fetch-Site");
  return r;
}

void answer(const Api& api, const httplib::Request& req, httplib::Response& res) {
  const Response a = api.handle(to_request(req));
  res.status = a.status;
  for (const auto& [name, value] : a.headers) res.set_header(name, value);
  res.set_content(a.body, a.content_type);
}

}  // namespace

bool is_loopback(const std::string& address) {
  if (address == "localhost") return true;
  std::string a = address;
  if (a.size() > 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
  in_addr v4{};
  if (::inet_pton(AF_INET, a.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;  // 127.0.0.0/8
  in6_addr v6{};
  return ::inet_pton(AF_INET6, a.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string serve(Session& session, ServeOptions o) {
  httplib::Server svr;
  svr.set_payload_max_length(64 * 1024);  // the explorer takes no bodies
  svr.set_read_timeout(5, 0);
  svr.set_write_timeout(5, 0);
  svr.set_keep_alive_max_count(100);
  // httplib's default is SO_REUSEPORT, which would let a second explorer on
  // the same port share it silently; SO_REUSEADDR alone refuses it (and
  // still allows a restart while old connections linger in TIME_WAIT).
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const int port = o.port == 0 ? svr.bind_to_any_port(o.bind) : (svr.bind_to_port(o.bind, o.port) ? o.port : -1);
  if (port < 0)
    return "cannot listen on " + o.bind + ":" + std::to_string(o.port) +
           " (is the port taken, or the address not this machine's? --port 0 picks a free port)";
  if (is_loopback(o.bind) && o.api.allowed_hosts.empty()) {
    const std::string p = ":" + std::to_string(port);
    o.api.allowed_hosts = {o.bind + p, "localhost" + p, "127.0.0.1" + p, "[::1]" + p};
    if (port == 80)  // a browser leaves the default port out of Host
      for (const char* h : {"localhost", "127.0.0.1", "[::1]"}) o.api.allowed_hosts.emplace_back(h);
  }
  const Api api(session, o.api);
  const auto handler = [&api](const httplib::Request& req, httplib::Response& res) { answer(api, req, res); };
  svr.Get(".*", handler);
  svr.Post(".*", handler);
  svr.Put(".*", handler);
  svr.Patch(".*", handler);
  svr.Delete(".*", handler);
  svr.Options(".*", handler);
  // What httplib refuses before routing (a POST without Content-Length, a
  // request line it cannot parse, a body over the limit) gets a message too.
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty())
      res.set_content("{\"error\":\"the server could not take this request (HTTP status " + std::to_string(res.status) +
                          "): the explorer answers GET requests for its page and /api/...\"}",
                      "application/json");
  });
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    // Again and again: a stop() before listen_after_bind has started is a no-op.
    while (!done.load()) {
      if (o.stop && o.stop->load()) {
        api.cancel();  // a check from here ends with the server
        svr.stop();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  if (o.ready) o.ready(port);
  const bool ok = svr.listen_after_bind();
  done.store(true);
  watcher.join();
  if (!ok && !(o.stop && o.stop->load())) return "the server stopped: " + o.bind + ":" + std::to_string(port);
  return {};
}

}  // namespace agree::explore
