// checker/live_levels.hpp — the liveness check judged level by level, without
// keeping the graph, for as long as the graph is layered.
//
// Most models' state graphs have no cycle but their self-loops, and in most
// every other step goes from breadth-first level d to level d + 1 (each step
// makes one unit of progress: a message sent, a vote cast, a decision). Call
// such a graph *layered*. liveness.hpp's judgement keeps every edge, then
// decomposes the pending subgraph R into SCCs; on a layered graph neither is
// needed, and this pass, run first, judges each level as soon as it is built
// and then drops the level's edges:
//
//   1. Every cycle of a layered graph is a self-loop: along any other edge
//      the level rises by one, so no other path returns to where it began.
//      Its SCCs are single states, and a state is a fair component iff
//      fair_scc.hpp's judge_one says so (fair_self_loops below, the same
//      code).
//   2. Every predecessor of a state of level d + 1 lies in level d. So once
//      level d's edges are in, whether a state of level d + 1 lies in R is
//      settled: R (liveness.hpp) is the least set holding its seeds (an
//      initial state where P is false, for eventually(P); a state where P
//      holds and Q not, for P ~> Q) and each successor where the property
//      does not hold of a state in R — a bit per property and state,
//      or-ed along the level's edges (unmasked: a state's own bits take out
//      the properties that hold in it when its level is judged).
//   3. So a state of level d can be judged when level d is expanded: it is a
//      target of liveness.hpp's lasso search (a state of R that is terminal
//      or a fair component) iff it is one here. The property holds iff no
//      state of any level is a target: the verdict of the full judgement.
//
// Each level's edges are checked as they are judged: one that is not a
// self-loop and leads to a state of level d or lower (its id is below the
// next level's first: ids are given in breadth-first order) breaks the
// layering, and the pass gives up. It gives up too when it finds a target or
// the safety search finds a violation, since a counterexample needs the
// graph. liveness.hpp then builds the whole graph from the start, so every
// reported lasso and path is the full search's. The costs: a layered model
// is judged in about the time and memory of its safety search plus the
// per-state bits; a model that is not pays the pass up to its first
// offending edge (for a cyclic model, usually the first few levels) and then
// the full search; a violated property pays the pass up to its first target,
// then the full search.
//
// This is the pass on one thread, over live_build.hpp's graph. On K threads
// live_pass.hpp runs the same judgement without a graph: the pending bits
// live in the visited table, next to each state's level.
#pragma once

#include <cstdint>
#include <vector>

#include "agree/checker/fair_scc.hpp"
#include "agree/checker/live_graph.hpp"
#include "agree/checker/mapped_array.hpp"
#include "agree/checker/options.hpp"

namespace agree::checker::detail {

class LayeredJudge {
 public:
  // `leads_to[i]`: liveness property i is a leads-to (else an eventually).
  LayeredJudge(std::vector<bool> leads_to, Fairness f) : leads_to_(std::move(leads_to)), f_(f) {}

  // Nodes [first, end) of a level whose successors are numbered from `next`
  // on are expanded, each with its edges in g (none on the last level of
  // --max-depth). Judges them and passes R on to their successors. False
  // once the pass must give up (see the header); it then stays false.
  bool level(const LiveGraph& g, std::uint32_t first, std::uint32_t end, std::uint32_t next) {
    if (gave_up_) return false;
    if (pending_.size() < g.nodes()) pending_.resize(g.nodes());
    if (first == 0) seed_inits(g);
    for (std::uint32_t u = first; u < end; ++u) {
      // pending_[u] holds what u's predecessors in R passed on, unmasked: the
      // properties that hold in u are taken out here, once, rather than on
      // every edge into u (which would read v's bits at random).
      const std::uint32_t in = pending_[u] = (pending_[u] & ~holding(g.bits[u])) | seeds(g.bits[u]);
      for (auto e = g.begin(u); e < g.end(u); ++e) {
        const std::uint32_t v = g.target[e];
        if (v == u) continue;
        if (v < next) return give_up();  // a step within or below this level
        pending_[v] |= in;
      }
      if (in != 0 && (g.terminal(u) || fair_self_loops(g, u, f_))) return give_up();
    }
    return true;
  }
  [[nodiscard]] bool gave_up() const { return gave_up_; }
  // Nodes below `next` are judged for good: their memory goes back.
  void release_below(std::uint32_t next) { pending_.release_below(next); }
  [[nodiscard]] std::uint64_t bytes() const { return pending_.bytes(); }

  // Of a state with these bits (live_graph.hpp): the properties that hold in
  // it, as a mask (bits 2i).
  [[nodiscard]] std::uint32_t holding(std::uint64_t bits) const {
    std::uint32_t m = 0;
    for (std::size_t i = 0; i < leads_to_.size(); ++i) m |= static_cast<std::uint32_t>((bits >> (2 * i)) & 1u) << i;
    return m;
  }
  // The leads-to properties whose trigger holds in it and whose goal does not.
  [[nodiscard]] std::uint32_t seeds(std::uint64_t bits) const {
    std::uint32_t m = 0;
    for (std::size_t i = 0; i < leads_to_.size(); ++i)
      m |= std::uint32_t{leads_to_[i] && ((bits >> (2 * i + 1)) & 1u) && !((bits >> (2 * i)) & 1u)} << i;
    return m;
  }
  // The eventually properties: what an initial state is seeded with (masked
  // by holding() when it is judged).
  [[nodiscard]] std::uint32_t eventually() const {
    std::uint32_t m = 0;
    for (std::size_t i = 0; i < leads_to_.size(); ++i) m |= std::uint32_t{!leads_to_[i]} << i;
    return m;
  }
  [[nodiscard]] Fairness fairness() const { return f_; }

 private:
  bool give_up() {
    gave_up_ = true;
    return false;
  }
  void seed_inits(const LiveGraph& g) {
    for (const auto u : g.inits) pending_[u] |= eventually();
  }

  std::vector<bool> leads_to_;
  Fairness f_;
  MappedArray<std::uint32_t> pending_;  // per node: bit i, the node lies in property i's R
  bool gave_up_ = false;
};

}  // namespace agree::checker::detail
