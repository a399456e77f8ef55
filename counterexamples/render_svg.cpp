// counterexamples/render_svg.cpp — a standalone SVG sequence chart.
//
// Left: the step numbers and actions. Right: one vertical lane per process.
// A message is an arrow from its sender's lane at the row of its send to its
// receiver's lane at the row of its receipt (dashed to the bottom if it was
// never received), labelled with its name; traitor lies are purple, and a
// traitor's lane header too, saying "traitor"; a crash is a red cross that
// ends the lane; deliveries are green dots, decisions orange diamonds; the
// step after which the property fails is a red band. Below: why it fails
// (Chart::explanation), a legend of what the chart uses, what the state's
// fields mean (Chart::glossary). Where everything goes, labels never
// overlapping, is render_svg_layout.cpp's; this file draws it. Every mark
// carries a class and data-* attributes (lane names, step numbers) for tests
// and the HTML viewer.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "agree/counterexamples/svg_layout.hpp"

namespace agree::counterexamples {

namespace detail {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n') out += ' ';  // not allowed in XML 1.0
        else out += ch;
    }
  }
  return out;
}

namespace {

constexpr const char* kStyle =
    "<style>\n"
    "  .agree-chart text { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 12px; fill: #212529; }\n"
    "  .agree-chart .action, .agree-chart .stepno { font-family: 'DejaVu Sans Mono', Menlo, monospace; }\n"
    "  .agree-chart .stepno { fill: #868e96; }\n"
    "  .agree-chart .label { font-size: 11px; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }\n"
    "  .agree-chart .title { font-size: 15px; font-weight: bold; }\n"
    "  .agree-chart .verdict { fill: #c92a2a; font-weight: bold; }\n"
    "  .agree-chart .verdict.reached { fill: #2b8a3e; }\n"
    "  .agree-chart .traitor-tag { font-size: 10px; font-weight: normal; fill: #9c36b5; }\n"
    "  .agree-chart .explanation { fill: #495057; }\n"
    "  .agree-chart .glossary text { font-size: 11px; fill: #495057; }\n"
    "  .agree-chart .glossary .field, .agree-chart .glossary-title { font-weight: bold; }\n"
    "</style>\n";

// The <svg> element and what comes before the chart. Inline (in the HTML
// page, whose header has the title) the title's band is left out.
void draw_head(std::ostream& o, const Chart& c, const SvgLayout& l, bool standalone) {
  const double y0 = standalone ? 0 : 38, h = l.height - y0;
  if (standalone) o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"agree-chart\" width=\"" << num(l.width) << "\" height=\"" << num(h)
    << "\" viewBox=\"0 " << num(y0) << ' ' << num(l.width) << ' ' << num(h) << "\" data-protocol=\"" << xml_escape(c.protocol)
    << "\" data-property=\"" << xml_escape(c.property) << "\" data-steps=\"" << (c.rows.empty() ? 0 : c.rows.size() - 1) << "\">\n";
  if (standalone) o << "<title>" << xml_escape(c.title()) << "</title>\n";
  o << "<desc>Message sequence chart drawn by agree from a counterexample trace.</desc>\n";
  o << "<defs>\n";
  for (const auto& [id, colour] : {std::pair{"msg", kMsg}, std::pair{"lie", kLie}})
    o << "  <marker id=\"head-" << id << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
      << "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" << colour << "\"/></marker>\n";
  o << "</defs>\n" << kStyle;
  o << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  if (standalone) o << "<text class=\"title\" x=\"16\" y=\"28\">" << xml_escape(c.title()) << "</text>\n";
}

// Row bands: zebra stripes, the clickable rows of the HTML viewer, the violating step.
void draw_rows(std::ostream& o, const Chart& c, const SvgLayout& l) {
  o << "<g class=\"rows\">\n";
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const bool bad = r == c.violating_row() && r > 0 && c.reproduced;
    // A witness's last step (a reachability property reached) is green, a violation red.
    const char* fill = bad ? (c.witness ? "#d3f9d8" : "#ffd8d8") : r % 2 ? "#f8f9fa" : "#ffffff";
    o << "  <rect class=\"row" << (bad ? c.witness ? " reached" : " violation" : "") << "\" data-row=\"" << r
      << "\" data-step=\"" << c.rows[r].step << "\" x=\"8\" y=\"" << num(l.top[r]) << "\" width=\"" << num(l.width - 16)
      << "\" height=\"" << num(l.top[r + 1] - l.top[r]) << "\" fill=\"" << fill << "\""
      << (bad ? c.witness ? " stroke=\"#2f9e44\"" : " stroke=\"#e03131\"" : "") << "/>\n";
  }
  o << "</g>\n";
}

