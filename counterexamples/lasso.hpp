// counterexamples/lasso.hpp — does a replayed run violate a liveness property?
//
// A liveness counterexample (checker/liveness.hpp) is a run of one of two
// shapes, and replay judges it from the model's own functions alone:
//   - it ends in a terminal state (trace format 1 or 2, no `cycle` line);
//   - it is a lasso (format 2, `cycle K`): after its last step it is back in
//     the state it had after step K, so steps K+1..N repeat forever. Replay
//     checks that the state really is the same, and that the cycle is fair
//     under the trace's `fairness`: weak — no group enabled in every state of
//     the cycle goes untaken by its steps; strong — no group enabled in some
//     state of the cycle goes untaken.
// And on that run the property never comes true: for eventually(P), P holds
// in none of its states; for P ~> Q, some state has P and not Q, and Q holds
// in none of the states from there on (the cycle's included).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "agree/counterexamples/trace.hpp"
#include "agree/model/protocol.hpp"
#include "agree/properties/property.hpp"

namespace agree::counterexamples {

struct ReplayResult {
  bool reproduced = false;  // the recorded property fails in the final state (a witness: is reached)
  std::string message;      // one line saying so, or why not
  std::string explanation;  // why the property fails, in words (Property::explain), when reproduced
};

namespace detail {

inline std::string fairness_word(properties::Fairness f) {
  return f == properties::Fairness::Weak ? "weakly fair" : f == properties::Fairness::Strong ? "strongly fair" : "any cycle counts";
}

// "" if the cycle (states[k..n-1], the steps after each) is fair, else why not.
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

}  // namespace detail

template <model::Protocol P>
ReplayResult judge_lasso(const P& p, const properties::Property<typename P::State>& prop, const Trace& t,
                         const std::vector<typename P::State>& states, const std::vector<std::string>& taken) {
  ReplayResult r;
  const std::size_t n = states.size() - 1;
  const std::size_t lo = t.cycle ? *t.cycle : n;  // the states from here on recur forever
  const std::string fail = "not reproduced: ";
  // The first state from which the property is pending for the rest of the run.
  std::vector<char> never_from(n + 2, 1);  // never_from[j]: `holds` fails in states j..n
  for (std::size_t j = n + 1; j-- > 0;) never_from[j] = j <= n ? never_from[j + 1] && !prop.holds(states[j]) : 1;
  std::optional<std::size_t> from;
  if (prop.expectation == properties::Expectation::Eventually) {
    if (never_from[0]) from = 0;
  } else {
    for (std::size_t i = 0; i <= n && !from; ++i)
      if (prop.trigger(states[i]) && !prop.holds(states[i]) && never_from[std::min(i, lo)]) from = i;
  }
  if (!from) {
    r.message = fail + t.property + (prop.expectation == properties::Expectation::Eventually
                                         ? " holds in a state of the run"
                                         : ": no state of the run has its trigger without it holding from there on");
    return r;
  }
  std::string shape;
  if (!t.cycle) {
    std::vector<typename P::Action> actions;
    p.actions(states.back(), actions);
    if (!actions.empty()) {
      r.message = fail + "the run has no cycle and its last state is not terminal, so it does not end there";
      return r;
    }
    shape = "the run ends in a terminal state after step " + std::to_string(n);
  } else {
    if (!(states[n] == states[*t.cycle])) {
      r.message = fail + "the state after step " + std::to_string(n) + " is not the state after step " +
                  std::to_string(*t.cycle) + ", so the steps do not form a cycle";
      return r;
    }
    properties::Fairness f = model::default_fairness_of<P>();
    if (t.fairness == "none") f = properties::Fairness::None;
    if (t.fairness == "weak") f = properties::Fairness::Weak;
    if (t.fairness == "strong") f = properties::Fairness::Strong;
    if (const std::string why = detail::unfairness(p, f, states, taken, *t.cycle); !why.empty()) {
      r.message = fail + "the cycle is not " + detail::fairness_word(f) + ": " + why;
      return r;
    }
    shape = (*t.cycle + 1 == n ? "step " + std::to_string(n) + " goes"
                               : "steps " + std::to_string(*t.cycle + 1) + ".." + std::to_string(n) + " go") +
            " round forever from the state after step " + std::to_string(*t.cycle) + " (" + detail::fairness_word(f) + ")";
  }
  r.reproduced = true;
  r.message = "reproduced: " + t.property + " is violated: " + shape +
              (prop.expectation == properties::Expectation::Eventually
                   ? ", and it holds in none of the run's states"
                   : ", and after step " + std::to_string(*from) + " its trigger holds and then it never does");
  if (prop.explain) r.explanation = prop.explain(states.back());
  return r;
}

}  // namespace agree::counterexamples
