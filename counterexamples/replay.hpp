// counterexamples/replay.hpp — rebuild states from a path or a trace by
// re-executing the protocol's own transition functions.
//
// A trace step names its action in the text `format_action` prints; replay
// computes the enabled actions and takes the one whose text matches, so a
// trace that drifted from the model fails loudly at the first step that no
// longer fits (SPIN's lost_trail), naming the line.
#pragma once

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "agree/checker/options.hpp"
#include "agree/counterexamples/lasso.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/protocol.hpp"

namespace agree::counterexamples {

// One step of a rebuilt run: the action taken (empty for the initial state)
// and the state after it.
template <class State>
struct Step {
  std::string action;
  State state;
};

// States along a path found by the checker. The path came from this very
// model, so a mismatch is a bug in the model's determinism: it throws.
//
// With symmetry reduction the path was found among representatives: action k
// is the k-th action of a representative state. The concrete run is rebuilt
// alongside: at each step it takes the concrete action whose successor has the
// same representative, so the trace is a real run of the protocol.
template <model::Protocol P>
std::vector<Step<typename P::State>> rebuild(const P& p, const checker::Path& path, bool symmetry = false) {
  auto inits = p.init_states();
  if (path.init >= inits.size()) throw std::logic_error("path names a missing initial state");
  std::vector<Step<typename P::State>> steps{{"", inits[path.init]}};
  if constexpr (model::Symmetric<P>) {
    if (symmetry) {
      auto r = p.representative(steps.back().state);
      std::vector<typename P::Action> rep_actions, actions;
      for (const auto k : path.actions) {
        rep_actions.clear();
        p.actions(r, rep_actions);
        if (k >= rep_actions.size()) throw std::logic_error("replay diverged: actions() is not deterministic");
        auto rn = p.next_state(r, rep_actions[k]);
        const auto target = p.representative(rn ? *rn : r);
        const auto& c = steps.back().state;
        actions.clear();
        p.actions(c, actions);
        bool found = false;
        for (const auto& b : actions) {
          auto cn = p.next_state(c, b);
          auto next = cn ? std::move(*cn) : c;
          if (p.representative(next) == target) {
            steps.push_back({p.format_action(b), std::move(next)});
            found = true;
            break;
          }
        }
        if (!found) throw std::logic_error("symmetry: representative() does not commute with the transitions");
        r = target;
      }
      return steps;
    }
  }
  std::vector<typename P::Action> actions;
  for (const auto k : path.actions) {
    const auto& s = steps.back().state;
    actions.clear();
    p.actions(s, actions);
    if (k >= actions.size())
      throw std::logic_error("replay diverged: the model's actions() is not deterministic");
    auto next = p.next_state(s, actions[k]);
    steps.push_back({p.format_action(actions[k]), next ? std::move(*next) : s});
  }
  return steps;
}

template <model::Protocol P>
const properties::Property<typename P::State>* find_property(const P& p, const std::string& name,
                                                              std::vector<properties::Property<typename P::State>>& store) {
  store = p.properties();
  for (const auto& prop : store)
    if (prop.name == name) return &prop;
  return nullptr;
}

// Does the final state of a run violate the property? For a terminal-state
// property the state must also be terminal.
template <model::Protocol P>
bool violates(const P& p, const properties::Property<typename P::State>& prop, const typename P::State& s) {
  if (prop.expectation == properties::Expectation::Sometimes) return false;
  if (properties::is_liveness(prop.expectation)) return false;  // no one state does: judge_lasso judges the run
  if (prop.holds(s)) return false;
  if (prop.expectation == properties::Expectation::Terminal) {
    std::vector<typename P::Action> actions;
    p.actions(s, actions);
    return actions.empty();
  }
  return true;
}

// Does the final state of a run show what its trace claims? A violation for a
// safety or terminal-state property; for a reachability (`sometimes`)
// property the trace is a witness, and reproduces when its last state
// reaches the property (a walkthrough of a correct run, docs/walkthroughs/).
template <model::Protocol P>
bool reproduces(const P& p, const properties::Property<typename P::State>& prop, const typename P::State& s) {
  if (prop.expectation == properties::Expectation::Sometimes) return prop.holds(s);
  return violates(p, prop, s);
}

// "total-order is violated after step 16", or "all-delivered is reached after step 12".
inline std::string outcome_text(const std::string& property, bool witness, std::size_t steps) {
  return property + (witness ? " is reached after step " : " is violated after step ") + std::to_string(steps);
}

template <model::Protocol P>
Trace make_trace(const P& p, const std::string& parameters, const checker::Violation& v, bool symmetry = false) {
  const auto steps = rebuild(p, v.path, symmetry);
  Trace t;
  t.protocol = std::string(model::name_of<P>());
  t.model_version = model::version_of<P>();
  t.parameters = parameters;
  t.property = v.property;
  t.init = model::format_init(p, steps.front().state);
  for (std::size_t i = 1; i < steps.size(); ++i) t.steps.push_back(steps[i].action);
  if (v.path.cycle) t.cycle = *v.path.cycle;
  return t;
}

// The path a trace of P takes: its initial state's index and, for each step,
// the index of the action with that text among every action enabled there
// (checker::Path's form, reductions or not). Throws TraceError naming the
// line that does not fit.
template <model::Protocol P>
checker::Path path_of(const P& p, const Trace& t, const std::string& file) {
  checker::Path path;
  const auto inits = p.init_states();
  std::optional<typename P::State> s;
  for (std::size_t k = 0; k < inits.size() && !s; ++k)
    if (model::format_init(p, inits[k]) == t.init) {
      s = inits[k];
      path.init = static_cast<std::uint32_t>(k);
    }
  if (!s) throw TraceError(file, t.init_line, "'" + t.init + "' is not an initial state of " + std::string(model::name_of<P>()));
  std::vector<typename P::Action> enabled;
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    enabled.clear();
    p.actions(*s, enabled);
    std::size_t k = 0;
    while (k < enabled.size() && p.format_action(enabled[k]) != t.steps[i]) ++k;
    if (k == enabled.size())
      throw TraceError(file, i < t.step_lines.size() ? t.step_lines[i] : 0,
                       "step " + std::to_string(i + 1) + " '" + t.steps[i] + "' is not enabled here");
    path.actions.push_back(static_cast<std::uint32_t>(k));
    if (auto next = p.next_state(*s, enabled[k])) s = std::move(*next);
  }
  if (t.cycle) path.cycle = static_cast<std::uint32_t>(*t.cycle);
  return path;
}

