// OM(m), the oral-messages algorithm: the message table and its closed form,
// each action, IC1/IC2 on hand-built states, the paper's three-generals
// story as a trace, the verdict table (N > 3T), the reductions against the
// plain tree, and random traitor strategies.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agree/checker/explorer.hpp"
#include "agree/cli/registry.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/om.hpp"
#include "agree/properties/byzantine.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::om::Om;
using model::om::State;

namespace {

std::vector<std::string> texts(const Om& p, const State& s) {
  std::vector<model::om::Action> as;
  p.actions(s, as);
  std::vector<std::string> out;
  for (const auto& a : as) out.push_back(p.format_action(a));
  return out;
}

State step(const Om& p, const State& s, const std::string& text) {
  std::vector<model::om::Action> as;
  p.actions(s, as);
  for (const auto& a : as)
    if (p.format_action(a) == text) return *p.next_state(s, a);
  FAIL("not enabled: " << text);
  return s;
}

const State& init_named(const std::vector<State>& inits, const Om& p, const std::string& name) {
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

// Replays the counterexample through the text trace and the registry, as
// `agree replay` does.
void require_replays(const Om& p, const std::string& params, const checker::Violation& v) {
  const auto trace = counterexamples::make_trace(p, params, v);
  const auto text = counterexamples::to_text(trace);
  const auto back = counterexamples::parse_trace(text, "<test>");
  const auto r = cli::replay_trace(back, "<test>", nullptr);
  INFO(text);
  REQUIRE(r.reproduced);
}

std::string params(int n, int t) {
  return "generals=" + std::to_string(n) + " traitors=" + std::to_string(t) + " rounds=auto";
}

}  // namespace

TEST_CASE("om: the message table is in canonical order and matches the closed form", "[om]") {
  const auto table = model::om::message_table(4, 1);
  std::vector<std::string> names;
  for (const auto& m : table) names.push_back(model::om::message_name(m));
  CHECK(names == std::vector<std::string>{"p0>p1", "p0>p2", "p0>p3", "p0.p1>p2", "p0.p1>p3", "p0.p2>p1",
                                          "p0.p2>p3", "p0.p3>p1", "p0.p3>p2"});
  CHECK(table[3].parent == 0);  // p1 relays what it got on p0>p1
  CHECK(table[8].parent == 2);
  CHECK(Om(4, 1, 1).messages().size() == 9);
  CHECK(Om(7, 2, 2).messages().size() == 156);
  CHECK(Om::closed_form_messages(7, 2) == 156);
  for (int n = 2; n <= 8; ++n)
    for (int m = 0; m <= 4; ++m) {
      INFO("N=" << n << " m=" << m);
      CHECK(model::om::message_table(n, m).size() == Om::closed_form_messages(n, m));
    }
  CHECK(Om::closed_form_messages(7, 3) == 6 + 30 + 120 + 360);
}

TEST_CASE("om: initial states are the traitor sets", "[om]") {
  const Om p(4, 2, 2);
  const auto inits = p.init_states();
  std::vector<std::string> names;
  for (const auto& s : inits) names.push_back(p.format_init(s));
  CHECK(names == std::vector<std::string>{"traitors {p0, p1}", "traitors {p0, p2}", "traitors {p0, p3}",
                                          "traitors {p1, p2}", "traitors {p1, p3}", "traitors {p2, p3}"});
  CHECK(Om(3, 0, 0).format_init(Om(3, 0, 0).init_states().at(0)) == "traitors {}");
  CHECK_THROWS_AS(Om(3, 3, 3), model::ParamError);
}

TEST_CASE("om: order, folded loyal messages, traitor sends, decisions", "[om]") {
  const Om p(4, 1, 1);
  const auto inits = p.init_states();
  // A loyal commander orders first; nothing is sent before.
  const State& l = init_named(inits, p, "traitors {p2}");
  CHECK(l.sent.empty());
  CHECK(texts(p, l) == std::vector<std::string>{"order(p0, retreat)", "order(p0, attack)"});
  // The order folds p0's three messages and p1's relays (p1 is loyal); p2 is next.
  State s = step(p, l, "order(p0, attack)");
  CHECK(s.sent.size() == 5);
  CHECK(texts(p, s) == std::vector<std::string>{"send(p0.p2>p1: retreat)", "send(p0.p2>p1: attack)"});
  s = step(p, s, "send(p0.p2>p1: retreat)");
  CHECK(texts(p, s) == std::vector<std::string>{"send(p0.p2>p3: retreat)", "send(p0.p2>p3: attack)"});
  s = step(p, s, "send(p0.p2>p3: retreat)");
  CHECK(p.terminal(s));  // p3's relays are loyal: folded
  CHECK(texts(p, s).empty());
  CHECK(s.decision == std::vector<std::int8_t>{-1, 1, -1, 1});  // majority of attack, retreat, attack
  const auto d = p.describe(s);
  CHECK(field(d, "p1") == "decides attack: majority of {p0: attack, p2: retreat, p3: attack} -> attack");
  CHECK(field(d, "p2") == "traitor lieutenant");
  CHECK(field(d, "p2 sent") == "p0.p2>p1: retreat, p0.p2>p3: retreat");
  CHECK(field(d, "messages") == "9 of 9 sent");
  // A traitor commander has no order: its messages are the first choices.
  const State& c = init_named(inits, p, "traitors {p0}");
  CHECK(c.order == -1);
  CHECK(texts(p, c) == std::vector<std::string>{"send(p0>p1: retreat)", "send(p0>p1: attack)"});
  s = step(p, step(p, step(p, c, "send(p0>p1: attack)"), "send(p0>p2: retreat)"), "send(p0>p3: attack)");
  CHECK(p.terminal(s));
  CHECK(s.decision == std::vector<std::int8_t>{-1, 1, 1, 1});
}

TEST_CASE("om: IC1 and IC2 on hand-built decisions", "[om][properties]") {
  auto loyal = [](std::uint32_t traitors) { return [=](int g) { return !((traitors >> g) & 1u); }; };
  auto dec = [](std::vector<int> d) { return [=](int g) { return d[static_cast<std::size_t>(g)]; }; };
  // p2 a traitor; p1 and p3 loyal
  CHECK(properties::ic1(4, loyal(0b0100), dec({-1, 1, 0, 1})));
  CHECK_FALSE(properties::ic1(4, loyal(0b0100), dec({-1, 1, 0, 0})));
  CHECK(properties::ic1(4, loyal(0b0100), dec({-1, 1, -1, -1})));  // undecided ones say nothing
  CHECK(properties::ic2(4, true, 1, loyal(0b0100), dec({-1, 1, 0, 1})));
  CHECK_FALSE(properties::ic2(4, true, 0, loyal(0b0100), dec({-1, 1, 0, 1})));
  CHECK(properties::ic2(4, false, 0, loyal(0b0001), dec({-1, 1, 0, 1})));  // traitor commander: vacuous
  CHECK(properties::all_loyal_decided(4, 1, loyal(0b0100), dec({-1, 1, 0, 1})));
  CHECK_FALSE(properties::all_loyal_decided(2, 1, loyal(0b0010), dec({-1, -1})));  // no loyal lieutenant
  // The model's properties on a hand-built terminal state.
  const Om p(4, 1, 1);
  const auto props = p.properties();
  REQUIRE(props.size() == 4);
  State s;
  s.traitors = 0b0100;
  s.order = 1;
  s.sent.assign(9, 1);
  s.decision = {-1, 1, -1, 0};
  CHECK_FALSE(props[0].holds(s));  // IC1
  CHECK_FALSE(props[1].holds(s));  // IC2: p3 disobeys
  s.decision = {-1, 0, -1, 0};
  CHECK(props[0].holds(s));
  CHECK_FALSE(props[1].holds(s));
  s.traitors = 0b0001;
  s.order = -1;
  CHECK(props[1].holds(s));
}

TEST_CASE("om: three generals cannot beat one traitor, told as in the paper", "[om][cex]") {
  const Om p(3, 1, 1);
  const auto r = checker::check(p, opts());
  REQUIRE(r.verdict == checker::Verdict::Violated);
  CHECK(r.violations[0].property == "IC2");
  CHECK(r.violations[0].path.encode() == "1/1/0");
  const auto trace = counterexamples::make_trace(p, params(3, 1), r.violations[0]);
  CHECK(trace.init == "traitors {p1}");
  CHECK(trace.steps == std::vector<std::string>{"order(p0, attack)", "send(p0.p1>p2: retreat)"});
  const auto steps = counterexamples::rebuild(p, r.violations[0].path);
  const auto d = p.describe(steps.back().state);
  CHECK(field(d, "p2") == "decides retreat: majority of {p0: attack, p1: retreat} ties -> retreat");
  CHECK(field(d, "p0") == "loyal commander, orders attack");
  CHECK(field(d, "p1 sent") == "p0.p1>p2: retreat");
  CHECK(r.distinct_states == 13);
  CHECK(r.weighted_terminals == 7);
  require_replays(p, params(3, 1), r.violations[0]);
  // With a traitor commander instead, the two loyal lieutenants agree: only
  // the lieutenant traitor breaks N=3.
  const auto all = checker::check(p, opts("none", 1, true));
  CHECK(all.weighted_terminals == 4 + 2 * 2 * 2);  // {p0}: 2^2; {p1}, {p2}: 2 orders x 2
  REQUIRE(all.violations.size() == 1);             // IC1 cannot fail with one loyal lieutenant
}

TEST_CASE("om: four generals hold against one traitor, every strategy covered", "[om]") {
  const Om p(4, 1, 1);
  const auto r = checker::check(p, opts());
  CHECK(r.verdict == checker::Verdict::Holds);
  CHECK(r.distinct_states == 60);
  CHECK(r.terminal_states == 32);
  CHECK(r.weighted_terminals == 32);  // {p0}: 2^3; {pi}: 2 orders x 2^2 relays, three of them
  for (const auto& reach : r.reachability) CHECK(reach.reached);
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].second == "9 per run of OM(1); closed form sum_{k=1..m+1} (N-1)...(N-k) = 9");
  const auto reduced = checker::check(p, opts("all"));
  CHECK(reduced.verdict == checker::Verdict::Holds);
  CHECK(reduced.weighted_terminals == 32);
  CHECK(reduced.distinct_states == 22);
}

