// counterexamples/render_mermaid.cpp — a Mermaid sequenceDiagram (GitHub and
// most docs render it).
//
// Mermaid draws a message at one point in time, so an arrow is drawn at its
// receipt, its label naming the step it was sent in; every step starts with a
// note "N. action" over the lane that acts; a message never received is drawn
// as an open dashed arrow at its send; traitor lies are dashed arrows marked
// "LIE"; the violating step is shaded red; a traitor's participant is
// named "pN (traitor)". Why the property fails and what the state's fields
// mean (Chart::explanation, Chart::glossary) are %% comments after the title.
#include <sstream>

#include "agree/counterexamples/svg_layout.hpp"  // detail::traitor_lanes

namespace agree::counterexamples {

namespace {

// Mermaid reads ';' and '#' as syntax, and ':' ends a participant alias.
std::string clean(std::string s) {
  for (char& ch : s)
    if (ch == ';' || ch == '#' || ch == '\n' || ch == '\r') ch = ',';
  return s;
}

std::string id(const Chart& c, int lane) {
  return lane >= 0 && static_cast<std::size_t>(lane) < c.lanes.size() ? clean(c.lanes[static_cast<std::size_t>(lane)])
                                                                       : "env";
}

}  // namespace

std::string render_mermaid(const Chart& c) {
  std::ostringstream out;
  out << "sequenceDiagram\n";
  out << "  %% " << clean(c.title()) << '\n';
  if (!c.explanation.empty()) out << "  %% why: " << clean(c.explanation) << '\n';
  for (const auto& [field, meaning] : c.glossary) out << "  %% " << clean(field) << ": " << clean(meaning) << '\n';
  const std::vector<bool> traitor = detail::traitor_lanes(c);
  for (std::size_t l = 0; l < c.lanes.size(); ++l)
    out << "  participant " << clean(c.lanes[l]) << (traitor[l] ? " as " + clean(c.lanes[l]) + " (traitor)" : "") << '\n';
  for (std::size_t r = 1; r < c.rows.size(); ++r) {
    const auto& row = c.rows[r];
    if (c.cycle && r == *c.cycle + 1)
      out << "  loop steps " << row.step << ".." << c.rows.back().step << " repeat forever\n";
    const bool bad = r == c.violating_row() && c.reproduced;
    if (bad) out << (c.witness ? "  rect rgb(211, 249, 216)\n" : "  rect rgb(255, 215, 215)\n");
    const std::string ind = bad ? "    " : "  ";
    int actor = row.events.empty() ? 0 : model::event_lane(row.events.front());
    if (!row.events.empty() && row.events.front().kind == model::Event::Receive) actor = row.events.front().to;
    out << ind << "Note over " << id(c, actor) << ": " << row.step << ". " << clean(row.action) << '\n';
    std::size_t receipt = 0;
    for (const auto& e : row.events) {
      switch (e.kind) {
        case model::Event::Receive: {
          std::string when;
          if (receipt < row.receipts.size()) {
            const auto& a = c.arrows[row.receipts[receipt]];
            if (a.sent != r) when = " (sent " + std::to_string(c.rows[a.sent].step) + ")";
            if (a.lie) {
              out << ind << id(c, e.from) << "--)" << id(c, e.to) << ": LIE " << clean(e.label) << when << '\n';
              ++receipt;
              break;
            }
          }
          ++receipt;
          out << ind << id(c, e.from) << "->>" << id(c, e.to) << ": " << clean(e.label) << when << '\n';
          break;
        }
        case model::Event::Deliver:
        case model::Event::Decide:
        case model::Event::Local:
          if (c.generic) break;  // the note already says it
          out << ind << "Note right of " << id(c, model::event_lane(e)) << ": " << clean(e.label) << '\n';
          break;
        case model::Event::Crash: out << ind << "Note over " << id(c, model::event_lane(e)) << ": CRASH\n"; break;
        case model::Event::Send:
        case model::Event::Lie: break;  // drawn at its receipt, or below if never received
      }
    }
    for (const auto& a : c.arrows)
      if (a.sent == r && a.received == Chart::kNever)
        out << ind << id(c, a.from) << "--)" << id(c, a.to) << ": " << (a.lie ? "LIE " : "") << clean(a.label)
            << " (never received)\n";
    if (bad) {
      out << ind << "Note over " << id(c, 0)
          << (c.lanes.size() > 1 ? "," + id(c, static_cast<int>(c.lanes.size()) - 1) : std::string()) << ": "
          << clean(c.outcome) << '\n';
      out << "  end\n";
    }
  }
  if (c.cycle) out << "  end\n";
  return out.str();
}

}  // namespace agree::counterexamples
