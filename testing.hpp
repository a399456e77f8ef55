// agree/testing.hpp — a model's checks as tests, in any test framework.
//
//   const auto o = agree::testing::holds(Token{4});             // complete search, every property holds
//   const auto v = agree::testing::violated_within(Bad{}, "mutual-exclusion", 6);
//   const auto d = agree::testing::discovers(Token{3}, "token-moved", {"pass(p0)"});   // Stateright's assert_discovery
//   const auto c = agree::testing::counts(Token{3}, 3);        // distinct states, --reduce none
//   if (!o) fail(o.message);                                   // the message holds the trace, replayable
//
// Each returns an Outcome: ok, and a message that says what was found (with
// the counterexample as trace text, which `agree replay` reads back).
// agree/testing/catch2.hpp turns an Outcome into a Catch2 check,
// agree/testing/rapidcheck.hpp makes random walks a RapidCheck property.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agree/agree.hpp"

namespace agree::testing {

struct Outcome {
  bool ok = false;
  std::string message;
  explicit operator bool() const { return ok; }
};

namespace detail {
inline std::string figures(const Report& r) {
  return std::to_string(r.distinct_states) + " states, " + std::to_string(r.transitions) + " transitions, depth " +
         std::to_string(r.depth);
}
inline std::string what(const Result& r) {
  std::string out = checker::to_string(r.report.verdict);
  if (r.report.verdict == Verdict::Incomplete) out += " (cut short: " + checker::to_string(r.report.cut) + ")";
  out += ", " + figures(r.report);
  if (!r.traces.empty()) out += "\n" + to_text(r.traces.front());
  for (const auto& reach : r.report.reachability)
    if (!reach.reached) out += "\nsometimes " + reach.name + ": never reached";
  return out;
}
inline Options single(Options o) {
  if (o.threads == 0) o.threads = 1;
  return o;
}
}  // namespace detail

// Every property holds and the search was complete (not cut by a limit),
// and every `sometimes` check was reached.
template <model::Protocol P>
Outcome holds(const P& p, Options o = {}) {
  const Result r = agree::check(p, detail::single(o));
  bool reached = true;
  for (const auto& reach : r.report.reachability) reached = reached && reach.reached;
  return {r.report.verdict == Verdict::Holds && reached, detail::what(r)};
}

// `property` is violated by a run of at most `steps` steps (breadth-first:
// the shortest violation is found). The message shows the trace.
template <model::Protocol P>
Outcome violated_within(const P& p, const std::string& property, std::size_t steps, Options o = {}) {
  o.search = Search::Bfs;
  o.search_chosen = true;
  o.properties = {property};
  const Result r = agree::check(p, detail::single(o));
  if (r.report.verdict != Verdict::Violated) return {false, property + " is not violated: " + detail::what(r)};
  const std::size_t n = r.traces.front().steps.size();
  return {n <= steps, property + " violated in " + std::to_string(n) + " steps (at most " + std::to_string(steps) +
                          " wanted)\n" + to_text(r.traces.front())};
}

// The run that starts in the first initial state and takes `path` (actions as
// format_action prints them) is a discovery of `property`: for a `sometimes`
// check it holds at the end, for an `always` property it fails there, for a
// terminal-state property the end is terminal and it fails there.
template <model::Protocol P>
Outcome discovers(const P& p, const std::string& property, const std::vector<std::string>& path) {
  const auto inits = p.init_states();
  if (inits.empty()) return {false, "the model has no initial state"};
  Trace t;
  t.protocol = std::string(model::name_of<P>());
  t.model_version = model::version_of<P>();
  t.property = property;
  t.init = model::format_init(p, inits.front());
  t.steps = path;
  t.step_lines.assign(path.size(), 0);
  for (std::size_t i = 0; i < path.size(); ++i) t.step_lines[i] = i + 1;
  std::vector<Property<typename P::State>> props = p.properties();
  const Property<typename P::State>* prop = nullptr;
  for (const auto& q : props)
    if (q.name == property) prop = &q;
  if (!prop) return {false, "'" + property + "' is not a property of " + t.protocol};
  try {
    // Replays step by step (TraceError names the step that is not enabled).
    typename P::State s = inits.front();
    std::vector<typename P::Action> actions;
    for (std::size_t i = 0; i < path.size(); ++i) {
      actions.clear();
      p.actions(s, actions);
      bool found = false;
      for (const auto& a : actions)
        if (p.format_action(a) == path[i]) {
          if (auto n = p.next_state(s, a)) s = std::move(*n);
          found = true;
          break;
        }
      if (!found) return {false, "step " + std::to_string(i + 1) + " '" + path[i] + "' is not enabled"};
    }
    bool ok = false;
    if (prop->expectation == properties::Expectation::Sometimes) ok = prop->holds(s);
    else ok = counterexamples::violates(p, *prop, s);
    return {ok, std::string(ok ? "a discovery of " : "not a discovery of ") + property + "\n" + to_text(t)};
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
}

// The model has exactly `states` distinct states (no reduction; exact store).
template <model::Protocol P>
Outcome counts(const P& p, std::uint64_t states, Options o = {}) {
  o.reduce = Reduce::None;
  o.exact = true;
  o.keep_going = true;
  const Result r = agree::check(p, detail::single(o));
  const bool complete = r.report.cut == Cut::None;
  return {complete && r.report.distinct_states == states,
          "expected " + std::to_string(states) + " states, found " + detail::figures(r.report) +
              (complete ? "" : " (cut short: " + checker::to_string(r.report.cut) + ")")};
}

}  // namespace agree::testing
