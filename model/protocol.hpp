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
#include <cstdint>
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

// Optional: a fixed-width packing. packed_bits() is how many bits pack() needs
// for these parameters, or 0 when the state does not fit in 63; pack() must be
// injective on reachable states and unpack() its inverse. The explorer then
// keeps each state as one 64-bit word, in the frontier and (through a
// bijective mix) in the visited table, which makes that table exact: the
// packed state *is* the key, so no two states can collide (SPIN's and
// Stateright's compact stores do the same when a state fits a word).
template <class P>
concept Packable = Protocol<P> && requires(const P& p, const typename P::State& s, std::uint64_t w) {
  { p.packed_bits() } -> std::same_as<int>;
  { p.pack(s) } -> std::same_as<std::uint64_t>;
  { p.unpack(w) } -> std::same_as<typename P::State>;
};

// Optional, with Packable: the successors computed on the packed word itself,
// as a compiled model would (SPIN's pan.c, LTSmin's PINS on integer vectors):
// for state w, one PackedStep per action that actions(unpack(w)) lists, in
// the same order (so step k is action k, as traces record it), with its
// action kind and its packed successor, or self_loop where next_state
// returns nullopt. It must agree with actions() and next_state() exactly:
// tests/packed_test.cpp compares the two on every reachable state of small
// configurations.
struct PackedStep {
  std::uint64_t next;
  std::uint32_t kind;
  bool self_loop;
};
template <class P>
concept PackedSuccessors = Packable<P> && requires(const P& p, std::uint64_t w, std::vector<PackedStep>& out) {
  { p.packed_successors(w, out) } -> std::same_as<void>;
};

// Names used in every printout.
inline std::string proc_name(int p) { return "p" + std::to_string(p); }
inline std::string msg_name(int m) { return "m" + std::to_string(m); }

}  // namespace model
