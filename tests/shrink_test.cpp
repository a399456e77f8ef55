// Shrinking: never longer, still failing the same property, and as short as
// BFS where BFS proves the minimum.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <optional>

#include "agree/checker/explorer.hpp"
#include "agree/checker/simulate.hpp"
#include "agree/counterexamples/shrink.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/sequencer.hpp"
#include "agree/model/tokenring.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::isis::Isis;

namespace {
const char* kNoTiebreak = "procs=3 msgs=2 crash=0 variant=no-tiebreak";

counterexamples::Trace simulated(const Isis& p, const std::string& params, std::uint64_t seed) {
  const auto s = checker::simulate(p, checker::Options{}, checker::WalkOptions{2000, 100, seed});
  REQUIRE(!s.report.violations.empty());
  return counterexamples::make_trace(p, params, s.report.violations.front());
}
}  // namespace

TEST_CASE("shrink: a shortest counterexample stays as it is", "[shrink]") {
  const Isis p(3, 2, 0, Isis::Variant::NoTiebreak);
  const auto r = checker::check(p, checker::Options{});
  const auto t = counterexamples::make_trace(p, kNoTiebreak, r.violations.front());
  const auto s = counterexamples::shrink(p, t, "bfs");
  CHECK(s.reproduced);
  CHECK(s.before == 16);
  CHECK(s.trace.steps == t.steps);  // BFS's run is already minimal: nothing can go
  CHECK(s.attempts > 16);
}

TEST_CASE("shrink: a random walk's counterexample shrinks to a replayable one", "[shrink]") {
  const Isis p(3, 2, 0, Isis::Variant::NoTiebreak);
  const auto t = simulated(p, kNoTiebreak, 1);
  const auto s = counterexamples::shrink(p, t, "sim");
  REQUIRE(s.reproduced);
  CHECK(s.before == t.steps.size());
  CHECK(s.trace.steps.size() <= t.steps.size());
  CHECK(s.trace.steps.size() >= 16);
  CHECK(s.trace.property == "total-order");
  const auto again = counterexamples::parse_trace(counterexamples::to_text(s.trace), "shrunk");
  CHECK(counterexamples::replay(p, again, "shrunk", nullptr).reproduced);
  // Pinned for seed 1 (the walk, then the shrinker, are deterministic).
  CHECK(t.steps.size() == 20);
  CHECK(s.trace.steps.size() == 16);
  CHECK(s.attempts == 60);
}

TEST_CASE("shrink: extra steps and unneeded crashes go", "[shrink]") {
  // A walk with crashes allowed: the crash it took is not needed for total-order to fail.
  const Isis p(3, 2, 1, Isis::Variant::NoTiebreak);
  const char* params = "procs=3 msgs=2 crash=1 variant=no-tiebreak";
  std::optional<counterexamples::Trace> with_crash;
  checker::Options only_order;
  only_order.properties = {"total-order"};
  for (std::uint64_t seed = 0; seed < 200 && !with_crash; ++seed) {
    const auto s = checker::simulate(p, only_order, checker::WalkOptions{500, 100, seed});
    if (s.report.violations.empty()) continue;
    auto t = counterexamples::make_trace(p, params, s.report.violations.front());
    for (const auto& step : t.steps)
      if (step.rfind("crash(", 0) == 0) with_crash = t;
  }
  REQUIRE(with_crash);
  const auto s = counterexamples::shrink(p, *with_crash, "sim");
  REQUIRE(s.reproduced);
  CHECK(s.trace.steps.size() < with_crash->steps.size());
  for (const auto& step : s.trace.steps) CHECK(step.rfind("crash(", 0) != 0);
  CHECK(counterexamples::replay(p, s.trace, "shrunk", nullptr).reproduced);

  // A depth-first counterexample is long; shrinking brings it down to BFS's length here.
  checker::Options dfs;
  dfs.search = checker::Search::Dfs;
  const Isis q(3, 2, 0, Isis::Variant::NoTiebreak);
  const auto r = checker::check(q, dfs);
  const auto t = counterexamples::make_trace(q, kNoTiebreak, r.violations.front());
  const auto sd = counterexamples::shrink(q, t, "dfs");
  REQUIRE(sd.reproduced);
  CHECK(sd.trace.steps.size() <= t.steps.size());
  CHECK(sd.trace.steps.size() >= 16);
  CHECK(counterexamples::replay(q, sd.trace, "shrunk", nullptr).reproduced);
}

