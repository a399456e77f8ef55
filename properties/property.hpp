// properties/property.hpp — a property is a named predicate with an expectation.
//
//   always     — must hold in every reachable state (safety: total-order, agreement, ...)
//   terminal   — must hold in every terminal state, one with no enabled action
//                (termination: judged where nothing more can happen)
//   sometimes  — some reachable state satisfies it: a reachability check that
//                makes a vacuous model visible ("some run delivers every message")
//   eventually — liveness: every run reaches a state that satisfies it, every
//                infinite run (a cycle, under the fairness asked for) and every
//                run that ends in a terminal state
//   leads-to   — liveness: whenever `trigger` holds, `holds` holds then or later,
//                on every run (TLA+'s P ~> Q)
//
// The liveness ones are checked by checker/liveness.hpp (`agree check
// --liveness`); the safety search passes them by. A violation of one is a
// lasso: a run that ends in a terminal state, or a stem and a cycle.
//
// The names are those of protocols.md and are the same everywhere: CLI, JSON,
// trace header.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace agree::properties {

enum class Expectation { Always, Terminal, Sometimes, Eventually, LeadsTo };

// Fairness, for the liveness properties: which infinite runs count. Over the
// groups of actions a model declares (model::fairness_group_of): weak — a
// group enabled continuously from some point on is taken infinitely often;
// strong — a group enabled infinitely often is taken infinitely often (TLA+'s
// WF and SF). None: every infinite run counts.
enum class Fairness { None, Weak, Strong };

inline bool is_liveness(Expectation e) { return e == Expectation::Eventually || e == Expectation::LeadsTo; }

inline std::string_view to_string(Expectation e) {
  switch (e) {
    case Expectation::Always: return "always";
    case Expectation::Terminal: return "terminal states";
    case Expectation::Sometimes: return "sometimes";
    case Expectation::Eventually: return "eventually";
    case Expectation::LeadsTo: return "leads-to";
  }
  return "?";
}

template <class State>
struct Property {
  std::string name;
  Expectation expectation = Expectation::Always;
  std::function<bool(const State&)> holds;
  std::string description;
  // Optional: why the property fails in a state where it does, in words and
  // in the protocol's terms ("p0 delivered [m0], p1 delivered [m1]: ...").
  // Printed under a counterexample by check, replay and every renderer.
  std::function<std::string(const State&)> explain = {};
  // leads-to only: the P of P ~> Q (holds is the Q).
  std::function<bool(const State&)> trigger = {};

  // always<S>("total-order", ...).explained_by([](const S& s) { ... })
  Property explained_by(std::function<std::string(const State&)> f) && {
    explain = std::move(f);
    return std::move(*this);
  }
};

template <class State>
Property<State> always(std::string name, std::function<bool(const State&)> f, std::string d = {}) {
  return {std::move(name), Expectation::Always, std::move(f), std::move(d)};
}
template <class State>
Property<State> at_terminal(std::string name, std::function<bool(const State&)> f, std::string d = {}) {
  return {std::move(name), Expectation::Terminal, std::move(f), std::move(d)};
}
template <class State>
Property<State> sometimes(std::string name, std::function<bool(const State&)> f, std::string d = {}) {
  return {std::move(name), Expectation::Sometimes, std::move(f), std::move(d)};
}

// eventually<S>("termination", every_rm_decided): every run reaches it.
template <class State>
Property<State> eventually(std::string name, std::function<bool(const State&)> f, std::string d = {}) {
  return {std::move(name), Expectation::Eventually, std::move(f), std::move(d)};
}
// leads_to<S>("delivery", p, q): whenever p holds, q holds then or later.
template <class State>
Property<State> leads_to(std::string name, std::function<bool(const State&)> p, std::function<bool(const State&)> q,
                         std::string d = {}) {
  Property<State> r{std::move(name), Expectation::LeadsTo, std::move(q), std::move(d)};
  r.trigger = std::move(p);
  return r;
}

}  // namespace agree::properties
