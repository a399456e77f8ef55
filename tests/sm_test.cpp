// SM(m), the signed-messages algorithm: each action (order, a traitor's
// receiver sets, folded loyal relays, forged commander values), IC1/IC2 on
// hand-built states, the verdict table (holds for every N when T <= m),
// failures with more traitors than rounds, and random traitor strategies.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <filesystem>

#include "agree/checker/explorer.hpp"
#include "agree/cli/registry.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/sm.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::sm::Sm;
using model::sm::State;

namespace {

std::vector<std::string> texts(const Sm& p, const State& s) {
  std::vector<model::sm::Action> as;
  p.actions(s, as);
  std::vector<std::string> out;
  for (const auto& a : as) out.push_back(p.format_action(a));
  return out;
}

State step(const Sm& p, const State& s, const std::string& text) {
  std::vector<model::sm::Action> as;
  p.actions(s, as);
  for (const auto& a : as)
    if (p.format_action(a) == text) return *p.next_state(s, a);
  FAIL("not enabled: " << text);
  return s;
}

const State& init_named(const std::vector<State>& inits, const Sm& p, const std::string& name) {
  for (const auto& s : inits)
    if (p.format_init(s) == name) return s;
  throw std::logic_error("no initial state " + name);
}

std::string field(const model::Description& d, const std::string& name) {
  for (const auto& [k, v] : d)
    if (k == name) return v;
  return "<missing " + name + ">";
}

checker::Options opts(const std::string& reduce = "none", unsigned threads = 1, bool keep_going = false) {
  checker::Options o;
  o.reduce = checker::parse_reduce(reduce);
  o.threads = threads;
  o.keep_going = keep_going;
  return o;
}

void require_replays(const Sm& p, const std::string& params, const checker::Violation& v) {
  const auto text = counterexamples::to_text(counterexamples::make_trace(p, params, v));
  INFO(text);
  REQUIRE(cli::replay_trace(counterexamples::parse_trace(text, "<test>"), "<test>", nullptr).reproduced);
}

std::string params(int n, int t, int m) {
  return "generals=" + std::to_string(n) + " traitors=" + std::to_string(t) + " rounds=" + std::to_string(m);
}

}  // namespace

TEST_CASE("sm: a loyal commander's order is relayed by loyal lieutenants, folded", "[sm]") {
  const Sm p(4, 1, 1);
  const auto inits = p.init_states();
  REQUIRE(inits.size() == 4);
  const State& s0 = init_named(inits, p, "traitors {p3}");
  CHECK(texts(p, s0) == std::vector<std::string>{"order(p0, retreat)", "order(p0, attack)"});
  // After the order: p0's message, p1's and p2's relays are folded; p3 chooses.
  State s = step(p, s0, "order(p0, attack)");
  CHECK(s.round == 2);
  CHECK(texts(p, s) == std::vector<std::string>{"send(attack:p0:p3 > {})", "send(attack:p0:p3 > {p1})",
                                                "send(attack:p0:p3 > {p2})", "send(attack:p0:p3 > {p1, p2})"});
  s = step(p, s, "send(attack:p0:p3 > {p2})");
  CHECK(p.terminal(s));
  CHECK(s.decision == std::vector<std::int8_t>{-1, 1, 1, -1});
  const auto d = p.describe(s);
  CHECK(field(d, "p0 sent") == "attack:p0 > {p1, p2, p3}");
  CHECK(field(d, "p1 sent") == "attack:p0:p1 > {p2, p3}");
  CHECK(field(d, "p2 received") == "attack:p0, attack:p0:p1, attack:p0:p3");
  CHECK(field(d, "p1") == "decides attack: V = {attack} holds one value -> attack");
  CHECK(field(d, "p3") == "traitor lieutenant");
}

