// Sequence charts of known counterexamples: the chart's structure (lanes,
// arrows, the violating step) and each printer's output (text, mermaid, SVG as
// well-formed XML, offline HTML).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agree/checker/explorer.hpp"
#include "agree/counterexamples/chart.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/sequencer.hpp"
#include "agree/model/tokenring.hpp"
#include "toy_models.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using counterexamples::Chart;

namespace {

template <class P>
counterexamples::Trace first_trace(const P& p, const std::string& parameters) {
  const auto r = checker::check(p, checker::Options{});
  REQUIRE(r.verdict == checker::Verdict::Violated);
  return counterexamples::make_trace(p, parameters, r.violations.front());
}

// A shortest total-order violation of ISIS without tie-break (one of several
// of length 16; fixed here so the pinned structure does not depend on the
// order in which the search finds them).
constexpr const char* kIsisTrace = R"(agree-trace 1
protocol isis
model-version 1
parameters procs=3 msgs=2 crash=0 variant=no-tiebreak
property total-order
steps 16
init initial
1 multicast(m0)
2 multicast(m1)
3 propose(p0, m0)
4 propose(p1, m0)
5 propose(p0, m1)
6 propose(p1, m1)
7 propose(p2, m1)
8 propose(p2, m0)
9 collect(m0, p0, 1)
10 collect(m0, p1, 1)
11 collect(m0, p2, 2)
12 collect(m1, p0, 2)
13 collect(m1, p1, 2)
14 collect(m1, p2, 1)
15 agree(p0, m0, 2)
16 agree(p2, m1, 2)
end
)";

