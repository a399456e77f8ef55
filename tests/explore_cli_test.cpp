// `agree explore` as a user runs it: the binary started on a free port, asked
// through cpp-httplib's client, stopped with Ctrl-C (SIGINT: exit 0); bad
// input is one line and exit 2 before any port is opened.
#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "run_binary.hpp"

using nlohmann::json;

namespace {

// The port in the URL the explorer prints, waiting up to 20 s for it; 0 if it never comes.
int wait_for_port(const runbin::Child& c) {
  const std::regex url(R"(http://127\.0\.0\.1:(\d+)/#([0-9/]+))");
  for (int i = 0; i < 200; ++i) {
    std::smatch m;
    const std::string out = c.out();
    if (std::regex_search(out, m, url)) return std::stoi(m[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return 0;
}

std::string printed_path(const runbin::Child& c) {
  std::smatch m;
  const std::string out = c.out();
  return std::regex_search(out, m, std::regex(R"(/#([0-9/]+))")) ? m[1].str() : "";
}

}  // namespace

TEST_CASE("explore cli: serves a protocol, answers, stops on SIGINT with exit 0", "[explore]") {
  const runbin::TempDir dir;
  runbin::Child c(dir, {"explore", "twophase", "--rms", "2", "--port", "0"});
  const int port = wait_for_port(c);
  REQUIRE(port > 0);
  CHECK(c.out().find("agree explore twophase rms=2") == 0);
  CHECK(printed_path(c) == "0");
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  auto res = client.Get("/api/model");
  REQUIRE(res);
  CHECK(res->status == 200);
  const auto model = json::parse(res->body);
  CHECK(model["protocol"] == "twophase");
  CHECK(model["parameters"] == "rms=2 variant=correct");
  // TwoPhase.tla's initial state enables TMAbort and, for each RM, RMPrepare and RMChooseToAbort: 1 + 2 * 2.
  res = client.Get("/api/state?path=0");
  REQUIRE(res);
  CHECK(json::parse(res->body)["choices"].size() == 5);
  c.signal(SIGINT);
  CHECK(c.wait() == 0);
  CHECK(c.out().find("agree explore: stopped") != std::string::npos);
  CHECK(c.err().empty());
}

TEST_CASE("explore cli: a trace opens at its last step", "[explore]") {
  const runbin::TempDir dir;
  const auto checked = runbin::run({"check", "isis", "--procs", "2", "--msgs", "2", "--variant", "no-tiebreak", "--trace-dir", dir / "t"});
  REQUIRE(checked.code == 1);
  std::string trace;
  for (const auto& f : std::filesystem::directory_iterator(dir / "t")) trace = f.path().string();
  REQUIRE(!trace.empty());
  const long long steps = runbin::number_after(runbin::slurp(trace), "\nsteps");
  runbin::Child c(dir, {"explore", trace, "--port", "0"});
  const int port = wait_for_port(c);
  REQUIRE(port > 0);
  const std::string path = printed_path(c);
  CHECK(static_cast<long long>(std::count(path.begin(), path.end(), '/')) == steps);
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  auto res = client.Get("/api/state?path=" + path);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const json state = json::parse(res->body);
  bool violated = false;
  for (const auto& p : state["properties"])
    violated = violated || (p["name"] == "total-order" && p["status"] == "violated");
  CHECK(violated);
  c.signal(SIGTERM);
  CHECK(c.wait() == 0);
}

TEST_CASE("explore cli: bad input is one line and exit 2", "[explore]") {
  const auto usage = [](const std::vector<std::string>& args, const std::string& words) {
    const auto r = runbin::run(args);
    INFO("agree " << args.back() << "...: " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(words) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  };
  usage({"explore"}, "needs a PROTOCOL");
  usage({"explore", "isiss"}, "'isiss' is neither a protocol nor a trace file (did you mean isis?)");
  usage({"explore", "isis", "--procs", "99"}, "procs");
  usage({"explore", "isis", "--port", "70000"}, "--port");
  usage({"explore", "/nonexistent/x.trace"}, "/nonexistent/x.trace: no such file");
  // A port another explorer holds.
  const runbin::TempDir dir;
  runbin::Child first(dir, {"explore", "vote", "--port", "0"});
  const int port = wait_for_port(first);
  REQUIRE(port > 0);
  usage({"explore", "vote", "--port", std::to_string(port)}, "cannot listen on 127.0.0.1:" + std::to_string(port));
  first.signal(SIGINT);
  CHECK(first.wait() == 0);
}

TEST_CASE("explore cli: another address than loopback is warned about", "[explore]") {
  const runbin::TempDir dir;
  runbin::Child c(dir, {"explore", "vote", "--bind", "0.0.0.0", "--port", "0"});
  REQUIRE(wait_for_port(c) > 0);
  c.signal(SIGINT);
  CHECK(c.wait() == 0);
  CHECK(c.err().find("agree: warning: --bind 0.0.0.0: the explorer is open to other machines") == 0);
}
