// counterexamples/render_html.cpp — one self-contained, offline HTML page.
//
// The SVG chart inline, a step slider and a numbered step list beside it;
// clicking a step (in the list or on the chart) shows the full state after it
// (describe) with the fields that changed highlighted and their previous
// values. No network, no external file: inline CSS and JavaScript, the rows
// as JSON in a <script type="application/json"> element. The chart scales to
// the width of its pane (the list goes under it in a narrow window); the
// title is the page's, once; the header says why the property fails and who
// the traitors are, the state panel what the fields mean.
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "agree/counterexamples/svg_layout.hpp"  // detail::traitor_lanes

namespace agree::counterexamples {

namespace {

constexpr const char* kStyle = R"css(
  * { box-sizing: border-box; }
  body { margin: 0; font-family: 'DejaVu Sans', Arial, sans-serif; color: #212529; background: #f1f3f5;
         display: flex; flex-direction: column; height: 100vh; }
  header { flex: none; padding: 12px 20px; background: #1c4e9c; color: #fff; }
  header h1 { margin: 0; font-size: 18px; }
  header p { margin: 4px 0 0; font-size: 14px; }
  header p.violated { color: #ffd8d8; font-weight: bold; }
  header p.reached { color: #d8ffd8; font-weight: bold; }
  header p#traitors { color: #f3d9fa; }
  main { flex: 1 1 auto; min-height: 0; display: flex; align-items: flex-start; gap: 12px; padding: 12px; }
  #chart-pane { flex: 1 1 auto; min-width: 0; max-height: 100%; overflow: auto; background: #fff; border: 1px solid #dee2e6; }
  #chart-pane svg.agree-chart { display: block; width: 100%; height: auto; }
  #chart-pane rect.row, #chart-pane text.action { cursor: pointer; }
  #chart-pane rect.row.selected { fill: #fff3bf; stroke: #f08c00; stroke-width: 2; }
  aside { flex: 0 0 440px; min-height: 0; max-height: 100%; display: flex; flex-direction: column; gap: 10px; }
  #controls { display: flex; align-items: center; gap: 6px; background: #fff; border: 1px solid #dee2e6; padding: 8px; }
  #controls input { flex: 1; }
  #controls button { font-size: 14px; width: 34px; }
  #position { font-size: 13px; min-width: 96px; text-align: right; }
  #steps { position: relative; margin: 0; padding: 6px 8px 6px 44px; overflow: auto; flex: none; max-height: 34vh; background: #fff;
           border: 1px solid #dee2e6; font-family: 'DejaVu Sans Mono', Menlo, monospace; font-size: 12.5px; }
  #steps li { padding: 2px 6px; cursor: pointer; border-radius: 3px; }
  #steps li:hover { background: #e7f0fb; }
  #steps li.violation { color: #c92a2a; font-weight: bold; }
  #steps li.reached { color: #2b8a3e; font-weight: bold; }
  #steps li[data-cycle] { border-left: 3px solid #1971c2; }
  #steps li.selected { background: #fff3bf; outline: 1px solid #f08c00; }
  #state { background: #fff; border: 1px solid #dee2e6; padding: 8px 10px; overflow: auto; min-height: 0; }
  #state h2 { font-size: 14px; margin: 0 0 4px; }
  #changes { font-size: 12.5px; margin: 0 0 6px; color: #495057; }
  #state table { border-collapse: collapse; width: 100%; font-family: 'DejaVu Sans Mono', Menlo, monospace; font-size: 12px; }
  #state th { text-align: left; font-weight: normal; color: #495057; padding: 2px 8px 2px 0; white-space: nowrap; vertical-align: top; }
  #state td { padding: 2px 0; word-break: break-word; }
  #state tr.changed th, #state tr.changed td.value { color: #c92a2a; font-weight: bold; }
  #state td.was { color: #868e96; padding-left: 8px; }
  #glossary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 10px 0 0; padding-top: 6px;
              border-top: 1px solid #dee2e6; font-size: 12px; color: #495057; }
  #glossary dt { font-family: 'DejaVu Sans Mono', Menlo, monospace; font-weight: bold; }
  #glossary dd { margin: 0; }
)css";
constexpr const char* kScript = R"js(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('agree-data').textContent);
  var rows = data.rows;
  var slider = document.getElementById('slider');
  var items = document.querySelectorAll('#steps li');
  var bands = document.querySelectorAll('#chart-pane rect.row');
  var current = -1;
  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }
  function reveal(el, box) {
    var b = box.getBoundingClientRect(), e = el.getBoundingClientRect();
    if (e.top < b.top) box.scrollTop -= b.top - e.top;
    else if (e.bottom > b.bottom) box.scrollTop += e.bottom - b.bottom;
  }
  function show(r) {
    r = Math.max(0, Math.min(rows.length - 1, r));
    current = r;
    slider.value = String(r);
    var row = rows[r];
    items.forEach(function (li) { li.classList.toggle('selected', Number(li.dataset.row) === r); });
    bands.forEach(function (b) { b.classList.toggle('selected', Number(b.getAttribute('data-row')) === r); });
    // Scroll the step list and the chart (not the page) to the selected step.
    var sel = document.querySelector('#steps li.selected');
    if (sel) reveal(sel, document.getElementById('steps'));
    var band = document.querySelector('#chart-pane rect.row.selected');
    if (band) reveal(band, document.getElementById('chart-pane'));
    document.getElementById('position').textContent = 'step ' + row.step + ' of ' + (rows.length - 1);
    document.getElementById('state-title').textContent =
        r === 0 ? 'Initial state (' + row.action + ')' : 'State after step ' + row.step + ': ' + row.action;
    var changed = {};
    row.changed.forEach(function (k) { changed[k] = true; });
    var names = row.changed.map(function (k) { return row.state[k][0]; });
    document.getElementById('changes').textContent =
        r === 0 ? 'The initial state: every field.' :
        names.length ? 'Changed: ' + names.join(', ') + (r === data.violating ? '. ' + data.outcome + '.' : '')
                     : 'Nothing changed (a self-loop).';
    var table = document.getElementById('state-table');
    while (table.firstChild) table.removeChild(table.firstChild);
    row.state.forEach(function (kv, k) {
      var tr = document.createElement('tr');
      tr.dataset.field = kv[0];
      if (changed[k] && r > 0) tr.className = 'changed';
      tr.appendChild(text('th', kv[0]));
      tr.appendChild(text('td', kv[1], 'value'));
      tr.appendChild(text('td', changed[k] && r > 0 ? 'was ' + rows[r - 1].state[k][1] : '', 'was'));
      table.appendChild(tr);
    });
  }
  items.forEach(function (li) { li.addEventListener('click', function () { show(Number(li.dataset.row)); }); });
  document.querySelectorAll('#chart-pane rect.row, #chart-pane text.action').forEach(function (el) {
    el.addEventListener('click', function () { show(Number(el.getAttribute('data-row'))); });
  });
  slider.addEventListener('input', function () { show(Number(slider.value)); });
  document.getElementById('prev').addEventListener('click', function () { show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1); });
  document.addEventListener('keydown', function (e) {
    if (e.target === slider) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') { show(current - 1); e.preventDefault(); }
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { show(current + 1); e.preventDefault(); }
    if (e.key === 'Home') show(0);
    if (e.key === 'End') show(rows.length - 1);
  });
  show(data.violating);
})();
)js";

