// counterexamples/render_svg.cpp — a standalone SVG sequence chart.
//
// Left: the step numbers and actions. Right: one vertical lane per process.
// A message is an arrow from its sender's lane at the row of its send to its
// receiver's lane at the row of its receipt (dashed to the bottom if it was
// never received); traitor lies are purple; a crash is a red cross that ends
// the lane; deliveries are green dots, decisions orange diamonds; the step
// after which the property fails is a red band. Every mark carries a class and
// data-* attributes (lane names, step numbers) for tests and the HTML viewer.
#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "agree/counterexamples/chart.hpp"

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

constexpr double kRowH = 30, kLaneW = 190, kTop = 96, kCharW = 7.3;
constexpr const char* kMsg = "#1c4e9c";
constexpr const char* kLie = "#9c36b5";
constexpr const char* kCrash = "#c92a2a";
constexpr const char* kDeliver = "#2b8a3e";
constexpr const char* kDecide = "#e67700";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

}  // namespace

std::string svg(const Chart& c, bool standalone) {
  const std::size_t lanes = std::max<std::size_t>(c.lanes.size(), 1);
  std::size_t action_chars = 10;
  for (const auto& row : c.rows) action_chars = std::max(action_chars, row.action.size() + (row.step == 0 ? 5 : 0));
  action_chars = std::min<std::size_t>(action_chars, 48);
  const double left = 52 + kCharW * static_cast<double>(action_chars) + 24;
  const auto lane_x = [&](int l) { return left + kLaneW / 2 + kLaneW * std::max(l, 0); };
  // Row heights: a message sent and received in the same step (a synchronous
  // round) gets a line of its own within the row, and the row's one-lane marks
  // (decisions, ...) a line after those.
  std::vector<std::size_t> instant(c.rows.size(), 0), marks(c.rows.size(), 0);
  for (const auto& a : c.arrows)
    if (a.received == a.sent) ++instant[a.sent];
  for (std::size_t r = 0; r < c.rows.size(); ++r)
    for (const auto& e : c.rows[r].events)
      if (e.kind != model::Event::Send && e.kind != model::Event::Lie && e.kind != model::Event::Receive) marks[r] = 1;
  std::vector<double> top(c.rows.size() + 1, kTop - kRowH / 2), high(c.rows.size(), kRowH);
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    high[r] = kRowH * static_cast<double>(std::max<std::size_t>(1, instant[r] + (instant[r] ? marks[r] : 0)));
    top[r + 1] = top[r] + high[r];
  }
  const auto row_y = [&](std::size_t r) { return top[r] + kRowH / 2; };            // the row's first line
  const auto mark_y = [&](std::size_t r) { return top[r] + high[r] - kRowH / 2; };  // its last line
  bool pending = false;
  for (const auto& a : c.arrows) pending = pending || a.received == Chart::kNever;
  const double bottom = top[c.rows.size()] + (pending ? kRowH : 0);
  const double width = std::max(left + kLaneW * static_cast<double>(lanes) + 150, 1000.0);  // the legend's width
  const double height = bottom + 64;
  const std::string title = c.title();

  std::ostringstream o;
  if (standalone) o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"agree-chart\" width=\"" << num(width) << "\" height=\""
    << num(height) << "\" viewBox=\"0 0 " << num(width) << ' ' << num(height) << "\" data-protocol=\""
    << xml_escape(c.protocol) << "\" data-property=\"" << xml_escape(c.property) << "\" data-steps=\""
    << (c.rows.empty() ? 0 : c.rows.size() - 1) << "\">\n";
  o << "<title>" << xml_escape(title) << "</title>\n";
  o << "<desc>Message sequence chart drawn by agree from a counterexample trace.</desc>\n";
  o << "<defs>\n";
  for (const auto& [id, colour] : {std::pair{"msg", kMsg}, std::pair{"lie", kLie}})
    o << "  <marker id=\"head-" << id << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
      << "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" << colour << "\"/></marker>\n";
  o << "</defs>\n";
  o << "<style>\n"
       "  .agree-chart text { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 12px; fill: #212529; }\n"
       "  .agree-chart .action, .agree-chart .stepno { font-family: 'DejaVu Sans Mono', Menlo, monospace; }\n"
       "  .agree-chart .stepno { fill: #868e96; }\n"
       "  .agree-chart .label { font-size: 11px; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }\n"
       "  .agree-chart .title { font-size: 15px; font-weight: bold; }\n"
       "  .agree-chart .verdict { fill: " << kCrash << "; font-weight: bold; }\n"
       "  .agree-chart .verdict.reached { fill: #2b8a3e; }\n"
       "</style>\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  o << "<text class=\"title\" x=\"16\" y=\"28\">" << xml_escape(title) << "</text>\n";

  // Row bands: zebra stripes, the clickable rows of the HTML viewer, the violating step.
  o << "<g class=\"rows\">\n";
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const bool bad = r == c.violating_row() && r > 0 && c.reproduced;
    // A witness's last step (a reachability property reached) is green, a violation red.
    const char* fill = bad ? (c.witness ? "#d3f9d8" : "#ffd8d8") : r % 2 ? "#f8f9fa" : "#ffffff";
    o << "  <rect class=\"row" << (bad ? c.witness ? " reached" : " violation" : "") << "\" data-row=\"" << r
      << "\" data-step=\"" << c.rows[r].step << "\" x=\"8\" y=\"" << num(top[r]) << "\" width=\"" << num(width - 16)
      << "\" height=\"" << num(high[r]) << "\" fill=\"" << fill << "\""
      << (bad ? c.witness ? " stroke=\"#2f9e44\"" : " stroke=\"#e03131\"" : "") << "/>\n";
  }
  o << "</g>\n";

  // Lanes: a header box and a lifeline, solid while alive, dashed after a crash.
  std::vector<std::size_t> crash_row(lanes, Chart::kNever);
  for (std::size_t r = 0; r < c.rows.size(); ++r)
    for (const auto& e : c.rows[r].events) {
      const int l = model::event_lane(e);
      if (e.kind == model::Event::Crash && l >= 0 && static_cast<std::size_t>(l) < lanes &&
          crash_row[static_cast<std::size_t>(l)] == Chart::kNever)
        crash_row[static_cast<std::size_t>(l)] = r;
    }
  o << "<g class=\"lanes\">\n";
  for (std::size_t l = 0; l < c.lanes.size(); ++l) {
    const double x = lane_x(static_cast<int>(l));
    const double end = crash_row[l] == Chart::kNever ? bottom : mark_y(crash_row[l]);
    o << "  <g class=\"lane\" data-lane=\"" << xml_escape(c.lanes[l]) << "\">\n";
    o << "    <rect x=\"" << num(x - 36) << "\" y=\"46\" width=\"72\" height=\"26\" rx=\"5\" fill=\"#e7f0fb\" stroke=\"#1c4e9c\"/>\n";
    o << "    <text x=\"" << num(x) << "\" y=\"64\" text-anchor=\"middle\" font-weight=\"bold\">" << xml_escape(c.lanes[l])
      << "</text>\n";
    o << "    <line class=\"lifeline\" x1=\"" << num(x) << "\" y1=\"72\" x2=\"" << num(x) << "\" y2=\"" << num(end)
      << "\" stroke=\"#495057\" stroke-width=\"1.5\"/>\n";
    if (end < bottom)
      o << "    <line class=\"lifeline dead\" x1=\"" << num(x) << "\" y1=\"" << num(end) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(bottom) << "\" stroke=\"#ced4da\" stroke-dasharray=\"3 4\"/>\n";
    o << "  </g>\n";
  }
  o << "</g>\n";

  // Steps: number and action.
  o << "<g class=\"steps\">\n";
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const auto& row = c.rows[r];
    std::string action = r == 0 ? "init " + row.action : row.action;
    if (action.size() > action_chars) action = action.substr(0, action_chars - 1) + "~";
    o << "  <text class=\"stepno\" x=\"40\" y=\"" << num(row_y(r) + 4) << "\" text-anchor=\"end\">" << row.step << "</text>\n";
    o << "  <text class=\"action\" data-row=\"" << r << "\" x=\"52\" y=\"" << num(row_y(r) + 4) << "\">" << xml_escape(action)
      << "</text>\n";
  }
  o << "</g>\n";

  // Messages.
  o << "<g class=\"arrows\">\n";
  std::vector<std::size_t> line_in_row(c.rows.size(), 0);
  for (const auto& a : c.arrows) {
    const bool lost = a.received == Chart::kNever;
    const double x1 = lane_x(a.from);
    const double y1 = a.sent == a.received ? top[a.sent] + kRowH * (static_cast<double>(line_in_row[a.sent]++) + 0.5) : row_y(a.sent);
    const double x2 = lane_x(a.to), y2 = lost ? bottom - kRowH * 0.3 : a.sent == a.received ? y1 : row_y(a.received);
    const char* colour = a.lie ? kLie : kMsg;
    o << "  <g class=\"arrow" << (a.lie ? " lie" : "") << (lost ? " lost" : "") << "\" data-from=\""
      << xml_escape(c.lanes[static_cast<std::size_t>(a.from)]) << "\" data-to=\""
      << xml_escape(c.lanes[static_cast<std::size_t>(a.to)]) << "\" data-sent=\"" << c.rows[a.sent].step
      << "\" data-received=\"" << (lost ? std::string("never") : std::to_string(c.rows[a.received].step)) << "\">";
    o << "<title>" << xml_escape((a.lie ? "LIE " : "") + a.label + " " + c.lanes[static_cast<std::size_t>(a.from)] + " -> " +
                                 c.lanes[static_cast<std::size_t>(a.to)] + ", sent at step " + std::to_string(c.rows[a.sent].step) +
                                 (lost ? ", never received" : ", received at step " + std::to_string(c.rows[a.received].step)))
      << "</title>\n";
    const std::string style = std::string(" fill=\"none\" stroke=\"") + colour + "\" stroke-width=\"" +
                              (a.lie ? "2" : "1.4") + "\"" + (lost ? " stroke-dasharray=\"5 4\"" : "") +
                              " marker-end=\"url(#head-" + (a.lie ? "lie" : "msg") + ")\"";
    double lx, ly;
    if (a.from == a.to) {  // to itself: a loop to the right of the lane
      const double y2s = std::max(y2, y1 + 10);
      o << "    <path d=\"M" << num(x1) << ',' << num(y1) << " C" << num(x1 + 46) << ',' << num(y1) << ' ' << num(x1 + 46) << ','
        << num(y2s) << ' ' << num(x1 + 3) << ',' << num(y2s) << "\"" << style << "/>\n";
      lx = x1 + 40, ly = (y1 + y2s) / 2 + 4;
      if (!lost)
        o << "    <text class=\"label\" x=\"" << num(lx) << "\" y=\"" << num(ly) << "\" fill=\"" << colour << "\">"
          << xml_escape((a.lie ? "LIE " : "") + a.label) << "</text>\n";
    } else {
      const double dir = x2 > x1 ? 1 : -1;
      o << "    <line x1=\"" << num(x1) << "\" y1=\"" << num(y1) << "\" x2=\"" << num(x2 - dir * 3) << "\" y2=\"" << num(y2) << "\""
        << style << "/>\n";
      const double t = a.sent == a.received ? 0.5 : 0.72;
      lx = x1 + (x2 - x1) * t, ly = y1 + (y2 - y1) * t - 5;
      if (!lost)  // a dashed arrow to the bottom says it; its title names it
        o << "    <text class=\"label\" x=\"" << num(lx) << "\" y=\"" << num(ly) << "\" text-anchor=\"middle\" fill=\"" << colour
          << "\">" << xml_escape((a.lie ? "LIE " : "") + a.label) << "</text>\n";
    }
    o << "  </g>\n";
  }
  o << "</g>\n";

  // One-lane marks: crashes, deliveries, decisions, local steps (labels of one kind merged per lane and row).
  o << "<g class=\"marks\">\n";
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    std::map<std::pair<int, int>, std::string> merged;  // (lane, kind) -> labels
    for (const auto& e : c.rows[r].events) {
      if (e.kind == model::Event::Send || e.kind == model::Event::Lie || e.kind == model::Event::Receive) continue;
      const int l = model::event_lane(e);
      if (l < 0) continue;
      std::string& text = merged[{l, static_cast<int>(e.kind)}];
      text += (text.empty() ? "" : ", ") + e.label;
    }
    for (const auto& [key, text] : merged) {
      const auto kind = static_cast<model::Event::Kind>(key.second);
      const double x = lane_x(key.first), y = mark_y(r);
      o << "  <g class=\"mark " << model::to_string(kind) << "\" data-lane=\"" << xml_escape(c.lanes[static_cast<std::size_t>(key.first)])
        << "\" data-step=\"" << c.rows[r].step << "\">";
      switch (kind) {
        case model::Event::Crash:
          o << "<path d=\"M" << num(x - 8) << ',' << num(y - 8) << " L" << num(x + 8) << ',' << num(y + 8) << " M" << num(x + 8)
            << ',' << num(y - 8) << " L" << num(x - 8) << ',' << num(y + 8) << "\" stroke=\"" << kCrash
            << "\" stroke-width=\"3\"/><text class=\"label\" x=\"" << num(x + 12) << "\" y=\"" << num(y + 4) << "\" fill=\"" << kCrash
            << "\">crash</text>";
          break;
        case model::Event::Deliver:
          o << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\"" << kDeliver << "\"/><text class=\"label\" x=\""
            << num(x + 9) << "\" y=\"" << num(y + 14) << "\" fill=\"" << kDeliver << "\">" << xml_escape(text) << "</text>";
          break;
        case model::Event::Decide:
          o << "<path d=\"M" << num(x) << ',' << num(y - 7) << " L" << num(x + 7) << ',' << num(y) << " L" << num(x) << ','
            << num(y + 7) << " L" << num(x - 7) << ',' << num(y) << " z\" fill=\"" << kDecide << "\"/><text class=\"label\" x=\""
            << num(x + 10) << "\" y=\"" << num(y + 14) << "\" fill=\"" << kDecide << "\">" << xml_escape(text) << "</text>";
          break;
        default:
          o << "<rect x=\"" << num(x - 4) << "\" y=\"" << num(y - 4) << "\" width=\"8\" height=\"8\" fill=\"#495057\"/><text class=\"label\" x=\""
            << num(x + 9) << "\" y=\"" << num(y + 14) << "\">" << xml_escape(text) << "</text>";
      }
      o << "</g>\n";
    }
  }
  o << "</g>\n";

  if (!c.rows.empty()) {
    const std::size_t v = c.violating_row();
    o << "<text class=\"verdict" << (c.witness ? " reached" : "") << "\" data-step=\"" << c.rows[v].step << "\" x=\"" << num(width - 14) << "\" y=\""
      << num(row_y(v) + 4) << "\" text-anchor=\"end\">" << (c.reproduced ? "&#8592; " : "") << xml_escape(!c.reproduced ? "not reproduced" : c.property + (c.witness ? " reached" : " violated"))
      << "</text>\n";
  }

  // Legend.
  const double ly = bottom + 34;
  o << "<g class=\"legend\">\n";
  o << "  <line x1=\"16\" y1=\"" << num(ly) << "\" x2=\"56\" y2=\"" << num(ly) << "\" stroke=\"" << kMsg
    << "\" stroke-width=\"1.4\" marker-end=\"url(#head-msg)\"/><text x=\"62\" y=\"" << num(ly + 4) << "\">message (send to receipt)</text>\n";
  o << "  <line x1=\"236\" y1=\"" << num(ly) << "\" x2=\"276\" y2=\"" << num(ly) << "\" stroke=\"" << kLie
    << "\" stroke-width=\"2\" marker-end=\"url(#head-lie)\"/><text x=\"282\" y=\"" << num(ly + 4) << "\">traitor's lie</text>\n";
  o << "  <path d=\"M384," << num(ly - 6) << " L396," << num(ly + 6) << " M396," << num(ly - 6) << " L384," << num(ly + 6)
    << "\" stroke=\"" << kCrash << "\" stroke-width=\"3\"/><text x=\"402\" y=\"" << num(ly + 4) << "\">crash</text>\n";
  o << "  <circle cx=\"460\" cy=\"" << num(ly) << "\" r=\"5\" fill=\"" << kDeliver << "\"/><text x=\"470\" y=\"" << num(ly + 4)
    << "\">deliver</text>\n";
  o << "  <path d=\"M530," << num(ly - 7) << " L537," << num(ly) << " L530," << num(ly + 7) << " L523," << num(ly) << " z\" fill=\""
    << kDecide << "\"/><text x=\"543\" y=\"" << num(ly + 4) << "\">decide</text>\n";
  o << "  <line x1=\"600\" y1=\"" << num(ly) << "\" x2=\"640\" y2=\"" << num(ly) << "\" stroke=\"" << kMsg
    << "\" stroke-width=\"1.4\" stroke-dasharray=\"5 4\" marker-end=\"url(#head-msg)\"/><text x=\"646\" y=\"" << num(ly + 4)
    << "\">never received</text>\n";
  if (c.witness)
    o << "  <rect x=\"760\" y=\"" << num(ly - 8) << "\" width=\"28\" height=\"16\" fill=\"#d3f9d8\" stroke=\"#2f9e44\"/><text x=\"794\" y=\""
      << num(ly + 4) << "\">the step that reaches the property</text>\n";
  else
    o << "  <rect x=\"760\" y=\"" << num(ly - 8) << "\" width=\"28\" height=\"16\" fill=\"#ffd8d8\" stroke=\"#e03131\"/><text x=\"794\" y=\""
      << num(ly + 4) << "\">the step that breaks the property</text>\n";
  o << "</g>\n";
  o << "</svg>\n";
  return o.str();
}

}  // namespace detail

std::string render_svg(const Chart& c) { return detail::svg(c, true); }

}  // namespace agree::counterexamples
