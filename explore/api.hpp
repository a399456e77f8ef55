// explore/api.hpp — the web explorer's requests and answers, without the
// network: Api::handle turns one request into one response, so the endpoints
// are tested in-process and fuzzed (fuzz/explore_fuzz.cpp) with no server.
// explore/server.hpp puts it behind cpp-httplib.
//
// Every endpoint is a GET (HEAD too) and answers JSON, except the page and
// /api/trace. README.md ("The web explorer") documents each:
//
//   /                         the page (one self-contained HTML file)
//   /api/model                the protocol, its parameters, initial states, properties, glossary
//   /api/state?path=P         the state at the end of path P: fields, enabled actions, properties, chart
//   /api/walk?path=P&seed=N&steps=K     K random steps from P's end (1..1500, default 1)
//   /api/check?path=P&seconds=S         the checker from P's end for at most S seconds
//   /api/trace?path=P&property=NAME     P as a trace file (text), for agree replay
//
// P is "0/3/1/2": the initial state's index, then one action index per step
// (the order of /api/state's "choices"). A bad request — an unknown path or
// parameter, an index out of range, a malformed number, another method —
// gets a 4xx answer whose JSON body is {"error": "one line"}; nothing is read
// from or written to a file on a request's say-so. A request from another
// site's page (Sec-Fetch-Site: cross-site, or an Origin that is not the
// server's) is refused, 403, as is a Host that is not the server's.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "agree/explore/session.hpp"

namespace agree::explore {

struct Request {
  std::string method = "GET";
  std::string path = "/";                                  // without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string host;                                        // the Host header ("" when absent)
  std::string origin;                                      // the Origin header ("" when absent)
  std::string fetch_site;                                  // Sec-Fetch-Site ("" when absent)
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
};

struct ApiOptions {
  double max_check_seconds = 10;     // the most a /api/check may run
  std::uint64_t check_memory_mib = 1024;
  // Hosts the Host header may name ("127.0.0.1:8765", ...); empty: any. A
  // loopback server lists its own names only, so that a web page elsewhere
  // cannot reach it through a name rebound to 127.0.0.1. An Origin header
  // must then be "http://" and one of them.
  std::vector<std::string> allowed_hosts;
};

// One check from here runs at a time: a new one stops the one before (its
// answer says it was cut short), and so does cancel().
class Api {
 public:
  Api(Session& session, ApiOptions o = {}) : session_(session), o_(std::move(o)) {}
  // Never throws (an unexpected exception becomes a 500 answer).
  [[nodiscard]] Response handle(const Request& r) const;
  // Stops a running check (the server calls it when it stops).
  void cancel() const;

 private:
  Response route(const Request& r) const;
  Response check(const Request& r) const;
  [[nodiscard]] std::string refusal(const Request& r) const;  // why the request is not this page's, or ""
  Session& session_;
  ApiOptions o_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<std::atomic<bool>> running_;  // the running check's stop flag
};

// The page served at / (explore/page.html, built into the library).
const std::string& page_html();

}  // namespace agree::explore
