// agree/cli/cli.hpp — the whole `agree` command line for your own protocols.
//
//   #include <agree/cli/cli.hpp>
//   int main(int argc, char** argv) {
//     agree::cli::add_protocol<Token>();        // one line per protocol
//     return agree::cli::main(argc, argv);      // list, check, replay, render, simulate, shrink, explore, suite
//   }
//
// The options, the JSON and the exit codes are those of `agree` (README.md).
// Link agree::cli. add_builtin_protocols() adds agree's own seven.
#pragma once

#include <string>
#include <vector>

#include "agree/agree.hpp"
#include "agree/cli/registry.hpp"
#include "agree/cli/suite.hpp"
#include "agree/counterexamples/chart.hpp"
#include "agree/counterexamples/shrink.hpp"
#include "agree/explore/model_session.hpp"

namespace agree::cli {

// Runs the command line over the registered protocols; returns the exit code
// (0 holds, 1 violated, 2 usage or input error, 3 incomplete). Never throws.
int main(int argc, char** argv);

// Runs the check command's search on the ranks of `t` (checker/transport.hpp;
// agree/mpi/transport.hpp for MPI): every rank runs main() with the same
// arguments and gets the same report; rank 0 alone prints it and writes the
// traces. Null (the default): one process.
void set_transport(checker::Transport* t);

// sequencer, isis, om, sm, vote, floodset, twophase, tokenring, abp, with their suite rows.
// Adding them twice is harmless.
void add_builtin_protocols();

// A row of `suite`: a configuration and the verdict it must give (cli/suite.hpp).
void add_suite_row(SuiteRow row);

// The registry entry of protocol P: its parameters, properties and action
// kinds, and every command's work instantiated for P.
template <model::Protocol P>
Entry make_entry() {
  Entry e;
  e.name = std::string(model::name_of<P>());
  e.summary = std::string(model::summary_of<P>());
  e.version = model::version_of<P>();
  e.params = model::param_specs_of<P>();
  const P defaults = model::make<P>(model::Params(e.params));
  for (const auto& prop : defaults.properties())
    e.properties.push_back({prop.name, std::string(properties::to_string(prop.expectation)), prop.description});
  for (const auto k : model::action_kinds_of<P>()) e.action_kinds.emplace_back(k);
  e.fairness = checker::to_string(model::default_fairness_of<P>());
  e.check = [](const model::Params& params, const checker::Options& given) {
    checker::Options o = given;
    o.parameters = params.to_string();
    const P p = model::make<P>(params);
    CheckResult r;
    if constexpr (requires { p.warnings(); }) r.warnings = p.warnings();
    for (const auto& w : r.warnings)
      if (o.notice) o.notice("warning: " + w);
    Result checked = agree::check(p, o);
    r.parameters = o.parameters;
    r.report = std::move(checked.report);
    for (auto& t : checked.traces) {
      r.steps.push_back(t.steps);
      r.explanations.push_back(counterexamples::replay(p, t, "<check>", nullptr).explanation);
    }
    r.traces = std::move(checked.traces);
    return r;
  };
  e.replay = [](const model::Params& params, const counterexamples::Trace& t, const std::string& file,
                std::ostream* out) { return counterexamples::replay(model::make<P>(params), t, file, out); };
  e.chart = [](const model::Params& params, const counterexamples::Trace& t, const std::string& file) {
    return counterexamples::build_chart(model::make<P>(params), t, file);
  };
  e.simulate = [](const model::Params& params, const checker::Options& o, const checker::WalkOptions& w) {
    const P p = model::make<P>(params);
    SimulateResult r;
    r.parameters = params.to_string();
    r.sim = checker::simulate(p, o, w);
    if (!r.sim.report.violations.empty()) {
      r.trace = counterexamples::make_trace(p, r.parameters, r.sim.report.violations.front());
      if (r.sim.report.violations.front().path.cycle)
        r.trace->fairness = checker::to_string(o.fairness.value_or(model::default_fairness_of<P>()));
    }
    return r;
  };
  e.shrink = [](const model::Params& params, const counterexamples::Trace& t, const std::string& file) {
    return counterexamples::shrink(model::make<P>(params), t, file);
  };
  e.explore = [](const model::Params& params) { return explore::make_session(model::make<P>(params), params.to_string()); };
  return e;
}

// Registers protocol P with the command line.
template <model::Protocol P>
void add_protocol() {
  add_entry(make_entry<P>());
}

}  // namespace agree::cli
