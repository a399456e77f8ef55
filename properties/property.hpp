// properties/property.hpp — a property is a named predicate with an expectation.
//
//   always     — must hold in every reachable state (safety: total-order, agreement, ...)
//   terminal   — must hold in every terminal state, one with no enabled action
//                (termination: judged where nothing more can happen)
//   sometimes  — some reachable state satisfies it: a reachability check that
//                makes a vacuous model visible ("some run delivers every message")
//
// The names are those of protocols.md and are the same everywhere: CLI, JSON,
// trace header.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace agree::properties {

enum class Expectation { Always, Terminal, Sometimes };

inline std::string_view to_string(Expectation e) {
  switch (e) {
    case Expectation::Always: return "always";
    case Expectation::Terminal: return "terminal states";
    case Expectation::Sometimes: return "sometimes";
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

}  // namespace agree::properties
