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

#include "agree/checker/run_judge.hpp"
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

}  // namespace detail

template <model::Protocol P>
ReplayResult judge_lasso(const P& p, const properties::Property<typename P::State>& prop, const Trace& t,
                         const std::vector<typename P::State>& states, const std::vector<std::string>& taken) {
  ReplayResult r;
  const std::size_t n = states.size() - 1;
  const std::size_t lo = t.cycle ? *t.cycle : n;  // the states from here on recur forever
  const std::string fail = "not reproduced: ";
  // The first state from which the property is pending for the rest of the run.
  const std::optional<std::size_t> from = checker::pending_from(prop, states, lo);
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
    if (const std::string why = checker::unfairness(p, f, states, taken, *t.cycle); !why.empty()) {
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
