// Traces as data, state by state: render_json (agree's document, `agree replay
// --json`, `render --format json`) and render_itf (the Informal Trace Format,
// Apalache ADR-015, `render --format itf`). The states are checked against a
// replay done here by hand through the model, and the ITF output against the
// ADR's rules (validate_itf below).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agree/cli/registry.hpp"
#include "agree/counterexamples/chart.hpp"
#include "agree/counterexamples/render_json.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/isis.hpp"
#include "run_binary.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...
// Ordered: the order of a state's fields (describe()'s) is checked too.
using json = nlohmann::ordered_json;

namespace {

const std::string kWalkthroughs = std::string(AGREE_SOURCE_DIR) + "/docs/walkthroughs";
const std::string kTrace = kWalkthroughs + "/isis-open-group-no-tiebreak.trace";

counterexamples::Chart chart_of(const std::string& file) {
  const auto t = counterexamples::read_trace_file(file);
  const cli::Entry* e = cli::find_protocol(t.protocol);
  REQUIRE(e != nullptr);
  model::Params params(e->params);
  params.set_all(t.parameters);
  return e->chart(params, t, file);
}

// The trace replayed by hand through the model, without the chart: the
// description of every state, the initial one first.
std::vector<model::Description> isis_states(const counterexamples::Trace& t) {
  model::Params params(model::isis::Isis::param_specs());
  params.set_all(t.parameters);
  const model::isis::Isis p(params);
  std::optional<model::isis::State> s;
  for (const auto& i : p.init_states())
    if (p.format_init(i) == t.init) s = i;
  REQUIRE(s);
  std::vector<model::Description> out{model::describe(p, *s)};
  for (const auto& step : t.steps) {
    std::vector<model::isis::Action> actions;
    p.actions(*s, actions);
    const auto it = std::find_if(actions.begin(), actions.end(), [&](const auto& a) { return p.format_action(a) == step; });
    REQUIRE(it != actions.end());
    if (auto next = p.next_state(*s, *it)) s = std::move(*next);
    out.push_back(model::describe(p, *s));
  }
  return out;
}

// The action text of every line of a trace file: "init ..." then the steps.
std::vector<std::string> trace_lines(const counterexamples::Trace& t) {
  std::vector<std::string> out{"init " + t.init};
  out.insert(out.end(), t.steps.begin(), t.steps.end());
  return out;
}

// "" when v is an ITF expression (ADR-015, "Expressions"), else what is wrong.
std::string itf_expression_problem(const json& v, const std::string& where) {
  constexpr long long kMax = (1LL << 53) - 1;
  if (v.is_boolean() || v.is_string()) return "";
  if (v.is_number_integer()) {
    const bool ok = v.is_number_unsigned() ? v.get<unsigned long long>() <= static_cast<unsigned long long>(kMax)
                                           : v.get<long long>() >= -kMax && v.get<long long>() <= kMax;
    return ok ? "" : where + ": integer outside [-(2^53)+1, 2^53-1]";
  }
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (auto p = itf_expression_problem(v[i], where + "[" + std::to_string(i) + "]"); !p.empty()) return p;
    return "";
  }
  if (v.is_object()) {
    bool special = false;
    for (const auto& [k, _] : v.items()) special = special || (!k.empty() && k[0] == '#');
    if (!special) {  // a record
      for (const auto& [k, x] : v.items())
        if (auto p = itf_expression_problem(x, where + "." + k); !p.empty()) return p;
      return "";
    }
    if (v.size() != 1) return where + ": a #-form has exactly one key";
    const std::string k = v.begin().key();
    const json& x = v.begin().value();
    if (k == "#bigint") {
      const std::string s = x.is_string() ? x.get<std::string>() : "";
      const std::string digits = !s.empty() && s[0] == '-' ? s.substr(1) : s;
      const bool ok = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      return ok ? "" : where + ": #bigint is not \"[-][0-9]+\"";
    }
    if (k == "#unserializable") return x.is_string() ? "" : where + ": #unserializable takes a string";
    if (k == "#tup" || k == "#set") return x.is_array() ? itf_expression_problem(x, where + k) : where + ": " + k + " takes an array";
    if (k == "#map") {
      if (!x.is_array()) return where + ": #map takes an array";
      for (const auto& pair : x)
        if (!pair.is_array() || pair.size() != 2) return where + ": #map holds [key, value] pairs";
      return itf_expression_problem(x, where + "#map");
    }
    return where + ": unknown form " + k;
  }
  return where + ": not an ITF expression (null or a fraction)";
}

