// The web explorer without a browser: the Session (explore/model_session.hpp)
// and the endpoints (explore/api.hpp) in-process, then the real server
// (explore/server.hpp) on a free port through cpp-httplib's client.
//
// Expected answers come from the toy graph's edges, read by inspection, and
// from replaying what the explorer returns through the model (a path it
// offers as a counterexample must reproduce under counterexamples::replay).
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "agree/counterexamples/replay.hpp"
#include "agree/explore/api.hpp"
#include "agree/explore/model_session.hpp"
#include "agree/explore/server.hpp"
#include "agree/model/isis.hpp"
#include "toy_models.hpp"

using nlohmann::json;

namespace {

// 0 -> 1, 0 -> 2, 1 -> 0 (a cycle), 1 -> 3, 2 -> 3, a self-loop at 1; node 2
// is bad, node 3 is the terminal that ends well. Actions at node 1: go(0),
// go(3), stay, in that order (edges, then loops).
toy::Graph graph() { return toy::Graph({0}, {{0, 1}, {0, 2}, {1, 0}, {1, 3}, {2, 3}}, 2, 3, {1}); }

explore::Request get(const std::string& path, std::vector<std::pair<std::string, std::string>> query = {}) {
  explore::Request r;
  r.path = path;
  r.query = std::move(query);
  return r;
}

json body(const explore::Response& r) { return json::parse(r.body); }

const json& property(const json& view, const std::string& name) {
  for (const auto& p : view["properties"])
    if (p["name"] == name) return p;
  FAIL("no property " << name);
  static json none;
  return none;
}

model::isis::Isis no_tiebreak() {
  model::Params params(model::isis::Isis::param_specs());
  params.set_all("procs=2 msgs=2 crash=0 variant=no-tiebreak");
  return model::isis::Isis(params);
}

// explore::serve on a free port in the background, until stop() (or the end of the scope).
struct Running {
  std::atomic<bool> flag{false};
  std::promise<int> ready;
  std::future<std::string> served;
  int port = 0;
  explicit Running(explore::Session& s) {
    explore::ServeOptions o;
    o.port = 0;
    o.stop = &flag;
    o.ready = [this](int p) { ready.set_value(p); };
    served = std::async(std::launch::async, [&s, o] { return explore::serve(s, o); });
    auto got = ready.get_future();
    if (got.wait_for(std::chrono::seconds(10)) == std::future_status::ready) port = got.get();
  }
  // Stops the server; its answer ("" after a clean stop), or "no stop within 10 s".
  std::string stop() {
    flag = true;
    if (!served.valid()) return "";
    if (served.wait_for(std::chrono::seconds(10)) != std::future_status::ready) return "no stop within 10 s";
    return served.get();
  }
  ~Running() { stop(); }
};

}  // namespace

