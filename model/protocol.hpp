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

#include "agree/model/describe.hpp"
#include "agree/model/encode.hpp"
#include "agree/model/params.hpp"
#include "agree/properties/property.hpp"

namespace agree::model {

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

// The core of a model: what it must say. Everything else has a default
// (model/hooks.hpp lists the optional parts and the reductions' hooks).
template <class P>
concept Protocol = requires(const P& p, const typename P::State& s, const typename P::Action& a,
                            std::vector<typename P::Action>& out) {
  requires std::regular<typename P::State>;
  requires Encodable<typename P::State>;  // fields(): the canonical encoding, every member listed
  requires std::copy_constructible<typename P::Action>;
  { p.init_states() } -> std::same_as<std::vector<typename P::State>>;
  { p.actions(s, out) } -> std::same_as<void>;  // appends, deterministic order; guards live here
  { p.next_state(s, a) } -> std::same_as<std::optional<typename P::State>>;  // nullopt: a self-loop
  { p.format_action(a) } -> std::convertible_to<std::string>;
  { p.properties() } -> std::same_as<std::vector<properties::Property<typename P::State>>>;
};

// The optional parts, each read through one function that supplies its
// default. A model says them as members:
//   static constexpr std::string_view kName, kSummary;   default: the type's name in lower case, ""
//   static constexpr int kVersion;                       default 1; bump when the semantics change
//   static std::vector<ParamSpec> param_specs();         default: none, and P is default-constructed
//   explicit P(const Params&);                           built from validated parameters
//   static std::vector<std::string_view> action_kinds(); default: the Action variant's alternatives
//   static std::size_t kind_of(const Action&);           default: the alternative's index
//   std::string format_init(const State&) const;         default "initial" (or "initial #k")
//   Description describe(const State&) const;            default: each of fields(), printed
template <class P>
std::string_view name_of() {
  if constexpr (requires { P::kName; }) {
    return P::kName;
  } else if constexpr (requires { P::name(); }) {
    return P::name();  // a layer over a model (checker/por.hpp) forwards its model's
  } else {
    static const std::string name = detail::lower(detail::type_name<P>());
    return name;
  }
}
template <class P>
std::string_view summary_of() {
  if constexpr (requires { P::kSummary; }) return P::kSummary;
  else if constexpr (requires { P::summary(); }) return P::summary();
  else return "";
}
template <class P>
constexpr int version_of() {
  if constexpr (requires { P::kVersion; }) return P::kVersion;
  else return 1;
}
template <class P>
std::vector<ParamSpec> param_specs_of() {
  if constexpr (requires { P::param_specs(); }) return P::param_specs();
  else return {};
}
// Builds the model from validated parameters (or default-constructs one that has none).
template <class P>
P make(const Params& params) {
  if constexpr (std::constructible_from<P, const Params&>) return P(params);
  else return P{};
}
template <class P>
std::vector<std::string_view> action_kinds_of() {
  if constexpr (requires { P::action_kinds(); }) {
    return P::action_kinds();
  } else if constexpr (detail::IsVariant<typename P::Action>) {
    static const auto names = detail::alternative_names<typename P::Action>();
    return {names.begin(), names.end()};
  } else {
    return {"action"};
  }
}
template <class P>
std::size_t kind_of(const typename P::Action& a) {
  if constexpr (requires { P::kind_of(a); }) return P::kind_of(a);
  else if constexpr (detail::IsVariant<typename P::Action>) return a.index();
  else return 0;
}
template <class P>
std::string format_init(const P& p, const typename P::State& s) {
  if constexpr (requires { p.format_init(s); }) {
    return p.format_init(s);
  } else {
    const auto inits = p.init_states();
    if (inits.size() <= 1) return "initial";
    for (std::size_t k = 0; k < inits.size(); ++k)
      if (inits[k] == s) return "initial #" + std::to_string(k);
    return "initial ?";
  }
}
template <class P>
Description describe(const P& p, const typename P::State& s) {
  if constexpr (requires { p.describe(s); }) return p.describe(s);
  else return detail::describe_fields(s);
}
// Optional: what the fields describe() prints mean, once, for a chart's
// legend ({"p0.A", "..."} or a suffix {"A", "..."} shared by every process).
template <class P>
std::vector<std::pair<std::string, std::string>> glossary_of(const P& p) {
  if constexpr (requires { p.glossary(); }) return p.glossary();
  else return {};
}

// Optional: fairness, for the liveness check (checker/liveness.hpp). Each
// action belongs to one fairness group; fairness speaks of groups: a group is
// enabled in a state when one of its actions is, and taken by a step that
// takes one of them (TLA+'s WF_vars(A) for the disjunction A of the group).
// A model says
//   std::string fairness_group(const Action&) const;      a group by its name
// or, to spare the search a string per transition,
//   std::uint32_t fairness_group(const Action&) const;    a group by number,
//   std::string fairness_group_name(std::uint32_t) const; and its name
// Default: each action is its own group, named as format_action prints it
// (fairness per action instance, the strongest reading).
//   static constexpr properties::Fairness kFairness;      default Weak
// is the fairness a check assumes unless told otherwise (--fairness).
template <class P>
constexpr properties::Fairness default_fairness_of() {
  if constexpr (requires { P::kFairness; }) return P::kFairness;
  else if constexpr (requires { P::fairness(); }) return P::fairness();  // a layer forwards its model's
  else return properties::Fairness::Weak;
}
template <class P>
concept NumberedFairness = requires(const P& p, const typename P::Action& a, std::uint32_t g) {
  { p.fairness_group(a) } -> std::same_as<std::uint32_t>;
  { p.fairness_group_name(g) } -> std::convertible_to<std::string>;
};
// The group's name, for any model (a numbered group prints through fairness_group_name).
template <class P>
std::string fairness_group_name_of(const P& p, const typename P::Action& a) {
  if constexpr (NumberedFairness<P>) return p.fairness_group_name(p.fairness_group(a));
  else if constexpr (requires { { p.fairness_group(a) } -> std::convertible_to<std::string>; }) return p.fairness_group(a);
  else return p.format_action(a);
}

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
// configurations. `group` (since 0.5.2, optional): with NumberedFairness, the
// action's fairness_group(), which lets the liveness check step on the word
// too; a step that leaves it kNoGroup has its group taken from actions().
struct PackedStep {
  static constexpr std::uint32_t kNoGroup = 0xffffffffu;
  std::uint64_t next;
  std::uint32_t kind;
  bool self_loop;
  std::uint32_t group = kNoGroup;
};
template <class P>
concept PackedSuccessors = Packable<P> && requires(const P& p, std::uint64_t w, std::vector<PackedStep>& out) {
  { p.packed_successors(w, out) } -> std::same_as<void>;
};

// Crash-stop faults, for the partial-order reduction (checker/por.hpp,
// model::CrashStop there): who takes an action, and whether it is a crash;
// how many processes have crashed in a state and how many more may.
struct Actor {
  int process;
  bool crash;
};
struct CrashCount {
  int crashed;
  int left;
};

// Names used in every printout.
inline std::string proc_name(int p) { return "p" + std::to_string(p); }
// The warnings() of a model whose crash bound F lets every one of its
// `processes` crash: every terminal state then has nobody alive.
inline std::vector<std::string> every_process_may_crash(int f, int processes) {
  if (f < processes) return {};
  return {"crash " + std::to_string(f) + ": every one of the " + std::to_string(processes) +
          " processes may crash, and a run ends only when " + std::to_string(processes) +
          " have, so termination holds vacuously (nobody is left to deliver)"};
}
inline std::string msg_name(int m) { return "m" + std::to_string(m); }

}  // namespace agree::model
