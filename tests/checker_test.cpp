// The explorer on toy graphs whose answers are known by inspection.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>
#include <vector>

#include "agree/checker/explorer.hpp"
#include "agree/counterexamples/replay.hpp"
#include "toy_models.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using checker::Options;
using checker::Search;
using checker::Verdict;

namespace {
Options bfs_only(std::vector<std::string> props = {}) {
  Options o;
  o.properties = std::move(props);
  return o;
}
}  // namespace

TEST_CASE("checker: a safe graph holds and every node is counted", "[checker][bfs]") {
  // 0 -> 1 -> 2, 0 -> 2; bad node 9 unreachable
  const toy::Graph g({0}, {{0, 1}, {1, 2}, {0, 2}}, 9);
  const auto r = checker::check(g, bfs_only());
  CHECK(r.verdict == Verdict::Holds);
  CHECK(r.distinct_states == 3);
  CHECK(r.transitions == 3);
  CHECK(r.depth == 1);  // node 2 is reached in one step from 0
  CHECK(r.terminal_states == 1);
  REQUIRE(r.reachability.size() == 1);
  CHECK_FALSE(r.reachability[0].reached);
}

TEST_CASE("checker: bfs finds the shortest path to a bad node", "[checker][bfs]") {
  // long way 0->1->2->3->4(bad), short way 0->5->4
  const toy::Graph g({0}, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 5}, {5, 4}}, 4);
  const auto r = checker::check(g, bfs_only());
  REQUIRE(r.verdict == Verdict::Violated);
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].property == "never-bad");
  CHECK(r.violations[0].path.encode() == "0/1/0");  // init 0, second edge (to 5), then 5's only edge
  const auto steps = counterexamples::rebuild(g, r.violations[0].path);
  CHECK(steps.back().state.node == 4);
  CHECK(steps.size() == 3);
}

TEST_CASE("checker: dfs finds a violation too, not necessarily the shortest", "[checker][dfs]") {
  const toy::Graph g({0}, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 5}, {5, 4}}, 4);
  Options o;
  o.search = Search::Dfs;
  const auto r = checker::check(g, o);
  REQUIRE(r.verdict == Verdict::Violated);
  const auto steps = counterexamples::rebuild(g, r.violations[0].path);
  CHECK(steps.back().state.node == 4);
  CHECK(steps.size() == 5);  // dfs takes the first edge first: 0 1 2 3 4
}

TEST_CASE("checker: terminal-state properties are judged only where nothing is enabled", "[checker]") {
  // 0 -> 1 (terminal, not done), 0 -> 2 (terminal, done)
  const toy::Graph bad_end({0}, {{0, 1}, {0, 2}}, 9, 2);
  auto r = checker::check(bad_end, bfs_only());
  REQUIRE(r.verdict == Verdict::Violated);
  CHECK(r.violations[0].property == "ends-done");
  CHECK(r.violations[0].path.encode() == "0/0");
  // With a self-loop at 1, node 1 is no longer terminal.
  const toy::Graph looping({0}, {{0, 1}, {0, 2}}, 9, 2, {1});
  r = checker::check(looping, bfs_only());
  CHECK(r.verdict == Verdict::Holds);
  CHECK(r.distinct_states == 3);
  CHECK(r.transitions == 3);  // the self-loop fired once and added no state
}

TEST_CASE("checker: limits make a run incomplete, never holds", "[checker][limits]") {
  const toy::Graph chain({0}, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}}, 99);
  Options o;
  o.max_states = 3;
  auto r = checker::check(chain, o);
  CHECK(r.verdict == Verdict::Incomplete);
  CHECK(r.cut == checker::Cut::MaxStates);
  o = Options{};
  o.max_depth = 2;
  r = checker::check(chain, o);
  CHECK(r.verdict == Verdict::Incomplete);
  CHECK(r.cut == checker::Cut::MaxDepth);
  o.search = Search::Dfs;
  r = checker::check(chain, o);
  CHECK(r.verdict == Verdict::Incomplete);
  std::atomic<bool> stop{true};
  o = Options{};
  o.interrupt = &stop;
  // Interruption is polled every 1024 states: a 5000-node chain sees it.
  std::multimap<int, int> long_chain;
  for (int i = 0; i < 5000; ++i) long_chain.emplace(i, i + 1);
  r = checker::check(toy::Graph({0}, long_chain, -1), o);
  CHECK(r.verdict == Verdict::Incomplete);
  CHECK(r.cut == checker::Cut::Interrupted);
}