TEST_CASE("explore: the state at the end of a path, its actions and where they lead", "[explore]") {
  auto s = explore::make_session(graph());
  const explore::Api api(*s);

  auto r = api.handle(get("/api/state", {{"path", "0"}}));
  REQUIRE(r.status == 200);
  auto v = body(r);
  CHECK(v["steps"] == json({"node 0"}));
  REQUIRE(v["choices"].size() == 2);
  CHECK(v["choices"][0]["label"] == "go(1)");
  CHECK(v["choices"][1]["label"] == "go(2)");
  CHECK(v["choices"][0]["returns_to"].is_null());
  CHECK(v["choices"][0]["seen"] == false);  // nothing has been shown yet but node 0
  CHECK(v["fields"] == json::parse(R"([{"name":"node","value":"0","changed":false}])"));
  CHECK(property(v, "never-bad")["status"] == "holds");
  CHECK(property(v, "ends-done")["status"] == "unjudged");  // node 0 is not terminal
  CHECK(property(v, "reaches-bad")["status"] == "unreached");

  // Node 1: go(0) returns to the initial state, stay is a self-loop back to step 1.
  v = body(api.handle(get("/api/state", {{"path", "0/0"}})));
  REQUIRE(v["choices"].size() == 3);
  CHECK(v["choices"][0]["label"] == "go(0)");
  CHECK(v["choices"][0]["returns_to"] == 0);
  CHECK(v["choices"][0]["seen"] == true);
  CHECK(v["choices"][1]["label"] == "go(3)");
  CHECK(v["choices"][1]["returns_to"].is_null());
  CHECK(v["choices"][2]["label"] == "stay");
  CHECK(v["choices"][2]["self_loop"] == true);
  CHECK(v["choices"][2]["returns_to"] == 1);
  CHECK(v["fields"][0]["changed"] == true);
  CHECK(v["same_as"].is_null());

  // Round the cycle: the state after step 2 is the initial one.
  v = body(api.handle(get("/api/state", {{"path", "0/0/0"}})));
  CHECK(v["same_as"] == 0);
  CHECK(v["steps"] == json({"node 0", "go(1)", "go(0)"}));
  // Node 0 again, and now both of its successors' states have been shown? Only node 1 has.
  CHECK(v["choices"][0]["seen"] == true);
  CHECK(v["choices"][1]["seen"] == false);

  // Node 2 is bad: violated since step 1, reached at step 1; not terminal yet.
  v = body(api.handle(get("/api/state", {{"path", "0/1"}})));
  CHECK(property(v, "never-bad")["status"] == "violated");
  CHECK(property(v, "never-bad")["at"] == 1);
  CHECK(property(v, "reaches-bad")["status"] == "reached");
  CHECK(property(v, "reaches-bad")["at"] == 1);
  CHECK(v["chart_svg"].get<std::string>().find("never-bad violated") != std::string::npos);

  // Node 3 via 0 -> 1 -> 3: terminal, ends well.
  v = body(api.handle(get("/api/state", {{"path", "0/0/1"}})));
  CHECK(v["terminal"] == true);
  CHECK(v["choices"].empty());
  CHECK(property(v, "ends-done")["status"] == "holds");
  CHECK(property(v, "never-bad")["status"] == "holds");
}

TEST_CASE("explore: bad requests get a 4xx answer with one line", "[explore]") {
  auto s = explore::make_session(graph());
  explore::ApiOptions o;
  o.allowed_hosts = {"127.0.0.1:8765"};
  const explore::Api api(*s, o);
  auto req = [&](explore::Request r, int status, const std::string& words) {
    if (r.host.empty()) r.host = "127.0.0.1:8765";
    const auto a = api.handle(r);
    INFO(r.method << " " << r.path << " -> " << a.status << " " << a.body);
    CHECK(a.status == status);
    const auto j = json::parse(a.body);
    REQUIRE(j.contains("error"));
    const std::string e = j["error"];
    CHECK(e.find(words) != std::string::npos);
    CHECK(e.find('\n') == std::string::npos);
  };
  req(get("/api/state", {{"path", "0/7"}}), 400, "step 1: action 7 is not enabled (2 are: 0..1)");
  req(get("/api/state", {{"path", "0/0/1/0"}}), 400, "step 3: action 0 is not enabled (no action is: the state is terminal)");
  req(get("/api/state", {{"path", "3"}}), 400, "initial state 3 does not exist");
  req(get("/api/state", {{"path", "0/x"}}), 400, "'x' at position 2 is not a number");
  req(get("/api/state", {{"path", "0//1"}}), 400, "is not a number");
  req(get("/api/state", {{"path", "0/-1"}}), 400, "is not a number");
  req(get("/api/state", {{"path", "0/99999999999999999999"}}), 400, "is not a number");
  std::string long_path = "0";
  for (std::size_t i = 0; i <= explore::kMaxPath; ++i) long_path += "/0";
  req(get("/api/state", {{"path", long_path}}), 400, "at most 1500 steps");
  req(get("/api/state", {{"path", "0"}, {"path", "0/1"}}), 400, "given twice");
  req(get("/api/state", {{"pth", "0"}}), 400, "unknown parameter 'pth' for /api/state (it takes: path)");
  req(get("/api/model", {{"x", "1"}}), 400, "it takes none");
  req(get("/api/walk", {{"steps", "0"}}), 400, "steps: '0' is not a whole number in 1..1500");
  req(get("/api/walk", {{"seed", "1e3"}}), 400, "seed:");
  req(get("/api/check", {{"seconds", "nan"}}), 400, "seconds:");
  req(get("/api/check", {{"seconds", "11"}}), 400, "in 0.1..10");
  req(get("/api/trace", {{"path", "0"}}), 400, "needs property=NAME");
  req(get("/api/trace", {{"path", "0"}, {"property", "nope"}}), 400, "'nope' is not a property of graph");
  req(get("/etc/passwd"), 404, "no such endpoint");
  req(get("/api/state", {{"p\x94th", "0"}}), 400, "unknown parameter");   // not UTF-8, echoed: still JSON (found by explore_fuzz)
  req(get("/api/\xff\xfe"), 404, "no such endpoint");
  req(get("/api/state/../../x"), 404, "no such endpoint");
  explore::Request post = get("/api/state");
  post.method = "POST";
  req(post, 405, "GET only");
  explore::Request evil = get("/api/model");
  evil.host = "attacker.example:8765";
  req(evil, 403, "is not this server's");
  explore::Request cross = get("/api/check");
  cross.fetch_site = "cross-site";  // another site's page, sent by the user's own browser
  req(cross, 403, "another site's page");
  explore::Request origin = get("/api/check");
  origin.origin = "http://attacker.example";
  req(origin, 403, "Origin 'http://attacker.example' is not this server's page");
  req(get("/api/state", {{"path", "0/9\n"}}), 400, "is not a number");  // a decoded %0A stays out of the one line
  explore::Request head = get("/api/state", {{"path", "0/9"}});
  head.method = "HEAD";
  head.host = "127.0.0.1:8765";
  const auto h = api.handle(head);
  CHECK(h.status == 400);
  CHECK(h.body.empty());
  // And a good one still works with the right Host, from the page itself.
  explore::Request fine = get("/api/model");
  fine.host = "127.0.0.1:8765";
  fine.origin = "http://127.0.0.1:8765";
  fine.fetch_site = "same-origin";
  CHECK(api.handle(fine).status == 200);
}