// Lanes: a header box (a traitor's purple, and saying so) and a lifeline,
// solid while alive, dashed after a crash.
void draw_lanes(std::ostream& o, const Chart& c, const SvgLayout& l) {
  o << "<g class=\"lanes\">\n";
  for (std::size_t k = 0; k < c.lanes.size(); ++k) {
    const double x = l.lane_x[k], w = l.header_w[k];
    const bool traitor = l.traitor[k];
    const double end = l.crash_row[k] == Chart::kNever ? l.bottom : l.mark_y(l.crash_row[k]);
    o << "  <g class=\"lane" << (traitor ? " traitor" : "") << "\" data-lane=\"" << xml_escape(c.lanes[k]) << "\">\n";
    o << "    <rect x=\"" << num(x - w / 2) << "\" y=\"46\" width=\"" << num(w) << "\" height=\"26\" rx=\"5\" fill=\""
      << (traitor ? "#f3d9fa" : "#e7f0fb") << "\" stroke=\"" << (traitor ? kLie : kMsg) << "\"" << (traitor ? " stroke-width=\"2\"" : "")
      << "/>\n";
    o << "    <text x=\"" << num(x) << "\" y=\"64\" text-anchor=\"middle\" font-weight=\"bold\">" << xml_escape(c.lanes[k])
      << (traitor ? "<tspan class=\"traitor-tag\"> traitor</tspan>" : "") << "</text>\n";
    o << "    <line class=\"lifeline\" x1=\"" << num(x) << "\" y1=\"72\" x2=\"" << num(x) << "\" y2=\"" << num(end)
      << "\" stroke=\"#495057\" stroke-width=\"1.5\"/>\n";
    if (end < l.bottom)
      o << "    <line class=\"lifeline dead\" x1=\"" << num(x) << "\" y1=\"" << num(end) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(l.bottom) << "\" stroke=\"#ced4da\" stroke-dasharray=\"3 4\"/>\n";
    o << "  </g>\n";
  }
  o << "</g>\n";
}

// Steps: number and action.
void draw_steps(std::ostream& o, const Chart& c, const SvgLayout& l) {
  o << "<g class=\"steps\">\n";
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const auto& row = c.rows[r];
    std::string action = r == 0 ? "init " + row.action : row.action;
    if (action.size() > l.action_chars) action = action.substr(0, l.action_chars - 1) + "~";
    o << "  <text class=\"stepno\" x=\"40\" y=\"" << num(l.row_y(r) + 4) << "\" text-anchor=\"end\">" << row.step << "</text>\n";
    o << "  <text class=\"action\" data-row=\"" << r << "\" x=\"52\" y=\"" << num(l.row_y(r) + 4) << "\">" << xml_escape(action)
      << "</text>\n";
  }
  o << "</g>\n";
}

// A lasso's cycle: an arrow in the left margin from its last row back up to
// its first, titled with the steps that repeat.
void draw_cycle(std::ostream& o, const Chart& c, const SvgLayout& l) {
  if (!c.cycle || *c.cycle + 1 >= c.rows.size()) return;
  const std::size_t first = *c.cycle + 1, last = c.rows.size() - 1;
  const double y1 = l.row_y(first), y2 = l.row_y(last);
  o << "<g class=\"cycle\" data-from=\"" << c.rows[first].step << "\" data-to=\"" << c.rows[last].step << "\"><title>steps "
    << c.rows[first].step << ".." << c.rows[last].step << " repeat forever</title>\n";
  o << "  <path d=\"M20," << num(y2) << " H12 V" << num(y1) << " H20\" fill=\"none\" stroke=\"#1971c2\" stroke-width=\"1.6\"/>\n";
  o << "  <path d=\"M20," << num(y1) << " l-5,-4 v8 z\" fill=\"#1971c2\"/>\n";
  o << "</g>\n";
}

