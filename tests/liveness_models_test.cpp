// tests/liveness_models_test.cpp — the liveness of the cyclic built-in models:
// twophase's stuttering lasso, the token ring and its greedy variant, the
// alternating-bit protocol under strong and weak fairness, and the
// combinations the liveness check refuses. Their state counts are compared
// with tests/independent/cyclic.py, written from the headers alone.
#include <catch2/catch.hpp>

#include <string>

#include "agree/agree.hpp"
#include "agree/model/abp.hpp"
#include "agree/model/tokenring.hpp"
#include "agree/model/twophase.hpp"
#include "liveness_util.hpp"

using namespace agree;
using namespace liveness_util;

TEST_CASE("liveness: twophase termination holds under weak fairness and fails by a stuttering lasso without it") {
  for (int k = 1; k <= 3; ++k) {
    const model::twophase::TwoPhase p(k, model::twophase::TwoPhase::Variant::Correct);
    INFO("rms " << k);
    Options weak = liveness_options(Fairness::Weak);
    const Result w = agree::check(p, weak);
    CHECK(w.report.verdict == Verdict::Holds);
    // The graph the liveness check built is the safety search's: the same counts.
    Options safety;
    safety.threads = 1;
    const Result s = agree::check(p, safety);
    CHECK(w.report.distinct_states == s.report.distinct_states);
    CHECK(w.report.transitions == s.report.transitions);
    CHECK(w.report.depth == s.report.depth);
    CHECK(w.report.terminal_states == s.report.terminal_states);
    const Result none = agree::check(p, liveness_options(Fairness::None));
    REQUIRE(violated(none, "termination"));
    require_traces_replay(p, none);
    CHECK(none.traces.front().cycle);  // no state is terminal: the run must loop
    CHECK(none.traces.front().fairness == "none");
    // The same lasso is not weakly fair: replay, told so, says which group waits.
    Trace t = none.traces.front();
    t.fairness = "weak";
    const ReplayResult rr = agree::replay(p, t);
    CHECK_FALSE(rr.reproduced);
    CHECK(rr.message.find("is enabled in every state of the cycle and never taken") != std::string::npos);
  }
}

TEST_CASE("liveness: stepping on the packed word builds the graph the State path builds, lasso for lasso") {
  using V = model::twophase::TwoPhase::Variant;
  for (const V v : {V::Correct, V::EagerCommit})
    for (int k = 1; k <= 4; ++k)
      for (const Fairness f : {Fairness::None, Fairness::Weak, Fairness::Strong}) {
        const model::twophase::TwoPhase p(k, v);
        INFO("rms " << k << ", variant " << static_cast<int>(v) << ", fairness " << checker::to_string(f));
        Options words = liveness_options(f), states = liveness_options(f);
        states.packed = false;  // actions() and next_state() on each State, groups from fairness_group()
        const Result a = agree::check(p, words), b = agree::check(p, states);
        CHECK(a.report.store.find("graph for liveness") != std::string::npos);  // the layered pass or the whole graph
        CHECK(a.report.distinct_states == b.report.distinct_states);
        CHECK(a.report.transitions == b.report.transitions);
        CHECK(a.report.terminal_states == b.report.terminal_states);
        CHECK(a.report.verdict == b.report.verdict);
        REQUIRE(a.traces.size() == b.traces.size());
        for (std::size_t i = 0; i < a.traces.size(); ++i) CHECK(to_text(a.traces[i]) == to_text(b.traces[i]));
        require_traces_replay(p, a);
      }
}

TEST_CASE("liveness: unsound combinations are refused with one line") {
  const model::twophase::TwoPhase p(2, model::twophase::TwoPhase::Variant::Correct);
  Options o = liveness_options(Fairness::Weak);
  o.reduce = Reduce::Symmetry;
  CHECK_THROWS_WITH(agree::check(p, o), Catch::Contains("symmetry is not known to preserve"));
  o.reduce = Reduce::None;
  o.search = Search::Dfs;
  o.search_chosen = true;
  CHECK_THROWS_WITH(agree::check(p, o), Catch::Contains("builds the state graph breadth-first"));
}

