// checker/fair_scc.hpp — fair cycles of a state graph: the SCC decomposition
// with the fairness check, and a fair cycle through a given state.
//
// The algorithm. Tarjan's strongly connected components (R. Tarjan, "Depth-
// first search and linear graph algorithms", SIAM J. Comput. 1(2), 1972),
// iterative, over the nodes of a subgraph (checker/liveness.hpp: the states
// where the liveness property is still pending). A component with an edge
// inside it (two nodes or more, or a self-loop) holds a cycle through all its
// nodes and edges, and:
//   - no fairness: every such component is a counterexample;
//   - weak fairness: it holds a fair cycle iff every group enabled in all its
//     states is taken by an edge inside it. (If so, the cycle through every
//     node and edge is fair; if not, a group enabled throughout and never
//     taken makes every cycle inside it unfair, so no refinement is needed.)
//   - strong fairness, by the Emerson–Lei refinement (E. A. Emerson and C.-L.
//     Lei, "Modalities for model checking: branching time logic strikes back",
//     Sci. Comput. Program. 8(3), 1987; the same step as in the SCC-based
//     checks of LTSmin and of TLC's liveness checker): a group enabled
//     somewhere in the component and taken nowhere inside it must not be
//     enabled on a fair cycle, so the states where it is enabled are removed
//     and what remains is decomposed again; a component all of whose enabled
//     groups are taken inside it is fair. Each refinement removes a state, so
//     it ends; a state is decomposed at most once per refinement depth.
// "Enabled" is judged on the whole graph (every action of the state, also
// those leaving the subgraph), "taken" on edges inside the component.
//
// The cycle (fair_cycle): from a state of a fair component, the shortest way
// back to it inside the component, then, while some group breaks fairness on
// the cycle so far, a detour from the state and back that takes that group
// (or, under weak fairness, visits a state of the component where it is
// disabled). Each detour mends one group for good, so there are at most as
// many as there are groups; the result is fair and replay checks it again.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "agree/checker/live_graph.hpp"
#include "agree/checker/options.hpp"

namespace agree::checker::detail {

// Per node: the fair component it lies in, or kNoNode.
struct FairComponents {
  std::vector<std::uint32_t> comp;
  std::uint32_t count = 0;
};

// Is node u, a component of one state, a fair cycle? Its cycles are its
// self-loops; under weak fairness each group enabled in u must be taken by a
// self-loop (every group of u is enabled throughout), and under strong
// fairness too (the Emerson–Lei refinement would remove u for any other
// group, leaving nothing). Reads u's edges only: edge k of the n, a
// self-loop if loop(k), in group group(k) (the K-thread layered pass,
// live_pass.hpp, asks it of a state's successors, with no graph).
template <class Loop, class Group>
bool fair_self_loops(std::size_t n, Loop&& loop, Group&& group, Fairness f) {
  bool any = false;
  for (std::size_t k = 0; k < n && !any; ++k) any = loop(k);
  if (!any || f == Fairness::None) return any;
  for (std::size_t k = 0; k < n; ++k) {
    bool taken = loop(k);
    for (std::size_t x = 0; x < n && !taken; ++x) taken = loop(x) && group(x) == group(k);
    if (!taken) return false;
  }
  return true;
}
inline bool fair_self_loops(const LiveGraph& g, std::uint32_t u, Fairness f) {
  const std::uint64_t b = g.begin(u);
  return fair_self_loops(
      g.end(u) - b, [&](std::size_t k) { return g.target[b + k] == u; }, [&](std::size_t k) { return g.group[b + k]; }, f);
}

class FairSccSearch {
 public:
  FairSccSearch(const LiveGraph& g, Fairness f) : g_(g), f_(f), groups_(g.group_names.size()) {}

  // The fair components of the subgraph on the nodes with in[u] set.
  FairComponents run(const std::vector<char>& in) {
    const std::uint32_t n = g_.nodes();
    FairComponents out{std::vector<std::uint32_t>(n, kNoNode), 0};
    label_.assign(n, 0);
    index_.assign(n, kUnvisited);
    low_.assign(n, 0);
    std::vector<std::uint32_t> all;
    for (std::uint32_t u = 0; u < n; ++u)
      if (in[u]) label_[u] = 1, all.push_back(u);
    std::deque<std::pair<std::uint32_t, std::vector<std::uint32_t>>> work;
    work.emplace_back(1, std::move(all));
    std::uint32_t next_label = 2;
    while (!work.empty()) {
      auto [label, nodes] = std::move(work.front());
      work.pop_front();
      for (const auto u : nodes) index_[u] = kUnvisited;
      for (const auto u : nodes)
        if (label_[u] == label && index_[u] == kUnvisited)
          tarjan(u, label, [&](std::vector<std::uint32_t>& scc) {
            judge(scc, out, work, next_label);
          });
    }
    return out;
  }