namespace {
// The expected OM(T) verdict: N > 3T, or nothing to agree on (one loyal general).
bool om_holds(int n, int t) { return n > 3 * t || n - t == 1; }

void check_cell(int n, int t) {
  INFO("OM(" << t << ") with N=" << n);
  const Om p(n, t, t);
  const auto r = checker::check(p, opts("all", 2));
  CHECK((r.verdict == checker::Verdict::Holds) == om_holds(n, t));
  CHECK(r.cut == checker::Cut::None);
  if (!r.violations.empty()) require_replays(p, params(n, t), r.violations[0]);
}
}  // namespace

TEST_CASE("om: verdict table, small cells (N > 3T)", "[om][table]") {
  for (int n = 2; n <= 5; ++n)
    for (int t = 0; t <= 2 && t < n; ++t) check_cell(n, t);
  for (int n = 6; n <= 7; ++n)
    for (int t = 0; t <= 1; ++t) check_cell(n, t);
}

TEST_CASE("om: verdict table, OM(2) with six and seven generals", "[om][table][long]") {
  check_cell(6, 2);
  check_cell(7, 2);
  // Every strategy of OM(2), N=7, T=2: {p0, pk}: 2^31 each (6 placements);
  // {pi, pj}: 2 orders x 2^50 (15 placements).
  const auto r = checker::check(Om(7, 2, 2), opts("all", 2));
  CHECK(r.weighted_terminals == 6ULL * (1ULL << 31) + 30ULL * (1ULL << 50));
  CHECK(r.weighted_terminals == 33'777'010'090'180'608ULL);
  CHECK(r.distinct_states == 44'065);
}

TEST_CASE("om: reductions and threads change no verdict, count or counterexample", "[om][tree]") {
  for (const auto& [n, t] : std::vector<std::pair<int, int>>{{3, 1}, {4, 1}, {4, 2}, {5, 1}, {6, 1}}) {
    INFO("N=" << n << " T=" << t);
    const Om p(n, t, t);
    const auto base = checker::check(p, opts("none", 1, true));
    for (const auto* red : {"none", "symmetry", "por", "all"})
      for (unsigned threads : {1u, 2u, 3u}) {
        INFO("reduce " << red << " threads " << threads);
        const auto r = checker::check(p, opts(red, threads, true));
        CHECK(r.verdict == base.verdict);
        CHECK(r.weighted_terminals == base.weighted_terminals);
        REQUIRE(r.violations.size() == base.violations.size());
        for (std::size_t k = 0; k < r.violations.size(); ++k)
          CHECK(r.violations[k].path.encode() == base.violations[k].path.encode());
        if (std::string(red) == "none") CHECK(r.distinct_states == base.distinct_states);
      }
  }
}

TEST_CASE("om: the plain tree agrees with the reduced one on OM(2), five generals", "[om][tree][long]") {
  const Om p(5, 2, 2);
  const auto base = checker::check(p, opts("none", 2, true));
  CHECK(base.distinct_states == 6'356'982);
  CHECK(base.weighted_terminals == 3'178'496);
  const auto r = checker::check(p, opts("all", 2, true));
  CHECK(r.weighted_terminals == base.weighted_terminals);
  REQUIRE(r.violations.size() == base.violations.size());
  for (std::size_t k = 0; k < r.violations.size(); ++k)
    CHECK(r.violations[k].path.encode() == base.violations[k].path.encode());
}

TEST_CASE("om: random traitor strategies never break IC1/IC2 when N > 3T", "[om][rapidcheck]") {
  rc::prop("OM(T) with N > 3T", [] {
    const int t = *rc::gen::inRange(0, 3);
    const int n = *rc::gen::inRange(3 * t + 1, std::min(8, 3 * t + 4));
    const Om p(n, t, t);
    const auto inits = p.init_states();
    State s = inits[*rc::gen::inRange<std::size_t>(0, inits.size())];
    std::vector<model::om::Action> as;
    while (!p.terminal(s)) {
      as.clear();
      p.actions(s, as);
      RC_ASSERT(as.size() == 2u);
      s = *p.next_state(s, as[*rc::gen::inRange<std::size_t>(0, 2)]);
    }
    for (const auto& prop : p.properties())
      if (prop.expectation == properties::Expectation::Terminal) RC_ASSERT(prop.holds(s));
  });
}

TEST_CASE("om: the known counterexamples replay", "[om][replay]") {
  namespace fs = std::filesystem;
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(AGREE_SOURCE_DIR) / "counterexamples" / "known")) {
    const auto name = e.path().filename().string();
    if (name.rfind("om-", 0) != 0) continue;
    INFO(name);
    const auto t = counterexamples::read_trace_file(e.path().string());
    CHECK(cli::replay_trace(t, name, nullptr).reproduced);
    ++n;
  }
  CHECK(n == 2);
}