TEST_CASE("checker: several initial states; revisits are not new states", "[checker]") {
  const toy::Graph g({0, 1, 0}, {{0, 2}, {1, 2}, {2, 0}}, 9);
  const auto r = checker::check(g, bfs_only());
  CHECK(r.verdict == Verdict::Holds);
  CHECK(r.distinct_states == 3);
}

TEST_CASE("checker: keep-going records one violation per property", "[checker]") {
  const toy::Graph g({0}, {{0, 1}, {0, 2}}, 2, 2);  // 1: terminal not done; 2: bad
  Options o;
  o.keep_going = true;
  const auto r = checker::check(g, o);
  CHECK(r.verdict == Verdict::Violated);
  CHECK(r.violations.size() == 2);
}

TEST_CASE("checker: an unknown property name is refused", "[checker]") {
  const toy::Graph g({0}, {}, 9);
  CHECK_THROWS_AS(checker::check(g, bfs_only({"no-such"})), std::invalid_argument);
}

TEST_CASE("checker: the fingerprint store and the exact store agree", "[checker][store]") {
  std::multimap<int, int> edges;
  for (int i = 0; i < 3000; ++i) {
    edges.emplace(i, (i * 7 + 3) % 3000);
    edges.emplace(i, (i * 11 + 5) % 3000);
  }
  const toy::Graph g({0}, edges, -1);
  Options o;
  const auto fp = checker::check(g, o);
  o.exact = true;
  const auto ex = checker::check(g, o);
  CHECK(fp.distinct_states == ex.distinct_states);
  CHECK(ex.collisions == 0);
}

TEST_CASE("checker: the fingerprint set grows and keeps every key", "[checker][store]") {
  checker::FingerprintSet set(4);
  for (std::uint64_t i = 1; i <= 100000; ++i) REQUIRE(set.insert(i * 0x9e3779b97f4a7c15ULL));
  for (std::uint64_t i = 1; i <= 100000; ++i) REQUIRE_FALSE(set.insert(i * 0x9e3779b97f4a7c15ULL));
  CHECK(set.size() == 100000);
  CHECK_FALSE(set.contains(12345));
}

TEST_CASE("checker: the level's chunks are each taken once, a worker's own share in order", "[checker][parallel]") {
  SECTION("one worker takes 0, 1, 2, ... in order") {
    checker::detail::Shares shares(100, 1);
    for (std::uint64_t v = 0; v < 100; ++v) REQUIRE(shares.take(0) == v);
    CHECK(shares.take(0) == checker::detail::Shares::kNone);
    CHECK(shares.left().empty());
  }
  SECTION("a worker takes its own share from the front, then the back of the largest other") {
    checker::detail::Shares shares(10, 2);  // shares 0..4 and 5..9
    CHECK(shares.take(1) == 5);
    CHECK(shares.take(0) == 0);
    CHECK(shares.left() == std::vector<std::uint64_t>{1, 2, 3, 4, 6, 7, 8, 9});
    CHECK(shares.count_left() == 8);
    for (std::uint64_t v : {6, 7, 8, 9}) REQUIRE(shares.take(1) == v);
    CHECK(shares.take(1) == 4);  // stolen from worker 0's back
    CHECK(shares.take(0) == 1);
    CHECK(shares.left() == std::vector<std::uint64_t>{2, 3});
  }
  SECTION("several workers at once take every item exactly once") {
    for (const unsigned workers : {2u, 3u, 5u}) {
      constexpr std::uint64_t kItems = 200'000;
      checker::detail::Shares shares(kItems, workers);
      std::vector<std::vector<std::uint64_t>> taken(workers);
      std::vector<std::thread> pool;
      for (unsigned w = 0; w < workers; ++w)
        pool.emplace_back([&, w] {
          for (std::uint64_t v; (v = shares.take(w)) != checker::detail::Shares::kNone;) taken[w].push_back(v);
        });
      for (auto& t : pool) t.join();
      std::vector<std::uint64_t> all;
      for (const auto& t : taken) all.insert(all.end(), t.begin(), t.end());
      std::sort(all.begin(), all.end());
      REQUIRE(all.size() == kItems);
      for (std::uint64_t v = 0; v < kItems; ++v) REQUIRE(all[v] == v);
    }
  }
}
