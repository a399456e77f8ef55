// tests/liveness_parallel_test.cpp — the liveness check's K-thread layered
// pass (checker/live_pass.hpp) judges as the one-thread pass does, and gives
// up where it does; the K-thread graph build (checker/live_build.hpp), which
// runs when it gives up, builds the one-thread build's graph: the
// same states, transitions (per action kind too), terminal states and depth,
// the same verdicts, and lassos for the same properties with stems as long
// (the shortest), each of which replays, on every cyclic and acyclic
// built-in model at small bounds, broken variants included. The one-thread
// build is the reference. ThreadSanitizer runs this file ([parallel]).
#include <catch2/catch.hpp>

#include <string>
#include <type_traits>
#include <utility>

#include "agree/agree.hpp"
#include "agree/model/abp.hpp"
#include "agree/model/floodset.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/sequencer.hpp"
#include "agree/model/tokenring.hpp"
#include "agree/model/twophase.hpp"
#include "agree/model/vote.hpp"
#include "liveness_util.hpp"

using namespace agree;
using namespace liveness_util;

namespace {

// One model under one fairness on 1 thread and on 2 and 3: everything equal
// but the numbering of states inside a level.
void same_on_k_threads(const auto& p, Fairness f, const std::string& what, bool packed = true) {
  INFO(what << ", fairness " << checker::to_string(f) << (packed ? "" : ", not packed"));
  Options one = liveness_options(f);
  one.packed = packed;
  const Result a = agree::check(p, one);
  CHECK(a.report.store.find("one thread") != std::string::npos);
  for (const unsigned k : {2u, 3u}) {
    INFO(k << " threads");
    Options many = one;
    many.threads = k;
    const Result b = agree::check(p, many);
    CHECK(b.report.store.find(std::to_string(k) + " threads") != std::string::npos);
    const auto layered = [](const Result& x) { return x.report.store.rfind("layered graph", 0) == 0; };
    CHECK(layered(b) == layered(a));  // the pass without a graph (live_pass.hpp) gives up where the one-thread pass does
    CHECK(b.report.distinct_states == a.report.distinct_states);
    CHECK(b.report.transitions == a.report.transitions);
    CHECK(b.report.terminal_states == a.report.terminal_states);
    CHECK(b.report.depth == a.report.depth);
    CHECK(b.report.verdict == a.report.verdict);
    CHECK(b.report.fired == a.report.fired);
    REQUIRE(b.traces.size() == a.traces.size());
    for (std::size_t i = 0; i < a.traces.size(); ++i) {  // the same property, a stem as short (it is the shortest)
      CHECK(b.traces[i].property == a.traces[i].property);
      CHECK(b.traces[i].cycle == a.traces[i].cycle);
      if (!a.traces[i].cycle) CHECK(b.traces[i].steps.size() == a.traces[i].steps.size());  // a finite run: shortest
    }
    require_traces_replay(p, b);
  }
}

constexpr Fairness kAll[] = {Fairness::None, Fairness::Weak, Fairness::Strong};

}  // namespace

TEST_CASE("liveness on K threads: twophase, packed and not, both variants: the one-thread graph and lassos", "[parallel]") {
  using V = model::twophase::TwoPhase::Variant;
  for (const V v : {V::Correct, V::EagerCommit})
    for (int k = 1; k <= 6; ++k)  // rms 6: levels of thousands of states, many chunks
      for (const Fairness f : kAll) {
        const model::twophase::TwoPhase p(k, v);
        const std::string what = "twophase rms " + std::to_string(k) + " variant " + std::to_string(static_cast<int>(v));
        same_on_k_threads(p, f, what);
        if (k <= 4) same_on_k_threads(p, f, what, false);  // groups by number from actions(), states as States
      }
}

TEST_CASE("liveness on K threads: the cyclic models (abp, tokenring) and their variants", "[parallel]") {
  for (const Fairness f : kAll) {
    for (int m = 1; m <= 4; ++m)
      for (const auto v : {model::abp::Abp::Variant::Correct, model::abp::Abp::Variant::NoBit})
        same_on_k_threads(model::abp::Abp(m, v), f, "abp M " + std::to_string(m));
    for (int n = 1; n <= 6; ++n)
      for (const auto v : {model::tokenring::TokenRing::Variant::Correct, model::tokenring::TokenRing::Variant::Greedy})
        same_on_k_threads(model::tokenring::TokenRing(n, v), f, "tokenring N " + std::to_string(n));
  }
}

TEST_CASE("liveness on K threads: the acyclic models with crashes (vote, floodset, sequencer, isis)", "[parallel]") {
  auto made = [](const auto* model, std::initializer_list<std::pair<const char*, int>> values) {
    using M = std::remove_cvref_t<decltype(*model)>;
    model::Params params(model::param_specs_of<M>());
    for (const auto& [name, v] : values) params.set(name, std::to_string(v));
    return std::pair{model::make<M>(params), params.to_string()};
  };
  for (int n = 2; n <= 3; ++n)
    for (int c = 0; c < n; ++c) {
      const auto [vote, v] = made(static_cast<const model::vote::VoteProtocol*>(nullptr), {{"procs", n}, {"crash", c}});
      same_on_k_threads(vote, Fairness::Weak, "vote " + v);
      const auto [flood, fl] = made(static_cast<const model::floodset::FloodSet*>(nullptr), {{"procs", n}, {"crash", c}, {"rounds", c}});
      same_on_k_threads(flood, Fairness::Weak, "floodset " + fl);  // rounds = crash: broken, it may not decide
    }
  const auto [seq, s] = made(static_cast<const model::sequencer::Sequencer*>(nullptr), {{"procs", 3}, {"msgs", 2}, {"crash", 1}});
  same_on_k_threads(seq, Fairness::Weak, "sequencer " + s);
  const auto [isis, i] = made(static_cast<const model::isis::Isis*>(nullptr), {{"procs", 3}, {"msgs", 2}, {"crash", 1}});
  same_on_k_threads(isis, Fairness::Weak, "isis " + i);
}

TEST_CASE("liveness on K threads: a cut run is incomplete, never holds; --exact over variable-length states stays on one thread", "[parallel]") {
  const model::twophase::TwoPhase p(6, model::twophase::TwoPhase::Variant::Correct);
  Options o = liveness_options(Fairness::Weak);
  o.threads = 2;
  o.max_states = 1000;
  const Result r = agree::check(p, o);
  CHECK(r.report.verdict == Verdict::Incomplete);
  CHECK(r.report.cut == Cut::MaxStates);
  o.max_states = 0;
  o.max_depth = 3;
  CHECK(agree::check(p, o).report.verdict == Verdict::Incomplete);
  Options exact = liveness_options(Fairness::Weak);
  exact.threads = 2;
  exact.exact = true;
  exact.packed = false;
  CHECK(agree::check(p, exact).report.store.find("one thread") != std::string::npos);
}