 private:
  static constexpr std::uint32_t kUnvisited = 0xffffffffu;
  static constexpr std::uint32_t kDone = 0xfffffffeu;  // emitted in a component: above every index, so min() ignores it

  bool inside(std::uint32_t v, std::uint32_t label) const { return label_[v] == label; }

  template <class Emit>
  void tarjan(std::uint32_t root, std::uint32_t label, Emit&& emit) {
    struct Frame {
      std::uint32_t u;
      std::uint64_t e;
    };
    std::vector<Frame> call{{root, g_.begin(root)}};
    std::vector<std::uint32_t> stack;
    std::vector<std::uint32_t> scc;
    index_[root] = low_[root] = counter_++;
    stack.push_back(root);
    while (!call.empty()) {
      Frame& f = call.back();
      if (f.e < g_.end(f.u)) {
        const std::uint32_t v = g_.target[f.e++];
        if (!inside(v, label)) continue;
        if (index_[v] == kUnvisited) {
          index_[v] = low_[v] = counter_++;
          stack.push_back(v);
          call.push_back({v, g_.begin(v)});
        } else {  // on the stack; or in a component already emitted, whose index is kDone and lowers nothing
          low_[f.u] = std::min(low_[f.u], index_[v]);
        }
        continue;
      }
      const std::uint32_t u = f.u;
      call.pop_back();
      if (!call.empty()) low_[call.back().u] = std::min(low_[call.back().u], low_[u]);
      if (low_[u] != index_[u]) continue;
      scc.clear();
      std::uint32_t w;
      do {
        w = stack.back();
        stack.pop_back();
        index_[w] = kDone;  // off the stack: no longer lowers anyone's low link
        scc.push_back(w);
      } while (w != u);
      emit(scc);
    }
  }

  // Is scc (of the nodes labelled `label`) fair? Records it in out, or, under
  // strong fairness, queues what remains once the states enabling an untaken
  // group are removed.
  void judge(const std::vector<std::uint32_t>& scc, FairComponents& out,
             std::deque<std::pair<std::uint32_t, std::vector<std::uint32_t>>>& work, std::uint32_t& next_label) {
    if (scc.size() == 1) return judge_one(scc.front(), out);
    ++stamp_;
    for (const auto u : scc) member_[u] = stamp_;
    bool has_edge = false;
    for (const auto u : scc)
      for (auto e = g_.begin(u); e < g_.end(u) && !has_edge; ++e) has_edge = member(g_.target[e]);
    if (!has_edge) return;  // one state, no self-loop: no cycle
    if (f_ != Fairness::None) {
      for (const auto k : touched_) groups_[k] = {};
      touched_.clear();
      for (const auto u : scc) {
        ++node_stamp_;
        for (auto e = g_.begin(u); e < g_.end(u); ++e) {
          auto& c = groups_[g_.group[e]];
          if (c.count == 0) touched_.push_back(g_.group[e]);
          if (c.seen != node_stamp_) c.seen = node_stamp_, ++c.count;
          if (member(g_.target[e])) c.taken = true;
        }
      }
      auto untaken = [&](std::uint32_t k) { return groups_[k].count > 0 && !groups_[k].taken; };
      if (f_ == Fairness::Weak) {
        for (const auto k : touched_)
          if (groups_[k].count == scc.size() && !groups_[k].taken) return;  // enabled throughout, never taken
      } else if (std::any_of(touched_.begin(), touched_.end(), untaken)) {
        std::vector<std::uint32_t> rest;
        for (const auto u : scc) {
          bool keep = true;
          for (auto e = g_.begin(u); e < g_.end(u) && keep; ++e) keep = !untaken(g_.group[e]);
          label_[u] = keep ? next_label : 0;
          if (keep) rest.push_back(u);
        }
        if (!rest.empty()) work.emplace_back(next_label++, std::move(rest));
        return;
      }
    }
    for (const auto u : scc) out.comp[u] = out.count;
    ++out.count;
  }
  bool member(std::uint32_t v) const { return member_[v] == stamp_; }

  // judge() for a component of one state (most of them, in a graph acyclic
  // but for self-loops).
  void judge_one(std::uint32_t u, FairComponents& out) const {
    if (fair_self_loops(g_, u, f_)) out.comp[u] = out.count++;
  }