TEST_CASE("explore: a model with several initial states", "[explore]") {
  // Nodes 0 and 1 both initial: path "1" starts at node 1, "2" does not exist.
  auto s = explore::make_session(toy::Graph({0, 1}, {{0, 1}, {1, 3}}, 2, 3));
  const explore::Api api(*s);
  const auto m = body(api.handle(get("/api/model")));
  CHECK(m["inits"] == json({"node 0", "node 1"}));
  const auto v = body(api.handle(get("/api/state", {{"path", "1"}})));
  CHECK(v["steps"] == json({"node 1"}));
  CHECK(v["fields"][0]["value"] == "1");
  CHECK(v["choices"][0]["label"] == "go(3)");
  const auto a = api.handle(get("/api/state", {{"path", "2"}}));
  CHECK(a.status == 400);
  CHECK(body(a)["error"] == "initial state 2 does not exist (2 initial states: 0..1)");
  // A trace that starts at node 1 reads back as a path from initial state 1.
  const auto t = s->trace_of(explore::parse_path("1/0"), "ends-done");
  CHECK(s->path_of(t, "<t>").encode() == "1/0");
}

TEST_CASE("explore: random steps are the seed's, and stop where a run must", "[explore]") {
  auto s = explore::make_session(graph());
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto a = s->walk(explore::parse_path("0"), seed, explore::kMaxPath);
    const auto b = s->walk(explore::parse_path("0"), seed, explore::kMaxPath);
    CHECK(a.path.encode() == b.path.encode());
    // Every run of the graph ends at node 2 (bad) or node 3 (terminal): it
    // cannot stop on the step bound unless it circles 0 -> 1 -> 0 forever.
    const auto v = s->view(a.path);
    const std::string node = v.fields.at(0).value;
    if (a.stopped == "violated") {
      CHECK(node == "2");
      CHECK(a.property == "never-bad");
    } else if (a.stopped == "terminal") {
      CHECK(node == "3");
    } else {
      CHECK(a.stopped == "steps");
      CHECK(a.taken == explore::kMaxPath);
    }
    CHECK(a.taken == a.path.actions.size());
  }
  const auto one = s->walk(explore::parse_path("0/0"), 7, 1);
  CHECK(one.taken == 1);
  CHECK(one.path.actions.size() == 2);
  // From the bad node itself nothing is walked: it is broken already.
  const auto none = s->walk(explore::parse_path("0/1"), 7, 5);
  CHECK(none.taken == 0);
  CHECK(none.stopped == "violated");
  CHECK(none.property == "never-bad");
}