TEST_CASE("sm: a traitor commander signs subsets; traitor lieutenants can forge its values", "[sm]") {
  const Sm p(4, 2, 2);
  const auto inits = p.init_states();
  const State& s0 = init_named(inits, p, "traitors {p0, p3}");
  CHECK(texts(p, s0).size() == 8);  // retreat:p0 to any subset of p1, p2, p3
  CHECK(texts(p, s0).front() == "send(retreat:p0 > {})");
  CHECK(texts(p, s0).back() == "send(retreat:p0 > {p1, p2, p3})");
  State s = step(p, s0, "send(retreat:p0 > {})");
  s = step(p, s, "send(attack:p0 > {p1})");
  // Round 2: p1 relays attack:p0:p1 (loyal, folded); p3 holds both values
  // although p0 sent it nothing, and chooses for each.
  CHECK(s.round == 2);
  CHECK(texts(p, s).front() == "send(retreat:p0:p3 > {})");
  s = step(p, s, "send(retreat:p0:p3 > {p2})");
  CHECK(texts(p, s).front() == "send(attack:p0:p3 > {})");
  s = step(p, s, "send(attack:p0:p3 > {})");
  // Round 3: p3 holds attack:p0:p1 (from p1) and may relay it to p2 only.
  CHECK(texts(p, s) == std::vector<std::string>{"send(attack:p0:p1:p3 > {})", "send(attack:p0:p1:p3 > {p2})"});
  s = step(p, s, "send(attack:p0:p1:p3 > {})");
  CHECK(p.terminal(s));
  // p1: {attack} plus retreat:p0:p3:p2 relayed by p2 in round 3; p2: both values.
  CHECK(s.values[1] == 3);
  CHECK(s.values[2] == 3);
  CHECK(s.decision == std::vector<std::int8_t>{-1, 0, 0, -1});
  CHECK(field(p.describe(s), "p2") == "decides retreat: V = {retreat, attack} is not one value -> retreat");
}

TEST_CASE("sm: IC1 and IC2 on hand-built states", "[sm][properties]") {
  const Sm p(4, 1, 1);
  const auto props = p.properties();
  REQUIRE(props.size() == 4);
  State s = p.init_states().at(1);  // traitors {p1}
  s.order = 0;
  s.decision = {-1, -1, 0, 0};
  CHECK(props[0].holds(s));
  CHECK(props[1].holds(s));
  s.decision = {-1, -1, 1, 0};
  CHECK_FALSE(props[0].holds(s));
  CHECK_FALSE(props[1].holds(s));
  s.decision = {-1, -1, 1, 1};
  CHECK(props[0].holds(s));
  CHECK_FALSE(props[1].holds(s));
  CHECK(props[2].holds(s));  // agreed-attack
}

TEST_CASE("sm: more traitors than rounds breaks it, with a trace", "[sm][cex]") {
  const Sm p(4, 2, 1);
  const auto r = checker::check(p, opts());
  REQUIRE(r.verdict == checker::Verdict::Violated);
  CHECK(r.violations[0].property == "IC1");
  const auto trace = counterexamples::make_trace(p, params(4, 2, 1), r.violations[0]);
  CHECK(trace.init == "traitors {p0, p1}");
  CHECK(trace.steps == std::vector<std::string>{"send(retreat:p0 > {})", "send(attack:p0 > {})",
                                                "send(retreat:p0:p1 > {})", "send(attack:p0:p1 > {p2})"});
  require_replays(p, params(4, 2, 1), r.violations[0]);
  // Fails for every N from 4 on (N=3 has a single loyal lieutenant to split).
  for (int n = 3; n <= 7; ++n) {
    INFO("N=" << n);
    const Sm q(n, 2, 1);
    const auto rq = checker::check(q, opts("all", 2));
    CHECK((rq.verdict == checker::Verdict::Violated) == (n >= 4));
    if (!rq.violations.empty()) require_replays(q, params(n, 2, 1), rq.violations[0]);
  }
  // SM(0) against one traitor commander: two lieutenants get different orders.
  const auto r0 = checker::check(Sm(3, 1, 0), opts());
  REQUIRE(r0.verdict == checker::Verdict::Violated);
  CHECK(r0.violations[0].path.encode() == "0/0/1");
}

