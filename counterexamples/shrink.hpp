// counterexamples/shrink.hpp — make a counterexample shorter while it still
// breaks its property (delta debugging over the steps of a trace).
//
// A candidate is the current step list with a chunk of steps removed (halves,
// then quarters, ... then single steps; faults such as crash(p1) are steps
// like any other, so they go too when they are not needed). It is replayed
// leniently through the model's own transition functions: a step whose text is
// not enabled any more is skipped (removing ask(m0) drops the grant(m0) and
// multicast(m0) that depended on it in the same attempt), and the run is cut at
// the first state that violates the property (a step that differs only in its
// last argument, such as a ticket or a priority the removed steps changed, is
// taken in its new form when exactly one enabled action fits). The candidate
// is kept if it still violates; the result is the list of steps actually
// taken, so it replays strictly. Steps are only ever removed: the result is never longer
// than the input, and it fails the same property (for a terminal-state
// property, in a terminal state).
//
// A liveness counterexample (a lasso, or a run into a terminal state) is
// shrunk by the same chunk removal, but each candidate is replayed strictly
// and judged as a whole (lasso.hpp): every step must still be enabled, the
// cycle must still return to the state it left, be fair under the trace's
// fairness, and keep the property pending. A chunk comes out of the stem or
// out of the cycle, never across the two, and the cycle never empties: a lasso
// stays a lasso. As a step that another needs cannot be skipped here, the
// chunk slides one step at a time (O(n^2) replays of O(n) steps per size).
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "agree/counterexamples/replay.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/protocol.hpp"

