// tests/liveness_test.cpp — the liveness check (checker/liveness.hpp) on toy
// graphs, against answers known by inspection and a brute-force search written
// here on its own. The built-in models' liveness: liveness_models_test.cpp and
// liveness_termination_test.cpp (files of their own, so that a build compiles
// them side by side).
#include <catch2/catch.hpp>

#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "agree/agree.hpp"
#include "liveness_util.hpp"

using namespace agree;
using namespace liveness_util;

namespace {

// A graph given edge by edge; each edge has a fairness group. An edge to its
// own source is a self-loop (next_state returns nullopt). `goal` is where
// `reach` (eventually) holds and `answer` (the Q of leads-to) holds; `ask`
// is leads-to's P.
struct Node {
  int n = 0;
  bool operator==(const Node&) const = default;
  auto fields() const { return std::tie(n); }
};
struct Edge {
  int from, to;
  std::uint32_t group;
};
struct Take {
  int k;  // index into the edge list
  bool operator==(const Take&) const = default;
};

struct Lasso {
  using State = Node;
  using Action = Take;
  static constexpr std::string_view kName = "lasso-toy";
  std::vector<Edge> edges;
  std::set<int> goal, ask;
  std::uint32_t groups = 1;

  std::vector<State> init_states() const { return {{0}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    for (int k = 0; k < static_cast<int>(edges.size()); ++k)
      if (edges[static_cast<std::size_t>(k)].from == s.n) out.push_back({k});
  }
  std::optional<State> next_state(const State& s, const Action& a) const {
    const int to = edges[static_cast<std::size_t>(a.k)].to;
    if (to == s.n) return std::nullopt;
    return State{to};
  }
  std::string format_action(const Action& a) const {
    const auto& e = edges[static_cast<std::size_t>(a.k)];
    return "e" + std::to_string(a.k) + "(" + std::to_string(e.from) + "->" + std::to_string(e.to) + ")";
  }
  std::uint32_t fairness_group(const Action& a) const { return edges[static_cast<std::size_t>(a.k)].group; }
  std::string fairness_group_name(std::uint32_t g) const { return "g" + std::to_string(g); }
  std::vector<properties::Property<State>> properties() const {
    auto in = [](std::set<int> s) { return [s](const State& x) { return s.count(x.n) > 0; }; };
    return {properties::eventually<State>("reach", in(goal)), properties::leads_to<State>("answer", in(ask), in(goal))};
  }
};

// --- the brute force: every closed walk up to a length, judged by the definitions ---

bool fair_walk(const Lasso& m, const std::vector<int>& walk_edges, Fairness f) {
  if (f == Fairness::None) return true;
  std::set<std::uint32_t> taken;
  for (const int k : walk_edges) taken.insert(m.edges[static_cast<std::size_t>(k)].group);
  std::vector<std::set<std::uint32_t>> enabled;  // at each state of the walk
  for (const int k : walk_edges) {
    std::set<std::uint32_t> here;
    for (const auto& e : m.edges)
      if (e.from == m.edges[static_cast<std::size_t>(k)].from) here.insert(e.group);
    enabled.push_back(here);
  }
  for (std::uint32_t g = 0; g < m.groups; ++g) {
    if (taken.count(g)) continue;
    std::size_t count = 0;
    for (const auto& e : enabled) count += e.count(g);
    if (f == Fairness::Weak && count == enabled.size()) return false;
    if (f == Fairness::Strong && count > 0) return false;
  }
  return true;
}

// Is there a run, inside the node set `pending`, that ends in a terminal node
// or goes round a fair closed walk of at most `max_len` edges?
bool brute_force_violated(const Lasso& m, const std::set<int>& pending, Fairness f, std::size_t max_len) {
  for (const int s : pending) {
    bool any = false;
    for (const auto& e : m.edges) any = any || e.from == s;
    if (!any) return true;  // terminal
  }
  std::vector<int> walk;
  std::function<bool(int, int)> dfs = [&](int start, int at) {
    for (int k = 0; k < static_cast<int>(m.edges.size()); ++k) {
      const auto& e = m.edges[static_cast<std::size_t>(k)];
      if (e.from != at || !pending.count(e.to)) continue;
      walk.push_back(k);
      if (e.to == start && fair_walk(m, walk, f)) return true;
      if (walk.size() < max_len && dfs(start, e.to)) return true;
      walk.pop_back();
    }
    return false;
  };
  for (const int s : pending) {
    walk.clear();
    if (dfs(s, s)) return true;
  }
  return false;
}

// The nodes reachable from `from` through nodes outside `goal` (from included when outside it).
std::set<int> reach_avoiding(const Lasso& m, std::vector<int> from, const std::set<int>& goal) {
  std::set<int> seen;
  while (!from.empty()) {
    const int u = from.back();
    from.pop_back();
    if (goal.count(u) || !seen.insert(u).second) continue;
    for (const auto& e : m.edges)
      if (e.from == u) from.push_back(e.to);
  }
  return seen;
}

// The nodes where "answer" (ask ~> goal) is pending: reachable through nodes
// outside goal from a reachable node in ask and not in goal.
std::set<int> leads_to_pending_of(const Lasso& m) {
  std::vector<int> triggers;
  for (const int u : reach_avoiding(m, {0}, {}))
    if (m.ask.count(u) && !m.goal.count(u)) triggers.push_back(u);
  return reach_avoiding(m, triggers, m.goal);
}

Lasso random_lasso(std::mt19937& rng) {
  Lasso m;
  const int n = 2 + static_cast<int>(rng() % 3);
  m.groups = 1 + static_cast<std::uint32_t>(rng() % 3);
  for (int u = 0; u < n; ++u) {
    const int out = static_cast<int>(rng() % 3);  // 0, 1 or 2 edges
    for (int k = 0; k < out; ++k)
      m.edges.push_back({u, static_cast<int>(rng() % static_cast<unsigned>(n)), static_cast<std::uint32_t>(rng() % m.groups)});
    if (rng() % 3 == 0) m.goal.insert(u);
    if (rng() % 2 == 0) m.ask.insert(u);
  }
  return m;
}

}  // namespace

TEST_CASE("liveness: a self-loop is a lasso without fairness, and unfair under weak fairness when another group waits") {
  // 0 -> 0 (g0, a self-loop), 0 -> 1 (g1); the goal is 1.
  Lasso m;
  m.edges = {{0, 0, 0}, {0, 1, 1}};
  m.groups = 2;
  m.goal = {1};
  const Result none = agree::check(m, liveness_options(Fairness::None));
  CHECK(violated(none, "reach"));
  require_traces_replay(m, none);
  REQUIRE(!none.traces.empty());
  CHECK(none.traces.front().cycle == std::optional<std::size_t>{0});  // the initial state loops on itself
  CHECK(none.traces.front().steps == std::vector<std::string>{"e0(0->0)"});
  CHECK_FALSE(violated(agree::check(m, liveness_options(Fairness::Weak)), "reach"));  // g1 enabled throughout, never taken
  CHECK_FALSE(violated(agree::check(m, liveness_options(Fairness::Strong)), "reach"));
}

TEST_CASE("liveness: a cycle fair only under weak fairness, not strong") {
  // 0 <-> 1 in g0; at 1 (only) g1 leads to the goal 2. g1 is enabled infinitely
  // often but not continuously: weak fairness lets the cycle go round, strong does not.
  Lasso m;
  m.edges = {{0, 1, 0}, {1, 0, 0}, {1, 2, 1}};
  m.groups = 2;
  m.goal = {2};
  CHECK(violated(agree::check(m, liveness_options(Fairness::None)), "reach"));
  const Result weak = agree::check(m, liveness_options(Fairness::Weak));
  CHECK(violated(weak, "reach"));
  require_traces_replay(m, weak);
  CHECK_FALSE(violated(agree::check(m, liveness_options(Fairness::Strong)), "reach"));
}

TEST_CASE("liveness: two SCCs, the first unfair and the second fair; Emerson-Lei finds a fair part inside an unfair SCC") {
  // SCC A = {0, 1}: 0 <-> 1 in g0, and g2 leaves A from 0 towards the goal... no:
  // from 1 the edge 1 -> 2 (g1) leads to SCC B = {2, 3}: 2 <-> 3 in g0, with g2
  // enabled at 3 only (3 -> 4, the goal). Under strong fairness B is unfair as a
  // whole (g2 enabled at 3, never taken inside), but the refinement drops 3 and
  // leaves {2} with its self-loop 2 -> 2 (g0): fair, so the goal can be avoided.
  Lasso m;
  m.edges = {{0, 1, 0}, {1, 0, 0}, {1, 2, 1}, {2, 3, 0}, {3, 2, 0}, {3, 4, 2}, {2, 2, 0}};
  m.groups = 3;
  m.goal = {4};
  const Result strong = agree::check(m, liveness_options(Fairness::Strong));
  REQUIRE(violated(strong, "reach"));
  require_traces_replay(m, strong);
  // The cycle stays on node 2: its one step is the self-loop.
  const auto& t = strong.traces.front();
  REQUIRE(t.cycle);
  CHECK(std::vector<std::string>(t.steps.begin() + static_cast<long>(*t.cycle), t.steps.end()) ==
        std::vector<std::string>{"e6(2->2)"});
  // Without the self-loop, the refinement leaves nothing: the goal is reached.
  m.edges.pop_back();
  CHECK_FALSE(violated(agree::check(m, liveness_options(Fairness::Strong)), "reach"));
}

TEST_CASE("liveness: a run that ends in a terminal state short of the goal violates eventually; leads-to needs its trigger") {
  Lasso m;
  m.edges = {{0, 1, 0}, {0, 2, 0}};
  m.goal = {2};
  m.ask = {1};
  const Result r = agree::check(m, liveness_options(Fairness::Weak));
  CHECK(violated(r, "reach"));   // 0 -> 1 ends at 1
  CHECK(violated(r, "answer"));  // 1 asks and is terminal
  require_traces_replay(m, r);
  for (const auto& t : r.traces) CHECK_FALSE(t.cycle);  // finite runs: trace format 1
  m.ask = {0};                                          // 0 asks, and 0 -> 1 never answers
  CHECK(violated(agree::check(m, liveness_options(Fairness::Weak)), "answer"));
  m.ask = {2};                                          // the goal asks: answered at once
  CHECK_FALSE(violated(agree::check(m, liveness_options(Fairness::Weak)), "answer"));
}

TEST_CASE("liveness: verdicts agree with a brute-force search of closed walks on random small graphs") {
  std::mt19937 rng(20261201);
  int checked = 0, found = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const Lasso m = random_lasso(rng);
    const std::size_t max_len = 4 * (m.groups + 1);  // enough to visit every group's edge on graphs of <= 4 nodes
    const std::set<int> eventually_pending = reach_avoiding(m, {0}, m.goal), leads_to_pending = leads_to_pending_of(m);
    for (const Fairness f : {Fairness::None, Fairness::Weak, Fairness::Strong}) {
      const Result r = agree::check(m, liveness_options(f));
      INFO("trial " << trial << " fairness " << checker::to_string(f));
      CHECK(violated(r, "reach") == brute_force_violated(m, eventually_pending, f, max_len));
      CHECK(violated(r, "answer") == brute_force_violated(m, leads_to_pending, f, max_len));
      require_traces_replay(m, r);
      found += static_cast<int>(r.report.violations.size());
      ++checked;
    }
  }
  CHECK(checked == 1200);
  CHECK(found > 100);  // the sample holds violations as well as properties that hold
}

