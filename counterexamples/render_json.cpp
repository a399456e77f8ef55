// counterexamples/render_json.cpp — render_json and render_itf
// (counterexamples/render_json.hpp).
//
// THE ITF MAPPING. The Informal Trace Format is Apalache's ADR-015, "Informal
// Trace Format in JSON" (apalache-mc/apalache, docs/src/adr/015adr-trace.md,
// revision of 2023-09-14; https://apalache-mc.org/docs/adr/015adr-trace.html).
// What this file uses of it:
//   - the trace object: "#meta" (an arbitrary object, optional), "vars" (the
//     names every state must set), "states" (the array of states); no
//     "params" (the protocol's parameters are in "#meta") and no "loop"
//     (agree's traces are finite: a safety violation or a reached state);
//   - the state object: "#meta" (arbitrary; here {"index": i}, i = 0 for the
//     initial state) and one entry per name in "vars", in every state;
//   - expressions: JSON strings, JSON booleans, JSON integers in the range
//     [-(2^53)+1, 2^53-1] (RFC 7159's limit, as the ADR says), and
//     {"#bigint": "[-][0-9]+"} outside it. No list, record, "#tup", "#set",
//     "#map" or "#unserializable" is written. (The ADR lets either form carry
//     a small integer; Quint writes #bigint always but reads plain numbers
//     too — @informalsystems/quint, src/itf.ts, ofItf — and plain numbers
//     are what jq and most readers expect.)
//   - "#meta" at the top: "format": "ITF" and "format-description" (the ADR's
//     address), "source" and "description" as Quint writes them, "varTypes"
//     (the ADR's "ITF as input to Apalache": a type per var in ADR-002's
//     names, "Int", "Bool" or "Str"), and agree's own keys: protocol,
//     parameters, property, outcome, reproduced, witness, explanation.
//     No time stamp: the same trace gives the same file.
// The states: one per row of the chart, the initial state first. The vars are
// the describe() field names of the protocol, in describe()'s order, then
// "action_taken": the step's action text, "init ..." for the initial state
// (Apalache's `action_taken`, Quint's `mbt::actionTaken`). A field's type is
// decided over the whole trace, so a var has one type in every state:
//   Int   its text is a whole number (-?(0|[1-9][0-9]*)) in every state:
//         a JSON integer, or {"#bigint": text} beyond 2^53-1 in magnitude;
//   Bool  its text is "true" or "false" in every state: a JSON boolean;
//   Str   anything else ("[1, 2]", "-", "{p0, p1}", "m0@p1"): the describe()
//         text verbatim as a JSON string (the lists and sets describe()
//         prints stay text: they are not parsed back into #set or lists).
// Names: a field with no name is "field<i>"; a name starting with '#' (the
// ADR reserves those) gets a leading '_'; the second field of one name in a
// state is "<name>_2", and so on; "action_taken" is taken before the fields.
// A var a state does not describe (describe() printed fewer fields there) is
// "-" in it, as describe() writes an empty optional, and is then a Str.
//
// render_json's document is agree's own (the header file shows it). Its
// state objects use the same names; its values are the describe() texts,
// unconverted.
#include "agree/counterexamples/render_json.hpp"

#include <charconv>
#include <cstdint>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "agree/version.hpp"

namespace agree::counterexamples {

namespace {

// ordered_json: keys in the order written (describe()'s order for a state), not sorted.
using json = nlohmann::ordered_json;

constexpr std::string_view kActionVar = "action_taken";
constexpr long long kMaxSafe = (1LL << 53) - 1;  // RFC 7159's interoperable integers

// The names of one state's fields, made unique and free of the '#' prefix.
std::vector<std::string> field_names(const model::Description& d) {
  std::vector<std::string> out;
  std::map<std::string, int> seen{{std::string(kActionVar), 1}};
  for (std::size_t i = 0; i < d.size(); ++i) {
    std::string name = d[i].first.empty() ? "field" + std::to_string(i) : d[i].first;
    if (name[0] == '#') name.insert(0, "_");
    if (const int n = ++seen[name]; n > 1) {
      std::string next = name + "_" + std::to_string(n);
      while (seen.count(next)) next += "_";
      seen[next] = 1;
      name = std::move(next);
    }
    out.push_back(std::move(name));
  }
  return out;
}

bool whole_number(std::string_view s) {
  const std::string_view digits = !s.empty() && s[0] == '-' ? s.substr(1) : s;
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return false;
  for (const char ch : digits)
    if (ch < '0' || ch > '9') return false;
  return true;
}

json itf_int(const std::string& s) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && end == s.data() + s.size() && v >= -kMaxSafe && v <= kMaxSafe) return v;
  return json{{"#bigint", s}};
}

