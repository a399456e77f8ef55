// model/hooks.hpp — every optional part of a model, in one place.
//
// model::Protocol (model/protocol.hpp) is the core: State (a regular value
// type whose fields() lists every member, the canonical encoding), Action,
// init_states(), actions(s, out) — the guards —, next_state(s, a) — the
// effects —, format_action(a) and properties(). A model may add any of the
// following; each is detected with `requires`, and a model without it gets
// the default or the plain search.
//
// Identity and presentation (defaults in model/protocol.hpp):
//   static constexpr std::string_view kName, kSummary;
//   static constexpr int kVersion;                  traces of another version are refused
//   static std::vector<ParamSpec> param_specs();    with explicit Model(const Params&)
//   static std::vector<std::string_view> action_kinds();  static std::size_t kind_of(const Action&);
//   std::string format_init(const State&) const;
//   Description describe(const State&) const;       or State::field_names() for the default
//   std::vector<std::pair<std::string, std::string>> glossary() const;
//                                                  what describe()'s fields mean (a chart's legend)
//
// Configurations that make a property vacuous, said before a check:
//   std::vector<std::string> warnings() const;     "crash 3: every process may crash, ..."
//
// Sequence charts (model/events.hpp):
//   std::vector<std::string> lanes() const;
//   std::vector<Event> events(const State& before, const Action&, const State& after) const;
//
// Reductions, each with the argument for its soundness next to it in the model:
//   State representative(const State&) const;      symmetry (model::Symmetric, below)
//   std::optional<std::size_t> persistent(const State&, const std::vector<Action>& enabled) const;
//                                                  partial-order reduction (checker/por.hpp)
//   static constexpr bool kAcyclic = true;         no cycle: the reduction needs no proviso
//   Actor actor(const Action&) const;              who takes it, and is it a crash;
//   CrashCount crash_count(const State&) const;    with persistent() and kAcyclic: the reduction
//                                                  also under crash-stop faults (checker/por.hpp)
//
// Speed: a state that fits in 63 bits (model::Packable, model::PackedSuccessors below):
//   int packed_bits() const; std::uint64_t pack(const State&) const; State unpack(std::uint64_t) const;
//   void packed_successors(std::uint64_t, std::vector<PackedStep>&) const;
//
// Tree-shaped spaces (every state has one parent; checker/tree.hpp):
//   static constexpr bool kTreeShaped = true;
//   std::vector<std::pair<std::uint32_t, std::uint64_t>> symmetric_roots() const;
//   void merged_actions(const State&, std::vector<std::pair<std::uint32_t, std::uint64_t>>&) const;
//   std::vector<std::pair<std::string, std::string>> report_notes() const;
//
// Rules that keep traces replayable: actions() lists actions in a
// deterministic order (a path is action indices), next_state() is pure (no
// globals, clock or randomness), format_action() prints different text for
// different enabled actions, and fields() lists every member of State: a
// member left out would merge states that differ (--exact checks it on every
// state it stores and stops with an error naming the model).
#pragma once

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"