// --- the layered pass (checker/live_levels.hpp) ---

namespace {

// A random graph in levels: node 0, then `levels` levels of 1-3 nodes; each
// node has 0-2 edges into the next level and maybe a self-loop or two. With
// `breaks`, a few edges go back, sideways or two levels down instead, so the
// graph is not layered (and may have cycles that are not self-loops).
Lasso random_layered(std::mt19937& rng, bool breaks) {
  Lasso m;
  m.groups = 1 + static_cast<std::uint32_t>(rng() % 3);
  std::vector<std::vector<int>> level{{0}};
  int n = 1;
  const int levels = 2 + static_cast<int>(rng() % 4);
  for (int d = 1; d <= levels; ++d) {
    level.emplace_back();
    for (int k = 0, w = 1 + static_cast<int>(rng() % 3); k < w; ++k) level.back().push_back(n++);
  }
  auto group = [&] { return static_cast<std::uint32_t>(rng() % m.groups); };
  auto pick = [&](const std::vector<int>& of) { return of[rng() % of.size()]; };
  for (std::size_t d = 0; d < level.size(); ++d)
    for (const int u : level[d]) {
      if (d + 1 < level.size())
        for (int k = 0, out = static_cast<int>(rng() % 3); k < out; ++k) m.edges.push_back({u, pick(level[d + 1]), group()});
      for (int k = 0, loops = static_cast<int>(rng() % 4) / 2; k < loops; ++k) m.edges.push_back({u, u, group()});
      if (breaks && rng() % 4 == 0) {
        const std::size_t to = rng() % 2 ? rng() % (d + 1) : std::min(d + 2, level.size() - 1);
        m.edges.push_back({u, pick(level[to]), group()});
      }
      if (rng() % 3 == 0) m.goal.insert(u);
      if (rng() % 2 == 0) m.ask.insert(u);
    }
  return m;
}

}  // namespace