TEST_CASE("explore: a newer check from here ends the one before", "[explore][parallel]") {
  // ISIS with three members and three messages has millions of states: a
  // check of it runs for seconds, unless something stops it.
  model::Params params(model::isis::Isis::param_specs());
  params.set_all("procs=3 msgs=3 crash=0 variant=correct");
  auto s = explore::make_session(model::isis::Isis(params));
  explore::ApiOptions o;
  o.max_check_seconds = 60;
  const explore::Api api(*s, o);
  auto first = std::async(std::launch::async, [&] { return api.handle(get("/api/check", {{"seconds", "60"}})); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto second = api.handle(get("/api/check", {{"path", "0/0"}, {"seconds", "0.2"}}));
  REQUIRE(first.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  const auto a = body(first.get());
  CHECK(a["verdict"] == "incomplete");
  CHECK(a["cut"] == "interrupted");
  CHECK(body(second)["cut"] == "time-limit");
  // And cancel() ends a running one too (the server calls it when it stops).
  auto third = std::async(std::launch::async, [&] { return api.handle(get("/api/check", {{"seconds", "60"}})); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  api.cancel();
  REQUIRE(third.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  CHECK(body(third.get())["cut"] == "interrupted");
}

TEST_CASE("explore: check from here finds a shortest counterexample that replays", "[explore]") {
  SECTION("the graph: from node 0 the bad node is one step away, action 1") {
    auto s = explore::make_session(graph());
    const auto p = s->probe(explore::parse_path("0"), {});
    REQUIRE(p.property);
    CHECK(*p.property == "never-bad");
    REQUIRE(p.path);
    CHECK(p.path->encode() == "0/1");
    // From node 3 (terminal, good) nothing can go wrong.
    const auto q = s->probe(explore::parse_path("0/0/1"), {});
    CHECK(q.report.verdict == checker::Verdict::Holds);
    CHECK(q.report.distinct_states == 1);
    CHECK_FALSE(q.path);
  }
  SECTION("ISIS without the tie-break: the counterexample, as a trace, reproduces total-order") {
    const auto p = no_tiebreak();
    auto s = explore::make_session(p, "procs=2 msgs=2 crash=0 variant=no-tiebreak");
    // Start two steps in: the probe's path must keep them as its prefix.
    const auto from = explore::parse_path("0/0/0");
    const auto probe = s->probe(from, {});
    REQUIRE(probe.property);
    CHECK(*probe.property == "total-order");
    REQUIRE(probe.path);
    CHECK(probe.path->encode().rfind("0/0/0/", 0) == 0);
    const auto trace = s->trace_of(*probe.path, "total-order");
    const auto replayed = counterexamples::replay(p, trace, "<probe>", nullptr);
    CHECK(replayed.reproduced);
    // And the explorer reads the trace back as the same path.
    CHECK(s->path_of(trace, "<probe>").encode() == probe.path->encode());
    const auto v = s->view(*probe.path);
    bool marked = false;
    for (const auto& st : v.properties) marked = marked || (st.name == "total-order" && st.status == explore::Status::Violated);
    CHECK(marked);
    CHECK(v.chart_svg.find("total-order violated") != std::string::npos);
  }
}

TEST_CASE("explore: the server on a free port, stopped by its flag", "[explore][parallel]") {
  auto s = explore::make_session(graph());
  Running server(*s);
  REQUIRE(server.port > 0);
  httplib::Client client("127.0.0.1", server.port);
  client.set_read_timeout(10, 0);

  auto res = client.Get("/api/model");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(json::parse(res->body)["protocol"] == "graph");
  res = client.Get("/");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type").find("text/html") == 0);
  const std::string csp = res->get_header_value("Content-Security-Policy");
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline'; style") == std::string::npos);  // scripts run by nonce only
  // The nonce the policy names is the page's script's, and a new one each time.
  const auto nonce_of = [](const std::string& policy) {
    const auto at = policy.find("'nonce-");
    return at == std::string::npos ? std::string() : policy.substr(at + 7, policy.find('\'', at + 7) - at - 7);
  };
  const std::string nonce = nonce_of(csp);
  CHECK(nonce.size() == 32);
  CHECK(res->body.find("<script nonce=\"" + nonce + "\">") != std::string::npos);
  CHECK(res->body.find("{{agree-nonce}}") == std::string::npos);
  const auto again = client.Get("/");
  REQUIRE(again);
  CHECK(nonce_of(again->get_header_value("Content-Security-Policy")) != nonce);
  res = client.Get("/api/state?path=0/1/0");
  REQUIRE(res);
  CHECK(res->status == 200);
  // The longest path the explorer takes fits a request line: 1,500 steps
  // round the self-loop at node 1; one more is a 400 that says so.
  std::string longest = "0/0";
  for (std::size_t i = 1; i < explore::kMaxPath; ++i) longest += "/2";
  res = client.Get("/api/state?path=" + longest);
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(json::parse(res->body)["steps"].size() == explore::kMaxPath + 1);
  res = client.Get("/api/state?path=" + longest + "/2");
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(json::parse(res->body)["error"].get<std::string>().find("at most 1500 steps") != std::string::npos);
  res = client.Head("/api/state?path=0");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.empty());
  res = client.Get("/api/state?path=0%2F9");  // percent-encoded, decoded by httplib
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(json::parse(res->body)["error"].get<std::string>().find("action 9 is not enabled") != std::string::npos);
  res = client.Get("/api/state?path=%zz");
  REQUIRE(res);
  CHECK(res->status == 400);
  res = client.Post("/api/state", "x", "text/plain");
  REQUIRE(res);
  CHECK(res->status == 405);
  res = client.Post("/api/state");  // no Content-Length: refused by httplib itself, still with a message
  REQUIRE(res);
  CHECK(res->status / 100 == 4);
  CHECK(json::parse(res->body).contains("error"));
  httplib::Headers evil{{"Host", "rebound.example"}};
  res = client.Get("/api/model", evil);
  REQUIRE(res);
  CHECK(res->status == 403);

  CHECK(server.stop().empty());
}

TEST_CASE("explore: one session answers several requests at once", "[explore][parallel]") {
  // The server hands requests to a pool of threads; the session's memory of
  // what it has shown is shared by them (ThreadSanitizer runs this).
  auto s = explore::make_session(graph());
  const explore::Api api(*s);
  std::vector<std::thread> pool;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string path = (i + t) % 2 ? "0/0/0/0" : "0/1";
        if (api.handle(get("/api/state", {{"path", path}})).status == 200) ++good;
        const auto w = api.handle(get("/api/walk", {{"seed", std::to_string(i)}, {"steps", "20"}}));
        if (w.status == 200) ++good;
      }
    });
  for (auto& th : pool) th.join();
  CHECK(good == 4 * 50 * 2);
  // Every state of both paths has been shown: node 0's successors are both seen.
  const auto v = body(api.handle(get("/api/state", {{"path", "0"}})));
  CHECK(v["choices"][0]["seen"] == true);
  CHECK(v["choices"][1]["seen"] == true);
}

TEST_CASE("explore: a port that is taken is one line, not a hang", "[explore]") {
  auto s = explore::make_session(graph());
  Running first(*s);
  REQUIRE(first.port > 0);
  // A second server on the same port must give up at once (it would wait
  // for its own stop flag if it had the port: set after 10 s, a failure).
  std::atomic<bool> stop_second{false};
  explore::ServeOptions second;
  second.port = first.port;
  second.stop = &stop_second;
  auto refused = std::async(std::launch::async, [&] { return explore::serve(*s, second); });
  const bool returned = refused.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  stop_second = true;
  CHECK(returned);
  CHECK(refused.get().find("cannot listen on 127.0.0.1:" + std::to_string(second.port)) == 0);
  CHECK(first.stop().empty());
}
