// The SVG chart's labels never overlap: every message name, mark text and the
// verdict is read back from the SVG (its x, y, text-anchor and text), given the
// box the renderer reserves for it (detail::text_width, TextBox::box: the
// estimated width of its text in DejaVu Sans), and no two boxes may
// intersect, nor may one leave the picture. Checked on the counterexample of
// every violating row of `agree suite`, on the walkthroughs' traces
// (docs/walkthroughs/) and on hand-built charts crowded on purpose.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agree/cli/registry.hpp"
#include "agree/cli/render.hpp"
#include "agree/cli/suite.hpp"
#include "agree/counterexamples/chart.hpp"
#include "agree/counterexamples/svg_layout.hpp"
#include "agree/counterexamples/trace.hpp"

using namespace agree;
using counterexamples::Chart;
using counterexamples::detail::Box;
using counterexamples::detail::TextBox;

namespace {

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    const std::string e = s.substr(i + 1, semi - i - 1);
    i = semi;
    if (e == "amp") out += '&';
    else if (e == "lt") out += '<';
    else if (e == "gt") out += '>';
    else if (e == "quot") out += '"';
    else if (e == "#39" || e == "apos") out += '\'';
    else if (e == "#8592") out += "\u2190";
    else out += "?";  // another character: one em, as the renderer counts it
  }
  return out;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string attr(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const auto at = tag.find(key);
  if (at == std::string::npos) return "";
  const auto from = at + key.size();
  return tag.substr(from, tag.find('"', from) - from);
}

struct Label {
  std::string what;  // for the failure message
  TextBox text;
};

// Every <text> of class label or verdict, as the renderer placed it.
std::vector<Label> labels(const std::string& svg) {
  std::vector<Label> out;
  for (std::size_t at = svg.find("<text "); at != std::string::npos; at = svg.find("<text ", at + 1)) {
    const std::string tag = svg.substr(at, svg.find('>', at) - at);
    const std::string cls = attr(tag, "class");
    const bool verdict = cls.rfind("verdict", 0) == 0;
    if (cls != "label" && !verdict) continue;
    const auto open = svg.find('>', at) + 1;
    std::string inner = svg.substr(open, svg.find("</text>", open) - open), text;
    for (std::size_t i = 0; i < inner.size(); ++i)  // drop any nested tag
      if (inner[i] == '<') i = inner.find('>', i);
      else text += inner[i];
    TextBox t;
    t.text = unescape(text);
    t.x = std::stod(attr(tag, "x"));
    t.y = std::stod(attr(tag, "y"));
    t.size = verdict ? counterexamples::detail::kVerdictPx : counterexamples::detail::kLabelPx;
    t.bold = verdict;
    const std::string anchor = attr(tag, "text-anchor");
    t.anchor = anchor == "middle" ? TextBox::Middle : anchor == "end" ? TextBox::End : TextBox::Start;
    out.push_back({cls + " '" + t.text + "' at (" + attr(tag, "x") + ", " + attr(tag, "y") + ")", t});
  }
  return out;
}

// What is wrong with the labels of one SVG: overlapping pairs, labels outside the picture.
std::vector<std::string> problems(const std::string& svg) {
  const auto all = labels(svg);
  const double width = std::stod(attr(svg.substr(svg.find("<svg "), 400), "width"));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Box a = all[i].text.box();
    if (a.x0 < 0 || a.x1 > width) out.push_back(all[i].what + " leaves the picture (width " + std::to_string(width) + ")");
    for (std::size_t j = i + 1; j < all.size(); ++j)
      if (a.intersects(all[j].text.box())) out.push_back(all[i].what + " overlaps " + all[j].what);
  }
  return out;
}

// AGREE_LAYOUT_DUMP=DIR writes every chart checked here to DIR, to look at.
void dump(const std::string& name, const std::string& svg) {
  const char* dir = std::getenv("AGREE_LAYOUT_DUMP");
  if (!dir || !*dir) return;
  std::string file = std::filesystem::path(name).stem().string();
  for (char& ch : file)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '-';
  std::ofstream(std::filesystem::path(dir) / (file + ".svg")) << svg;
}

void check_labels(const Chart& c, const std::string& name) {
  INFO(name);
  const std::string svg = counterexamples::render_svg(c);
  dump(name, svg);
  CHECK(labels(svg).size() >= c.arrows.size());  // every message has its label, received or not
  CHECK(problems(svg) == std::vector<std::string>{});
}

}  // namespace