TEST_CASE("shrink: a trace that does not fail is not shrunk", "[shrink]") {
  const Isis p(3, 2, 0, Isis::Variant::NoTiebreak);
  const auto r = checker::check(p, checker::Options{});
  auto t = counterexamples::make_trace(p, kNoTiebreak, r.violations.front());
  t.steps.pop_back();  // stop one step before the violation
  const auto s = counterexamples::shrink(p, t, "short");
  CHECK_FALSE(s.reproduced);
  CHECK(s.trace.steps == t.steps);
}

TEST_CASE("shrink: never longer, always failing (random seeds)", "[shrink]") {
  rc::prop("shrunk walks", [] {
    const auto seed = *rc::gen::inRange<std::uint64_t>(0, 1'000'000);
    const Isis p(3, 2, 0, Isis::Variant::NoTiebreak);
    const auto s = checker::simulate(p, checker::Options{}, checker::WalkOptions{2000, 100, seed});
    RC_PRE(!s.report.violations.empty());
    const auto t = counterexamples::make_trace(p, kNoTiebreak, s.report.violations.front());
    const auto sh = counterexamples::shrink(p, t, "sim");
    RC_ASSERT(sh.reproduced);
    RC_ASSERT(sh.trace.steps.size() <= t.steps.size());
    RC_ASSERT(sh.trace.steps.size() >= 16u);
    RC_ASSERT(counterexamples::replay(p, sh.trace, "shrunk", nullptr).reproduced);
  });
}

// model/tokenring.hpp, greedy: p0 passes at once, then p1 keeps the token by
// Enter(p1), Exit(p1) forever. The padded lasso below takes p0's turn and one
// extra round of p1's before its cycle; what cannot go is Pass(p0) (the cycle's
// Enter(p1) needs it) and either step of the two-step cycle (one step alone
// does not come back).
TEST_CASE("shrink: a lasso shrinks to a shorter lasso that still replays", "[shrink][liveness]") {
  const std::string text =
      "agree-trace 2\nprotocol tokenring\nmodel-version 1\nparameters procs=4 variant=greedy\n"
      "property token-reaches-all\nfairness weak\nsteps 7\ncycle 5\ninit initial\n"
      "1 Enter(p0)\n2 Exit(p0)\n3 Pass(p0)\n4 Enter(p1)\n5 Exit(p1)\n6 Enter(p1)\n7 Exit(p1)\nend\n";
  const counterexamples::Trace t = counterexamples::parse_trace(text, "<lasso>");
  const model::tokenring::TokenRing ring(4, model::tokenring::TokenRing::Variant::Greedy);
  REQUIRE(counterexamples::replay(ring, t, "<lasso>", nullptr).reproduced);
  const auto res = counterexamples::shrink(ring, t, "<lasso>");
  CHECK(res.reproduced);
  CHECK(res.before == 7);
  CHECK(res.trace.steps == std::vector<std::string>{"Pass(p0)", "Enter(p1)", "Exit(p1)"});
  CHECK(res.trace.cycle == std::optional<std::size_t>(1));
  const auto back = counterexamples::parse_trace(counterexamples::to_text(res.trace), "<shrunk>");
  CHECK(counterexamples::replay(ring, back, "<shrunk>", nullptr).reproduced);
  // An unfair lasso is not a counterexample, and nothing is shrunk.
  counterexamples::Trace strong = t;
  strong.fairness = "strong";
  const auto none = counterexamples::shrink(ring, strong, "<lasso>");
  CHECK_FALSE(none.reproduced);
  CHECK(none.trace.steps == t.steps);
}
