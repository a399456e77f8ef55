// Packed states (model::Packable, model::PackedSuccessors, checker/codec.hpp):
// the packing is a bijection on reachable states, the word-level successor
// function is the structured one, step for step, and the search gives the
// same counts, verdicts and counterexamples packed or not.
#include <catch2/catch.hpp>

#include <deque>
#include <set>

#include "agree/checker/codec.hpp"
#include "agree/checker/explorer.hpp"
#include "agree/model/twophase.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::twophase::State;
using model::twophase::TwoPhase;
using V = TwoPhase::Variant;

namespace {

// Every reachable state of p, by the structured functions.
std::vector<State> reachable(const TwoPhase& p) {
  std::set<std::uint64_t> seen;
  std::vector<State> out;
  std::deque<State> todo;
  for (const auto& s : p.init_states()) {
    seen.insert(p.pack(s));
    todo.push_back(s);
  }
  std::vector<TwoPhase::Action> as;
  while (!todo.empty()) {
    const State s = todo.front();
    todo.pop_front();
    out.push_back(s);
    as.clear();
    p.actions(s, as);
    for (const auto& a : as)
      if (auto t = p.next_state(s, a); t && seen.insert(p.pack(*t)).second) todo.push_back(*t);
  }
  return out;
}

checker::Report run(const TwoPhase& p, bool packed, const std::string& reduce = "none", unsigned threads = 1) {
  checker::Options o;
  o.packed = packed;
  o.reduce = checker::parse_reduce(reduce);
  o.threads = threads;
  return checker::check(p, o);
}

}  // namespace

TEST_CASE("packed: twophase packs every reachable state into one word, and back", "[packed][twophase]") {
  for (const int k : {1, 2, 3, 4, 5}) {
    const TwoPhase p(k, V::Correct);
    REQUIRE(p.packed_bits() == 4 * k + 4);
    std::set<std::uint64_t> words;
    for (const auto& s : reachable(p)) {
      const std::uint64_t w = p.pack(s);
      CHECK(w >> p.packed_bits() == 0);
      CHECK(p.unpack(w) == s);
      words.insert(w);
    }
    CHECK(words.size() == std::vector<std::uint64_t>{12, 56, 288, 1568, 8832}[static_cast<std::size_t>(k - 1)]);
  }
  CHECK(TwoPhase(14, V::Correct).packed_bits() == 60);
  CHECK(TwoPhase(15, V::Correct).packed_bits() == 0);  // 64 bits: not packed, the encoding is used
}

TEST_CASE("packed: twophase's word-level successors are actions() and next_state(), step for step", "[packed][twophase]") {
  for (const V v : {V::Correct, V::EagerCommit})
    for (const int k : {1, 2, 3, 4}) {
      const TwoPhase p(k, v);
      std::vector<TwoPhase::Action> as;
      std::vector<model::PackedStep> steps;
      for (const auto& s : reachable(p)) {
        as.clear();
        p.actions(s, as);
        steps.clear();
        p.packed_successors(p.pack(s), steps);
        REQUIRE(steps.size() == as.size());
        for (std::size_t i = 0; i < as.size(); ++i) {
          INFO("rms " << k << ", action " << p.format_action(as[i]));
          CHECK(steps[i].kind == TwoPhase::kind_of(as[i]));
          CHECK(steps[i].group == p.fairness_group(as[i]));  // what lets the liveness check step on the word
          const auto t = p.next_state(s, as[i]);
          CHECK(steps[i].self_loop == !t.has_value());
          if (t) CHECK(steps[i].next == p.pack(*t));
        }
      }
    }
}

TEST_CASE("packed: the packed key is a bijection, never the empty slot", "[packed]") {
  std::set<checker::Fingerprint> keys;
  for (std::uint64_t w = 0; w < 100000; ++w) {
    const auto k = checker::packed_key(w);
    CHECK(k != 0);
    keys.insert(k);
  }
  CHECK(keys.size() == 100000);
  CHECK(checker::packed_key((std::uint64_t{1} << 63) - 1) != 0);
}

TEST_CASE("packed: a word no state packs to is refused, as a damaged checkpoint's would be", "[packed]") {
  const TwoPhase p(3, V::Correct);
  const checker::PackedCodec<TwoPhase> codec(p);
  auto bytes = [](const std::uint64_t& w) { return std::string_view(reinterpret_cast<const char*>(&w), sizeof w); };
  const std::uint64_t good = p.pack(p.init_states().front());
  CHECK(codec.valid(bytes(good)));
  const std::uint64_t tm3 = good | std::uint64_t{3} << 6;  // tmState 3: no such state
  CHECK_FALSE(codec.valid(bytes(tm3)));
  const std::uint64_t high = good | std::uint64_t{1} << 40;  // beyond the 16 bits rms=3 uses
  CHECK_FALSE(codec.valid(bytes(high)));
  CHECK_FALSE(codec.valid(bytes(good).substr(0, 4)));
}

TEST_CASE("packed: the search counts and decides the same packed or not, on 1 and 2 threads", "[packed][twophase][parallel]") {
  for (const V v : {V::Correct, V::EagerCommit})
    for (const int k : {1, 2, 3, 4, 5, 6})
      for (const std::string reduce : {"none", "symmetry"}) {
        const TwoPhase p(k, v);
        const auto plain = run(p, false, reduce);
        INFO("rms " << k << " reduce " << reduce << (v == V::Correct ? " correct" : " eager-commit"));
        CHECK(plain.store == "fingerprints (64-bit)");
        for (const unsigned threads : {1u, 2u}) {
          const auto packed = run(p, true, reduce, threads);
          CHECK(packed.store == "packed (64-bit words, exact)");
          CHECK(packed.exact);
          CHECK(packed.verdict == plain.verdict);
          // A violation stops the search where a thread found it: with 2 threads the figures then vary.
          if (threads > 1 && plain.verdict != checker::Verdict::Holds) continue;
          CHECK(packed.distinct_states == plain.distinct_states);
          CHECK(packed.transitions == plain.transitions);
          CHECK(packed.depth == plain.depth);
          CHECK(packed.fired == plain.fired);
          REQUIRE(packed.violations.size() == plain.violations.size());
          for (std::size_t i = 0; i < packed.violations.size(); ++i)
            CHECK(packed.violations[i].path.actions.size() == plain.violations[i].path.actions.size());
        }
      }
}