  struct GroupCount {
    std::uint64_t count = 0;
    std::uint64_t seen = 0;
    bool taken = false;
  };
  const LiveGraph& g_;
  Fairness f_;
  std::vector<GroupCount> groups_;
  std::vector<std::uint32_t> touched_;  // the groups counted for the component being judged
  std::vector<std::uint32_t> label_, index_, low_;
  std::uint32_t counter_ = 0;
  std::vector<std::uint64_t> member_ = std::vector<std::uint64_t>(g_.nodes(), 0);
  std::uint64_t stamp_ = 0, node_stamp_ = 0;
};

// The source node of edge e.
inline std::uint32_t source_of(const LiveGraph& g, std::uint64_t e) {
  return static_cast<std::uint32_t>(std::upper_bound(g.offset.begin(), g.offset.end(), e) - g.offset.begin() - 1);
}

// The shortest path of edges inside component c from `from` to a node that
// `goal` accepts, with at least one step when `step` is set. Empty when none.
inline std::vector<std::uint64_t> path_within(const LiveGraph& g, const std::vector<std::uint32_t>& comp, std::uint32_t from,
                                              const std::function<bool(std::uint32_t)>& goal, bool step) {
  const std::uint32_t c = comp[from];
  if (!step && goal(from)) return {};
  std::vector<std::uint64_t> via(g.nodes(), ~std::uint64_t{0});  // the edge that reached the node
  std::vector<std::uint32_t> queue{from};
  std::vector<char> seen(g.nodes(), 0);
  if (!step) seen[from] = 1;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const std::uint32_t u = queue[head];
    for (auto e = g.begin(u); e < g.end(u); ++e) {
      const std::uint32_t v = g.target[e];
      if (comp[v] != c || seen[v]) continue;
      seen[v] = 1;
      via[v] = e;
      if (goal(v)) {
        std::vector<std::uint64_t> path{via[v]};
        for (std::uint32_t w = source_of(g, via[v]); w != from; w = source_of(g, via[w])) path.push_back(via[w]);
        std::reverse(path.begin(), path.end());
        return path;
      }
      queue.push_back(v);
    }
  }
  return {};
}

// A group that makes the cycle (edges, from `entry` back to it) unfair, or kNoNode.
inline std::uint32_t unfair_group(const LiveGraph& g, const std::vector<std::uint64_t>& cycle, Fairness f) {
  if (f == Fairness::None) return kNoNode;
  const std::size_t n = g.group_names.size();
  std::vector<std::uint32_t> enabled_at(n, 0);
  std::vector<char> taken(n, 0);
  for (const auto e : cycle) {
    taken[g.group[e]] = 1;
    const std::uint32_t u = source_of(g, e);
    std::vector<char> here(n, 0);
    for (auto x = g.begin(u); x < g.end(u); ++x)
      if (!here[g.group[x]]) here[g.group[x]] = 1, ++enabled_at[g.group[x]];
  }
  for (std::uint32_t k = 0; k < n; ++k) {
    if (taken[k]) continue;
    if (f == Fairness::Weak ? enabled_at[k] == cycle.size() : enabled_at[k] > 0) return k;
  }
  return kNoNode;
}

// A fair cycle of edges through `entry`, inside its fair component.
inline std::vector<std::uint64_t> fair_cycle(const LiveGraph& g, const std::vector<std::uint32_t>& comp, std::uint32_t entry,
                                             Fairness f) {
  const std::uint32_t c = comp[entry];
  auto cycle = path_within(g, comp, entry, [&](std::uint32_t v) { return v == entry; }, true);
  for (std::uint32_t bad = unfair_group(g, cycle, f); bad != kNoNode; bad = unfair_group(g, cycle, f)) {
    auto takes = [&](std::uint32_t u) {
      for (auto e = g.begin(u); e < g.end(u); ++e)
        if (g.group[e] == bad && comp[g.target[e]] == c) return true;
      return false;
    };
    auto disables = [&](std::uint32_t u) {
      for (auto e = g.begin(u); e < g.end(u); ++e)
        if (g.group[e] == bad) return false;
      return true;
    };
    bool taken_inside = false;
    for (std::uint32_t u = 0; u < g.nodes() && !taken_inside; ++u) taken_inside = comp[u] == c && takes(u);
    std::vector<std::uint64_t> detour = path_within(g, comp, entry, taken_inside ? std::function<bool(std::uint32_t)>(takes)
                                                                                   : std::function<bool(std::uint32_t)>(disables),
                                                    false);
    std::uint32_t at = detour.empty() ? entry : g.target[detour.back()];
    if (taken_inside) {
      for (auto e = g.begin(at); e < g.end(at); ++e)
        if (g.group[e] == bad && comp[g.target[e]] == c) {
          detour.push_back(e);
          at = g.target[e];
          break;
        }
    }
    const auto back = path_within(g, comp, at, [&](std::uint32_t v) { return v == entry; }, false);
    detour.insert(detour.end(), back.begin(), back.end());
    if (detour.empty()) break;  // cannot happen in a fair component; replay would say so
    cycle.insert(cycle.end(), detour.begin(), detour.end());
  }
  return cycle;
}

}  // namespace agree::checker::detail
