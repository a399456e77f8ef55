// checker/dfs.hpp — depth-first search, the low-memory alternative.
//
// Only the visited set and the current stack are kept (no parent edges): the
// counterexample is the stack itself, so it is a path but not always a
// shortest one. With --max-depth a state first reached deep is not searched
// again from a shallower path, so a depth-bounded DFS is reported incomplete.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "agree/checker/fingerprint.hpp"
#include "agree/checker/por.hpp"
#include "agree/checker/search_common.hpp"

namespace agree::checker {

template <model::Protocol P, class Store>
Report dfs(const P& p, const Options& o) {
  using State = typename P::State;
  using Action = typename P::Action;

  Report r;
  r.exact = Store::kExact;
  r.fired = zero_fired<P>();
  Monitor<State> monitor(p.properties(), o, r);
  Budget budget(o);
  Store store;

  struct Frame {
    State state;
    std::vector<Action> actions;
    std::uint32_t next = 0;  // the next action to try; next - 1 is the one taken
    std::uint32_t expand = 0;  // actions[0, expand) are expanded: fewer than all under a persistent set
    bool pushed = false;       // one of them led to a new state (the cycle proviso, checker/por.hpp)
  };
  std::vector<Frame> stack;
  std::uint32_t root = 0;
  model::Encoder enc;

  auto path_of_stack = [&] {
    Path path;
    path.init = root;
    for (std::size_t i = 0; i + 1 < stack.size(); ++i) path.actions.push_back(stack[i].next - 1);
    return path;
  };
  // Pushes s if new; returns true when the search must stop.
  const bool symmetry = uses_symmetry<P>(o);
  auto discover = [&](State&& s) {
    if (symmetry) s = canonical(p, std::move(s), true);
    enc.clear();
    enc(s);
    // With --exact, a model whose encoding loses part of its state (a member
    // left out of fields()) would merge states that differ: refuse it.
    if constexpr (Store::kExact)
      if (model::decode<State>(enc.view()) != s)
        throw std::logic_error(std::string(model::name_of<P>()) +
                               ": two different states have one encoding: State::fields() leaves out a member");
    if (!store.insert(fingerprint(enc.view()), enc.view())) return false;
    stack.push_back(Frame{std::move(s), {}, 0});
    r.depth = std::max<std::uint64_t>(r.depth, stack.size() - 1);
    Frame& top = stack.back();
    if (monitor.on_discover(top.state, path_of_stack)) return true;
    top.expand = static_cast<std::uint32_t>(checker::enabled(p, top.state, top.actions));
    if (!top.actions.empty()) return false;
    ++r.terminal_states;
    return monitor.on_terminal(top.state, path_of_stack);
  };

  bool stop = false;
  auto inits = p.init_states();
  for (std::uint32_t i = 0; i < inits.size() && !stop && r.cut == Cut::None; ++i) {
    root = i;
    stop = discover(std::move(inits[i]));
    while (!stop && !stack.empty()) {
      if (const Cut c = budget.check(store.size(), stack.size(), stack.size()); c != Cut::None) {
        r.cut = c;
        break;
      }
      Frame& top = stack.back();
      // The cycle proviso: the persistent action's successor was not new, so expand them all.
      if constexpr (kNeedsProviso<P>)
        if (top.next == top.expand && !top.pushed) top.expand = static_cast<std::uint32_t>(top.actions.size());
      if (top.next >= top.expand) {
        stack.pop_back();
        continue;
      }
      if (o.max_depth && stack.size() > o.max_depth) {
        r.cut = Cut::MaxDepth;
        stack.pop_back();
        continue;
      }
      const std::uint32_t k = top.next++;
      ++r.transitions;
      ++r.fired[model::kind_of<P>(top.actions[k])].second;
      if (auto next = p.next_state(top.state, top.actions[k])) {
        const std::size_t below = stack.size();
        stop = discover(std::move(*next));
        if (stack.size() > below) stack[below - 1].pushed = true;
      }
    }
  }

  r.distinct_states = store.size();
  r.collisions = store.collisions();
  r.store_bytes = store.bytes();
  r.seconds = budget.seconds();
  r.peak_rss_bytes = budget.peak_rss();
  monitor.report(r);
  r.verdict = final_verdict(r);
  return r;
}

}  // namespace agree::checker