namespace detail {

// The items of a set printed as "{a, b(c, d), e}", split at the top-level
// commas; nullopt when the text is not of that form.
inline std::optional<std::vector<std::string>> set_items(const std::string& text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::vector<std::string> items;
  int depth = 0;
  std::string cur;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    const char c = text[i];
    depth += (c == '(' || c == '[' || c == '{') - (c == ')' || c == ']' || c == '}');
    if (c == ',' && depth == 0) {
      items.push_back(cur);
      cur.clear();
      if (i + 2 < text.size() && text[i + 1] == ' ') ++i;
      continue;
    }
    cur += c;
  }
  if (!cur.empty()) items.push_back(cur);
  return items;
}

// "+ Agreed(m0, 2) o0->p1, - Msg(m0) o0->p0": what entered and left a set.
inline std::string set_change(const std::vector<std::string>& was, const std::vector<std::string>& now) {
  std::string out;
  for (const auto& x : now)
    if (std::find(was.begin(), was.end(), x) == was.end()) out += (out.empty() ? "+ " : ", + ") + x;
  for (const auto& x : was)
    if (std::find(now.begin(), now.end(), x) == now.end()) out += (out.empty() ? "- " : ", - ") + x;
  return out;
}

}  // namespace detail

// Prints the fields of `now` whose text differs from `before` (all of them
// when before is null). A set-valued field (the network, "{...}") that had
// items before is printed as what entered it (+) and left it (-).
inline void print_changes(std::ostream& out, const model::Description* before, const model::Description& now) {
  for (std::size_t i = 0; i < now.size(); ++i) {
    if (before && i < before->size() && (*before)[i] == now[i]) continue;
    if (before && i < before->size() && (*before)[i].first == now[i].first) {
      const auto was = detail::set_items((*before)[i].second);
      const auto is = detail::set_items(now[i].second);
      if (was && is && !was->empty() && !is->empty()) {
        out << "      " << now[i].first << ": " << detail::set_change(*was, *is) << '\n';
        continue;
      }
    }
    out << "      " << now[i].first << " = " << now[i].second << '\n';
  }
}

