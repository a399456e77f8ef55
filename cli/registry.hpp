// cli/registry.hpp — the protocols a command line knows, behind one
// type-erased entry each. The erasure is per run, never per state: each
// entry's functions call the explorer template instantiated for that
// protocol. Entries are made by agree::cli::add_protocol<P>() (cli/cli.hpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "agree/checker/options.hpp"
#include "agree/checker/simulate.hpp"
#include "agree/counterexamples/chart.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/counterexamples/shrink.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/explore/session.hpp"
#include "agree/model/params.hpp"

namespace agree::cli {

struct PropertyInfo {
  std::string name;
  std::string expectation;
  std::string description;
};

struct CheckResult {
  checker::Report report;
  std::string parameters;                          // the resolved "procs=3 msgs=2 ..."
  std::vector<counterexamples::Trace> traces;      // one per violation, same order
  std::vector<std::vector<std::string>> steps;     // per violation: the numbered steps, for printing
  std::vector<std::string> explanations;           // per violation: why, in words (Property::explain), or ""
  std::vector<std::string> warnings;               // the model's warnings() about this configuration
};

struct SimulateResult {
  checker::Simulation sim;
  std::string parameters;                          // the resolved "procs=3 msgs=2 ..."
  std::optional<counterexamples::Trace> trace;     // the first violation, as found (not shrunk)
};

struct Entry {
  std::string name;
  std::string summary;
  int version = 0;
  std::vector<model::ParamSpec> params;
  std::vector<PropertyInfo> properties;
  std::vector<std::string> action_kinds;
  std::string fairness;  // the liveness check's default (model::default_fairness_of)
  // Builds the protocol from params (throws model::ParamError) and checks it.
  std::function<CheckResult(const model::Params&, const checker::Options&)> check;
  // Replays a trace whose header names this protocol (throws TraceError).
  std::function<counterexamples::ReplayResult(const model::Params&, const counterexamples::Trace&,
                                              const std::string& file, std::ostream* out)>
      replay;
  // Replays a trace into a message sequence chart (counterexamples/chart.hpp; throws TraceError).
  std::function<counterexamples::Chart(const model::Params&, const counterexamples::Trace&, const std::string& file)> chart;
  // Seeded random walks (checker/simulate.hpp).
  std::function<SimulateResult(const model::Params&, const checker::Options&, const checker::WalkOptions&)> simulate;
  // Shortens a trace that fails its property (counterexamples/shrink.hpp; throws TraceError).
  std::function<counterexamples::ShrinkResult(const model::Params&, const counterexamples::Trace&, const std::string& file)>
      shrink;
  // A session of the web explorer over the protocol built from params
  // (explore/session.hpp; throws model::ParamError).
  std::function<std::unique_ptr<explore::Session>(const model::Params&)> explore;
};

const std::vector<Entry>& registry();
// Adds an entry; throws std::invalid_argument when its name is taken.
void add_entry(Entry e);
const Entry* find_protocol(const std::string& name);
std::string protocol_names();  // "sequencer, isis, ..."

// Validates a trace's header against the registry and replays it.
counterexamples::ReplayResult replay_trace(const counterexamples::Trace& t, const std::string& file, std::ostream* out);

}  // namespace agree::cli
