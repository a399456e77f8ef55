// checker/liveness.hpp — the liveness check: eventually and leads-to
// properties under fairness, with lassos for counterexamples.
//
// The search builds the whole state graph breadth-first (live_graph.hpp),
// checking the safety properties on the way exactly as bfs.hpp does (the same
// monitor, the same counts: distinct states, transitions, depth, terminal
// states), then judges each liveness property on the graph:
//
//   eventually(P): a counterexample is a run on which P never holds. Its
//     states lie in the subgraph R of states reachable from an initial state
//     through states where P is false.
//   P ~> Q (leads-to): a run that reaches a state where P holds and Q does
//     not, and where Q never holds from then on. R: the states reachable
//     through states where Q is false from a state where P holds and Q not.
//
// In both cases the run is a counterexample iff, once inside R, it stays in R
// and either ends in a terminal state or goes round a cycle of R that is fair
// (fair_scc.hpp: Tarjan's SCCs with the fairness check, the Emerson–Lei
// refinement for strong fairness). So: the fair components of R and its
// terminal states are the targets; a breadth-first search from the initial
// states (for leads-to, over the graph with a second copy of R, entered at a
// state where P holds and Q not) finds the shortest stem to one; a fair cycle
// through the state reached closes the lasso. The stem is the shortest to any
// state on a fair cycle; the cycle is short, not always the shortest.
//
// First, a pass that keeps no graph (live_levels.hpp): while every step but
// a self-loop goes from one breadth-first level to the next, as in all the
// built-in models but abp and tokenring, each level is judged as it is built
// and its edges dropped, so a property that holds costs about a safety
// search (and the memory of a level's nodes goes back once the level is
// judged). The pass gives up at the first step that breaks the layering, at
// the first state that would end a lasso, and at a safety violation; the
// search above then runs from the start, and its graph gives every lasso
// and path reported. On --threads K > 1 the pass keeps no graph at all
// (live_pass.hpp: the safety search's loop, with the pending bits in the
// visited table), so it scales as the safety search does.
//
// Exact where the graph is: with --exact (or a packed state) no two states
// share a node; with fingerprints, two states that share one merge, as in the
// safety search (the report gives the collision estimate). A search cut short
// (a limit, an interrupt) still reports every lasso it found — each is a real
// run: its cycle's states were all expanded — but cannot say a liveness
// property holds.
//
// Reductions: none. The partial-order reduction needs the cycle proviso and a
// stutter-invariant property, symmetry needs properties and fairness groups
// that are symmetric; the check refuses both (checker/explorer.hpp) rather
// than run them unsoundly. Threads: the layered pass runs on --threads K
// (live_pass.hpp); the graph is built on --threads K
// (live_build.hpp: the same graph whatever K is, up to the numbering of the
// states inside a level, so the same verdicts and counts, and lassos with
// the same stem length); the SCC decomposition after it is linear in the
// graph and runs on one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "agree/checker/codec.hpp"
#include "agree/checker/fair_scc.hpp"
#include "agree/checker/live_build.hpp"
#include "agree/checker/live_graph.hpp"
#include "agree/checker/live_levels.hpp"
#include "agree/checker/live_pass.hpp"
#include "agree/checker/search_common.hpp"

namespace agree::checker {

// Does this run check liveness properties? (--liveness, or --property names one.)
template <model::Protocol P>
bool wants_liveness(const P& p, const Options& o) {
  for (const auto& prop : p.properties()) {
    if (!properties::is_liveness(prop.expectation)) continue;
    if (o.liveness && o.properties.empty()) return true;
    for (const auto& n : o.properties)
      if (n == prop.name) return true;
  }
  return false;
}

namespace detail {

template <model::Protocol P, class Codec>
class LivenessSearch {
  using State = typename P::State;
  using Action = typename P::Action;
  using Prop = properties::Property<State>;

 public:
  // `layered`: the pass of live_levels.hpp; `spent`: seconds already spent on
  // one (they count against --time-limit).
  LivenessSearch(const P& p, const Options& o, bool layered, double spent = 0)
      : p_(p), o_(o), fairness_(o.fairness.value_or(model::default_fairness_of<P>())), budget_(o, 1, spent),
        monitor_(p.properties(), o, r_), builder_(p, o, r_, budget_, g_, monitor_, live_), spent_(spent) {
    for (auto& prop : p.properties()) {
      if (!properties::is_liveness(prop.expectation)) continue;
      bool wanted = o.properties.empty();
      for (const auto& n : o.properties) wanted = wanted || n == prop.name;
      if (!wanted) continue;
      r_.checked.push_back(prop.name);
      live_.push_back(std::move(prop));
    }
    if (live_.size() > 31) throw std::invalid_argument("liveness: at most 31 eventually and leads-to properties a run");
    if (layered) {
      std::vector<bool> leads_to;
      for (const auto& prop : live_) leads_to.push_back(prop.expectation == properties::Expectation::LeadsTo);
      layered_.emplace(std::move(leads_to), fairness_);
      if (builder_.threads() > 1) pass_.emplace(p, o, r_, budget_, monitor_, live_, *layered_, builder_.threads());
      else builder_.judge_levels(&*layered_);
    }
  }

