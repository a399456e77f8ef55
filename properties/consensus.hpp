// properties/consensus.hpp — the properties of agreement under crash
// failures, defined once and shared by every protocol that decides (vote,
// floodset) or commits (twophase).
//
// Like properties/delivery.hpp, each takes the number of processes and small
// accessors, so a protocol passes views of its own state and nothing is copied.
// A decision accessor returns std::optional<V>: std::nullopt while the process
// has not decided.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

namespace agree::properties {

// agreement: no two processes decided differently. Which processes count
// (crashed ones included, or only those alive at the end) is the protocol's
// choice: its accessor returns std::nullopt for those that do not count.
template <class Decision>
bool agreement(int procs, Decision&& decision) {
  for (int p = 0; p < procs; ++p) {
    const auto a = decision(p);
    if (!a) continue;
    for (int q = p + 1; q < procs; ++q) {
      const auto b = decision(q);
      if (b && *b != *a) return false;
    }
  }
  return true;
}

// validity, given the common input when there is one: if every process
// started with the same value v (`unanimous` holds v), every decision is v.
template <class V, class Decision>
bool validity_given(int procs, const std::optional<V>& unanimous, Decision&& decision) {
  if (!unanimous) return true;
  for (int p = 0; p < procs; ++p) {
    const auto d = decision(p);
    if (d && *d != *unanimous) return false;
  }
  return true;
}

// validity: if every input is v, every decision is v.
template <class Input, class Decision>
bool validity(int procs, Input&& input, Decision&& decision) {
  using V = std::decay_t<decltype(input(0))>;
  if (procs <= 0) return true;
  const V first = input(0);
  for (int p = 1; p < procs; ++p)
    if (!(input(p) == first)) return validity_given(procs, std::optional<V>{}, decision);
  const std::optional<V> common = first;
  return validity_given(procs, common, decision);
}

// termination (judged in terminal states): every alive process has decided.
// (The multicast termination of delivery.hpp takes five arguments; this one three.)
template <class Alive, class Decision>
bool termination(int procs, Alive&& alive, Decision&& decision) {
  for (int p = 0; p < procs; ++p)
    if (alive(p) && !decision(p)) return false;
  return true;
}

// ---- Why a property fails, in words (Property::explain); "" where it holds.
// `name(p)` names a process, `value(v)` a decision.

template <class Decision, class Name, class Value>
std::string agreement_why(int procs, Decision&& decision, Name&& name, Value&& value) {
  for (int p = 0; p < procs; ++p) {
    const auto a = decision(p);
    if (!a) continue;
    for (int q = p + 1; q < procs; ++q) {
      const auto b = decision(q);
      if (b && *b != *a) return name(p) + " decided " + value(*a) + ", " + name(q) + " decided " + value(*b);
    }
  }
  return "";
}

template <class Input, class Decision, class Name, class Value>
std::string validity_why(int procs, Input&& input, Decision&& decision, Name&& name, Value&& value) {
  if (procs <= 0) return "";
  for (int p = 1; p < procs; ++p)
    if (!(input(p) == input(0))) return "";
  for (int p = 0; p < procs; ++p) {
    const auto d = decision(p);
    if (d && !(*d == input(0)))
      return "every input is " + value(input(0)) + ", but " + name(p) + " decided " + value(*d);
  }
  return "";
}

template <class Alive, class Decision, class Name>
std::string termination_why(int procs, Alive&& alive, Decision&& decision, Name&& name) {
  std::string stuck;
  for (int p = 0; p < procs; ++p)
    if (alive(p) && !decision(p)) stuck += (stuck.empty() ? "" : ", ") + name(p);
  return stuck.empty() ? "" : "nothing more can happen, and " + stuck + " (alive) never decide" + (stuck.find(',') == std::string::npos ? "s" : "");
}

// consistency (two-phase commit): no participant committed while another
// aborted.
template <class Committed, class Aborted>
bool consistency(int procs, Committed&& committed, Aborted&& aborted) {
  bool some_committed = false, some_aborted = false;
  for (int p = 0; p < procs; ++p) {
    some_committed = some_committed || committed(p);
    some_aborted = some_aborted || aborted(p);
  }
  return !(some_committed && some_aborted);
}

}  // namespace agree::properties
