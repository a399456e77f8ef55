// checker/run_judge.hpp — is one concrete run a liveness counterexample?
//
// A run is its states s0..sn and the fairness group of each step; it either
// ends in a terminal state or, when sn equals sk, goes round steps k+1..n
// forever. Two questions, asked by replay (counterexamples/lasso.hpp) of a
// trace and by simulate (checker/simulate.hpp) of a random walk that came
// back to a state it had visited:
//   - pending_from: from which state on the property never comes true — for
//     eventually(P), P holds in none of the states; for P ~> Q, a state with P
//     and not Q after which (the cycle included) Q holds nowhere;
//   - unfairness: why the cycle is not fair — weak: a group enabled in every
//     state of the cycle is never taken in it; strong: a group enabled in some
//     state of it is never taken. "" when it is fair.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "agree/model/protocol.hpp"
#include "agree/properties/property.hpp"

namespace agree::checker {

// states[0..n]; lo: the states from lo on recur forever (n for a run that ends).
// The first state from which prop stays pending to the end, or nullopt.
template <class State>
std::optional<std::size_t> pending_from(const properties::Property<State>& prop, const std::vector<State>& states,
                                        std::size_t lo) {
  const std::size_t n = states.size() - 1;
  std::vector<char> never_from(n + 2, 1);  // never_from[j]: `holds` fails in states j..n
  for (std::size_t j = n + 1; j-- > 0;) never_from[j] = j <= n ? never_from[j + 1] && !prop.holds(states[j]) : 1;
  if (prop.expectation == properties::Expectation::Eventually) return never_from[0] ? std::optional<std::size_t>(0) : std::nullopt;
  for (std::size_t i = 0; i <= n; ++i)
    if (prop.trigger(states[i]) && !prop.holds(states[i]) && never_from[std::min(i, lo)]) return i;
  return std::nullopt;
}

// The cycle is states[k..n-1] with taken[k..n-1] (group names) the steps after
// each. "" if it is fair under f, else which group waits.
template <model::Protocol P>
std::string unfairness(const P& p, properties::Fairness f, const std::vector<typename P::State>& states,
                       const std::vector<std::string>& taken, std::size_t k) {
  if (f == properties::Fairness::None) return "";
  std::vector<std::pair<std::string, std::size_t>> enabled;  // group, in how many of the cycle's states
  std::vector<typename P::Action> actions;
  for (std::size_t i = k; i + 1 < states.size(); ++i) {
    actions.clear();
    p.actions(states[i], actions);
    std::vector<std::string> here;
    for (const auto& a : actions) {
      std::string g = model::fairness_group_name_of(p, a);
      if (std::find(here.begin(), here.end(), g) != here.end()) continue;
      here.push_back(g);
      auto it = std::find_if(enabled.begin(), enabled.end(), [&](const auto& e) { return e.first == g; });
      if (it == enabled.end()) enabled.emplace_back(std::move(g), 1);
      else ++it->second;
    }
  }
  const std::size_t len = states.size() - 1 - k;
  for (const auto& [g, count] : enabled) {
    if (std::find(taken.begin() + static_cast<long>(k), taken.end(), g) != taken.end()) continue;
    if (f == properties::Fairness::Weak && count == len) return g + " is enabled in every state of the cycle and never taken";
    if (f == properties::Fairness::Strong) return g + " is enabled in the cycle and never taken";
  }
  return "";
}

}  // namespace agree::checker
