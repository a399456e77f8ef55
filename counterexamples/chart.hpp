// counterexamples/chart.hpp — a message sequence chart of a replayed trace.
//
// build_chart re-executes a trace through the protocol's own transition
// functions (the same matching of step text against format_action as
// replay.hpp) and records, for every step, the marks it leaves on the lanes
// (model/events.hpp: the protocol's events() hook when it has one, else one
// generic mark on the lane of the first pN in the action text) and the full
// state after it (describe), with the fields that changed. Messages become
// arrows from the row of their send to the row of their receipt. The last row
// is the step after which the property fails.
//
// One Chart, four printers: render_text (a terminal chart, also printed by
// `agree check` after a violation), render_mermaid (a sequenceDiagram),
// render_svg (a standalone picture) and render_html (one offline page with the
// chart, a step list and the state at every step).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agree/counterexamples/replay.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"

namespace agree::counterexamples {

struct Chart {
  static constexpr std::size_t kNever = SIZE_MAX;

  struct Row {
    std::size_t step = 0;               // 0: the initial state
    std::string action;                 // the step's text; the init's name for row 0
    std::vector<model::Event> events;   // lanes are indices into Chart::lanes
    model::Description state;           // after the step
    std::vector<std::size_t> changed;   // indices into state of the fields whose text changed
    std::vector<std::size_t> receipts;  // for each Receive event, in order: its index in Chart::arrows
  };
  // A message: sent at row `sent`, received at row `received` (kNever: still
  // in flight at the end, or discarded because its receiver crashed).
  struct Arrow {
    int from = 0, to = 0;
    std::size_t sent = 0, received = kNever;
    std::string label;
    bool lie = false;  // sent by a traitor with a value it was not given
  };

  std::string protocol, parameters, property;
  std::string expectation;            // "always" or "terminal states"
  std::vector<std::string> lanes;
  std::vector<Row> rows;              // rows[0] is the initial state; rows.back() the violating step
  std::vector<Arrow> arrows;          // in order of sending
  bool generic = false;               // the protocol has no events() hook: marks are guessed from the text
  bool reproduced = false;            // the property fails in the last state (a witness: is reached)
  bool witness = false;               // the property is a reachability one: the trace shows a run that reaches it
  // A lasso (a liveness counterexample, trace format 2): rows *cycle + 1 ..
  // rows.back() go round forever, back to the state of row *cycle. Every
  // printer draws the loop: text and Mermaid around those rows, SVG (and so
  // HTML) as an arrow in the margin from the last row back to the first.
  std::optional<std::size_t> cycle;
  std::string outcome;                // one line: "total-order is violated after step 16"
  std::string explanation;            // why, in words (the property's explain); "" when it has none
  // What the fields of the state mean, once ("A": "largest agreed number seen"):
  // the protocol's glossary() hook, empty without it.
  std::vector<std::pair<std::string, std::string>> glossary;

  [[nodiscard]] std::size_t violating_row() const { return rows.empty() ? 0 : rows.size() - 1; }
  [[nodiscard]] std::string title() const;  // "isis procs=3 ...: total-order violated after 16 steps"
};

// Pairs sends with receipts into arrows, and for a generic chart assigns
// lanes from the action text. Called by build_chart.
void finish_chart(Chart& c);

// The printers. render() picks one by name: text, mermaid, svg, html, json, itf
// (the last two in counterexamples/render_json.hpp); it
// throws std::invalid_argument for another name.
[[nodiscard]] std::string render_text(const Chart& c);
[[nodiscard]] std::string render_mermaid(const Chart& c);
[[nodiscard]] std::string render_svg(const Chart& c);
[[nodiscard]] std::string render_html(const Chart& c);
[[nodiscard]] std::string render(const Chart& c, std::string_view format);
inline constexpr std::string_view kRenderFormats = "text, mermaid, svg, html, json, itf";

namespace detail {
std::string xml_escape(std::string_view s);
// The <svg> element; standalone adds the XML declaration (render_svg), without
// it the element is inlined into the HTML page.
std::string svg(const Chart& c, bool standalone);
}  // namespace detail

// Replays t (whose header already matched P) and builds its chart. Throws
// TraceError, naming the line, when a step does not fit the model.
template <model::Protocol P>
Chart build_chart(const P& p, const Trace& t, const std::string& file) {
  using State = typename P::State;
  std::vector<properties::Property<State>> props;
  const auto* prop = find_property(p, t.property, props);
  if (!prop)
    throw TraceError(file, t.property_line, "'" + t.property + "' is not a property of " + std::string(model::name_of<P>()));
  std::optional<State> s;
  for (const auto& i : p.init_states())
    if (!s && model::format_init(p, i) == t.init) s = i;  // the first of that name, as path_of takes
  if (!s) throw TraceError(file, t.init_line, "'" + t.init + "' is not an initial state of " + std::string(model::name_of<P>()));

  Chart c;
  c.protocol = std::string(model::name_of<P>());
  c.parameters = t.parameters;
  c.property = t.property;
  c.expectation = std::string(properties::to_string(prop->expectation));
  c.generic = !model::HasEvents<P>;
  if constexpr (model::HasLanes<P>) c.lanes = p.lanes();
  c.rows.push_back({0, t.init, {}, model::describe(p, *s), {}, {}});

  std::vector<typename P::Action> actions;
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    actions.clear();
    p.actions(*s, actions);
    const typename P::Action* chosen = nullptr;
    for (const auto& a : actions)
      if (p.format_action(a) == t.steps[i]) chosen = &a;
    if (!chosen)
      throw TraceError(file, i < t.step_lines.size() ? t.step_lines[i] : 0,
                       "step " + std::to_string(i + 1) + " '" + t.steps[i] + "' is not enabled here");
    State after = *s;
    if (auto next = p.next_state(*s, *chosen)) after = std::move(*next);
    Chart::Row row;
    row.step = i + 1;
    row.action = t.steps[i];
    if constexpr (model::HasEvents<P>) row.events = p.events(*s, *chosen, after);
    row.state = model::describe(p, after);
    const auto& prev = c.rows.back().state;
    for (std::size_t k = 0; k < row.state.size(); ++k)
      if (k >= prev.size() || prev[k] != row.state[k]) row.changed.push_back(k);
    c.rows.push_back(std::move(row));
    s = std::move(after);
  }
  c.witness = prop->expectation == properties::Expectation::Sometimes;
  c.glossary = model::glossary_of(p);
  if (properties::is_liveness(prop->expectation)) {  // judged on the run as a whole (lasso.hpp)
    const ReplayResult rr = replay(p, t, file, nullptr);
    if (t.cycle && *t.cycle < t.steps.size()) c.cycle = *t.cycle;
    c.reproduced = rr.reproduced;
    c.outcome = rr.message.starts_with("reproduced: ") ? rr.message.substr(12) : rr.message;
    c.explanation = rr.explanation;
    finish_chart(c);
    return c;
  }
  c.reproduced = reproduces(p, *prop, *s);
  c.outcome = c.reproduced ? outcome_text(t.property, c.witness, t.steps.size())
              : c.witness  ? "not reproduced: " + t.property + " is not reached at the end of the trace"
                           : "not reproduced: " + t.property + " holds at the end of the trace";
  if (c.reproduced && !c.witness && prop->explain) c.explanation = prop->explain(*s);
  finish_chart(c);
  return c;
}

}  // namespace agree::counterexamples
