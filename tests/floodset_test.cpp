// The floodset model: the round action on hand-built states (no crash, partial
// sends, W as at the start of the round, the decision), the properties, the
// counts against an independent brute force, the verdict table of procs 2..5
// x crash 0..2 x rounds {F, F+1}, random walks.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <bit>
#include <set>

#include "agree/checker/explorer.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/model/floodset.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::floodset::FloodSet;
using model::floodset::Proc;
using model::floodset::State;

namespace {

std::vector<std::string> texts(const FloodSet& p, const State& s) {
  std::vector<FloodSet::Action> as;
  p.actions(s, as);
  std::vector<std::string> out;
  for (const auto& a : as) out.push_back(p.format_action(a));
  return out;
}

State step(const FloodSet& p, const State& s, const std::string& text) {
  std::vector<FloodSet::Action> as;
  p.actions(s, as);
  for (const auto& a : as)
    if (p.format_action(a) == text) {
      auto n = p.next_state(s, a);
      REQUIRE(n);
      return *n;
    }
  FAIL("'" << text << "' is not enabled");
  return s;
}

State init(const FloodSet& p, const std::string& inputs) {
  for (const auto& s : p.init_states())
    if (p.format_init(s) == "inputs=" + inputs) return s;
  throw std::logic_error("no initial state " + inputs);
}

const properties::Property<State>& prop(const std::vector<properties::Property<State>>& ps, const std::string& name) {
  for (const auto& x : ps)
    if (x.name == name) return x;
  throw std::logic_error("no property " + name);
}

checker::Report check(const FloodSet& p, bool keep_going = false) {
  checker::Options o;
  o.keep_going = keep_going;
  return checker::check(p, o);
}

constexpr std::uint8_t kW0 = 0b01, kW1 = 0b10, kW01 = 0b11;

// An independent brute force of protocols.md §floodset, written per receiver:
// in a round with crash set C, each survivor independently hears from any
// subset of C (the model enumerates per sender). The decision is left out: it
// is determined by round, W and alive. A state is (round, W..., alive...).
std::uint64_t brute_force_floodset(int n, int f, int rounds) {
  using S = std::vector<int>;
  std::set<S> seen;
  std::vector<S> todo;
  for (int inputs = 0; inputs < (1 << n); ++inputs) {
    S s(static_cast<std::size_t>(1 + 2 * n), 1);
    s[0] = 0;
    for (int p = 0; p < n; ++p) s[static_cast<std::size_t>(1 + p)] = 1 << (inputs >> p & 1);
    if (seen.insert(s).second) todo.push_back(s);
  }
  while (!todo.empty()) {
    const S s = todo.back();
    todo.pop_back();
    if (s[0] >= rounds) continue;
    auto w = [&](int p) { return s[static_cast<std::size_t>(1 + p)]; };
    auto alive = [&](int p) { return s[static_cast<std::size_t>(1 + n + p)] != 0; };
    int crashed = 0;
    for (int p = 0; p < n; ++p) crashed += alive(p) ? 0 : 1;
    for (int c = 0; c < (1 << n); ++c) {
      bool ok = crashed + std::popcount(static_cast<unsigned>(c)) <= f;
      for (int p = 0; p < n; ++p) ok = ok && (!(c >> p & 1) || alive(p));
      if (!ok) continue;
      int sure = 0;  // what every survivor gets: the W of every alive sender not crashing
      std::vector<int> survivors;
      for (int p = 0; p < n; ++p) {
        if (alive(p) && !(c >> p & 1)) sure |= w(p), survivors.push_back(p);
      }
      // Every assignment survivor -> subset of C it hears from.
      std::vector<int> heard(survivors.size(), 0);
      while (true) {
        S t = s;
        t[0] = s[0] + 1;
        for (std::size_t i = 0; i < survivors.size(); ++i) {
          int got = sure;
          for (int p = 0; p < n; ++p)
            if (heard[i] >> p & 1) got |= w(p);
          t[static_cast<std::size_t>(1 + survivors[i])] |= got;
        }
        for (int p = 0; p < n; ++p)
          if (c >> p & 1) t[static_cast<std::size_t>(1 + n + p)] = 0;
        if (seen.insert(t).second) todo.push_back(t);
        std::size_t i = 0;
        for (; i < heard.size(); ++i) {
          heard[i] = (heard[i] - c) & c;  // the next subset of C
          if (heard[i] != 0) break;
        }
        if (i == heard.size()) break;
      }
    }
  }
  return seen.size();
}

}  // namespace

TEST_CASE("floodset: 2^N initial states, named by their inputs", "[floodset]") {
  const FloodSet p(3, 1, 2);
  const auto inits = p.init_states();
  REQUIRE(inits.size() == 8);
  CHECK(p.format_init(inits[0]) == "inputs=0,0,0");
  CHECK(p.format_init(inits[1]) == "inputs=0,0,1");
  CHECK(p.format_init(inits[6]) == "inputs=1,1,0");
  CHECK(inits[6].procs[0].w == kW1);
  CHECK(inits[6].procs[2].w == kW0);
  for (const auto& s : inits) {
    CHECK(s.round == 0);
    for (const Proc& x : s.procs) CHECK((x.alive && x.decision == -1));
  }
}