// "procs=2 variant=no-tiebreak" -> {"procs": 2, "variant": "no-tiebreak"}.
json parameters_object(const std::string& text) {
  json p = json::object();
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    const std::string item = text.substr(i, j - i);
    if (!item.empty()) {
      const auto eq = item.find('=');
      const std::string name = item.substr(0, eq);
      const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
      long long v = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (whole_number(value) && ec == std::errc() && end == value.data() + value.size())
        p[name] = v;
      else
        p[name] = value;
    }
    i = j;
  }
  return p;
}

std::string step_action(const Chart::Row& r) { return r.step == 0 ? "init " + r.action : r.action; }

json nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::string dump(const json& j, int indent) {
  // describe() texts are the models' own; a stray invalid byte is replaced, never an exception.
  return j.dump(indent, ' ', false, json::error_handler_t::replace) + '\n';
}

// What both documents say of the trace: its model and what it shows.
void what_it_shows(json& j, const Chart& c) {
  j["protocol"] = c.protocol;
  j["parameters"] = parameters_object(c.parameters);
  j["property"] = c.property;
  j["outcome"] = c.outcome;
  j["reproduced"] = c.reproduced;
  j["witness"] = c.witness;
  j["explanation"] = nullable(c.explanation);
}

}  // namespace

std::string render_json(const Chart& c, int indent) {
  json j;
  j["format"] = "agree-trace-json";
  j["version"] = 1;
  what_it_shows(j, c);
  json steps = json::array();
  for (const auto& r : c.rows) {
    const auto names = field_names(r.state);
    json state = json::object();
    for (std::size_t k = 0; k < r.state.size(); ++k) state[names[k]] = r.state[k].second;
    steps.push_back({{"step", r.step}, {"action", step_action(r)}, {"state", std::move(state)}});
  }
  j["steps"] = std::move(steps);
  return dump(j, indent);
}

std::string render_itf(const Chart& c, int indent) {
  // Each row's values by var name; the vars in first-seen order.
  std::vector<std::map<std::string, std::string>> values;
  std::vector<std::string> vars;
  std::set<std::string> known;
  for (const auto& r : c.rows) {
    const auto names = field_names(r.state);
    auto& row = values.emplace_back();
    for (std::size_t k = 0; k < r.state.size(); ++k) {
      row[names[k]] = r.state[k].second;
      if (known.insert(names[k]).second) vars.push_back(names[k]);
    }
  }
  for (auto& row : values)
    for (const auto& v : vars) row.try_emplace(v, "-");

  // One type per var, over every state.
  std::map<std::string, std::string> types;
  json var_types = json::object();  // in the order of vars
  for (const auto& v : vars) {
    bool is_int = true, is_bool = true;
    for (const auto& row : values) {
      const std::string& s = row.at(v);
      is_int = is_int && whole_number(s);
      is_bool = is_bool && (s == "true" || s == "false");
    }
    types[v] = is_int ? "Int" : is_bool ? "Bool" : "Str";
    var_types[v] = types[v];
  }
  var_types[std::string(kActionVar)] = "Str";

  json meta;
  meta["format"] = "ITF";
  meta["format-description"] = "https://apalache-mc.org/docs/adr/015adr-trace.html";
  meta["source"] = c.protocol + (c.parameters.empty() ? "" : " " + c.parameters);
  meta["description"] = std::string("Created by agree ") + kVersion + ": " + c.title();
  meta["varTypes"] = std::move(var_types);
  what_it_shows(meta, c);

  json all_vars = json::array();
  for (const auto& v : vars) all_vars.push_back(v);
  all_vars.push_back(kActionVar);

  json states = json::array();
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    json s;
    s["#meta"] = {{"index", i}};
    for (const auto& v : vars) {
      const std::string& text = values[i].at(v);
      const std::string& type = types.at(v);
      if (type == "Int")
        s[v] = itf_int(text);
      else if (type == "Bool")
        s[v] = text == "true";
      else
        s[v] = text;
    }
    s[std::string(kActionVar)] = step_action(c.rows[i]);
    states.push_back(std::move(s));
  }

  json j;
  j["#meta"] = std::move(meta);
  j["vars"] = std::move(all_vars);
  j["states"] = std::move(states);
  return dump(j, indent);
}

}  // namespace agree::counterexamples