// The rows (state, changes, events) as JSON for the script, safe inside <script>.
std::string data_json(const Chart& c) {
  nlohmann::json j;
  j["title"] = c.title();
  j["outcome"] = c.outcome;
  j["violating"] = c.violating_row();
  j["lanes"] = c.lanes;
  j["traitors"] = detail::traitor_lanes(c);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : c.rows) {
    nlohmann::json state = nlohmann::json::array();
    for (const auto& [k, v] : row.state) state.push_back({k, v});
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : row.events)
      events.push_back({{"kind", model::to_string(e.kind)}, {"from", e.from}, {"to", e.to}, {"label", e.label}});
    rows.push_back({{"step", row.step}, {"action", row.action}, {"state", state}, {"changed", row.changed}, {"events", events}});
  }
  j["rows"] = rows;
  std::string json = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // Inside <script>, "</" could close the element early.
  for (std::size_t p = json.find("</"); p != std::string::npos; p = json.find("</", p + 3)) json.replace(p, 2, "<\\/");
  return json;
}

// The chart scales to its pane's width, never above its own size nor below
// 60% of it (the pane scrolls then). Beside the step list it would shrink
// below 80%: the list and the state go under it instead.
std::string fit_style(const std::string& svg) {
  const auto at = svg.find(" width=\"");
  const double width = at == std::string::npos ? 1000 : std::stod(svg.substr(at + 8));
  const int w = static_cast<int>(std::ceil(width));
  const int narrow = static_cast<int>(std::ceil(0.8 * width)) + 24 + 12 + 440 + 2 + 16;  // padding, gap, aside, border, scroll bar
  std::ostringstream o;
  o << "<style>\n  #chart-pane svg.agree-chart { max-width: " << w << "px; min-width: " << static_cast<int>(0.6 * width) << "px; }\n"
    << "  @media (max-width: " << narrow << "px) {\n"
    << "    body { display: block; height: auto; }\n"
    << "    main { flex-direction: column; align-items: stretch; }\n"
    << "    #chart-pane { flex: none; max-height: calc(100vh - 100px); }\n"
    << "    aside { flex: none; max-height: none; }\n  }\n</style>\n";
  return o.str();
}

