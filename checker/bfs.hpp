// checker/bfs.hpp — breadth-first search: every counterexample is a shortest one.
//
// The visited set holds fingerprints (or full states with --exact); the queue
// holds the states not yet expanded. Every state discovered gets an id and one
// parent edge (parent id, action index): the counterexample path is read back
// from those edges and its states are rebuilt by re-executing the model, as TLC
// does with its trace file. Invariants are checked when a state is discovered,
// so the first violating state found is at minimal depth.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "checker/fingerprint.hpp"
#include "checker/search_common.hpp"

namespace checker {

template <model::Protocol P, class Store>
Report bfs(const P& p, const Options& o) {
  using State = typename P::State;
  using Action = typename P::Action;
  constexpr std::uint32_t kRoot = std::numeric_limits<std::uint32_t>::max();

  Report r;
  r.exact = Store::kExact;
  r.fired = zero_fired<P>();
  Monitor<State> monitor(p.properties(), o, r);
  Budget budget(o);
  Store store;

  struct Edge {
    std::uint32_t parent;  // kRoot for an initial state
    std::uint32_t choice;  // action index, or the initial state's index
  };
  struct Item {
    State state;
    std::uint32_t id;
    std::uint32_t depth;
  };
  std::vector<Edge> edges;
  std::deque<Item> queue;
  model::Encoder enc;

  auto path_to = [&](std::uint32_t id) {
    Path path;
    for (; edges[id].parent != kRoot; id = edges[id].parent) path.actions.push_back(edges[id].choice);
    path.init = edges[id].choice;
    std::reverse(path.actions.begin(), path.actions.end());
    return path;
  };
  // Returns true when the search must stop.
  auto discover = [&](State&& s, std::uint32_t parent, std::uint32_t choice, std::uint32_t depth) {
    enc.clear();
    enc(s);
    if (!store.insert(fingerprint(enc.bytes()), enc.bytes())) return false;
    const auto id = static_cast<std::uint32_t>(edges.size());
    edges.push_back({parent, choice});
    r.depth = std::max<std::uint64_t>(r.depth, depth);
    if (monitor.on_discover(s, [&] { return path_to(id); })) return true;
    queue.push_back({std::move(s), id, depth});
    return false;
  };

  bool stop = false;
  auto inits = p.init_states();
  for (std::uint32_t i = 0; i < inits.size() && !stop; ++i) stop = discover(std::move(inits[i]), kRoot, i, 0);

  std::vector<Action> actions;
  while (!stop && !queue.empty()) {
    if (const Cut c = budget.check(store.size(), queue.front().depth, queue.size()); c != Cut::None) {
      r.cut = c;
      break;
    }
    Item item = std::move(queue.front());
    queue.pop_front();
    actions.clear();
    p.actions(item.state, actions);
    if (actions.empty()) {
      stop = monitor.on_terminal(item.state, [&] { return path_to(item.id); });
      continue;
    }
    if (o.max_depth && item.depth >= o.max_depth) {
      r.cut = Cut::MaxDepth;  // not expanded: the search below this depth is unknown
      continue;
    }
    for (std::uint32_t k = 0; k < actions.size() && !stop; ++k) {
      ++r.transitions;
      ++r.fired[P::kind_of(actions[k])].second;
      if (auto next = p.next_state(item.state, actions[k]))
        stop = discover(std::move(*next), item.id, k, item.depth + 1);
    }
  }

  r.distinct_states = store.size();
  r.collisions = store.collisions();
  r.store_bytes = store.bytes() + edges.capacity() * sizeof(Edge);
  r.seconds = budget.seconds();
  r.peak_rss_bytes = budget.peak_rss();
  r.verdict = final_verdict(r);
  return r;
}

}  // namespace checker