// Messages: a line (a loop to the sender's own lane) with its label where the layout put it.
void draw_arrows(std::ostream& o, const Chart& c, const SvgLayout& l) {
  o << "<g class=\"arrows\">\n";
  for (std::size_t i = 0; i < c.arrows.size(); ++i) {
    const auto& a = c.arrows[i];
    const auto& p = l.arrows[i];
    const bool lost = a.received == Chart::kNever;
    const std::string& from = c.lanes[static_cast<std::size_t>(a.from)];
    const std::string& to = c.lanes[static_cast<std::size_t>(a.to)];
    const std::string sent = std::to_string(c.rows[a.sent].step);
    const std::string received = lost ? std::string("never") : std::to_string(c.rows[a.received].step);
    const char* colour = a.lie ? kLie : kMsg;
    o << "  <g class=\"arrow" << (a.lie ? " lie" : "") << (lost ? " lost" : "") << "\" data-from=\"" << xml_escape(from)
      << "\" data-to=\"" << xml_escape(to) << "\" data-sent=\"" << sent << "\" data-received=\"" << received << "\">";
    o << "<title>" << xml_escape(p.label.text + " " + from + " -> " + to + ", sent at step " + sent +
                                 (lost ? ", never received" : ", received at step " + received))
      << "</title>\n";
    const std::string style = std::string(" fill=\"none\" stroke=\"") + colour + "\" stroke-width=\"" + (a.lie ? "2" : "1.4") + "\"" +
                              (lost ? " stroke-dasharray=\"5 4\"" : "") + " marker-end=\"url(#head-" + (a.lie ? "lie" : "msg") + ")\"";
    if (p.loop) {
      o << "    <path d=\"M" << num(p.x1) << ',' << num(p.y1) << " C" << num(p.x1 + 46) << ',' << num(p.y1) << ' ' << num(p.x1 + 46)
        << ',' << num(p.y2) << ' ' << num(p.x1 + 3) << ',' << num(p.y2) << "\"" << style << "/>\n";
    } else {
      const double dir = p.x2 > p.x1 ? 1 : -1;
      o << "    <line x1=\"" << num(p.x1) << "\" y1=\"" << num(p.y1) << "\" x2=\"" << num(p.x2 - dir * 3) << "\" y2=\"" << num(p.y2)
        << "\"" << style << "/>\n";
    }
    o << "    " << text_element(p.label, "label", colour) << '\n';
    o << "  </g>\n";
  }
  o << "</g>\n";
}

// One-lane marks: crashes, deliveries, decisions, local steps.
void draw_marks(std::ostream& o, const Chart& c, const SvgLayout& l) {
  o << "<g class=\"marks\">\n";
  for (const auto& m : l.marks) {
    const double x = m.x, y = m.y;
    o << "  <g class=\"mark " << model::to_string(m.kind) << "\" data-lane=\"" << xml_escape(c.lanes[static_cast<std::size_t>(m.lane)])
      << "\" data-step=\"" << c.rows[m.row].step << "\">";
    const char* colour = "";
    switch (m.kind) {
      case model::Event::Crash:
        o << "<path d=\"M" << num(x - 8) << ',' << num(y - 8) << " L" << num(x + 8) << ',' << num(y + 8) << " M" << num(x + 8) << ','
          << num(y - 8) << " L" << num(x - 8) << ',' << num(y + 8) << "\" stroke=\"" << kCrash << "\" stroke-width=\"3\"/>";
        colour = kCrash;
        break;
      case model::Event::Deliver:
        o << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\"" << kDeliver << "\"/>";
        colour = kDeliver;
        break;
      case model::Event::Decide:
        o << "<path d=\"M" << num(x) << ',' << num(y - 7) << " L" << num(x + 7) << ',' << num(y) << " L" << num(x) << ',' << num(y + 7)
          << " L" << num(x - 7) << ',' << num(y) << " z\" fill=\"" << kDecide << "\"/>";
        colour = kDecide;
        break;
      default: o << "<rect x=\"" << num(x - 4) << "\" y=\"" << num(y - 4) << "\" width=\"8\" height=\"8\" fill=\"#495057\"/>";
    }
    o << text_element(m.label, "label", colour) << "</g>\n";
  }
  o << "</g>\n";
}

void draw_verdict(std::ostream& o, const Chart& c, const SvgLayout& l) {
  if (!l.has_verdict) return;
  o << "<text class=\"verdict" << (c.witness ? " reached" : "") << "\" data-step=\"" << c.rows[c.violating_row()].step << "\" x=\""
    << num(l.verdict.x) << "\" y=\"" << num(l.verdict.y) << "\" text-anchor=\"end\">" << xml_escape(l.verdict.text) << "</text>\n";
}

}  // namespace

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string text_element(const TextBox& t, const std::string& cls, const std::string& fill) {
  std::string out = "<text";
  if (!cls.empty()) out += " class=\"" + cls + "\"";
  out += " x=\"" + num(t.x) + "\" y=\"" + num(t.y) + "\"";
  if (t.anchor != TextBox::Start) out += t.anchor == TextBox::Middle ? " text-anchor=\"middle\"" : " text-anchor=\"end\"";
  if (!fill.empty()) out += " fill=\"" + fill + "\"";
  return out + ">" + xml_escape(t.text) + "</text>";
}

std::string svg(const Chart& c, bool standalone) {
  const SvgLayout l = layout_svg(c, standalone);
  std::ostringstream o;
  draw_head(o, c, l, standalone);
  draw_rows(o, c, l);
  draw_lanes(o, c, l);
  draw_steps(o, c, l);
  draw_cycle(o, c, l);
  draw_arrows(o, c, l);
  draw_marks(o, c, l);
  draw_verdict(o, c, l);
  draw_footer(o, l);
  o << "</svg>\n";
  return o.str();
}

}  // namespace detail

std::string render_svg(const Chart& c) { return detail::svg(c, true); }

}  // namespace agree::counterexamples