TEST_CASE("liveness: the layered pass judges layered graphs as the brute force does, and gives the rest to the graph search") {
  std::mt19937 rng(20261207);
  int layered_runs = 0, holds_layered = 0, gave_up = 0, found = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const bool breaks = trial % 2 == 1;
    const Lasso m = random_layered(rng, breaks);
    const std::set<int> eventually_pending = reach_avoiding(m, {0}, m.goal), leads_to_pending = leads_to_pending_of(m);
    for (const Fairness f : {Fairness::None, Fairness::Weak, Fairness::Strong}) {
      // One thread: the pass over the graph level by level; two: the pass without a graph (live_pass.hpp).
      const unsigned threads = 1 + static_cast<unsigned>(trial / 2 % 2);
      INFO("trial " << trial << " breaks " << breaks << " fairness " << checker::to_string(f) << " threads " << threads);
      Options o = liveness_options(f);
      o.threads = threads;
      const Result r = agree::check(m, o);
      const Report g = checker::detail::liveness_graph_search(m, o);  // the whole graph, no layered pass
      CHECK(violated(r, "reach") == violated(g, "reach"));
      CHECK(violated(r, "answer") == violated(g, "answer"));
      CHECK(r.report.distinct_states == g.distinct_states);
      CHECK(r.report.transitions == g.transitions);
      CHECK(r.report.violations.size() == g.violations.size());
      require_traces_replay(m, r);
      const bool by_levels = r.report.store.rfind("layered graph", 0) == 0;
      if (!breaks) {  // layered: every cycle is a self-loop, so walks of `groups` steps show every fair one
        CHECK(violated(r, "reach") == brute_force_violated(m, eventually_pending, f, m.groups));
        CHECK(violated(r, "answer") == brute_force_violated(m, leads_to_pending, f, m.groups));
        CHECK(by_levels == r.report.violations.empty());  // the pass gives up only to build a lasso
        ++layered_runs;
        holds_layered += by_levels;
      }
      if (!by_levels) {
        CHECK(r.report.store.find("after a layered pass that gave up") != std::string::npos);
        ++gave_up;
      }
      found += static_cast<int>(r.report.violations.size());
    }
  }
  CHECK(layered_runs == 900);
  CHECK(holds_layered > 100);  // the sample holds properties judged by the pass alone,
  CHECK(gave_up > 300);        // and runs it hands to the graph search
  CHECK(found > 100);
}