// "" when j is an ITF trace object (ADR-015, "The ITF Format"), else what is wrong.
std::string itf_problem(const json& j) {
  if (!j.is_object()) return "the trace is not an object";
  for (const auto& [k, _] : j.items())
    if (k != "#meta" && k != "params" && k != "vars" && k != "states" && k != "loop") return "unknown trace field " + k;
  if (j.contains("#meta") && !j["#meta"].is_object()) return "#meta is not an object";
  if (!j.contains("vars") || !j["vars"].is_array()) return "no vars array";
  if (!j.contains("states") || !j["states"].is_array()) return "no states array";
  std::set<std::string> vars;
  for (const auto& v : j["vars"]) {
    if (!v.is_string()) return "a var name is not a string";
    if (!vars.insert(v.get<std::string>()).second) return "var " + v.get<std::string>() + " twice";
  }
  for (std::size_t i = 0; i < j["states"].size(); ++i) {
    const auto& s = j["states"][i];
    const std::string where = "states[" + std::to_string(i) + "]";
    if (!s.is_object()) return where + " is not an object";
    if (s.contains("#meta") && !s["#meta"].is_object()) return where + ".#meta is not an object";
    for (const auto& v : vars)
      if (!s.contains(v)) return where + " has no " + v;
    for (const auto& [k, x] : s.items()) {
      if (k == "#meta") continue;
      if (!vars.count(k)) return where + " has " + k + ", not a var";
      if (auto p = itf_expression_problem(x, where + "." + k); !p.empty()) return p;
    }
  }
  return "";
}

}  // namespace

TEST_CASE("render_json: every step, its action and the full state after it", "[json]") {
  const auto t = counterexamples::read_trace_file(kTrace);
  const json j = json::parse(counterexamples::render_json(chart_of(kTrace)));
  CHECK(j["format"] == "agree-trace-json");
  CHECK(j["version"] == 1);
  CHECK(j["protocol"] == "isis");
  CHECK(j["parameters"] == json{{"procs", 2}, {"msgs", 2}, {"crash", 0}, {"variant", "no-tiebreak"}, {"senders", 2}});
  CHECK(j["property"] == "total-order");
  CHECK(j["reproduced"] == true);
  CHECK(j["witness"] == false);
  CHECK(j["outcome"] == "total-order is violated after step 12");
  CHECK((j["explanation"].is_string() || j["explanation"].is_null()));

  const auto lines = trace_lines(t);
  const auto states = isis_states(t);
  const auto& steps = j["steps"];
  REQUIRE(steps.size() == t.steps.size() + 1);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    INFO("step " << k);
    CHECK(steps[k]["step"] == k);
    CHECK(steps[k]["action"] == lines[k]);
    // The full state, every field, as describe() prints it; in describe()'s order.
    const auto& state = steps[k]["state"];
    REQUIRE(state.size() == states[k].size());
    std::size_t f = 0;
    for (const auto& [name, value] : state.items()) {
      CHECK(name == states[k][f].first);
      CHECK(value == states[k][f].second);
      ++f;
    }
  }
  // The last state, field by field, is the replayed final state.
  json last = json::object();
  for (const auto& [name, text] : states.back()) last[name] = text;
  CHECK(json(steps.back()["state"]) == last);

  // One line for `agree replay --json`, the same document.
  const std::string line = counterexamples::render_json(chart_of(kTrace), -1);
  CHECK(std::count(line.begin(), line.end(), '\n') == 1);
  CHECK(json::parse(line) == j);
  // render() dispatches by name.
  CHECK(counterexamples::render(chart_of(kTrace), "json") == counterexamples::render_json(chart_of(kTrace)));
  CHECK(counterexamples::render(chart_of(kTrace), "itf") == counterexamples::render_itf(chart_of(kTrace)));
  try {
    (void)counterexamples::render(chart_of(kTrace), "png");
    FAIL("render accepted png");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("json, itf") != std::string::npos);
  }
}

