#include "cli/suite.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/output.hpp"
#include "cli/registry.hpp"
#include "counterexamples/trace.hpp"

namespace cli {

const std::vector<SuiteRow>& suite_rows() {
  static const std::vector<SuiteRow> rows = {
      // ---- sequencer
      {"sequencer", "procs=2 msgs=2", "holds", "", 0, "tickets give one order"},
      {"sequencer", "procs=3 msgs=3", "holds", "", 5'462, "count cross-checked with SPIN"},
      {"sequencer", "procs=3 msgs=2 variant=no-holdback", "violated", "total-order", 0,
       "delivering on receipt breaks the order"},
      {"sequencer", "procs=2 msgs=2 crash=1", "violated", "termination", 0,
       "a crashed sequencer blocks every member"},
      // ---- isis
      {"isis", "procs=3 msgs=2", "holds", "", 5'780, "count cross-checked with SPIN"},
      {"isis", "procs=2 msgs=3", "holds", "", 35'288, "count cross-checked with SPIN"},
      {"isis", "procs=3 msgs=2 variant=no-tiebreak", "violated", "total-order", 0,
       "equal numbers without the process id order differently"},
      {"isis", "procs=3 msgs=2 variant=eager-delivery", "violated", "total-order", 0,
       "delivering on Agreed skips earlier messages"},
      {"isis", "procs=3 msgs=2 crash=1", "violated", "termination", 0,
       "the sender waits forever for a crashed process's proposal"},
      // ---- vote
      {"vote", "procs=3", "holds", "", 5'832, "crash 0: 2^N (1 + 2^N)^N states, every process counts every vote"},
      {"vote", "procs=3 rule=unanimous", "holds", "", 5'832, "crash 0: unanimity on all N votes agrees"},
      {"vote", "procs=3 rule=majority crash=1", "violated", "agreement", 0,
       "quorums of N - F votes differ: one proceeds, one ties and aborts"},
      {"vote", "procs=3 rule=unanimous crash=1", "violated", "agreement", 0,
       "a quorum that missed the abort vote proceeds"},
      // ---- floodset
      {"floodset", "procs=4 crash=2", "holds", "", 597, "F + 1 rounds: some round is crash-free"},
      {"floodset", "procs=5 crash=2", "holds", "", 1'421, "F + 1 rounds: some round is crash-free"},
      {"floodset", "procs=3 crash=2 rounds=2", "holds", "", 164, "N = F + 1: F rounds suffice, at most one survives F crashes"},
      {"floodset", "procs=4 crash=2 rounds=2", "violated", "agreement", 0,
       "F rounds: a chain of partial sends reaches one survivor only"},
      {"floodset", "procs=3 crash=1 rounds=1", "violated", "agreement", 0,
       "F rounds: the crashing process reaches one survivor only"},
      {"floodset", "procs=2 crash=0 rounds=0", "violated", "termination", 0, "no round: nobody decides"},
      // ---- twophase
      {"twophase", "rms=3", "holds", "", 288, "TwoPhase.tla's published count"},
      {"twophase", "rms=5", "holds", "", 8'832, "TwoPhase.tla's published count"},
      {"twophase", "rms=6", "holds", "", 50'816, "TwoPhase.tla's published count"},
      {"twophase", "rms=3 variant=eager-commit", "violated", "consistency", 0,
       "committing on one Prepared lets another RM abort"},
      // ---- om
      {"om", "generals=3 traitors=1", "violated", "IC2", 0, "three generals cannot beat one traitor"},
      {"om", "generals=4 traitors=1", "holds", "", 0, "N > 3T: OM(1) with four generals, all 32 strategies"},
      {"om", "generals=4 traitors=2", "violated", "IC1", 0, "OM(2) needs seven generals against two traitors"},
      {"om", "generals=7 traitors=1", "holds", "", 0, "OM(1) with seven generals"},
      // ---- sm
      {"sm", "generals=3 traitors=1", "holds", "", 0, "signed messages: three generals beat one traitor"},
      {"sm", "generals=4 traitors=2", "holds", "", 0, "SM(2) holds for any number of generals"},
      {"sm", "generals=4 traitors=2 rounds=1", "violated", "IC1", 0, "more traitors than rounds"},
      {"sm", "generals=3 traitors=1 rounds=0", "violated", "IC1", 0, "SM(0): a traitor commander splits the lieutenants"},
      // ---- more protocols: add their rows here
  };
  return rows;
}

int run_suite(const SuiteOptions& o, std::ostream& out) {
  int disagree = 0;
  nlohmann::json rows_json = nlohmann::json::array();
  if (!o.json)
    out << fmt::format("{:<10} {:<44} {:<10} {:<13} {:>12} {:>8}  {}\n", "protocol", "parameters", "verdict",
                       "property", "states", "seconds", "result");
  for (const auto& row : suite_rows()) {
    if (!o.filter.empty() && row.protocol.find(o.filter) == std::string::npos &&
        row.parameters.find(o.filter) == std::string::npos)
      continue;
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

}  // namespace cli