Chart isis_no_tiebreak() {
  const model::isis::Isis p(3, 2, 0, model::isis::Isis::Variant::NoTiebreak);
  return counterexamples::build_chart(p, counterexamples::parse_trace(kIsisTrace, "isis.trace"), "isis.trace");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

// A small well-formedness check: one root, nested tags that close in order,
// quoted attributes with no duplicate names, known entities only, no '<' or
// bare '&' in text. Returns "" or what is wrong.
std::string xml_problem(const std::string& x) {
  std::vector<std::string> stack;
  std::size_t i = 0, roots = 0;
  const auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.'; };
  const auto entity_ok = [&](std::size_t at) {
    const std::size_t semi = x.find(';', at);
    if (semi == std::string::npos || semi - at > 10) return false;
    const std::string e = x.substr(at + 1, semi - at - 1);
    if (e == "amp" || e == "lt" || e == "gt" || e == "quot" || e == "apos") return true;
    if (e.size() > 1 && e[0] == '#') return std::all_of(e.begin() + 1, e.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    return false;
  };
  if (x.rfind("<?xml", 0) == 0) i = x.find("?>") + 2;
  while (i < x.size()) {
    if (x[i] == '<') {
      if (x.compare(i, 4, "<!--") == 0) {
        i = x.find("-->", i);
        if (i == std::string::npos) return "unclosed comment";
        i += 3;
        continue;
      }
      const bool closing = x[i + 1] == '/';
      std::size_t j = i + (closing ? 2 : 1);
      std::string name;
      while (j < x.size() && name_char(x[j])) name += x[j++];
      if (name.empty()) return "empty tag name at " + std::to_string(i);
      if (closing) {
        if (stack.empty() || stack.back() != name) return "</" + name + "> does not close <" + (stack.empty() ? "" : stack.back()) + ">";
        stack.pop_back();
        if (x[j] != '>') return "bad closing tag " + name;
        i = j + 1;
        continue;
      }
      std::vector<std::string> attrs;
      for (;;) {
        while (j < x.size() && std::isspace(static_cast<unsigned char>(x[j]))) ++j;
        if (j >= x.size()) return "unclosed tag " + name;
        if (x[j] == '>' || (x[j] == '/' && x[j + 1] == '>')) break;
        std::string a;
        while (j < x.size() && name_char(x[j])) a += x[j++];
        if (a.empty() || x[j] != '=' || (x[j + 1] != '"' && x[j + 1] != '\'')) return "bad attribute in <" + name + ">";
        if (std::find(attrs.begin(), attrs.end(), a) != attrs.end()) return "duplicate attribute " + a;
        attrs.push_back(a);
        const char q = x[j + 1];
        const std::size_t end = x.find(q, j + 2);
        if (end == std::string::npos) return "unterminated attribute " + a;
        for (std::size_t k = j + 2; k < end; ++k) {
          if (x[k] == '<') return "'<' in attribute " + a;
          if (x[k] == '&' && !entity_ok(k)) return "bad entity in attribute " + a;
        }
        j = end + 1;
      }
      if (stack.empty()) ++roots;
      if (x[j] == '/') {
        i = j + 2;
      } else {
        stack.push_back(name);
        i = j + 1;
      }
      continue;
    }
    if (x[i] == '&' && !entity_ok(i)) return "bad entity at " + std::to_string(i);
    if (stack.empty() && !std::isspace(static_cast<unsigned char>(x[i]))) return "text outside the root element";
    ++i;
  }
  if (!stack.empty()) return "<" + stack.back() + "> never closed";
  if (roots != 1) return std::to_string(roots) + " root elements";
  return "";
}

}  // namespace

TEST_CASE("render: the xml checker itself rejects broken documents", "[render]") {
  CHECK(xml_problem("<a><b x=\"1\"/>t &amp; u</a>").empty());
  CHECK_FALSE(xml_problem("<a><b></a>").empty());
  CHECK_FALSE(xml_problem("<a x=\"1\" x=\"2\"/>").empty());
  CHECK_FALSE(xml_problem("<a>fish & chips</a>").empty());
  CHECK_FALSE(xml_problem("<a/><b/>").empty());
  CHECK_FALSE(xml_problem("<a y=\"<\"/>").empty());
}

TEST_CASE("render: ISIS without tie-break, chart structure", "[render]") {
  const Chart c = isis_no_tiebreak();
  CHECK(c.lanes == std::vector<std::string>{"p0", "p1", "p2"});
  REQUIRE(c.rows.size() == 17);  // init + the 16 steps of the shortest counterexample
  CHECK(c.reproduced);
  CHECK_FALSE(c.generic);
  CHECK(c.violating_row() == 16);
  CHECK(c.outcome == "total-order is violated after step 16");
  CHECK(c.rows[16].action == "agree(p2, m1, 2)");
  // 2 multicasts x 3 Msg, 6 Proposals, 2 x 3 Agreed; every Msg and Proposal
  // arrives, only Agreed(m0) at p0 and Agreed(m1) at p2 do.
  REQUIRE(c.arrows.size() == 18);
  const auto received = std::count_if(c.arrows.begin(), c.arrows.end(), [](const Chart::Arrow& a) { return a.received != Chart::kNever; });
  CHECK(received == 14);
  for (const auto& a : c.arrows)
    if (a.received != Chart::kNever) CHECK(a.sent < a.received);
  // The first Msg(m0): p0 -> p1 sent at step 1, received at step 4 (propose(p1, m0)).
  const auto it = std::find_if(c.arrows.begin(), c.arrows.end(),
                               [](const Chart::Arrow& a) { return a.label == "Msg(m0)" && a.from == 0 && a.to == 1; });
  REQUIRE(it != c.arrows.end());
  CHECK(it->sent == 1);
  CHECK(it->received == 4);
  // The last step delivers m1 at p2 while p0 delivered m0.
  const auto& last = c.rows[16].events;
  CHECK(std::count(last.begin(), last.end(), model::Event{model::Event::Deliver, 2, -1, "deliver m1"}) == 1);
  const auto changed = c.rows[16].changed;
  REQUIRE(changed.size() >= 1);
  bool p2_delivered = false;
  for (const auto k : changed) p2_delivered = p2_delivered || c.rows[16].state[k] == std::pair<std::string, std::string>{"p2.delivered", "[m1]"};
  CHECK(p2_delivered);
}

TEST_CASE("render: text chart has the lanes, the receipts and the marked step", "[render]") {
  const std::string t = counterexamples::render_text(isis_no_tiebreak());
  CHECK(t.find(" step  action") != std::string::npos);
  CHECK(t.find("p0                        p1                        p2") != std::string::npos);
  CHECK(t.find("<-p0 Msg(m0) @1") != std::string::npos);          // received in step 3, sent in step 1
  CHECK(t.find("Msg(m0) ->p0,p1,p2") != std::string::npos);
  CHECK(t.find(">> 16  agree(p2, m1, 2)") != std::string::npos);
  CHECK(count(t, "\n>>") == 2);                                    // the step and the verdict line
  CHECK(t.find(">> total-order is violated after step 16") != std::string::npos);
  CHECK(t.find("p2.delivered = [m1]") != std::string::npos);
  CHECK(count(t, "* deliver") == 2);
}

TEST_CASE("render: mermaid sequenceDiagram", "[render]") {
  const std::string m = counterexamples::render_mermaid(isis_no_tiebreak());
  CHECK(m.rfind("sequenceDiagram\n", 0) == 0);
  CHECK(count(m, "  participant ") == 3);
  CHECK(count(m, "->>") == 14);                 // one per receipt
  CHECK(count(m, "(never received)") == 4);
  CHECK(count(m, "rect rgb(255, 215, 215)") == 1);
  CHECK(count(m, "Note over") == 16 + 1);       // one per step, one for the verdict
  CHECK(m.find(';') == std::string::npos);
}

TEST_CASE("render: SVG is well-formed XML with lanes, arrows and the violating step", "[render][svg]") {
  const std::string s = counterexamples::render_svg(isis_no_tiebreak());
  CHECK(xml_problem(s) == "");
  CHECK(s.rfind("<?xml version=\"1.0\"", 0) == 0);
  CHECK(s.find("xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
  CHECK(count(s, "<g class=\"lane\"") == 3);
  CHECK(count(s, "<g class=\"arrow\"") == 14);  // received
  CHECK(count(s, "<g class=\"arrow ") == 4);     // lost (no lies in ISIS)
  CHECK(count(s, "<g class=\"arrow lost\"") == 4);
  CHECK(count(s, "class=\"row violation\"") == 1);
  CHECK(s.find("class=\"row violation\" data-row=\"16\" data-step=\"16\"") != std::string::npos);
  CHECK(s.find("data-from=\"p0\" data-to=\"p1\" data-sent=\"1\" data-received=\"4\"") != std::string::npos);
  CHECK(count(s, "<g class=\"mark deliver\"") == 2);
  CHECK(s.find("href=\"http") == std::string::npos);
}

TEST_CASE("render: HTML is one offline page with the steps and the states", "[render][html]") {
  const std::string h = counterexamples::render_html(isis_no_tiebreak());
  CHECK(h.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count(h, "<li data-row=") == 17);
  CHECK(h.find("<li data-row=\"16\" data-step=\"16\" class=\"violation\">agree(p2, m1, 2)</li>") != std::string::npos);
  CHECK(h.find("<svg xmlns=") != std::string::npos);
  CHECK(h.find("<?xml") == std::string::npos);  // inline, not a document of its own
  // Nothing is fetched: no src or href attribute at all, no stylesheet link.
  CHECK(h.find(" src=") == std::string::npos);
  CHECK(h.find(" href=") == std::string::npos);
  CHECK(h.find("<link") == std::string::npos);
  // The embedded JSON parses and holds every state.
  const std::string open = "<script type=\"application/json\" id=\"agree-data\">";
  const auto a = h.find(open);
  REQUIRE(a != std::string::npos);
  const auto b = h.find("</script>", a);
  std::string json = h.substr(a + open.size(), b - a - open.size());
  const auto j = nlohmann::json::parse(json);
  REQUIRE(j["rows"].size() == 17);
  CHECK(j["violating"] == 16);
  CHECK(j["rows"][16]["action"] == "agree(p2, m1, 2)");
  CHECK(j["rows"][0]["state"].size() == j["rows"][16]["state"].size());
}

TEST_CASE("render: the sequencer's lane s, and a crash mark", "[render]") {
  using model::sequencer::Sequencer;
  const Sequencer p(2, 2, 0, Sequencer::Variant::NoHoldback);
  const Chart c = counterexamples::build_chart(p, first_trace(p, "procs=2 msgs=2 crash=0 variant=no-holdback"), "test");
  CHECK(c.lanes == std::vector<std::string>{"p0", "p1", "s"});
  CHECK(c.reproduced);
  const auto to_s = std::count_if(c.arrows.begin(), c.arrows.end(), [](const Chart::Arrow& a) { return a.to == 2; });
  CHECK(to_s >= 1);  // Requests go to the sequencer

  const model::isis::Isis q(3, 2, 1, model::isis::Isis::Variant::Correct);
  const Chart d = counterexamples::build_chart(q, first_trace(q, "procs=3 msgs=2 crash=1 variant=correct"), "test");
  CHECK(d.property == "termination");
  const std::string svg = counterexamples::render_svg(d);
  CHECK(xml_problem(svg) == "");
  CHECK(count(svg, "<g class=\"mark crash\"") == 1);
  CHECK(count(svg, "class=\"lifeline dead\"") == 1);
  CHECK(counterexamples::render_text(d).find("X CRASH") != std::string::npos);
}

TEST_CASE("render: a protocol without the events hook is drawn generically", "[render]") {
  // The toy graph has no events(): every step becomes one mark on an "env" lane.
  const toy::Graph g({0}, {{0, 1}, {1, 2}}, 2);
  counterexamples::Trace t = first_trace(g, "");
  const Chart c = counterexamples::build_chart(g, t, "test");
  CHECK(c.generic);
  CHECK(c.lanes == std::vector<std::string>{"env"});
  REQUIRE(c.rows.size() == 3);
  CHECK(c.rows[1].events.size() == 1);
  CHECK(c.rows[1].events[0].kind == model::Event::Local);
  CHECK(xml_problem(counterexamples::render_svg(c)) == "");

  // Lanes guessed from the first pN in the text.
  Chart h;
  h.generic = true;
  h.rows = {{0, "initial", {}, {}, {}, {}}, {1, "vote(p2, yes)", {}, {}, {}, {}}, {2, "crash(p0)", {}, {}, {}, {}},
            {3, "tick", {}, {}, {}, {}}};
  counterexamples::finish_chart(h);
  CHECK(h.lanes == std::vector<std::string>{"p0", "p1", "p2", "env"});
  CHECK(h.rows[1].events[0].from == 2);
  CHECK(h.rows[2].events[0].kind == model::Event::Crash);
  CHECK(h.rows[3].events[0].from == 3);
}

TEST_CASE("render: a trace that does not fit the model names its line", "[render]") {
  const model::isis::Isis p(3, 2, 0, model::isis::Isis::Variant::NoTiebreak);
  std::string text = kIsisTrace;
  text.replace(text.find("3 propose(p0, m0)"), 17, "3 propose(p0, m7)");
  const auto t = counterexamples::parse_trace(text, "x.trace");
  CHECK_THROWS_WITH(counterexamples::build_chart(p, t, "x.trace"), Catch::Contains("x.trace:10: step 3 'propose(p0, m7)'"));
  CHECK_THROWS_AS(counterexamples::render(isis_no_tiebreak(), "png"), std::invalid_argument);
}

TEST_CASE("render: why the property fails and what the fields mean, in every format", "[render]") {
  Chart c = isis_no_tiebreak();
  c.explanation = "p0 delivered [m0] first & p2 delivered [m1] first";
  c.glossary = {{"A", "largest agreed number seen"}, {"P", "largest number proposed"}};
  const std::string t = counterexamples::render_text(c);
  CHECK(t.find(">> total-order is violated after step 16\n   why: p0 delivered [m0] first & p2 delivered [m1] first\n"
               "   A: largest agreed number seen; P: largest number proposed\n") != std::string::npos);
  const std::string m = counterexamples::render_mermaid(c);
  CHECK(m.find("  %% why: p0 delivered [m0] first & p2 delivered [m1] first\n") != std::string::npos);
  CHECK(m.find("  %% A: largest agreed number seen\n  %% P: largest number proposed\n") != std::string::npos);
  const std::string s = counterexamples::render_svg(c);
  CHECK(xml_problem(s) == "");
  CHECK(s.find(">Why: p0 delivered [m0] first &amp; p2 delivered [m1] first</text>") != std::string::npos);
  CHECK(s.find("<g class=\"glossary\">") != std::string::npos);
  CHECK(s.find("<tspan class=\"field\">A:</tspan> largest agreed number seen</text>") != std::string::npos);
  CHECK(s.find("class=\"explanation\"") < s.find("<g class=\"legend\">"));  // under the chart, above the legend
  const std::string h = counterexamples::render_html(c);
  CHECK(h.find("</p><p id=\"explanation\">why: p0 delivered [m0] first &amp; p2 delivered [m1] first</p>") != std::string::npos);
  CHECK(h.find("<dl id=\"glossary\"><dt>A</dt><dd>largest agreed number seen</dd><dt>P</dt><dd>largest number proposed</dd></dl>") !=
        std::string::npos);
  CHECK(h.find("Why: ") == std::string::npos);  // the inline chart leaves both to the page
  CHECK(h.find("<g class=\"glossary\">") == std::string::npos);

  // Without them, nothing of either.
  c.explanation.clear();
  c.glossary.clear();
  CHECK(counterexamples::render_text(c).find("why:") == std::string::npos);
  CHECK(counterexamples::render_text(c).find("   A: ") == std::string::npos);
  CHECK(counterexamples::render_mermaid(c).find("%% why") == std::string::npos);
  CHECK(count(counterexamples::render_mermaid(c), "%%") == 1);  // the title
  const std::string bare = counterexamples::render_svg(c);
  CHECK(bare.find("class=\"explanation\"") == std::string::npos);
  CHECK(bare.find("class=\"glossary\"") == std::string::npos);
  CHECK(counterexamples::render_html(c).find("id=\"explanation\"") == std::string::npos);
  CHECK(counterexamples::render_html(c).find("<dl") == std::string::npos);
}

TEST_CASE("render: the HTML page shows its title once, the chart scales to its pane", "[render][html]") {
  const Chart c = isis_no_tiebreak();
  const std::string h = counterexamples::render_html(c);
  const auto svg_at = h.find("<svg "), svg_end = h.find("</svg>");
  const std::string svg = h.substr(svg_at, svg_end - svg_at);
  CHECK(svg.find(c.title()) == std::string::npos);  // neither as text nor as <title>
  CHECK(svg.find("class=\"title\"") == std::string::npos);
  CHECK(count(h, "<h1>" + c.title() + "</h1>") == 1);
  CHECK(svg.find(" viewBox=\"0 38 ") != std::string::npos);  // the title's band left out
  CHECK(h.find("#chart-pane svg.agree-chart { display: block; width: 100%; height: auto; }") != std::string::npos);
  CHECK(h.find("@media (max-width: ") != std::string::npos);
  // Standalone, the SVG has its title.
  CHECK(count(counterexamples::render_svg(c), c.title()) == 2);  // <title> and the heading
}

// A lasso written by hand (model/tokenring.hpp: the greedy holder p1 keeps the
// token): one step of stem, then steps 2..3 forever. Every format draws the loop.
TEST_CASE("render: a lasso's cycle is drawn in every format", "[render][liveness]") {
  const std::string text =
      "agree-trace 2\nprotocol tokenring\nmodel-version 1\nparameters procs=3 variant=greedy\n"
      "property token-reaches-all\nfairness weak\nsteps 3\ncycle 1\ninit initial\n1 Pass(p0)\n2 Enter(p1)\n3 Exit(p1)\nend\n";
  const counterexamples::Trace t = counterexamples::parse_trace(text, "<lasso>");
  const model::tokenring::TokenRing ring(3, model::tokenring::TokenRing::Variant::Greedy);
  const counterexamples::Chart c = counterexamples::build_chart(ring, t, "<lasso>");
  REQUIRE(c.reproduced);
  REQUIRE(c.cycle == std::optional<std::size_t>(1));

  const std::string txt = counterexamples::render_text(c);
  const auto open = txt.find(",-- the cycle: steps 2..3 repeat forever"), close = txt.find("`-- back to the state after step 1");
  REQUIRE(open != std::string::npos);
  REQUIRE(close != std::string::npos);
  CHECK(txt.find("Pass(p0)") < open);  // the stem above the cycle
  CHECK(open < txt.find("Enter(p1)"));
  CHECK(txt.find("Exit(p1)") < close);

  const std::string m = counterexamples::render_mermaid(c);
  CHECK(count(m, "  loop steps 2..3 repeat forever\n") == 1);
  CHECK(m.find("Pass(p0)") < m.find("loop steps"));
  CHECK(count(m, "end\n") == count(m, "loop ") + count(m, "rect "));  // every block closed

  const std::string svg = counterexamples::render_svg(c);
  CHECK(xml_problem(svg) == "");
  CHECK(count(svg, "<g class=\"cycle\" data-from=\"2\" data-to=\"3\">") == 1);

  const std::string h = counterexamples::render_html(c);
  CHECK(count(h, "data-cycle=\"1\"") == 2);
  CHECK(h.find("<li data-row=\"1\" data-step=\"1\">Pass(p0)</li>") != std::string::npos);

  // A safety trace has no cycle, and none is drawn.
  CHECK_FALSE(isis_no_tiebreak().cycle);
  CHECK(counterexamples::render_text(isis_no_tiebreak()).find("the cycle") == std::string::npos);
}
