#include "agree/cli/suite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "agree/cli/output.hpp"
#include "agree/cli/registry.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/suggest.hpp"

namespace agree::cli {

namespace {
std::vector<SuiteRow>& rows() {
  static std::vector<SuiteRow> r;
  return r;
}
}  // namespace

// Every word of the filter names the row's protocol or one of its parameters
// exactly ("om", "procs=3"): "om" is not a substring match for "rooms=2".
bool row_matches(const SuiteRow& row, const std::string& filter) {
  std::istringstream words(filter);
  for (std::string w; words >> w;) {
    if (w == row.protocol) continue;
    std::istringstream params(row.parameters);
    bool found = false;
    for (std::string p; params >> p && !found;) found = p == w;
    if (!found) return false;
  }
  return true;
}

const std::vector<SuiteRow>& suite_rows() { return rows(); }
void add_suite_row(SuiteRow row) { rows().push_back(std::move(row)); }

int run_suite(const SuiteOptions& o, std::ostream& out) {
  std::size_t matched = 0;
  for (const auto& row : suite_rows()) matched += row_matches(row, o.filter);
  if (matched == 0) {
    std::vector<std::string> names;
    for (const auto& row : suite_rows())
      if (std::find(names.begin(), names.end(), row.protocol) == names.end()) names.push_back(row.protocol);
    throw std::invalid_argument("--filter '" + o.filter + "' matches no row: give protocol names and parameters as the "
                                "table prints them (" + model::joined(names) + "; procs=3, ...) (see agree suite --help)");
  }
  int disagree = 0;
  nlohmann::json rows_json = nlohmann::json::array();
  if (!o.json)
    out << fmt::format("{:<10} {:<44} {:<10} {:<13} {:>12} {:>8}  {}\n", "protocol", "parameters", "verdict",
                       "property", "states", "seconds", "result");
  for (const auto& row : suite_rows()) {
    if (!row_matches(row, o.filter)) continue;
    const Entry* e = find_protocol(row.protocol);
    std::string problem;
    CheckResult r;
    if (!e) {
      problem = "unknown protocol";
    } else {
      model::Params params(e->params);
      params.set_all(row.parameters);
      r = e->check(params, checker::Options{});
      const auto& rep = r.report;
      const std::string verdict = checker::to_string(rep.verdict);
      const std::string property = rep.violations.empty() ? "" : rep.violations.front().property;
      if (verdict != row.verdict) problem = "expected " + row.verdict + ", got " + verdict;
      else if (property != row.property) problem = "expected " + row.property + " violated, got " + property;
      else if (row.states && rep.distinct_states != row.states)
        problem = "expected " + thousands(row.states) + " states, got " + thousands(rep.distinct_states);
      if (problem.empty() && !r.traces.empty()) {
        // A counterexample is real only if replay reproduces it: replay its text.
        const std::string text = counterexamples::to_text(r.traces.front());
        std::ostringstream sink;
        const auto replayed = replay_trace(counterexamples::parse_trace(text, "<suite>"), "<suite>", nullptr);
        if (!replayed.reproduced) problem = "trace does not replay: " + replayed.message;
        if (o.trace_dir)
          counterexamples::write_new_file(*o.trace_dir, trace_stem(*e, params, property), ".trace", text);
      }
    }
    if (!problem.empty()) ++disagree;
    const auto& rep = r.report;
    if (o.json) {
      rows_json.push_back({{"protocol", row.protocol},
                           {"parameters", row.parameters},
                           {"expected", row.verdict},
                           {"verdict", checker::to_string(rep.verdict)},
                           {"property", rep.violations.empty() ? "" : rep.violations.front().property},
                           {"distinct_states", rep.distinct_states},
                           {"seconds", rep.seconds},
                           {"ok", problem.empty()},
                           {"problem", problem}});
    } else {
      out << fmt::format("{:<10} {:<44} {:<10} {:<13} {:>12} {:>8.2f}  {}\n", row.protocol, row.parameters,
                         checker::to_string(rep.verdict),
                         rep.violations.empty() ? "-" : rep.violations.front().property,
                         thousands(rep.distinct_states), rep.seconds, problem.empty() ? "ok" : "DIFFERS: " + problem);
    }
  }
  if (o.json)
    out << nlohmann::json{{"rows", rows_json}, {"disagree", disagree}}.dump(2) << '\n';
  else
    out << (disagree ? fmt::format("\n{} row(s) differ from the expected verdicts\n", disagree)
                     : std::string("\nevery verdict agrees with the expected one\n"));
  return disagree;
}

}  // namespace agree::cli