  // The report; nullopt when the layered pass gave up.
  std::optional<Report> run() {
    r_.fired = zero_fired<P>();
    r_.exact = o_.exact || Codec::kExactKeys;
    if (pass_) {  // K threads: the pass without a graph (live_pass.hpp)
      if (!pass_->run()) return std::nullopt;
      threads_ = builder_.threads();
      return report(pass_->groups(), pass_->bytes());
    }
    build();
    if (layered_ && (layered_->gave_up() || monitor_.found())) return std::nullopt;
    r_.distinct_states = g_.nodes();
    r_.transitions = g_.edges();
    if (!layered_ && !monitor_.stopped()) judge();
    using Found = typename Monitor<State, std::uint32_t>::Found;  // K threads may find several: the first state's
    const auto chosen = monitor_.chosen([&](const Found& x, const Found& y) { return threads_ > 1 && x.where < y.where; });
    for (const auto& f : chosen) r_.violations.insert(r_.violations.begin() + static_cast<long>(safety_count_++),
                                                                  {monitor_.name(f.slot), path_to(f.where)});
    return report(g_.group_names.size(), g_.bytes() + builder_.bytes() + (layered_ ? layered_->bytes() : 0));
  }

  [[nodiscard]] double seconds() const { return budget_.seconds(); }

 private:
  // The report's common part: `groups` fairness groups met, `bytes` held.
  Report report(std::size_t groups, std::uint64_t bytes) {
    monitor_.report(r_);
    const std::string threads = threads_ == 1 ? std::string("one thread") : std::to_string(threads_) + " threads";
    const std::string fairness = "fairness " + to_string(fairness_) + " over " + std::to_string(groups) + " groups";
    if (layered_) {
      r_.store = "layered graph for liveness (" + threads + "): " + std::to_string(r_.transitions) + " edges judged level by level, " + fairness;
    } else {
      r_.store = "state graph for liveness (" + threads + "): " + std::to_string(g_.edges()) + " edges, " + fairness;
      if (spent_ > 0) r_.store += " (after a layered pass that gave up, " + std::to_string(static_cast<int>(spent_ * 1000)) + " ms)";
    }
    r_.store_bytes = bytes;
    r_.collisions = builder_.collisions();
    r_.seconds = budget_.seconds();
    r_.peak_rss_bytes = budget_.peak_rss();
    r_.verdict = final_verdict(r_);
    return std::move(r_);
  }

  // The graph, breadth-first; the safety properties on the way (live_build.hpp).
  void build() {
    builder_.build();
    threads_ = builder_.threads();
  }

  // Each liveness property: its pending subgraph, its fair components, a lasso.
  void judge() {
    const std::uint32_t n = g_.nodes();
    for (std::size_t i = 0; i < live_.size(); ++i) {
      const bool leads_to = live_[i].expectation == properties::Expectation::LeadsTo;
      std::vector<char> in(n, 0);
      std::vector<std::uint32_t> queue;
      auto seed = [&](std::uint32_t u) {
        if (!in[u] && !g_.holds(u, i)) in[u] = 1, queue.push_back(u);
      };
      if (leads_to) {
        for (std::uint32_t u = 0; u < n; ++u)
          if (g_.trigger(u, i)) seed(u);
      } else {
        for (const auto u : g_.inits) seed(u);
      }
      for (std::size_t h = 0; h < queue.size(); ++h)
        for (auto e = g_.begin(queue[h]); e < g_.end(queue[h]); ++e) seed(g_.target[e]);
      const FairComponents fc = FairSccSearch(g_, fairness_).run(in);
      if (auto path = lasso(i, leads_to, in, fc)) {
        r_.violations.push_back({live_[i].name, std::move(*path)});
        if (!o_.keep_going) return;
      }
    }
  }