TEST_CASE("render_itf: the Informal Trace Format, by ADR-015's rules", "[json][itf]") {
  const auto t = counterexamples::read_trace_file(kTrace);
  const auto chart = chart_of(kTrace);
  const json j = json::parse(counterexamples::render_itf(chart));
  INFO(j.dump(2));
  REQUIRE(itf_problem(j) == "");

  const auto& meta = j["#meta"];
  CHECK(meta["format"] == "ITF");
  CHECK(meta["format-description"] == "https://apalache-mc.org/docs/adr/015adr-trace.html");
  CHECK(meta["source"] == "isis " + t.parameters);
  CHECK(meta["description"].get<std::string>().find("Created by agree") == 0);
  CHECK(meta["protocol"] == "isis");
  CHECK(meta["property"] == "total-order");
  CHECK(meta["reproduced"] == true);

  // vars: describe()'s names in its order, then action_taken.
  const auto states = isis_states(t);
  std::vector<std::string> want;
  for (const auto& [name, _] : states.front()) want.push_back(name);
  want.push_back("action_taken");
  CHECK(j["vars"].get<std::vector<std::string>>() == want);
  // A type per var (ADR-015, "ITF as input to Apalache"), in ADR-002's names.
  REQUIRE(meta["varTypes"].size() == want.size());
  for (const auto& v : want) {
    INFO(v);
    const std::string type = meta["varTypes"][v].get<std::string>();
    CHECK((type == "Int" || type == "Bool" || type == "Str"));
  }
  CHECK(meta["varTypes"]["action_taken"] == "Str");

  const auto lines = trace_lines(t);
  REQUIRE(j["states"].size() == t.steps.size() + 1);
  for (std::size_t i = 0; i < j["states"].size(); ++i) {
    const auto& s = j["states"][i];
    INFO("state " << i);
    CHECK(s["#meta"] == json{{"index", i}});
    CHECK(s.size() == want.size() + 1);  // every var and #meta, nothing else
    CHECK(s["action_taken"] == lines[i]);
    // Each value is the describe() text, typed by the var's type.
    for (const auto& [name, text] : states[i]) {
      INFO(name << " = " << text);
      const auto& v = s[name];
      const std::string type = meta["varTypes"][name].get<std::string>();
      if (type == "Int") {
        REQUIRE(v.is_number_integer());
        CHECK(std::to_string(v.get<long long>()) == text);
      } else if (type == "Bool") {
        REQUIRE(v.is_boolean());
        CHECK((v.get<bool>() ? "true" : "false") == text);
      } else {
        CHECK(v == text);
      }
    }
  }
}

TEST_CASE("render_itf and render_json: every walkthrough trace, every protocol in them", "[json][itf]") {
  std::size_t traces = 0;
  for (const auto& f : std::filesystem::directory_iterator(kWalkthroughs)) {
    if (f.path().extension() != ".trace") continue;
    ++traces;
    INFO(f.path().string());
    const auto t = counterexamples::read_trace_file(f.path().string());
    const auto chart = chart_of(f.path().string());
    const json itf = json::parse(counterexamples::render_itf(chart));
    CHECK(itf_problem(itf) == "");
    CHECK(itf["states"].size() == t.steps.size() + 1);
    const json doc = json::parse(counterexamples::render_json(chart));
    REQUIRE(doc["steps"].size() == t.steps.size() + 1);
    for (std::size_t k = 0; k < chart.rows.size(); ++k)  // no field lost to a repeated name
      CHECK(doc["steps"][k]["state"].size() == chart.rows[k].state.size());
    CHECK(doc["reproduced"] == chart.reproduced);
  }
  CHECK(traces >= 10);
}

TEST_CASE("itf: whole numbers become ITF integers, true/false booleans, the rest strings", "[json][itf]") {
  counterexamples::Chart c;
  c.protocol = "toy";
  c.parameters = "n=3 mode=fast";
  c.property = "p";
  c.outcome = "p is violated after step 1";
  c.reproduced = true;
  c.rows.push_back({0, "start", {}, {{"count", "0"}, {"big", "9007199254740993"}, {"flag", "true"}, {"mixed", "1"}, {"#x", "a"}, {"x", "1"}, {"x", "2"}}, {}, {}});
  c.rows.push_back({1, "tick", {}, {{"count", "-12"}, {"big", "-99999999999999999999"}, {"flag", "false"}, {"mixed", "[1]"}, {"#x", "b"}, {"x", "3"}, {"x", "4"}}, {}, {}});
  const json j = json::parse(counterexamples::render_itf(c));
  INFO(j.dump(2));
  REQUIRE(itf_problem(j) == "");
  CHECK(j["vars"] == json{"count", "big", "flag", "mixed", "_#x", "x", "x_2", "action_taken"});
  CHECK(j["#meta"]["varTypes"] == json{{"count", "Int"}, {"big", "Int"}, {"flag", "Bool"}, {"mixed", "Str"},
                                       {"_#x", "Str"}, {"x", "Int"}, {"x_2", "Int"}, {"action_taken", "Str"}});
  CHECK(j["#meta"]["parameters"] == json{{"n", 3}, {"mode", "fast"}});
  const auto& s0 = j["states"][0];
  const auto& s1 = j["states"][1];
  CHECK(s0["count"] == 0);
  CHECK(s1["count"] == -12);
  CHECK(s0["big"] == json{{"#bigint", "9007199254740993"}});
  CHECK(s1["big"] == json{{"#bigint", "-99999999999999999999"}});
  CHECK(s0["flag"] == true);
  CHECK(s1["flag"] == false);
  CHECK(s0["mixed"] == "1");  // "[1]" in another state: the var is a string everywhere
  CHECK(s1["mixed"] == "[1]");
  CHECK(s0["x_2"] == 2);
  CHECK(s0["action_taken"] == "init start");
  CHECK(s1["action_taken"] == "tick");
  // agree's JSON keeps the texts as they are, under the same names.
  const json d = json::parse(counterexamples::render_json(c));
  CHECK(d["steps"][1]["state"] == json{{"count", "-12"}, {"big", "-99999999999999999999"}, {"flag", "false"}, {"mixed", "[1]"},
                                       {"_#x", "b"}, {"x", "3"}, {"x_2", "4"}});
  CHECK(d["explanation"].is_null());
}