TEST_CASE("floodset: the choices of a round", "[floodset]") {
  const FloodSet p(3, 1, 2);
  const auto s = init(p, "0,1,1");
  const auto t = texts(p, s);
  REQUIRE(t.size() == 1 + 3 * 4);  // no crash, or one of 3 crashes reaching any of 4 subsets of the other two
  CHECK(t[0] == "round(1: no crash)");
  CHECK(t[1] == "round(1: crash p0->{})");
  CHECK(t[2] == "round(1: crash p0->{p1})");
  CHECK(t[3] == "round(1: crash p0->{p2})");
  CHECK(t[4] == "round(1: crash p0->{p1,p2})");
  CHECK(t[12] == "round(1: crash p2->{p0,p1})");
  // After one crash, F = 1 is used up: only the crash-free round remains.
  const auto s1 = step(p, s, "round(1: crash p1->{p2})");
  CHECK(texts(p, s1) == std::vector<std::string>{"round(2: no crash)"});
  // Two crashes in one round, each with its own reach.
  const FloodSet q(4, 2, 3);
  const auto u = texts(q, init(q, "0,0,0,0"));
  CHECK(u.size() == 1 + 4 * 8 + 6 * 4 * 4);
  CHECK(std::find(u.begin(), u.end(), "round(1: crash p0->{p2}, p3->{p1,p2})") != u.end());
}

TEST_CASE("floodset: a crash-free round gives every process the union", "[floodset]") {
  const FloodSet p(3, 1, 2);
  const State s = step(p, init(p, "0,1,1"), "round(1: no crash)");
  CHECK(s.round == 1);
  for (const Proc& x : s.procs) CHECK((x.w == kW01 && x.alive && x.decision == -1));
  const State d = step(p, s, "round(2: no crash)");
  CHECK(d.round == 2);
  for (const Proc& x : d.procs) CHECK(x.decision == 0);  // |W| = 2: decide 0
  CHECK(texts(p, d).empty());
  const State e = step(p, step(p, init(p, "1,1,1"), "round(1: no crash)"), "round(2: no crash)");
  for (const Proc& x : e.procs) CHECK(x.decision == 1);
}

TEST_CASE("floodset: a crashing process reaches only its subset and keeps its W", "[floodset]") {
  const FloodSet p(3, 1, 2);
  const State s = step(p, init(p, "0,1,1"), "round(1: crash p0->{p2})");
  CHECK_FALSE(s.procs[0].alive);
  CHECK(s.procs[0].w == kW0);
  CHECK(s.procs[1].w == kW1);
  CHECK(s.procs[2].w == kW01);
  const State d = step(p, s, "round(2: no crash)");
  CHECK(d.procs[0].decision == -1);  // crashed: never decides
  CHECK(d.procs[1].decision == 0);
  CHECK(d.procs[2].decision == 0);
  CHECK(d.procs[0].w == kW0);
}

TEST_CASE("floodset: messages carry W as at the start of the round", "[floodset]") {
  // p0 = {0} crashes reaching p1 only; in the same round p1 sends its old {1}
  // to p2, so p2 does not learn 0.
  const FloodSet p(3, 1, 1);
  const State s = step(p, init(p, "0,1,1"), "round(1: crash p0->{p1})");
  CHECK(s.procs[1].w == kW01);
  CHECK(s.procs[2].w == kW1);
  CHECK(s.procs[1].decision == 0);
  CHECK(s.procs[2].decision == 1);  // F rounds are not enough
}

TEST_CASE("floodset: rounds 0 makes the initial states terminal, undecided", "[floodset]") {
  const FloodSet p(2, 0, 0);
  CHECK(texts(p, init(p, "0,1")).empty());
  const auto r = check(p);
  CHECK(r.verdict == checker::Verdict::Violated);
  CHECK(r.violations.at(0).property == "termination");
  CHECK(r.distinct_states == 4);
}

TEST_CASE("floodset: rounds defaults to crash + 1; crash stays below procs", "[floodset][params]") {
  model::Params params(FloodSet::param_specs());
  params.set_all("procs=4 crash=2");
  CHECK(FloodSet(params).rounds() == 3);
  params.set_all("rounds=1");
  CHECK(FloodSet(params).rounds() == 1);
  params.set_all("procs=3 crash=3");
  CHECK_THROWS_AS(FloodSet(params), model::ParamError);
}