TEST_CASE("chart layout: the label reader sees overlaps", "[render][layout]") {
  const std::string two = "<svg width=\"300\"><text class=\"label\" x=\"50\" y=\"20\" text-anchor=\"middle\">Msg(m0)</text>"
                          "<text class=\"label\" x=\"60\" y=\"24\">Msg(m1)</text></svg>";
  CHECK(labels(two).size() == 2);
  CHECK(problems(two).size() == 1);
  const std::string apart = "<svg width=\"300\"><text class=\"label\" x=\"50\" y=\"20\">Msg(m0)</text>"
                            "<text class=\"label\" x=\"50\" y=\"34\">Msg(m1)</text>"
                            "<text class=\"verdict\" x=\"290\" y=\"34\" text-anchor=\"end\">&#8592; agreement violated</text></svg>";
  CHECK(problems(apart).empty());
  CHECK(problems("<svg width=\"100\"><text class=\"label\" x=\"90\" y=\"20\">Proposal(m0, 1)</text></svg>").size() == 1);
}

TEST_CASE("chart layout: no two labels overlap in any suite counterexample", "[render][layout]") {
  for (const auto& row : cli::suite_rows()) {
    if (row.verdict != "violated") continue;
    const cli::Entry* e = cli::find_protocol(row.protocol);
    REQUIRE(e);
    model::Params params(e->params);
    params.set_all(row.parameters);
    const auto r = e->check(params, checker::Options{});
    REQUIRE(!r.traces.empty());
    check_labels(e->chart(params, r.traces.front(), "suite"), row.protocol + " " + row.parameters);
  }
}

TEST_CASE("chart layout: no two labels overlap in the walkthroughs", "[render][layout][walkthrough]") {
  const std::string dir = std::string(AGREE_SOURCE_DIR) + "/docs/walkthroughs/";
  std::vector<std::string> traces;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".trace") traces.push_back(entry.path().string());
  std::sort(traces.begin(), traces.end());
  REQUIRE(traces.size() >= 11);
  for (const auto& file : traces) {
    const auto t = counterexamples::read_trace_file(file);
    const cli::Entry& e = cli::trace_entry(t, file);
    check_labels(e.chart(cli::trace_params(e, t, file), t, file), file);
  }
}

TEST_CASE("chart layout: crowded charts grow their rows instead of overlapping", "[render][layout]") {
  // Six lanes; in step 1 every lane sends a long-named message to every lane,
  // all received in step 2, where every lane also decides with a long text.
  Chart c;
  c.protocol = "crowd";
  c.property = "agreement";
  c.reproduced = true;
  c.lanes = {"p0", "p1", "p2", "p3", "p4", "p5"};
  c.rows.resize(3);
  for (std::size_t r = 0; r < 3; ++r) c.rows[r].step = r, c.rows[r].action = "step " + std::to_string(r);
  for (int from = 0; from < 6; ++from)
    for (int to = 0; to < 6; ++to) {
      const std::string label = "Proposal(m" + std::to_string(from) + ", (" + std::to_string(to) + ",p" + std::to_string(from) + "))";
      c.rows[1].events.push_back({to % 2 ? model::Event::Lie : model::Event::Send, from, to, label});
      if (to != 5) c.rows[2].events.push_back({model::Event::Receive, from, to, label});  // those to p5 are never received
    }
  for (int l = 0; l < 6; ++l) c.rows[2].events.push_back({model::Event::Decide, l, -1, "decides retreat: a tie of attack and retreat"});
  c.rows[2].events.push_back({model::Event::Crash, 5, -1, "crash"});
  counterexamples::finish_chart(c);
  REQUIRE(c.arrows.size() == 36);
  check_labels(c, "crowd");
  // And one long step name with a wide verdict on a chart of one lane.
  Chart d;
  d.protocol = "one";
  d.property = "a-property-with-a-very-long-name-that-the-verdict-spells-out";
  d.reproduced = true;
  d.lanes = {"p0"};
  d.rows = {{0, "initial", {}, {}, {}, {}},
            {1, "act(p0)", {{model::Event::Local, 0, -1, "a local step whose text runs on for quite a while indeed"}}, {}, {}, {}}};
  counterexamples::finish_chart(d);
  check_labels(d, "one lane");
  // Forty messages along the same line: growing rows cannot part them (they
  // share every candidate place), so after the last round they are pushed down.
  Chart same;
  same.lanes = {"p0", "p1"};
  same.rows = {{0, "initial", {}, {}, {}, {}}, {1, "send", {}, {}, {}, {}}, {2, "receive", {}, {}, {}, {}}};
  for (int i = 0; i < 40; ++i) {
    same.rows[1].events.push_back({model::Event::Send, 0, 1, "m" + std::to_string(i)});
    same.rows[2].events.push_back({model::Event::Receive, 0, 1, "m" + std::to_string(i)});
  }
  counterexamples::finish_chart(same);
  check_labels(same, "same line");
  // And nothing at all.
  check_labels(Chart{}, "empty");
}