TEST_CASE("agree replay --json: one JSON object on stdout, replay's exit codes", "[json][cli]") {
  auto r = runbin::run({"replay", "--json", kTrace});
  CHECK(r.code == 0);
  REQUIRE(!r.out.empty());
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);  // one line, nothing else
  const json j = json::parse(r.out);
  CHECK(j["reproduced"] == true);
  CHECK(j["outcome"] == "total-order is violated after step 12");
  CHECK(j["steps"].size() == 13);
  CHECK(j == json::parse(counterexamples::render_json(chart_of(kTrace))));

  // The same trace cut before its last step does not reproduce: exit 1, still JSON.
  runbin::TempDir dir;
  auto t = counterexamples::read_trace_file(kTrace);
  t.steps.pop_back();
  runbin::spit(dir / "short.trace", counterexamples::to_text(t));
  r = runbin::run({"replay", "--json", dir / "short.trace"});
  CHECK(r.code == 1);
  const json s = json::parse(r.out);
  CHECK(s["reproduced"] == false);
  CHECK(s["outcome"].get<std::string>().rfind("not reproduced", 0) == 0);
  CHECK(s["steps"].size() == 12);

  // Bad input: exit 2, the error on stderr, nothing on stdout.
  runbin::spit(dir / "bad.trace", "not a trace\n");
  r = runbin::run({"replay", "--json", dir / "bad.trace"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("agree: error:") != std::string::npos);
  t = counterexamples::read_trace_file(kTrace);
  t.steps.back() = "agree(p1, m1, 7)";
  runbin::spit(dir / "wrong.trace", counterexamples::to_text(t));
  r = runbin::run({"replay", "--json", dir / "wrong.trace"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(runbin::run({"replay", "--json", "--quiet", kTrace}).code == 2);
}

TEST_CASE("agree render --format json|itf, and -o by the whole file name", "[json][itf][cli]") {
  runbin::TempDir dir;
  const auto render = [&](const std::vector<std::string>& args) {
    std::vector<std::string> all{"render", kTrace};
    all.insert(all.end(), args.begin(), args.end());
    runbin::Child c(dir, all);
    return c.wait();
  };
  CHECK(render({"--format", "itf", "-o", "x.itf.json"}) == 0);
  json j = json::parse(runbin::slurp(dir / "x.itf.json"));
  CHECK(itf_problem(j) == "");
  CHECK(j["#meta"]["format"] == "ITF");
  CHECK(j["states"].size() == 13);

  CHECK(render({"-o", "y.itf.json"}) == 0);  // .itf.json alone says itf
  CHECK(json::parse(runbin::slurp(dir / "y.itf.json"))["#meta"]["format"] == "ITF");
  CHECK(render({"-o", "z.json"}) == 0);  // .json alone says agree's document
  j = json::parse(runbin::slurp(dir / "z.json"));
  CHECK(j["format"] == "agree-trace-json");
  CHECK(j["steps"].size() == 13);
  CHECK(render({"--format", "json", "-o", "w.itf.json"}) == 2);  // the name says itf
  CHECK_FALSE(std::filesystem::exists(dir / "w.itf.json"));
  CHECK(render({"--format", "itf", "-o", "w.json"}) == 2);

  // To stdout.
  const auto r = runbin::run({"render", kTrace, "--format", "itf"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out)["vars"].back() == "action_taken");
}