TEST_CASE("floodset: agreement, validity, termination on hand-built states", "[floodset][properties]") {
  const FloodSet p(3, 1, 2);
  const auto ps = p.properties();
  const auto& agreement = prop(ps, "agreement");
  const auto& validity = prop(ps, "validity");
  const auto& termination = prop(ps, "termination");
  const auto& some = prop(ps, "some-decision");
  State s = init(p, "0,1,1");
  CHECK(agreement.holds(s));
  CHECK(validity.holds(s));
  CHECK_FALSE(termination.holds(s));
  CHECK_FALSE(some.holds(s));
  s.round = 2;
  s.procs[0].decision = 0;
  s.procs[1].decision = 1;
  s.procs[2].decision = 1;
  CHECK(some.holds(s));
  CHECK_FALSE(agreement.holds(s));
  CHECK(validity.holds(s));  // the inputs differ
  CHECK(termination.holds(s));
  s.procs[0].alive = false;  // agreement is among the processes alive at the end
  CHECK(agreement.holds(s));
  s.procs[1].decision = -1;
  CHECK_FALSE(termination.holds(s));
  // Validity reads the inputs from the union of every W, crashed ones included.
  State u = init(p, "1,1,1");
  u.procs[0].decision = 0;
  CHECK_FALSE(validity.holds(u));
  u.procs[0].decision = 1;
  CHECK(validity.holds(u));
  u.procs[2].alive = false;
  u.procs[2].w = kW0;  // a crashed process's W still counts as an input
  u.procs[1].decision = 0;
  CHECK(validity.holds(u));
}

// Every state explored (--keep-going): where agreement fails, the search goes on.
TEST_CASE("floodset: counts match an independent brute force", "[floodset][counts]") {
  struct Row {
    int n, f, rounds;
    std::uint64_t states;
  };
  const Row rows[] = {
      {2, 0, 0, 4},     {2, 0, 1, 7},     {2, 1, 1, 19},    {2, 1, 2, 36},     {3, 0, 0, 8},     {3, 0, 1, 11},
      {3, 1, 1, 41},    {3, 1, 2, 65},    {3, 2, 2, 164},   {3, 2, 3, 251},    {4, 0, 0, 16},    {4, 0, 1, 19},
      {4, 1, 1, 91},    {4, 1, 2, 122},   {4, 2, 2, 440},   {4, 2, 3, 597},    {5, 0, 0, 32},    {5, 0, 1, 35},
      {5, 1, 1, 205},   {5, 1, 2, 243},   {5, 2, 2, 1'173},   {5, 2, 3, 1'421},
  };
  for (const auto& row : rows) {
    INFO("procs " << row.n << " crash " << row.f << " rounds " << row.rounds);
    const auto r = check(FloodSet(row.n, row.f, row.rounds), true);
    CHECK(r.distinct_states == row.states);
    CHECK(brute_force_floodset(row.n, row.f, row.rounds) == row.states);
  }
}

TEST_CASE("floodset: F + 1 rounds agree; F rounds disagree iff N >= F + 2", "[floodset][verdicts]") {
  for (int n = 2; n <= 5; ++n)
    for (int f = 0; f <= 2 && f < n; ++f) {
      INFO("procs " << n << " crash " << f);
      const auto ok = check(FloodSet(n, f, f + 1));
      CHECK(ok.verdict == checker::Verdict::Holds);
      CHECK(ok.reachability.at(0).reached);
      const auto r = check(FloodSet(n, f, f));
      if (f == 0) {
        // No round at all: nobody decides.
        REQUIRE(r.verdict == checker::Verdict::Violated);
        CHECK(r.violations.at(0).property == "termination");
      } else if (n >= f + 2) {
        REQUIRE(r.verdict == checker::Verdict::Violated);
        CHECK(r.violations.at(0).property == "agreement");
        CHECK(r.violations.at(0).path.actions.size() == static_cast<std::size_t>(f));  // one crash a round
      } else {
        CHECK(r.verdict == checker::Verdict::Holds);  // F crashes leave one survivor
      }
    }
}

TEST_CASE("floodset: F rounds, the counterexample is a chain of partial sends", "[floodset]") {
  const FloodSet p(4, 2, 2);
  const auto r = check(p);
  REQUIRE(r.verdict == checker::Verdict::Violated);
  const auto t = counterexamples::make_trace(p, "procs=4 crash=2 rounds=2", r.violations.at(0));
  CHECK(t.init == "inputs=0,1,1,1");
  CHECK(t.steps == std::vector<std::string>{"round(1: crash p0->{p1})", "round(2: crash p1->{p2})"});
  CHECK(counterexamples::replay(p, t, "<test>", nullptr).reproduced);
}

TEST_CASE("floodset: random walks with F + 1 rounds never break a property", "[floodset][random]") {
  rc::prop("agreement and validity on every state, termination at the end", [](const std::vector<unsigned>& picks) {
    const int n = *rc::gen::inRange(2, 6);
    const int f = *rc::gen::inRange(0, std::min(n, 3));
    const FloodSet p(n, f, f + 1);
    const auto ps = p.properties();
    const auto inits = p.init_states();
    State s = inits[*rc::gen::inRange<std::size_t>(0, inits.size())];
    std::vector<FloodSet::Action> enabled;
    for (const unsigned pick : picks) {
      enabled.clear();
      p.actions(s, enabled);
      if (enabled.empty()) break;
      if (auto next = p.next_state(s, enabled[pick % enabled.size()])) s = *next;
      RC_ASSERT(prop(ps, "agreement").holds(s));
      RC_ASSERT(prop(ps, "validity").holds(s));
    }
    enabled.clear();
    p.actions(s, enabled);
    if (enabled.empty()) RC_ASSERT(prop(ps, "termination").holds(s));
  });
}
