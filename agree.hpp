// agree/agree.hpp — the library in one include: check a model of your own.
//
//   #include <agree/agree.hpp>
//   agree::Options o;                        // bfs, fingerprints, every core ...
//   o.reduce = agree::Reduce::All;           // every reduction the model supports
//   const agree::Result r = agree::check(MyModel{}, o);
//   if (r.report.verdict == agree::Verdict::Violated)
//     write(agree::to_text(r.traces.front()));   // agree replay reads it back
//
// A model is a value-type State, an Action type, init_states, actions (the
// guards), next_state (the effects), properties and format_action
// (agree/model/protocol.hpp, model::Protocol); everything else is optional
// (agree/model/hooks.hpp lists the hooks). check() applies every reduction
// asked for that the model supports — symmetry, the partial-order layer with
// its cycle proviso (agree/checker/por.hpp), the tree search — and returns the
// report with each counterexample as a trace that names the model, its
// version and its parameters, so that replay() (or `agree replay` in a
// program built on agree::cli::main) can check it belongs to the model.
// Nothing here prints: progress and notices reach Options::progress and
// Options::notice.
#pragma once

#include <string>
#include <vector>

#include "agree/checker/explorer.hpp"
#include "agree/checker/options.hpp"
#include "agree/checker/por.hpp"
#include "agree/checker/simulate.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/hooks.hpp"
#include "agree/model/protocol.hpp"
#include "agree/properties/property.hpp"
#include "agree/version.hpp"

namespace agree {

using checker::Cut;
using checker::Options;
using checker::Reduce;
using checker::Report;
using checker::Search;
using checker::Transport;
using checker::Verdict;
using counterexamples::ReplayResult;
using counterexamples::Trace;
using counterexamples::TraceError;
using counterexamples::parse_trace;
using counterexamples::read_trace_file;
using counterexamples::to_text;
using model::Params;
using model::ParamSpec;
using model::Protocol;
using properties::always;
using properties::Property;
using properties::sometimes;
using properties::at_terminal;
using properties::eventually;
using properties::Fairness;
using properties::leads_to;

// What a check found: the report, and one trace per violation, in the same order.
struct Result {
  Report report;
  std::vector<Trace> traces;
};

// Checks p with o. The traces carry the model's name and version and
// o.parameters (the text of the parameters p was built from; "" for a model
// without any). Throws std::invalid_argument for options the model cannot
// take (an unknown property, a checkpoint of another model, ...).
template <model::Protocol P>
Result check(const P& p, const Options& o = {}) {
  Result r;
  auto run = [&](const auto& model) {  // the same model checks and rebuilds its counterexamples
    r.report = checker::check(model, o);
    for (auto& v : r.report.violations) {
      r.traces.push_back(counterexamples::make_trace(model, o.parameters, v, checker::uses_symmetry<P>(o)));
      if (v.path.cycle) r.traces.back().fairness = checker::to_string(o.fairness.value_or(model::default_fairness_of<P>()));
      // The search's path indexes what it explored (a persistent set, a
      // representative's actions, the tree search's merged ones); the
      // report's is the run's own, among every action p enables.
      v.path = counterexamples::path_of(p, r.traces.back(), "<check>");
    }
  };
  if (checker::wants_liveness(p, o)) {
    checker::check_liveness_options<P>(o);  // no reduction layer: refused where one would apply
    run(p);
    return r;
  }
  if constexpr (checker::HasPersistent<P>)
    if (checker::wants_por(o.reduce)) {
      run(checker::PorLayer<P>(p));
      return r;
    }
  run(p);
  return r;
}

// Re-executes a trace through p: checks that it names this model, its
// version and (when `parameters` is given) these parameters, then replays
// every step and says whether the recorded property fails at the end.
// Throws TraceError naming the line that does not fit.
template <model::Protocol P>
ReplayResult replay(const P& p, const Trace& t, const std::string& parameters = {}, const std::string& file = "<trace>") {
  counterexamples::check_identity<P>(t, file, parameters);
  return counterexamples::replay(p, t, file, nullptr);
}

}  // namespace agree