  // The shortest stem to a fair cycle or a terminal state of R, and the cycle.
  std::optional<Path> lasso(std::size_t i, bool leads_to, const std::vector<char>& in, const FairComponents& fc) {
    const std::uint32_t n = g_.nodes();
    auto target = [&](std::uint32_t u) { return in[u] && (fc.comp[u] != kNoNode || g_.terminal(u)); };
    if (fc.count == 0) {  // no fair cycle: a terminal state of R, or the property holds and no search is needed
      bool any = false;
      for (std::uint32_t u = 0; u < n && !any; ++u) any = target(u);
      if (!any) return std::nullopt;
    }
    // Product nodes: u (outside R's copy, leads-to only) and n + u (in R's copy).
    std::vector<std::uint64_t> via(2 * static_cast<std::size_t>(n), ~std::uint64_t{0});
    std::vector<std::uint64_t> from(2 * static_cast<std::size_t>(n), ~std::uint64_t{0});
    std::vector<std::uint64_t> queue;
    auto enter = [&](std::uint64_t x, std::uint64_t parent, std::uint64_t edge) {
      if (from[x] != ~std::uint64_t{0}) return false;
      from[x] = parent;
      via[x] = edge;
      queue.push_back(x);
      return x >= n && target(static_cast<std::uint32_t>(x - n));
    };
    const std::uint64_t root = ~std::uint64_t{0} - 1;
    std::uint64_t hit = ~std::uint64_t{0};
    for (const auto u : g_.inits) {
      if (leads_to && enter(u, root, 0)) hit = u;
      if (in[u] && (leads_to ? g_.trigger(u, i) : true) && enter(n + std::uint64_t{u}, root, 0)) hit = n + std::uint64_t{u};
      if (hit != ~std::uint64_t{0}) break;
    }
    for (std::size_t h = 0; h < queue.size() && hit == ~std::uint64_t{0}; ++h) {
      const std::uint64_t x = queue[h];
      const bool inside = x >= n;
      const auto u = static_cast<std::uint32_t>(inside ? x - n : x);
      for (auto e = g_.begin(u); e < g_.end(u) && hit == ~std::uint64_t{0}; ++e) {
        const std::uint32_t v = g_.target[e];
        if (!inside) enter(v, x, e);  // outside R's copy: never a target
        if (hit == ~std::uint64_t{0} && in[v] && (inside || g_.trigger(v, i)) && enter(n + std::uint64_t{v}, x, e))
          hit = n + std::uint64_t{v};
      }
    }
    if (hit == ~std::uint64_t{0}) return std::nullopt;
    std::vector<std::uint64_t> stem;
    std::uint64_t x = hit;
    for (; from[x] != root; x = from[x]) stem.push_back(via[x]);
    const auto start = static_cast<std::uint32_t>(x >= n ? x - n : x);
    Path path;
    while (g_.inits[path.init] != start) ++path.init;
    for (auto it = stem.rbegin(); it != stem.rend(); ++it) path.actions.push_back(action_index(*it));
    const auto end = static_cast<std::uint32_t>(hit - n);
    if (fc.comp[end] != kNoNode) {
      path.cycle = static_cast<std::uint32_t>(path.actions.size());
      for (const auto e : fair_cycle(g_, fc.comp, end, fairness_)) path.actions.push_back(action_index(e));
    }
    return path;
  }
  std::uint32_t action_index(std::uint64_t e) const { return static_cast<std::uint32_t>(e - g_.offset[source_of(g_, e)]); }

  // The shortest path to node `goal` (a safety violation's state).
  Path path_to(std::uint32_t goal) const {
    std::vector<std::uint64_t> via(g_.nodes(), ~std::uint64_t{0});
    std::vector<char> seen(g_.nodes(), 0);
    std::vector<std::uint32_t> queue;
    for (const auto u : g_.inits)
      if (!seen[u]) seen[u] = 1, queue.push_back(u);
    for (std::size_t h = 0; h < queue.size() && !seen[goal]; ++h)
      for (auto e = g_.begin(queue[h]); e < g_.end(queue[h]); ++e)
        if (!seen[g_.target[e]]) seen[g_.target[e]] = 1, via[g_.target[e]] = e, queue.push_back(g_.target[e]);
    Path path;
    std::vector<std::uint32_t> rev;
    std::uint32_t u = goal;
    for (; via[u] != ~std::uint64_t{0}; u = source_of(g_, via[u])) rev.push_back(action_index(via[u]));
    while (g_.inits[path.init] != u) ++path.init;
    path.actions.assign(rev.rbegin(), rev.rend());
    return path;
  }

  const P& p_;
  const Options& o_;
  Fairness fairness_;
  Report r_;
  Budget budget_;
  LiveGraph g_;
  Monitor<State, std::uint32_t> monitor_;
  std::vector<Prop> live_;
  LiveBuilder<P, Codec> builder_;
  double spent_;
  std::optional<LayeredJudge> layered_;
  std::optional<LayeredPass<P, Codec>> pass_;  // the layered pass on K threads
  unsigned threads_ = 1;
  std::size_t safety_count_ = 0;
};

}  // namespace detail

namespace detail {

// The layered pass (if `layered`), then, if it gave up or was not run, the
// search over the whole graph; a state held as a packed word where it can be.
template <model::Protocol P>
Report liveness_passes(const P& p, const Options& o, bool layered) {
  const auto passes = [&]<class Codec>(std::type_identity<Codec>) {
    double spent = 0;
    if (layered) {
      LivenessSearch<P, Codec> pass(p, o, true);
      if (auto r = pass.run()) return std::move(*r);
      spent = pass.seconds();
    }
    return *LivenessSearch<P, Codec>(p, o, false, spent).run();
  };
  if constexpr (model::Packable<P>)
    if (o.packed && p.packed_bits() > 0) return passes(std::type_identity<PackedCodec<P>>{});
  return passes(std::type_identity<VarCodec<P>>{});
}

// The search over the whole graph alone (tests compare the passes with it).
template <model::Protocol P>
Report liveness_graph_search(const P& p, const Options& o) {
  return liveness_passes(p, o, false);
}

}  // namespace detail

// The liveness check of p: the safety properties as bfs() checks them, and
// every eventually and leads-to property selected, under o.fairness (or the
// model's default).
template <model::Protocol P>
Report liveness_search(const P& p, const Options& o) {
  return detail::liveness_passes(p, o, true);
}

}  // namespace agree::checker