// The title (once: the chart inline has none), the outcome, why, and the traitors.
void header(std::ostream& o, const Chart& c) {
  using detail::xml_escape;
  o << "<header><h1>" << xml_escape(c.title()) << "</h1><p id=\"outcome\" class=\"" << (!c.reproduced ? "held" : c.witness ? "reached" : "violated")
    << "\">" << xml_escape(c.outcome) << (c.generic ? " (drawn without an events() hook: one mark per step)" : "") << "</p>";
  if (!c.explanation.empty()) o << "<p id=\"explanation\">why: " << xml_escape(c.explanation) << "</p>";
  const auto traitor = detail::traitor_lanes(c);
  std::string names;
  for (std::size_t l = 0; l < c.lanes.size(); ++l)
    if (traitor[l]) names += (names.empty() ? "" : ", ") + c.lanes[l];
  if (!names.empty()) o << "<p id=\"traitors\">" << (names.find(',') == std::string::npos ? "traitor: " : "traitors: ") << xml_escape(names) << "</p>";
  o << "</header>\n";
}

// The step slider and list, the state panel (with what the fields mean).
void aside(std::ostream& o, const Chart& c) {
  using detail::xml_escape;
  o << "<aside>\n<div id=\"controls\"><button id=\"prev\" title=\"previous step\">&#9664;</button>"
    << "<input id=\"slider\" type=\"range\" min=\"0\" max=\"" << c.violating_row() << "\" value=\"" << c.violating_row()
    << "\" aria-label=\"step\"><button id=\"next\" title=\"next step\">&#9654;</button><span id=\"position\"></span></div>\n";
  o << "<ol id=\"steps\" start=\"0\">\n";
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const bool bad = r == c.violating_row() && r > 0 && c.reproduced;
    const bool looping = c.cycle && r > *c.cycle;  // a lasso's cycle: these steps repeat forever
    o << "  <li data-row=\"" << r << "\" data-step=\"" << c.rows[r].step << "\"" << (bad ? c.witness ? " class=\"reached\"" : " class=\"violation\"" : "")
      << (looping ? " data-cycle=\"1\" title=\"in the cycle: repeats forever\"" : "") << ">"
      << xml_escape(r == 0 ? "init " + c.rows[r].action : c.rows[r].action) << "</li>\n";
  }
  o << "</ol>\n";
  o << "<section id=\"state\"><h2 id=\"state-title\"></h2><p id=\"changes\"></p><table id=\"state-table\"></table>";
  if (!c.glossary.empty()) {
    o << "\n<dl id=\"glossary\">";
    for (const auto& [field, meaning] : c.glossary) o << "<dt>" << xml_escape(field) << "</dt><dd>" << xml_escape(meaning) << "</dd>";
    o << "</dl>\n";
  }
  o << "</section>\n</aside>\n";
}

}  // namespace

std::string render_html(const Chart& c) {
  using detail::xml_escape;
  const std::string svg = detail::svg(c, false);
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << xml_escape(c.title()) << "</title>\n<style>" << kStyle << "</style>\n" << fit_style(svg) << "</head>\n<body>\n";
  header(o, c);
  o << "<main>\n<section id=\"chart-pane\">\n" << svg << "</section>\n";
  aside(o, c);
  o << "</main>\n";
  o << "<script type=\"application/json\" id=\"agree-data\">" << data_json(c) << "</script>\n";
  o << "<script>" << kScript << "</script>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace agree::counterexamples
