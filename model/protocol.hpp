// model/protocol.hpp — the one contract that checker/ is templated on.
//
// A protocol is a value-type State plus pure functions over it (no globals, no
// clock, no randomness): the initial states, the actions enabled in a state (in
// a deterministic order: paths are stored as action indices), the successor for
// an action (std::nullopt when the action leaves the state as it was, a
// self-loop), how an action and a state print, and the properties that hold of
// it. The protocol object itself is the configuration: its fields are the
// parameters of protocols.md.
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/encode.hpp"
#include "model/params.hpp"
#include "properties/property.hpp"

namespace model {

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

// A state printed field by field; `agree replay` shows only the fields whose
// text changed (TLC's style), the HTML viewer all of them.
using Description = std::vector<std::pair<std::string, std::string>>;

template <class P>
concept Protocol = requires(const P& p, const typename P::State& s, const typename P::Action& a,
                            std::vector<typename P::Action>& out, const Params& params) {
  requires std::regular<typename P::State>;
  requires Encodable<typename P::State>;
  { P::kName } -> std::convertible_to<std::string_view>;
  { P::kSummary } -> std::convertible_to<std::string_view>;
  { P::kVersion } -> std::convertible_to<int>;  // bump when the semantics change: old traces are refused
  { P::param_specs() } -> std::same_as<std::vector<ParamSpec>>;
  { P::action_kinds() } -> std::same_as<std::vector<std::string_view>>;
  { P::kind_of(a) } -> std::convertible_to<std::size_t>;
  P{params};  // built from validated parameters
  { p.init_states() } -> std::same_as<std::vector<typename P::State>>;
  { p.actions(s, out) } -> std::same_as<void>;  // appends, deterministic order; guards live here
  { p.next_state(s, a) } -> std::same_as<std::optional<typename P::State>>;
  { p.format_action(a) } -> std::convertible_to<std::string>;
  { p.format_init(s) } -> std::convertible_to<std::string>;
  { p.describe(s) } -> std::same_as<Description>;
  { p.properties() } -> std::same_as<std::vector<properties::Property<typename P::State>>>;
};

// Optional: symmetry reduction. representative(s) maps s to one canonical
// member of its class under the protocol's symmetry (permutations of
// interchangeable processes), so that the checker stores one state per class
// (stateright's Representative, TLC's SYMMETRY). It must satisfy: s and
// representative(s) satisfy the same properties, and for every successor t of
// s, some successor of representative(s) has the representative of t.
template <class P>
concept Symmetric = Protocol<P> && requires(const P& p, const typename P::State& s) {
  { p.representative(s) } -> std::same_as<typename P::State>;
};

// Names used in every printout.
inline std::string proc_name(int p) { return "p" + std::to_string(p); }
inline std::string msg_name(int m) { return "m" + std::to_string(m); }

}  // namespace model
