// cli/simulate.cpp — `agree simulate PROTOCOL [--PARAM V]... --walks K
// --depth D --seed S`: seeded random walks (checker/simulate.hpp) for
// configurations too large to exhaust.
//
// The first violation is shrunk (counterexamples/shrink.hpp; --no-shrink keeps
// the walk as found) and written to --trace-dir as an ordinary trace, never
// overwriting; with --liveness a fair cycle a walk closes is a lasso (trace
// format 2), shrunk as a lasso. Output options and exit codes as `agree check`: --json, 1 when
// a violation is found, 0 when none is (a simulation proves nothing), 2 for
// bad input, 3 when a limit or an interruption cut the run short.
#include <atomic>
#include <csignal>
#include <iostream>
#include <limits>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "agree/cli/command.hpp"
#include "agree/cli/options.hpp"
#include "agree/cli/output.hpp"
#include "agree/cli/render.hpp"

namespace agree::cli {
namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sim_signal(int) { g_interrupted.store(true); }

struct Flags {
  checker::WalkOptions walk;
  std::vector<std::string> properties;
  bool json = false;
  bool no_shrink = false;
  bool liveness = false;
  std::string fairness;  // "": the model's default
  std::string trace_dir = "traces";
  double time_limit = 0;
  GivenParams given;
  std::vector<std::pair<CLI::App*, const cli::Entry*>> subs;
} flags;

// The options every protocol's `simulate` takes after its parameters.
void add_walk_flags(CLI::App* sub) {
  sub->add_option("--walks", flags.walk.walks, "N random walks to take (default 1000)")
      ->check(count_in(1, std::uint64_t{1} << 40))->type_name("N");
  sub->add_option("--depth", flags.walk.depth, "steps per walk at most (default 100)")
      ->check(count_in(1, std::uint64_t{1} << 32))->type_name("N");
  sub->add_option("--seed", flags.walk.seed, "random seed: the same seed takes the same walks (default 0)")
      ->check(count_in(0, std::numeric_limits<std::uint64_t>::max()))->type_name("N");
  sub->add_option("--property", flags.properties, "check only this property (repeatable)")->type_name("NAME");
  sub->add_option("--time-limit", flags.time_limit, "stop after SECONDS (incomplete; 0, the default: no limit)")
      ->check(number_in(0, 1e9, "seconds"))->type_name("SECONDS");
  sub->add_flag("--liveness", flags.liveness,
                "also look for lassos: a walk that comes back to a state closes a cycle, a counterexample when it is fair "
                "and an eventually or leads-to property stays pending");
  sub->add_option("--fairness", flags.fairness, "fairness for --liveness: none, weak or strong (default: the model's)")
      ->check(CLI::IsMember({"none", "weak", "strong"}).description(""))->type_name("none|weak|strong");
  sub->add_flag("--json", flags.json, "print one JSON object on stdout");
  sub->add_flag("--no-shrink", flags.no_shrink, "keep the violating walk as found");
  sub->add_option("--trace-dir", flags.trace_dir, "where counterexample traces go (default ./traces; never overwritten)")
      ->type_name("DIR");
}

int run_simulate(const cli::Entry& e) {
  const std::string command = "agree simulate " + e.name;
  model::Params params(e.params);
  try {
    for (const auto& [name, value] : flags.given[e.name]) params.set(name, value);
  } catch (const model::ParamError& err) {
    std::cerr << "agree: error: " << param_error_message(err.what(), e.params, command) << '\n';
    return cli::kExitUsage;
  }
  checker::Options o;
  o.properties = flags.properties;
  o.liveness = flags.liveness;
  if (!flags.fairness.empty()) o.fairness = checker::parse_fairness(flags.fairness);
  o.time_limit = flags.time_limit;
  o.interrupt = &g_interrupted;
  std::signal(SIGINT, on_sim_signal);
  std::signal(SIGTERM, on_sim_signal);
  cli::SimulateResult r;
  try {
    r = e.simulate(params, o, flags.walk);
  } catch (const model::ParamError& err) {
    std::cerr << "agree: error: " << param_error_message(err.what(), e.params, command) << '\n';
    return cli::kExitUsage;
  } catch (const std::invalid_argument& err) {
    const std::string what = err.what();
    std::cerr << "agree: error: " << what << (what.rfind("unknown ", 0) == 0 ? " (see " + command + " --help)" : "") << '\n';
    return cli::kExitUsage;
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  const auto& rep = r.sim.report;

  std::optional<counterexamples::Trace> shown = r.trace;
  std::size_t found_steps = r.trace ? r.trace->steps.size() : 0, attempts = 0;
  if (r.trace && !flags.no_shrink) {
    auto s = e.shrink(params, *r.trace, "(simulation)");
    shown = s.trace;
    attempts = s.attempts;
  }
  std::optional<std::string> trace_path;
  if (shown)
    trace_path = counterexamples::write_new_file(flags.trace_dir, cli::trace_stem(e, params, shown->property), ".trace",
                                                 counterexamples::to_text(*shown));
  const int code = shown ? cli::kExitViolated : rep.cut != checker::Cut::None ? cli::kExitIncomplete : cli::kExitHolds;
  const std::string verdict = shown ? "violated" : rep.cut != checker::Cut::None ? "incomplete" : "no violation found";

  if (flags.json) {
    cli::CheckResult cr;
    cr.report = rep;
    cr.parameters = r.parameters;
    if (shown) {
      cr.traces.push_back(*shown);
      cr.steps.push_back(shown->steps);
    }
    checker::Options shown_o = o;
    auto j = cli::report_json(e, params, shown_o, cr, trace_path);
    j["verdict"] = verdict;
    j["search"] = "simulate";
    j["walks"] = flags.walk.walks;
    j["walk_depth"] = flags.walk.depth;
    j["seed"] = flags.walk.seed;
    j["walks_run"] = r.sim.walks;
    j["steps_taken"] = r.sim.steps;
    j["found_steps"] = shown ? nlohmann::json(found_steps) : nlohmann::json(nullptr);
    j["shrunk"] = shown && !flags.no_shrink;
    // The path of the walk as found; the shrunk trace is a different run.
    if (shown && !flags.no_shrink) j["counterexamples"][0]["path"] = nullptr;
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return code;
  }
  std::cout << "agree simulate " << e.name << "  " << r.parameters << '\n';
  std::cout << fmt::format("  {} walks of at most {} steps, seed {}\n", cli::thousands(flags.walk.walks),
                           cli::thousands(flags.walk.depth), flags.walk.seed);
  std::cout << '\n' << "verdict: " << verdict;
  if (shown) std::cout << " (" << shown->property << ")";
  else if (rep.cut != checker::Cut::None) std::cout << " — cut short by " << checker::to_string(rep.cut);
  else std::cout << " (a simulation proves nothing)";
  std::cout << '\n';
  std::cout << fmt::format("  walks             {}{}\n", cli::thousands(r.sim.walks), shown ? " (the last found the violation)" : "");
  std::cout << fmt::format("  steps taken       {}\n", cli::thousands(r.sim.steps));
  std::cout << fmt::format("  distinct states   {}  (touched by the walks)\n", cli::thousands(rep.distinct_states));
  std::cout << fmt::format("  deepest walk      {}\n", rep.depth);
  std::cout << fmt::format("  terminal states   {}\n", cli::thousands(rep.terminal_states));
  std::cout << fmt::format("  seconds           {:.3f}\n", rep.seconds);
  for (const auto& reach : rep.reachability)
    std::cout << "  reachability      " << reach.name << ": " << (reach.reached ? "reached" : "not reached") << '\n';
  if (shown) {
    std::cout << '\n' << "counterexample: " << shown->property << " violated after " << shown->steps.size() << " steps";
    if (!flags.no_shrink) std::cout << " (shrunk from " << found_steps << " in " << attempts << " replays)";
    std::cout << "\n\n" << cli::text_chart(e, *shown);
    std::cout << "\ntrace written to " << *trace_path << "  (agree replay " << *trace_path << ")\n";
  }
  return code;
}

}  // namespace

Command simulate_command() {
  return Command{
    "simulate", 45,
    [](CLI::App& app) {
      auto* c = app.add_subcommand("simulate", "seeded random walks through a protocol's states, for configurations too large to check");
      c->require_subcommand(1);
      flags.subs = add_protocol_subcommands(c, flags.given, add_walk_flags);
      c->footer("Every protocol takes these options after its parameters (agree simulate PROTOCOL --help lists both):\n" +
                options_help([](CLI::App& a) { add_walk_flags(&a); }));
      return c;
    },
    [] {
      for (const auto& [sub, e] : flags.subs)
        if (sub->parsed()) return run_simulate(*e);
      return cli::kExitUsage;
    }};
}

}  // namespace agree::cli