namespace {
void sm_cell(int n, int t, std::uint64_t runs) {
  INFO("SM(" << t << ") with N=" << n);
  const Sm p(n, t, t);
  const auto r = checker::check(p, opts("all", 2));
  CHECK(r.verdict == checker::Verdict::Holds);
  CHECK(r.cut == checker::Cut::None);
  CHECK(r.weighted_terminals == runs);
}
}  // namespace

TEST_CASE("sm: verdict table, small cells (holds for every N)", "[sm][table]") {
  const std::uint64_t runs[5][3] = {  // N = 2..6, T = 0..2
      {2, 6, 0}, {2, 24, 136}, {2, 88, 16'416}, {2, 320, 17'228'800}, {2, 1'184, 0}};
  for (int n = 2; n <= 6; ++n)
    for (int t = 0; t <= 2 && t < n; ++t)
      if (!(n == 6 && t == 2)) sm_cell(n, t, runs[n - 2][t]);
  sm_cell(7, 0, 2);
  sm_cell(7, 1, 4'480);
}

TEST_CASE("sm: verdict table, SM(2) with six and seven generals", "[sm][table][long]") {
  sm_cell(6, 2, 247'578'301'440ULL);
  sm_cell(7, 2, 59'077'831'910'252'544ULL);
}

TEST_CASE("sm: reductions and threads change no verdict, count or counterexample", "[sm][tree]") {
  for (const auto& [n, t, m] : std::vector<std::tuple<int, int, int>>{{3, 1, 1}, {4, 1, 1}, {4, 2, 1}, {4, 2, 2}, {5, 1, 1}}) {
    INFO("N=" << n << " T=" << t << " m=" << m);
    const Sm p(n, t, m);
    const auto base = checker::check(p, opts("none", 1, true));
    for (const auto* red : {"symmetry", "por", "all"})
      for (unsigned threads : {1u, 2u}) {
        INFO("reduce " << red << " threads " << threads);
        const auto r = checker::check(p, opts(red, threads, true));
        CHECK(r.verdict == base.verdict);
        CHECK(r.weighted_terminals == base.weighted_terminals);
        REQUIRE(r.violations.size() == base.violations.size());
        for (std::size_t k = 0; k < r.violations.size(); ++k)
          CHECK(r.violations[k].path.encode() == base.violations[k].path.encode());
      }
  }
}

TEST_CASE("sm: random traitor strategies never break IC1/IC2 when T <= m", "[sm][rapidcheck]") {
  rc::prop("SM(T) for any N", [] {
    const int t = *rc::gen::inRange(0, 3);
    const int n = *rc::gen::inRange(t + 1, 8);
    const Sm p(n, t, t);
    const auto inits = p.init_states();
    State s = inits[*rc::gen::inRange<std::size_t>(0, inits.size())];
    std::vector<model::sm::Action> as;
    while (!p.terminal(s)) {
      as.clear();
      p.actions(s, as);
      RC_ASSERT(!as.empty());
      s = *p.next_state(s, as[*rc::gen::inRange<std::size_t>(0, as.size())]);
    }
    for (const auto& prop : p.properties())
      if (prop.expectation == properties::Expectation::Terminal) RC_ASSERT(prop.holds(s));
  });
}

TEST_CASE("sm: the known counterexamples replay", "[sm][replay]") {
  namespace fs = std::filesystem;
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(AGREE_SOURCE_DIR) / "counterexamples" / "known")) {
    const auto name = e.path().filename().string();
    if (name.rfind("sm-", 0) != 0) continue;
    INFO(name);
    CHECK(cli::replay_trace(counterexamples::read_trace_file(e.path().string()), name, nullptr).reproduced);
    ++n;
  }
  CHECK(n == 2);
}
