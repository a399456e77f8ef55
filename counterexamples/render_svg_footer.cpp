// counterexamples/render_svg_footer.cpp — below the SVG chart's lanes: why
// the property fails (Chart::explanation), the legend (only the marks the
// chart uses) and what the state's fields mean (Chart::glossary).
#include <algorithm>
#include <sstream>

#include "agree/counterexamples/svg_layout.hpp"

namespace agree::counterexamples::detail {

namespace {

using Key = SvgLayout::Key;

constexpr double kFooterPx = 12, kGlossaryPx = 11;

// Words of text in lines no wider than `width` (the first: `first`); a word
// wider than that has a line of its own.
std::vector<std::string> wrap(const std::string& text, double px, double width, double first = -1) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word, line;
  while (words >> word) {
    const std::string longer = line.empty() ? word : line + " " + word;
    if (!line.empty() && text_width(longer, px) > (lines.empty() && first >= 0 ? first : width)) {
      lines.push_back(line);
      line = word;
    } else {
      line = longer;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// What the chart draws, in the legend's order.
std::vector<std::pair<Key, std::string>> used(const Chart& c, const SvgLayout& l) {
  bool message = false, lie = false, lost = false, mark[7] = {};
  for (const auto& a : c.arrows) {
    lie = lie || a.lie;
    message = message || (!a.lie && a.received != Chart::kNever);
    lost = lost || a.received == Chart::kNever;
  }
  for (const auto& m : l.marks) mark[m.kind] = true;
  const bool traitor = std::find(l.traitor.begin(), l.traitor.end(), true) != l.traitor.end();
  std::vector<std::pair<Key, std::string>> out;
  if (message) out.emplace_back(Key::Message, "message (send to receipt)");
  if (lie) out.emplace_back(Key::Lie, "traitor's lie");
  if (lost) out.emplace_back(Key::Lost, "never received");
  if (traitor) out.emplace_back(Key::Traitor, "traitor (sends lies)");
  if (mark[model::Event::Crash]) out.emplace_back(Key::Crash, "crash");
  if (mark[model::Event::Deliver]) out.emplace_back(Key::Deliver, "deliver");
  if (mark[model::Event::Decide]) out.emplace_back(Key::Decide, "decide");
  if (mark[model::Event::Local]) out.emplace_back(Key::Local, "step");
  if (c.reproduced && !c.rows.empty() && c.violating_row() > 0)
    out.emplace_back(c.witness ? Key::Reached : Key::Violation,
                     c.witness ? "the step that reaches the property" : "the step that breaks the property");
  return out;
}

double symbol_width(Key k) {
  switch (k) {
    case Key::Message: case Key::Lie: case Key::Lost: return 40;
    case Key::Crash: return 12;
    case Key::Deliver: return 10;
    case Key::Decide: return 14;
    case Key::Local: return 8;
    case Key::Traitor: case Key::Violation: case Key::Reached: return 28;
  }
  return 0;
}

void draw_symbol(std::ostream& o, Key k, double x, double y) {
  const auto line = [&](const char* colour, const char* w, const char* dash, const char* head) {
    o << "<line x1=\"" << num(x) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x + 40) << "\" y2=\"" << num(y) << "\" stroke=\"" << colour
      << "\" stroke-width=\"" << w << "\"" << dash << " marker-end=\"url(#head-" << head << ")\"/>";
  };
  const auto box = [&](const char* fill, const char* stroke) {
    o << "<rect x=\"" << num(x) << "\" y=\"" << num(y - 8) << "\" width=\"28\" height=\"16\" fill=\"" << fill << "\" stroke=\"" << stroke
      << "\"/>";
  };
  switch (k) {
    case Key::Message: line(kMsg, "1.4", "", "msg"); break;
    case Key::Lie: line(kLie, "2", "", "lie"); break;
    case Key::Lost: line(kMsg, "1.4", " stroke-dasharray=\"5 4\"", "msg"); break;
    case Key::Crash:
      o << "<path d=\"M" << num(x) << ',' << num(y - 6) << " L" << num(x + 12) << ',' << num(y + 6) << " M" << num(x + 12) << ','
        << num(y - 6) << " L" << num(x) << ',' << num(y + 6) << "\" stroke=\"" << kCrash << "\" stroke-width=\"3\"/>";
      break;
    case Key::Deliver: o << "<circle cx=\"" << num(x + 5) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\"" << kDeliver << "\"/>"; break;
    case Key::Decide:
      o << "<path d=\"M" << num(x + 7) << ',' << num(y - 7) << " L" << num(x + 14) << ',' << num(y) << " L" << num(x + 7) << ','
        << num(y + 7) << " L" << num(x) << ',' << num(y) << " z\" fill=\"" << kDecide << "\"/>";
      break;
    case Key::Local: o << "<rect x=\"" << num(x) << "\" y=\"" << num(y - 4) << "\" width=\"8\" height=\"8\" fill=\"#495057\"/>"; break;
    case Key::Traitor: box("#f3d9fa", kLie); break;
    case Key::Violation: box("#ffd8d8", "#e03131"); break;
    case Key::Reached: box("#d3f9d8", "#2f9e44"); break;
  }
}

// "Fields:" and each field's meaning after it, flowing in lines; a meaning
// too long for a line of its own goes on over the next lines.
void layout_glossary(const Chart& c, SvgLayout& l, double y) {
  const double right = l.width - 16, indent = 16 + text_width("Fields:", kGlossaryPx, true) + 10;
  l.glossary_y = y;
  double x = indent;
  for (const auto& [name, meaning] : c.glossary) {
    const double head = text_width(name + ": ", kGlossaryPx, true);
    const double w = head + text_width(meaning, kGlossaryPx);
    if (x > indent && x + w > right) x = indent, y += 16;
    if (x + w <= right) {
      l.glossary.push_back({name, meaning, x, y});
      x += w + 18;
      continue;
    }
    const auto lines = wrap(meaning, kGlossaryPx, right - indent - 12, right - x - head);
    l.glossary.push_back({name, lines.front(), x, y});
    for (std::size_t i = 1; i < lines.size(); ++i) {
      y += 16;
      l.glossary.push_back({"", lines[i], indent + 12, y});
    }
    x = lines.size() == 1 ? x + w + 18 : indent + 12 + text_width(lines.back(), kGlossaryPx) + 18;
  }
  l.height = y + 26;
}

}  // namespace

void layout_footer(const Chart& c, SvgLayout& l, bool standalone) {
  const double right = l.width - 16;
  double y = l.bottom + 34;  // the middle of the footer's first line
  if (standalone && !c.explanation.empty()) {
    for (const auto& line : wrap("Why: " + c.explanation, kFooterPx, right - 16)) {
      l.explanation.push_back({line, 16, y + 4, kFooterPx, TextBox::Start, false});
      y += 16;
    }
    y += 8;
  }
  double x = 16;
  for (const auto& [key, text] : used(c, l)) {
    const double w = symbol_width(key) + 6 + text_width(text, kFooterPx);
    if (x > 16 && x + w > right) x = 16, y += 22;
    l.legend.push_back({key, x, y, {text, x + symbol_width(key) + 6, y + 4, kFooterPx, TextBox::Start, false}});
    x += w + 24;
  }
  l.height = y + 30;
  if (standalone && !c.glossary.empty()) layout_glossary(c, l, y + 26);
}

void draw_footer(std::ostream& o, const SvgLayout& l) {
  for (const auto& line : l.explanation) o << text_element(line, "explanation") << '\n';
  o << "<g class=\"legend\">\n";
  for (const auto& item : l.legend) {
    o << "  <g class=\"key\">";
    draw_symbol(o, item.key, item.x, item.y);
    o << text_element(item.text, "") << "</g>\n";
  }
  o << "</g>\n";
  if (l.glossary.empty()) return;
  o << "<g class=\"glossary\">\n  <text class=\"glossary-title\" x=\"16\" y=\"" << num(l.glossary_y) << "\">Fields:</text>\n";
  for (const auto& g : l.glossary) {
    o << "  <text x=\"" << num(g.x) << "\" y=\"" << num(g.y) << "\">";
    if (!g.name.empty()) o << "<tspan class=\"field\">" << xml_escape(g.name) << ":</tspan> ";
    o << xml_escape(g.meaning) << "</text>\n";
  }
  o << "</g>\n";
}

}  // namespace agree::counterexamples::detail