// model/tokenring.hpp's header gives the answers: 3N states (2N greedy); the
// correct ring passes the token on every run, fair or not; the greedy one keeps
// it by the lasso Enter(p0), Exit(p0) unless Pass(p0) is strongly fair.
TEST_CASE("liveness: the token ring reaches every process; its greedy variant only under strong fairness") {
  using model::tokenring::TokenRing;
  for (int n = 1; n <= 5; ++n) {
    INFO("procs " << n);
    const TokenRing ring(n, TokenRing::Variant::Correct), greedy(n, TokenRing::Variant::Greedy);
    Options safety;
    safety.threads = 1;
    const Result rs = agree::check(ring, safety), gs = agree::check(greedy, safety);
    CHECK(rs.report.verdict == Verdict::Holds);  // mutual exclusion
    CHECK(rs.report.distinct_states == static_cast<std::uint64_t>(3 * n));
    CHECK(gs.report.distinct_states == static_cast<std::uint64_t>(2 * n));
    for (const Fairness f : {Fairness::None, Fairness::Weak, Fairness::Strong}) {
      INFO("fairness " << static_cast<int>(f));
      const Result r = agree::check(ring, liveness_options(f));
      CHECK(r.report.verdict == Verdict::Holds);
      CHECK(r.report.distinct_states == static_cast<std::uint64_t>(3 * n));
      const Result g = agree::check(greedy, liveness_options(f));
      const bool expect_violation = n >= 2 && f != Fairness::Strong;  // one process always holds what it must reach
      REQUIRE(violated(g, "token-reaches-all") == expect_violation);
      if (!expect_violation) continue;
      require_traces_replay(greedy, g);
      const Trace& t = g.traces.front();
      REQUIRE(t.cycle);
      CHECK(*t.cycle == 0);  // the first holder keeps it from the start
      CHECK(t.steps == std::vector<std::string>{"Enter(p0)", "Exit(p0)"});
    }
  }
}

// model/abp.hpp's header gives the answers: delivery holds under strong
// fairness and fails under weak fairness (and none) by Send, LoseData repeated;
// without the bit a duplicate d0 is delivered as soon as there are two messages.
TEST_CASE("liveness: the alternating-bit protocol delivers under strong fairness, not under weak") {
  using model::abp::Abp;
  for (int m = 1; m <= 3; ++m) {
    INFO("msgs " << m);
    const Abp p(m, Abp::Variant::Correct), nobit(m, Abp::Variant::NoBit);
    Options safety;
    safety.threads = 1;
    safety.keep_going = true;
    CHECK(agree::check(p, safety).report.verdict == Verdict::Holds);
    const Result broken = agree::check(nobit, safety);
    CHECK(violated(broken, "in-order") == (m >= 2));
    require_traces_replay(nobit, broken);
    const Result strong = agree::check(p, liveness_options(Fairness::Strong));
    CHECK(strong.report.verdict == Verdict::Holds);
    CHECK(strong.report.distinct_states == agree::check(p, safety).report.distinct_states);
    for (const Fairness f : {Fairness::Weak, Fairness::None}) {
      const Result r = agree::check(p, liveness_options(f));
      REQUIRE(violated(r, "delivery"));
      require_traces_replay(p, r);
      const Trace& t = r.traces.front();
      REQUIRE(t.cycle);
      CHECK(*t.cycle == 0);
      CHECK(t.steps == std::vector<std::string>{"Send", "LoseData"});
      if (f == Fairness::Weak) {  // the same lasso, judged strongly: Receive waits
        Trace s = t;
        s.fairness = "strong";
        CHECK_FALSE(agree::replay(p, s).reproduced);
      }
    }
  }
}

// simulate --liveness: a walk that closes a fair cycle with the property
// pending reports the lasso, which replays; where the headers prove the
// property (the correct ring under any fairness, abp under strong), no walk
// may report one.
TEST_CASE("liveness: random walks find the lassos, and only where there are some") {
  using model::abp::Abp;
  using model::tokenring::TokenRing;
  checker::WalkOptions w;
  w.walks = 200;
  w.depth = 60;
  const auto lasso_of = [&](const auto& p, Fairness f, const std::string& params) -> std::optional<Trace> {
    Options o = liveness_options(f);
    const checker::Simulation sim = checker::simulate(p, o, w);
    if (sim.report.violations.empty()) return std::nullopt;
    Trace t = counterexamples::make_trace(p, params, sim.report.violations.front());
    if (t.cycle) t.fairness = checker::to_string(f);
    return t;
  };
  for (int n = 2; n <= 4; ++n) {
    const TokenRing ring(n, TokenRing::Variant::Correct), greedy(n, TokenRing::Variant::Greedy);
    const std::string procs = "procs=" + std::to_string(n);
    CHECK_FALSE(lasso_of(ring, Fairness::None, procs + " variant=correct"));
    const auto t = lasso_of(greedy, Fairness::Weak, procs + " variant=greedy");
    REQUIRE(t);
    CHECK(t->cycle);
    CHECK(counterexamples::replay(greedy, parse_trace(to_text(*t), "<walk>"), "<walk>", nullptr).reproduced);
  }
  const Abp abp(2, Abp::Variant::Correct);
  CHECK_FALSE(lasso_of(abp, Fairness::Strong, "msgs=2 variant=correct"));
  const auto t = lasso_of(abp, Fairness::Weak, "msgs=2 variant=correct");
  REQUIRE(t);
  CHECK(counterexamples::replay(abp, parse_trace(to_text(*t), "<walk>"), "<walk>", nullptr).reproduced);
}
