// checker/live_expand.hpp — one thread's view of a state for the liveness
// check's graph (live_build.hpp): its successors with their keys and
// fairness groups, and what the graph records of a new state.
//
// A model that steps on its packed word and numbers its fairness groups
// (model::PackedSuccessors with PackedStep::group) is expanded word by word,
// as bfs_worker.hpp does: a State is built only for a new node (its
// properties) or a terminal one. Any other model: actions() and next_state()
// on the State.
//
// Fairness groups: a model with NumberedFairness gives each action its
// number; otherwise a group is the action's name, and the expander numbers
// the names it meets as first seen (reset_names() starts a new numbering:
// the K-thread build numbers each chunk's names apart and maps them to the
// graph's numbering in chunk order, which is the one-thread build's order).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "agree/checker/live_graph.hpp"
#include "agree/model/protocol.hpp"
#include "agree/properties/property.hpp"

namespace agree::checker::detail {

template <model::Protocol P, class Codec>
class LiveExpander {
 public:
  using State = typename P::State;
  using Action = typename P::Action;
  static constexpr bool kPackedSteps = Codec::kExactKeys && model::PackedSuccessors<P> && model::NumberedFairness<P>;
  using Item = std::conditional_t<kPackedSteps, std::uint64_t, State>;  // what a frontier holds
  struct Successor {
    Item item;        // unset for a self-loop
    Fingerprint key;  // 0 for a self-loop (no state's key is 0)
    std::uint32_t group;
  };

  explicit LiveExpander(const P& p) : p_(p), codec_(p), fired_(model::action_kinds_of<P>().size()) {}

  // The successors of one state, in action order; prefetch(key) is called
  // for each as soon as its key is known.
  template <class Prefetch>
  void successors(const State& s, std::vector<Successor>& out, Prefetch&& prefetch) {
    actions_.clear();
    p_.actions(s, actions_);
    for (const auto& a : actions_) {
      ++fired_[model::kind_of<P>(a)];
      auto t = p_.next_state(s, a);
      const Fingerprint k = t ? key(*t) : 0;
      if (t) prefetch(k);
      out.push_back({t ? std::move(*t) : State{}, k, group_of(a)});
    }
  }
  template <class Prefetch>
  void successors(std::uint64_t w, std::vector<Successor>& out, Prefetch&& prefetch) {
    steps_.clear();
    p_.packed_successors(w, steps_);
    bool missing = false;
    for (const auto& st : steps_) {
      ++fired_[st.kind];
      const Fingerprint k = st.self_loop ? 0 : packed_key(st.next);
      if (!st.self_loop) prefetch(k);
      out.push_back({st.next, k, numbered(st.group)});
      missing = missing || st.group == model::PackedStep::kNoGroup;
    }
    if (missing) {  // the model left the groups to its actions
      actions_.clear();
      p_.actions(p_.unpack(w), actions_);
      for (std::size_t k = 0; k < out.size(); ++k) out[k].group = group_of(actions_.at(k));
    }
  }

  Fingerprint key(const State& s) { return Codec::key(codec_.encode(s)); }
  std::string_view encode(const State& s) { return codec_.encode(s); }
  const State& as_state(const State& s) const { return s; }
  State as_state(std::uint64_t w) const { return p_.unpack(w); }
  Item item(State s) const {
    if constexpr (kPackedSteps) return p_.pack(s);
    else return s;
  }

  // Per action kind, how often it fired here.
  [[nodiscard]] const std::vector<std::uint64_t>& fired() const { return fired_; }
  // Named groups: the names numbered since the last reset, in that order.
  [[nodiscard]] std::vector<std::string>& names() { return names_; }
  void reset_names() {
    ids_ = GroupNames{};
    names_.clear();
  }
  // Numbered groups: one more than the highest seen.
  [[nodiscard]] std::uint32_t groups() const { return groups_; }

 private:
  std::uint32_t group_of(const Action& a) {
    if constexpr (model::NumberedFairness<P>) return numbered(p_.fairness_group(a));
    else return ids_.id(model::fairness_group_name_of(p_, a), names_);
  }
  std::uint32_t numbered(std::uint32_t k) {
    if (k != model::PackedStep::kNoGroup && k >= groups_) groups_ = k + 1;
    return k;
  }

  const P& p_;
  Codec codec_;
  std::vector<std::uint64_t> fired_;
  std::vector<Action> actions_;
  std::vector<model::PackedStep> steps_;
  GroupNames ids_;
  std::vector<std::string> names_;
  std::uint32_t groups_ = 0;
};

// A new node's bits: per liveness property, whether it holds and whether its
// trigger does (live_graph.hpp).
template <class State>
std::uint64_t live_bits(const std::vector<properties::Property<State>>& live, const State& s) {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < live.size(); ++i) {
    bits |= std::uint64_t{live[i].holds(s)} << (2 * i);
    if (live[i].trigger) bits |= std::uint64_t{live[i].trigger(s)} << (2 * i + 1);
  }
  return bits;
}

}  // namespace agree::checker::detail
