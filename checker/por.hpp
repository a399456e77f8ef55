// checker/por.hpp — partial-order reduction as a layer over a protocol.
//
// A protocol may name, in a state, one enabled action that by itself forms a
// *persistent set* (Godefroid): every action reachable from the state without
// taking it is independent of it — commutes with it and neither enables nor
// disables it. The hook:
//
//   std::optional<std::size_t> persistent(const State&, const std::vector<Action>& enabled) const;
//
// returns its index in `enabled`, or nullopt to expand everything. PorLayer<P>
// is P with actions() cut down to that one action: the explorer needs no
// change (LTSmin stacks its POR layer over the language module the same way),
// and traces print the same action text as P, so they replay through P.
//
// The persistent action is listed first and the rest after it: actions()
// lists every enabled action (so a path's action indices, and replay, mean
// the same with or without the layer), and enabled() also says how many of
// them, a prefix, the search is to expand: 1 where a persistent action was
// named, all otherwise.
//
// Soundness. Persistent-set search reaches every terminal state of a finite
// state space (Godefroid 1996, Thm 4.3) — but only with a *cycle proviso*
// where the space has cycles: otherwise a persistent action that closes a
// cycle may be taken for ever while an independent action is never taken
// (the ignoring problem), and a violation behind that action is missed
// (tests/reduction_test.cpp has such a model). The proviso here (condition
// C3 of Peled's ample sets, in the form that fits both searches, stronger
// than the usual one and so sound as well): when the persistent action's
// successor is not a new state — already visited, on the current level or an
// older one (BFS), on the stack or left earlier (DFS), or the state itself (a
// self-loop) — the state is expanded fully. A protocol that declares
// `static constexpr bool kAcyclic = true` (no run returns to a state it left;
// its header says why) needs no proviso, and the searches skip it.
//
// What each property keeps under the reduction, with the proviso:
//  - terminal-state properties (`termination`): exact, every terminal state
//    is reached;
//  - `always` properties that are *stable* (once broken, broken in every
//    state after: total-order, integrity, agreement — delivery logs and
//    decisions only grow), and stable `sometimes` checks: a reachable
//    violation leads to a violating terminal state, which the search reaches.
//    On a space with cycles and no terminal state, a stable violation is still
//    reached: the proviso makes the reduced graph cover every action from
//    every cycle (Valmari's stubborn sets, the "ignoring" condition);
//  - an `always` property that is not stable is preserved only when it is
//    invisible to the persistent actions (they do not change what it reads),
//    the usual visibility condition; a model's hook must not name a
//    persistent action that changes such a property's truth.
// What POR gives up: the counterexample is a shortest run of the reduced
// graph, not necessarily of the full one.
#pragma once

#include <algorithm>
#include <optional>
#include <vector>

#include "agree/model/protocol.hpp"

namespace agree::checker {

template <class P>
concept HasPersistent = model::Protocol<P> && requires(const P& p, const typename P::State& s,
                                                       const std::vector<typename P::Action>& enabled) {
  { p.persistent(s, enabled) } -> std::same_as<std::optional<std::size_t>>;
};

// Optional: the protocol states that its state space has no cycle (every
// action grows some measure), so the partial-order reduction needs no proviso.
template <class P>
concept DeclaresAcyclic = requires { requires P::kAcyclic; };

// Lists the enabled actions of s and returns how many of them, a prefix of
// `out` past what it held, the search expands first: all of them, unless
// the model (a PorLayer) says otherwise.
template <class P>
std::size_t enabled(const P& p, const typename P::State& s, std::vector<typename P::Action>& out) {
  if constexpr (requires { { p.enabled(s, out) } -> std::same_as<std::size_t>; }) {
    return p.enabled(s, out);
  } else {
    const std::size_t before = out.size();
    p.actions(s, out);
    return out.size() - before;
  }
}

// Does the search apply the cycle proviso for this model?
template <class P>
inline constexpr bool kNeedsProviso = requires { requires P::kReducing; } && !DeclaresAcyclic<P>;

template <HasPersistent P>
class PorLayer {
 public:
  using State = typename P::State;
  using Action = typename P::Action;
  static std::string_view name() { return model::name_of<P>(); }
  static std::string_view summary() { return model::summary_of<P>(); }
  static constexpr int kVersion = model::version_of<P>();
  static std::vector<model::ParamSpec> param_specs() { return model::param_specs_of<P>(); }
  static std::vector<std::string_view> action_kinds() { return model::action_kinds_of<P>(); }
  static std::size_t kind_of(const Action& a) { return model::kind_of<P>(a); }
  static constexpr bool kReducing = true;
  static constexpr bool kAcyclic = DeclaresAcyclic<P>;

  explicit PorLayer(P p) : p_(std::move(p)) {}

  std::vector<State> init_states() const { return p_.init_states(); }
  // Every enabled action, the persistent one first; returns 1 if there is
  // one, else how many were listed.
  std::size_t enabled(const State& s, std::vector<Action>& out) const {
    const std::size_t first = out.size();
    p_.actions(s, out);
    const std::vector<Action> all(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    if (const auto k = p_.persistent(s, all)) {
      const auto at = out.begin() + static_cast<std::ptrdiff_t>(first);
      std::rotate(at, at + static_cast<std::ptrdiff_t>(*k), at + static_cast<std::ptrdiff_t>(*k) + 1);
      return 1;
    }
    return all.size();
  }
  void actions(const State& s, std::vector<Action>& out) const { (void)enabled(s, out); }
  std::optional<State> next_state(State s, const Action& a) const { return p_.next_state(std::move(s), a); }
  std::string format_action(const Action& a) const { return p_.format_action(a); }
  std::string format_init(const State& s) const { return model::format_init(p_, s); }
  model::Description describe(const State& s) const { return model::describe(p_, s); }
  std::vector<properties::Property<State>> properties() const { return p_.properties(); }
  State representative(const State& s) const
    requires model::Symmetric<P>
  {
    return p_.representative(s);
  }
  int packed_bits() const
    requires model::Packable<P>
  {
    return p_.packed_bits();
  }
  std::uint64_t pack(const State& s) const
    requires model::Packable<P>
  {
    return p_.pack(s);
  }
  State unpack(std::uint64_t w) const
    requires model::Packable<P>
  {
    return p_.unpack(w);
  }

 private:
  P p_;
};

}  // namespace agree::checker
