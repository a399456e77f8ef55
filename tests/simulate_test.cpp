// Seeded random walks: the same seed takes the same walks, violations come
// back as replayable paths, and the states counted are states of the model.
#include <catch2/catch.hpp>

#include "agree/checker/explorer.hpp"
#include "agree/checker/simulate.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/sequencer.hpp"
#include "toy_models.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using checker::Simulation;
using checker::WalkOptions;
using model::isis::Isis;

namespace {
Simulation run(const Isis& p, std::uint64_t walks, std::uint64_t depth, std::uint64_t seed) {
  return checker::simulate(p, checker::Options{}, WalkOptions{walks, depth, seed});
}
}  // namespace

TEST_CASE("simulate: the same seed takes the same walks", "[simulate]") {
  const Isis p(3, 2, 0, Isis::Variant::Correct);  // holds: every walk runs to its end
  const auto a = run(p, 200, 40, 42), b = run(p, 200, 40, 42), c = run(p, 200, 40, 43);
  CHECK(a.report.violations.empty());
  CHECK(a.report.verdict == checker::Verdict::Incomplete);  // a simulation proves nothing
  CHECK(a.walks == 200);
  CHECK(a.report.distinct_states == b.report.distinct_states);
  CHECK(a.steps == b.steps);
  CHECK(a.report.terminal_states == b.report.terminal_states);
  CHECK(a.report.fired == b.report.fired);
  // Pinned: a change in the walk algorithm shows up here.
  CHECK(a.report.distinct_states == 1'788);
  CHECK(a.report.terminal_states == 17);
  CHECK(a.steps == 4'000);  // 200 walks x 20 steps: with 2 messages and no crash every run is 2 + 6 + 6 + 6 steps
  CHECK(c.report.distinct_states != a.report.distinct_states);
  // Walks only touch reachable states.
  const auto full = checker::check(p, checker::Options{});
  CHECK(a.report.distinct_states <= full.distinct_states);
}

TEST_CASE("simulate: a violation is a path that replays", "[simulate]") {
  const Isis p(3, 2, 0, Isis::Variant::NoTiebreak);
  const auto a = run(p, 1000, 100, 1), b = run(p, 1000, 100, 1);
  REQUIRE(a.report.verdict == checker::Verdict::Violated);
  REQUIRE(a.report.violations.size() == 1);
  CHECK(a.report.violations[0].property == "total-order");
  CHECK(a.report.violations[0].path.encode() == b.report.violations[0].path.encode());
  CHECK(a.walks == b.walks);
  CHECK(a.walks == 1);  // pinned for seed 1: the first walk already breaks total order
  CHECK(a.steps == 20);
  const auto trace = counterexamples::make_trace(p, "procs=3 msgs=2 crash=0 variant=no-tiebreak", a.report.violations[0]);
  CHECK(trace.steps.size() >= 16);  // no run is shorter than BFS's shortest
  CHECK(counterexamples::replay(p, trace, "sim", nullptr).reproduced);
}

TEST_CASE("simulate: terminal-state properties, depth bound, one walk per seed", "[simulate]") {
  // isis with crash 1 never terminates cleanly: termination fails in the first terminal state a walk reaches.
  const Isis p(3, 1, 1, Isis::Variant::Correct);
  const auto a = run(p, 50, 100, 9);
  REQUIRE(a.report.verdict == checker::Verdict::Violated);
  CHECK(a.report.violations[0].property == "termination");
  // Pinned for seed 9: a terminal state where termination holds comes first
  // (possible when the sender crashed before multicasting: nothing is owed).
  CHECK(a.report.terminal_states == 2);
  const auto t = counterexamples::make_trace(p, "procs=3 msgs=1 crash=1 variant=correct", a.report.violations[0]);
  CHECK(counterexamples::replay(p, t, "sim", nullptr).reproduced);

  // Depth 3 stops every walk after three steps.
  const auto d = run(Isis(3, 2, 0, Isis::Variant::Correct), 10, 3, 5);
  CHECK(d.report.depth == 3);
  CHECK(d.steps == 30);
  CHECK(d.report.terminal_states == 0);
}

TEST_CASE("simulate: a toy graph with self-loops", "[simulate]") {
  // 0 -> 1 -> 2(bad), 0 loops on itself; every walk from 0 eventually leaves it or stays.
  const toy::Graph g({0}, {{0, 1}, {1, 2}}, 2, -1, {0});
  const auto s = checker::simulate(g, checker::Options{}, WalkOptions{100, 50, 3});
  REQUIRE(s.report.verdict == checker::Verdict::Violated);
  CHECK(s.report.distinct_states == 3);
  const auto& path = s.report.violations[0].path;
  CHECK(path.actions.size() >= 2);
  CHECK(counterexamples::rebuild(g, path).back().state.node == 2);
}
