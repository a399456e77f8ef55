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
// Soundness, for the protocols that provide the hook (each says why its
// actions are persistent next to the hook): persistent-set search reaches
// every terminal state of a finite state space (Godefroid 1996, Thm 4.3). The
// state spaces here are acyclic and every terminal state is reachable from any
// state, so (1) `termination`, judged in terminal states, is checked exactly;
// (2) the safety properties of these protocols are *stable* — once total-order,
// integrity or agreement is broken it stays broken, since delivery logs and
// decisions only grow — so a reachable violation leads to a violating terminal
// state, which the reduced search reaches; likewise the `sometimes` checks,
// which are stable too. What POR gives up: the counterexample is a shortest run
// of the reduced graph, not necessarily of the full one.
#pragma once

#include <optional>
#include <vector>

#include "model/protocol.hpp"

namespace checker {

template <class P>
concept HasPersistent = model::Protocol<P> && requires(const P& p, const typename P::State& s,
                                                       const std::vector<typename P::Action>& enabled) {
  { p.persistent(s, enabled) } -> std::same_as<std::optional<std::size_t>>;
};

inline bool por_requested(const std::string& reduce) { return reduce == "por" || reduce == "all"; }

template <HasPersistent P>
class PorLayer {
 public:
  using State = typename P::State;
  using Action = typename P::Action;
  static constexpr std::string_view kName = P::kName;
  static constexpr std::string_view kSummary = P::kSummary;
  static constexpr int kVersion = P::kVersion;
  static std::vector<model::ParamSpec> param_specs() { return P::param_specs(); }
  static std::vector<std::string_view> action_kinds() { return P::action_kinds(); }
  static std::size_t kind_of(const Action& a) { return P::kind_of(a); }

  explicit PorLayer(const model::Params& params) : p_(params) {}
  explicit PorLayer(P p) : p_(std::move(p)) {}

  std::vector<State> init_states() const { return p_.init_states(); }
  void actions(const State& s, std::vector<Action>& out) const {
    const std::size_t first = out.size();
    p_.actions(s, out);
    const std::vector<Action> enabled(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    if (const auto k = p_.persistent(s, enabled)) {
      out.resize(first);
      out.push_back(enabled[*k]);
    }
  }
  std::optional<State> next_state(State s, const Action& a) const { return p_.next_state(std::move(s), a); }
  std::string format_action(const Action& a) const { return p_.format_action(a); }
  std::string format_init(const State& s) const { return p_.format_init(s); }
  model::Description describe(const State& s) const { return p_.describe(s); }
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

}  // namespace checker