namespace agree::counterexamples {

struct ShrinkResult {
  Trace trace;                 // the shorter trace (the input, truncated at its first violation, if nothing goes)
  std::size_t before = 0;      // steps in the input
  std::size_t attempts = 0;    // candidate replays
  bool reproduced = false;     // the input fails its property at all (if not, trace is the input)
};

namespace detail {

// Replays steps from s, skipping those not enabled; returns the steps taken up
// to and including the first violation, or nullopt if the property never fails.
template <model::Protocol P>
std::optional<std::vector<std::string>> lenient_failure(const P& p, const properties::Property<typename P::State>& prop,
                                                        typename P::State s, const std::vector<std::string>& steps) {
  std::vector<std::string> taken;
  if (violates(p, prop, s)) return taken;
  std::vector<typename P::Action> actions;
  for (const auto& text : steps) {
    actions.clear();
    p.actions(s, actions);
    const typename P::Action* chosen = nullptr;
    for (const auto& a : actions)
      if (p.format_action(a) == text) {
        chosen = &a;
        break;
      }
    std::string took = text;
    if (!chosen) {
      // The same step with another last argument (a ticket, a priority that
      // the removed steps changed), if exactly one enabled action is that.
      const auto cut = text.rfind(", ");
      if (cut == std::string::npos) continue;
      const std::string_view stem(text.data(), cut + 2);
      for (const auto& a : actions) {
        std::string t = p.format_action(a);
        if (t.size() < stem.size() || std::string_view(t).substr(0, stem.size()) != stem ||
            t.find(", ", stem.size()) != std::string::npos)
          continue;
        if (chosen) {
          chosen = nullptr;  // ambiguous: skip the step
          break;
        }
        chosen = &a;
        took = std::move(t);
      }
      if (!chosen) continue;
    }
    if (auto next = p.next_state(s, *chosen)) s = std::move(*next);
    taken.push_back(std::move(took));
    if (violates(p, prop, s)) return taken;
  }
  return std::nullopt;
}

// shrink() for a liveness property: strict replays, a lasso kept a lasso.
template <model::Protocol P>
ShrinkResult shrink_liveness(const P& p, const Trace& t, const std::string& file) {
  ShrinkResult res;
  res.before = t.steps.size();
  res.trace = t;
  ++res.attempts;
  if (!replay(p, t, file, nullptr).reproduced) return res;  // throws TraceError, naming the line, for a bad step
  res.reproduced = true;
  const auto still_fails = [&](const Trace& c) {
    try {
      return replay(p, c, file, nullptr).reproduced;
    } catch (const TraceError&) {  // a step the removal disabled
      return false;
    }
  };
  Trace cur = t;
  cur.step_lines.clear();
  std::size_t chunk = std::max<std::size_t>(cur.steps.size() / 2, 1);
  for (;;) {
    bool progress = false;
    for (std::size_t i = 0; i < cur.steps.size();) {
      const std::size_t len = std::min(chunk, cur.steps.size() - i);
      Trace candidate = cur;
      if (cur.cycle) {  // stem: steps [0, k); cycle: [k, n)
        const std::size_t k = *cur.cycle, n = cur.steps.size();
        const bool in_stem = i + len <= k, in_cycle = i >= k && len < n - k;
        if (!in_stem && !in_cycle) {
          ++i;
          continue;
        }
        if (in_stem) candidate.cycle = k - len;
      }
      candidate.steps.erase(candidate.steps.begin() + static_cast<std::ptrdiff_t>(i),
                            candidate.steps.begin() + static_cast<std::ptrdiff_t>(i + len));
      ++res.attempts;
      if (still_fails(candidate)) {
        cur = std::move(candidate);
        progress = true;
      } else {
        ++i;  // a sliding window: strict replays need a step and the ones it enables to go together
      }
    }
    if (progress) continue;
    if (chunk == 1) break;
    chunk = (chunk + 1) / 2;  // every size down to 1: 3, 2, 1 rather than 3, 1
  }
  res.trace = std::move(cur);
  return res;
}

}  // namespace detail

// t's header must already match P. Throws TraceError for an unknown property
// or initial state.
template <model::Protocol P>
ShrinkResult shrink(const P& p, const Trace& t, const std::string& file) {
  std::vector<properties::Property<typename P::State>> props;
  const auto* prop = find_property(p, t.property, props);
  if (!prop || prop->expectation == properties::Expectation::Sometimes)
    throw TraceError(file, t.property_line, "'" + t.property + "' is not a property of " + std::string(model::name_of<P>()));
  if (properties::is_liveness(prop->expectation)) return detail::shrink_liveness(p, t, file);
  std::optional<typename P::State> init;
  for (const auto& i : p.init_states())
    if (model::format_init(p, i) == t.init) init = i;
  if (!init) throw TraceError(file, t.init_line, "'" + t.init + "' is not an initial state of " + std::string(model::name_of<P>()));

  ShrinkResult res;
  res.before = t.steps.size();
  res.trace = t;
  (void)replay(p, t, file, nullptr);  // strictly: throws TraceError, naming the line, if a step is not enabled
  ++res.attempts;
  auto first = detail::lenient_failure(p, *prop, *init, t.steps);  // every step is enabled: this is the strict run
  if (!first) return res;
  res.reproduced = true;
  std::vector<std::string> cur = *first;

  std::size_t chunk = std::max<std::size_t>(cur.size() / 2, 1);
  while (!cur.empty()) {
    bool progress = false;
    for (std::size_t i = 0; i < cur.size();) {
      const std::size_t len = std::min(chunk, cur.size() - i);
      std::vector<std::string> candidate(cur.begin(), cur.begin() + static_cast<std::ptrdiff_t>(i));
      candidate.insert(candidate.end(), cur.begin() + static_cast<std::ptrdiff_t>(i + len), cur.end());
      ++res.attempts;
      if (auto got = detail::lenient_failure(p, *prop, *init, candidate); got && got->size() < cur.size()) {
        cur = std::move(*got);
        progress = true;
      } else {
        i += len;
      }
    }
    if (progress) continue;  // try the same chunk size again on the shorter list
    if (chunk == 1) break;
    chunk /= 2;
  }
  res.trace.steps = std::move(cur);
  res.trace.step_lines.clear();
  return res;
}

}  // namespace agree::counterexamples
