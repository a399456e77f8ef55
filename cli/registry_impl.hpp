// cli/registry_impl.hpp — builds a registry Entry for one protocol type.
#pragma once

#include "checker/explorer.hpp"
#include "checker/por.hpp"
#include "checker/simulate.hpp"
#include "cli/registry.hpp"
#include "counterexamples/chart.hpp"
#include "counterexamples/replay.hpp"
#include "counterexamples/shrink.hpp"

namespace cli {

template <model::Protocol P>
Entry make_entry() {
  Entry e;
  e.name = std::string(P::kName);
  e.summary = std::string(P::kSummary);
  e.version = P::kVersion;
  e.params = P::param_specs();
  const P defaults{model::Params(e.params)};
  for (const auto& prop : defaults.properties())
    e.properties.push_back({prop.name, std::string(properties::to_string(prop.expectation)), prop.description});
  for (const auto k : P::action_kinds()) e.action_kinds.emplace_back(k);
  e.check = [](const model::Params& params, const checker::Options& o) {
    const P p{params};
    CheckResult r;
    r.parameters = params.to_string();
    auto run = [&](const auto& model) {  // the same model checks and rebuilds its counterexamples
      r.report = checker::check(model, o);
      for (const auto& v : r.report.violations) {
        r.traces.push_back(counterexamples::make_trace(model, r.parameters, v, checker::uses_symmetry<P>(o)));
        r.steps.push_back(r.traces.back().steps);
      }
    };
    if constexpr (checker::HasPersistent<P>)
      if (checker::por_requested(o.reduce)) {
        run(checker::PorLayer<P>(p));
        return r;
      }
    run(p);
    return r;
  };
  e.replay = [](const model::Params& params, const counterexamples::Trace& t, const std::string& file,
                std::ostream* out) { return counterexamples::replay(P{params}, t, file, out); };
  e.chart = [](const model::Params& params, const counterexamples::Trace& t, const std::string& file) {
    return counterexamples::build_chart(P{params}, t, file);
  };
  e.simulate = [](const model::Params& params, const checker::Options& o, const checker::WalkOptions& w) {
    const P p{params};
    SimulateResult r;
    r.parameters = params.to_string();
    r.sim = checker::simulate(p, o, w);
    if (!r.sim.report.violations.empty())
      r.trace = counterexamples::make_trace(p, r.parameters, r.sim.report.violations.front());
    return r;
  };
  e.shrink = [](const model::Params& params, const counterexamples::Trace& t, const std::string& file) {
    return counterexamples::shrink(P{params}, t, file);
  };
  return e;
}

}  // namespace cli