// Does the trace belong to this model? Its protocol name, model version and,
// when `parameters` is not empty, its parameters must be the model's. Throws
// TraceError naming the header line that does not fit.
template <model::Protocol P>
void check_identity(const Trace& t, const std::string& file, const std::string& parameters = {}) {
  const std::string name(model::name_of<P>());
  if (t.protocol != name)
    throw TraceError(file, t.protocol_line, "trace is for protocol '" + t.protocol + "', not " + name);
  if (t.model_version != model::version_of<P>())
    throw TraceError(file, t.version_line,
                     "trace is for " + t.protocol + " model version " + std::to_string(t.model_version) +
                         ", this agree has version " + std::to_string(model::version_of<P>()));
  if (!parameters.empty() && t.parameters != parameters)
    throw TraceError(file, t.parameters_line, "trace is for parameters '" + t.parameters + "', not '" + parameters + "'");
}

// Replays a parsed trace of P (the header is checked: check_identity), each
// step with what changed written to `out` if it is given. Throws TraceError
// (naming the line) when the trace does not fit the model.
template <model::Protocol P>
ReplayResult replay(const P& p, const Trace& t, const std::string& file, std::ostream* out) {
  check_identity<P>(t, file);
  std::vector<properties::Property<typename P::State>> props;
  const auto* prop = find_property(p, t.property, props);
  if (!prop)
    throw TraceError(file, t.property_line, "'" + t.property + "' is not a property of " + std::string(model::name_of<P>()));

  const auto inits = p.init_states();
  std::optional<typename P::State> s;
  for (const auto& i : inits)
    if (!s && model::format_init(p, i) == t.init) s = i;  // the first of that name, as path_of takes
  if (!s) throw TraceError(file, t.init_line, "'" + t.init + "' is not an initial state of " + std::string(model::name_of<P>()));
  model::Description before = model::describe(p, *s);
  const bool live = properties::is_liveness(prop->expectation);
  if (t.cycle && !live)
    throw TraceError(file, t.cycle_line, "a cycle, but " + t.property +
                                             " is not a liveness property (eventually or leads-to): a lasso says nothing of it");
  std::vector<typename P::State> run;     // liveness: every state, to judge the run as a whole
  std::vector<std::string> taken;         // and the fairness group of each step
  if (live) run.push_back(*s);
  if (out) {
    *out << "   0  init " << t.init << '\n';
    print_changes(*out, nullptr, before);
  }
  std::vector<typename P::Action> actions;
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    actions.clear();
    p.actions(*s, actions);
    const typename P::Action* chosen = nullptr;
    for (const auto& a : actions)
      if (p.format_action(a) == t.steps[i]) chosen = &a;
    if (!chosen) {
      std::string enabled;
      for (std::size_t k = 0; k < actions.size() && k < 8; ++k) enabled += (k ? "; " : "") + p.format_action(actions[k]);
      if (actions.size() > 8) enabled += "; ...";
      throw TraceError(file, i < t.step_lines.size() ? t.step_lines[i] : 0,  // a trace built in code has no lines
                       "step " + std::to_string(i + 1) + " '" + t.steps[i] + "' is not enabled here" +
                           (actions.empty() ? " (no action is enabled)" : " (enabled: " + enabled + ")"));
    }
    if (live) taken.push_back(model::fairness_group_name_of(p, *chosen));
    if (auto next = p.next_state(*s, *chosen)) s = std::move(*next);
    if (live) run.push_back(*s);
    const model::Description now = model::describe(p, *s);
    if (out) {
      *out << (i + 1 < 10 ? "   " : i + 1 < 100 ? "  " : " ") << (i + 1) << "  " << t.steps[i] << '\n';
      print_changes(*out, &before, now);
    }
    before = now;
  }
  if (live) return judge_lasso(p, *prop, t, run, taken);
  ReplayResult r;
  const bool witness = prop->expectation == properties::Expectation::Sometimes;
  r.reproduced = reproduces(p, *prop, *s);
  r.message = r.reproduced ? "reproduced: " + outcome_text(t.property, witness, t.steps.size())
              : witness    ? "not reproduced: " + t.property + " is not reached at the end of the trace"
                           : "not reproduced: " + t.property + " holds at the end of the trace" +
                              (prop->expectation == properties::Expectation::Terminal ? " (or the last state is not terminal)" : "");
  if (r.reproduced && !witness && prop->explain) r.explanation = prop->explain(*s);
  return r;
}

}  // namespace agree::counterexamples