namespace {

Chart suite_chart(const std::string& protocol, const std::string& parameters) {
  const cli::Entry* e = cli::find_protocol(protocol);
  REQUIRE(e);
  model::Params params(e->params);
  params.set_all(parameters);
  const auto r = e->check(params, checker::Options{});
  REQUIRE(!r.traces.empty());
  return e->chart(params, r.traces.front(), "test");
}

// The legend's texts, in order.
std::vector<std::string> legend(const std::string& svg) {
  const auto from = svg.find("<g class=\"legend\">"), to = svg.find("</g>\n</g>", from);
  std::vector<std::string> out;
  for (std::size_t at = svg.find("<text", from); at < to; at = svg.find("<text", at + 1)) {
    const auto open = svg.find('>', at) + 1;
    out.push_back(unescape(svg.substr(open, svg.find("</text>", open) - open)));
  }
  return out;
}

}  // namespace

TEST_CASE("chart layout: the legend lists only what the chart uses", "[render][layout]") {
  const std::string isis = counterexamples::render_svg(suite_chart("isis", "procs=3 msgs=2 variant=no-tiebreak"));
  CHECK(legend(isis) == std::vector<std::string>{"message (send to receipt)", "never received", "deliver", "the step that breaks the property"});
  const std::string om = counterexamples::render_svg(suite_chart("om", "generals=3 traitors=1"));
  CHECK(legend(om) == std::vector<std::string>{"message (send to receipt)", "traitor's lie", "traitor (sends lies)", "decide",
                                               "the step that breaks the property"});
  const std::string crash = counterexamples::render_svg(suite_chart("isis", "procs=3 msgs=2 crash=1"));
  const auto keys = legend(crash);
  CHECK(std::find(keys.begin(), keys.end(), "crash") != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "traitor's lie") == keys.end());
}

TEST_CASE("chart layout: a message never received is labelled", "[render][layout]") {
  const Chart c = suite_chart("isis", "procs=3 msgs=2 variant=no-tiebreak");
  const std::string svg = counterexamples::render_svg(c);
  std::size_t lost = 0;
  for (std::size_t at = svg.find("<g class=\"arrow lost\""); at != std::string::npos; at = svg.find("<g class=\"arrow lost\"", at + 1)) {
    const std::string group = svg.substr(at, svg.find("</g>", at) - at);
    INFO(group);
    CHECK(group.find("<text class=\"label\"") != std::string::npos);
    CHECK(group.find(">Agreed(m") != std::string::npos);
    ++lost;
  }
  CHECK(lost == 4);
}

TEST_CASE("chart layout: a traitor's lane says so in every format", "[render][layout]") {
  const Chart c = suite_chart("om", "generals=3 traitors=1");
  const auto traitor = counterexamples::detail::traitor_lanes(c);
  REQUIRE(std::count(traitor.begin(), traitor.end(), true) == 1);
  const std::string t = c.lanes[static_cast<std::size_t>(std::find(traitor.begin(), traitor.end(), true) - traitor.begin())];
  const std::string svg = counterexamples::render_svg(c);
  CHECK(count_of(svg, "<g class=\"lane traitor\"") == 1);
  CHECK(svg.find("<g class=\"lane traitor\" data-lane=\"" + t + "\">") != std::string::npos);
  CHECK(svg.find(">" + t + "<tspan class=\"traitor-tag\"> traitor</tspan></text>") != std::string::npos);
  CHECK(counterexamples::render_text(c).find(" " + t + " (traitor) ") != std::string::npos);
  CHECK(counterexamples::render_html(c).find("<p id=\"traitors\">traitor: " + t + "</p>") != std::string::npos);
  CHECK(counterexamples::render_mermaid(c).find("  participant " + t + " as " + t + " (traitor)\n") != std::string::npos);
  // No lie, no traitor.
  const Chart isis = suite_chart("isis", "procs=3 msgs=2 variant=no-tiebreak");
  CHECK(counterexamples::render_svg(isis).find("traitor<") == std::string::npos);  // neither the tag nor the legend's key
  CHECK(counterexamples::render_svg(isis).find("lane traitor") == std::string::npos);
  CHECK(counterexamples::render_svg(isis).find("sends lies") == std::string::npos);
  CHECK(counterexamples::render_text(isis).find("traitor") == std::string::npos);
  CHECK(counterexamples::render_html(isis).find("id=\"traitors\"") == std::string::npos);
}
