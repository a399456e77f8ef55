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
// its header says why) needs no proviso, and the searches skip it. The
// distributed search cannot ask whether a successor was new (its owner may be
// another rank) and applies a static form of the proviso instead: it expands
// fully a state whose persistent successor's encoding is not greater than its
// own (checker/distributed.hpp says why that is sound).
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
//
// Crash-stop faults (model::CrashStop: the hooks actor() and crash_count()
// beside persistent() and kAcyclic). A crash stays enabled until F processes
// have crashed and disables every action of its process, so no action of a
// process that may still crash forms a persistent set alone, and the plain
// layer would reduce nothing before the F-th crash. The layer then reduces by
// *crashing last* instead. What the model promises, which
// tests/crash_por_test.cpp checks on every reachable state of small
// configurations:
//  (1) crash(x) disables exactly the actions of x (and, the budget spent,
//      every crash), and enables none;
//  (2) crash(x) commutes with every action b of another process: b is enabled
//      after crash(x) iff before it, and both orders reach the same state (a
//      message to x is discarded at the crash or when sent after it);
//  (3) a crash changes no `always` property's truth, and those properties are
//      stable; the initial states have no crash;
//  (4) persistent() names an action that is persistent among the actions
//      that are not crashes (the crash-free system), from the state alone:
//      it may be handed only some of the enabled actions; kAcyclic.
// The argument. By (2), in any run a crash(x) moves past every later action
// (x takes none after it), so every reachable state w is crash_C(u): u
// reached without a crash, then the crashes C. A terminal w also needs
// E(u) ⊆ C, E(u) being the processes with an enabled action in u (by (1)),
// and |C| ≤ F. So the reduced graph is:
//  - in a state with no crash and budget k > 0: persistent actions of k+1
//    different processes (each from persistent() over the actions of the
//    processes not yet chosen), or every action that is not a crash when
//    there are fewer; and, when |E(u)| ≤ k, the crashes that can start a
//    final block;
//  - in a state with a crash (inside that block): only crashes, crash(x)
//    when |E \ {x}| ≤ k − 1, so the block can always end in a terminal state
//    (E shrinks by x, k by one) and every block order of every fitting C is
//    taken;
//  - with budget 0 (F = 0): persistent() alone, as above.
// Every crash-free u with |E(u)| ≤ k is reached: by induction on a shortest
// path σ from the current state to u, one of the k+1 chosen processes, p, is
// not in E(u); if σ avoided p's persistent action a, a would still be enabled
// in u (persistence), so σ takes a, and a commutes to the front (Godefroid
// 1996, Lemma 4.1; a union of persistent sets is persistent). So every
// terminal state is reached (`termination` exact), and a reachable violation
// of an `always` property is one at some crash-free u (3), so at the crash-free
// terminal state every run from u ends in (stability, acyclic), which has
// E = ∅ and is reached. Every state the layer visits is reachable in the full
// graph, so no violation is invented. A crash-stop model that is not acyclic
// keeps the plain layer.
#pragma once

#include <algorithm>
#include <optional>
#include <vector>

#include "agree/checker/options.hpp"
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

// The reduction's name in a checkpoint's identity: a search saved before the
// crash-last reduction (0.5.3) explored another graph, and is not resumed.
template <class P>
std::string reduce_identity(Reduce r) {
  if constexpr (requires { requires P::kCrashesLast; }) return to_string(r) + " (crashes last)";
  return to_string(r);
}

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

// Optional: the model has crash-stop faults and says, per action, which
// process takes it and whether it is a crash, and per state how many
// processes crashed and how many more may; with persistent() and kAcyclic,
// the layer reduces under crashes too (the argument above).
template <class P>
concept CrashStop = HasPersistent<P> && DeclaresAcyclic<P> &&
                    requires(const P& p, const typename P::State& s, const typename P::Action& a) {
                      { p.actor(a) } -> std::same_as<model::Actor>;
                      { p.crash_count(s) } -> std::same_as<model::CrashCount>;
                    };

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
  static constexpr bool kCrashesLast = CrashStop<P>;

  explicit PorLayer(P p) : p_(std::move(p)) {}

  std::vector<State> init_states() const { return p_.init_states(); }
  // Every enabled action, the persistent one first; returns 1 if there is
  // one, else how many were listed.
  std::size_t enabled(const State& s, std::vector<Action>& out) const {
    const std::size_t first = out.size();
    p_.actions(s, out);
    if constexpr (CrashStop<P>)
      if (const model::CrashCount c = p_.crash_count(s); c.crashed > 0 || c.left > 0) return crash_last(s, out, first, c);
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
  // The actions [first, end) of s under crash-stop faults (the argument
  // above): the chosen ones moved to the front, in their order; returns how many.
  std::size_t crash_last(const State& s, std::vector<Action>& out, std::size_t first, model::CrashCount c) const
    requires CrashStop<P>
  {
    const std::size_t n = out.size() - first;
    std::vector<model::Actor> who(n);
    std::vector<int> busy;  // E: the processes with an enabled action that is not a crash
    for (std::size_t i = 0; i < n; ++i) {
      who[i] = p_.actor(out[first + i]);
      if (!who[i].crash && std::find(busy.begin(), busy.end(), who[i].process) == busy.end()) busy.push_back(who[i].process);
    }
    std::vector<char> take(n, 0);
    // crash(x) may start or go on with the final block if the rest of E fits in what is left after it.
    const auto fits = [&](int x) {
      const auto rest = static_cast<int>(busy.size()) - (std::find(busy.begin(), busy.end(), x) != busy.end() ? 1 : 0);
      return rest <= c.left - 1;
    };
    for (std::size_t i = 0; i < n; ++i)
      if (who[i].crash && fits(who[i].process)) take[i] = 1;
    if (c.crashed == 0) {
      // k+1 persistent actions of different processes, else every action that is not a crash.
      std::vector<int> chosen;
      std::vector<Action> pool;
      std::vector<std::size_t> at;
      while (static_cast<int>(chosen.size()) <= c.left) {
        pool.clear();
        at.clear();
        for (std::size_t i = 0; i < n; ++i)
          if (!who[i].crash && std::find(chosen.begin(), chosen.end(), who[i].process) == chosen.end()) {
            pool.push_back(out[first + i]);
            at.push_back(i);
          }
        const auto k = pool.empty() ? std::nullopt : p_.persistent(s, pool);
        if (!k) break;
        take[at[*k]] = 1;
        chosen.push_back(who[at[*k]].process);
      }
      if (static_cast<int>(chosen.size()) <= c.left)
        for (std::size_t i = 0; i < n; ++i)
          if (!who[i].crash) take[i] = 1;
    }
    std::vector<Action> front, back;
    for (std::size_t i = 0; i < n; ++i) (take[i] ? front : back).push_back(std::move(out[first + i]));
    const std::size_t count = front.size();
    out.resize(first);
    for (auto* part : {&front, &back})
      for (auto& a : *part) out.push_back(std::move(a));
    return count;
  }

  P p_;
};

}  // namespace agree::checker
