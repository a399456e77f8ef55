// cli/app.cpp — the `agree` command line, for whatever protocols are
// registered (cli/cli.hpp): agree::cli::main.
//
//   agree list                          protocols, parameters, variants, properties
//   agree check PROTOCOL [--PARAM V]... explore every state; exit 0 holds, 1 violated, 3 incomplete
//   agree replay FILE [--json]          re-execute a trace step by step
//   agree suite                         the bundled table of expected verdicts
//
// Exit codes (a contract): 0 holds / reproduced, 1 violated / not reproduced,
// 2 usage or input error, 3 incomplete (a limit or an interruption cut the run short).
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <new>
#include <stdexcept>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "agree/cli/command.hpp"
#include "agree/cli/options.hpp"
#include "agree/cli/output.hpp"
#include "agree/cli/registry.hpp"
#include "agree/cli/stop.hpp"
#include "agree/cli/suite.hpp"
#include "agree/checker/search_common.hpp"
#include "agree/checker/transport.hpp"
#include "agree/counterexamples/render_json.hpp"
#include "agree/model/suggest.hpp"
#include "agree/version.hpp"

namespace agree::cli {
namespace {

// Set only by fuzz/cli_fuzz.cpp: parse and validate the command line, run nothing.
bool g_parse_only = false;
// Set by set_transport(): the check command's search runs on these ranks.
checker::Transport* g_transport = nullptr;

struct CheckFlags {
  std::string search;  // empty: bfs, or tree for a tree-shaped protocol
  bool exact = false;
  bool no_pack = false;
  std::string reduce;  // "": all that the protocol supports (none for a liveness check); "none" gives the contract counts
  bool liveness = false;
  std::string fairness;  // "": the model's default
  unsigned threads = 0;  // 0: every core
  std::uint64_t max_states = 0, max_depth = 0, memory_limit = 0;
  double time_limit = 0;
  std::vector<std::string> properties;
  bool json = false;
  bool verbose = false;
  bool keep_going = false;
  std::string trace_dir = "traces";
  std::string checkpoint, resume;   // checker/checkpoint.hpp
  double checkpoint_every = 10;     // minutes
  bool distributed = false;         // on the MPI ranks (implied under mpirun)
  double peer_timeout = 60;         // seconds
};

void add_check_flags(CLI::App* cmd, CheckFlags& f) {
  cmd->add_flag("--distributed", f.distributed,
                "search on the ranks of mpirun -np K, each owning a share of the states (implied under mpirun; needs an agree built with MPI)");
  cmd->add_option("--peer-timeout", f.peer_timeout,
                  "a distributed search ends as incomplete when a rank hears nothing from the others for SECONDS (default 60)")
      ->check(number_in(1, 1e6, "seconds"))->type_name("SECONDS");
  cmd->add_option("--search", f.search, "bfs (shortest counterexamples), dfs (less memory) or tree (tree-shaped protocols, their default)")
      ->check(CLI::IsMember({"bfs", "dfs", "tree"}).description(""))->type_name("bfs|dfs|tree");
  cmd->add_flag("--exact", f.exact, "store full states instead of 64-bit fingerprints");
  cmd->add_flag("--no-pack", f.no_pack,
                "keep states in their variable-length encoding with fingerprints even where the model packs them into one word");
  cmd->add_option("--reduce", f.reduce, "state-space reduction: none (the contract counts), symmetry, por, or all that the protocol supports (default)")
      ->check(CLI::IsMember({"none", "por", "symmetry", "all"}).description(""))->type_name("none|por|symmetry|all");
  cmd->add_flag("--liveness", f.liveness,
                "also check the eventually and leads-to properties (agree list shows them) on the whole state graph, "
                "under --fairness; with no reduction");
  cmd->add_option("--fairness", f.fairness, "fairness for the liveness check: none, weak or strong (default: the model's, agree list shows it)")
      ->check(CLI::IsMember({"none", "weak", "strong"}).description(""))->type_name("none|weak|strong");
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  cmd->add_option("--threads", f.threads, "worker threads (default: every core)")->check(count_in(1, 1024))->type_name("K");
  cmd->add_option("--max-states", f.max_states, "stop after N distinct states (incomplete; 0, the default: no limit)")
      ->check(count_in(0, kMax))->type_name("N");
  cmd->add_option("--max-depth", f.max_depth, "do not expand states deeper than N (incomplete; 0, the default: no limit)")
      ->check(count_in(0, kMax))->type_name("N");
  cmd->add_option("--time-limit", f.time_limit, "stop after SECONDS (incomplete; 0, the default: no limit)")
      ->check(number_in(0, 1e9, "seconds"))->type_name("SECONDS");
  cmd->add_option("--memory-limit", f.memory_limit,
                  "stop when the process uses MIB mebibytes (incomplete; default: 90% of the machine's or the cgroup's memory)")
      ->check(count_in(1, std::uint64_t{1} << 40))->type_name("MIB");
  cmd->add_option("--property", f.properties, "check only this property (repeatable)")->type_name("NAME");
  cmd->add_flag("--json", f.json, "print one JSON object on stdout");
  cmd->add_flag("--verbose", f.verbose, "also print each counterexample as a numbered step list, with its action path");
  cmd->add_flag("--keep-going", f.keep_going, "explore everything; report the first violation of each property");
  cmd->add_option("--trace-dir", f.trace_dir, "where counterexample traces go (default ./traces; never overwritten)")->type_name("DIR");
  cmd->add_option("--checkpoint", f.checkpoint, "save the search to FILE every --checkpoint-every minutes and when cut short (bfs only, not --exact)")
      ->type_name("FILE");
  cmd->add_option("--checkpoint-every", f.checkpoint_every, "MINUTES between checkpoints (default 10; fractions allowed)")
      ->check(number_in(0.001, 1e6, "minutes"))->type_name("MINUTES");
  cmd->add_option("--resume", f.resume, "continue the search saved in FILE (and keep checkpointing to it unless --checkpoint names another)")
      ->type_name("FILE");
}

// The cores this process may run on (its affinity: taskset, or mpirun's
// binding), at least one.
unsigned usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<unsigned>(CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

checker::Options to_options(const CheckFlags& f) {
  checker::Options o;
  o.search = f.search == "dfs" ? checker::Search::Dfs : f.search == "tree" ? checker::Search::Tree : checker::Search::Bfs;
  o.search_chosen = !f.search.empty();
  o.exact = f.exact;
  o.packed = !f.no_pack;
  o.reduce = checker::parse_reduce(f.reduce.empty() ? "all" : f.reduce);
  o.liveness = f.liveness;
  if (!f.fairness.empty()) o.fairness = checker::parse_fairness(f.fairness);
  o.threads = f.threads ? f.threads : usable_cores();
  o.max_states = f.max_states;
  o.max_depth = f.max_depth;
  o.time_limit = f.time_limit;
  o.peer_timeout = f.peer_timeout;
  o.memory_limit_mib = f.memory_limit;
  o.properties = f.properties;
  o.keep_going = f.keep_going;
  o.checkpoint_path = f.checkpoint;
  o.checkpoint_every = f.checkpoint_every * 60;
  o.resume_path = f.resume;
  return o;
}

int run_check(const cli::Entry& e, const std::map<std::string, std::string>& given, const CheckFlags& f) {
  const std::string command = "agree check " + e.name;
  model::Params params(e.params);
  try {
    for (const auto& [name, value] : given) params.set(name, value);
  } catch (const model::ParamError& err) {
    std::cerr << "agree: error: " << param_error_message(err.what(), e.params, command) << '\n';
    return cli::kExitUsage;
  }
  // A memory limit the process is already over would "hold" at once, having checked nothing.
  if (const std::uint64_t rss = checker::current_rss_bytes(); f.memory_limit && (f.memory_limit << 20) <= rss) {
    std::cerr << "agree: error: --memory-limit: " << f.memory_limit << " MiB is not above the "
              << fmt::format("{:.1f}", static_cast<double>(rss) / (1 << 20)) << " MiB this process already uses (see "
              << command << " --help)\n";
    return cli::kExitUsage;
  }
  checker::Options o = to_options(f);
  // A liveness check takes no reduction: unless --reduce says otherwise, none.
  for (const auto& p : e.properties)
    if ((p.expectation == "eventually" || p.expectation == "leads-to") && f.reduce.empty() &&
        ((f.liveness && f.properties.empty()) || std::find(f.properties.begin(), f.properties.end(), p.name) != f.properties.end()))
      o.reduce = checker::Reduce::None;
  o.parameters = params.to_string();
  o.interrupt = Stopping::interrupt();
  if (f.distributed && !g_transport) {
    std::cerr << "agree: error: --distributed: this agree was built without MPI (cmake -DAGREE_MPI=ON, with libopenmpi-dev)\n";
    return cli::kExitUsage;
  }
  const std::unique_ptr<checker::Transport> ranks = g_transport ? stopping_ranks(*g_transport) : nullptr;
  o.transport = ranks.get();
  // Only rank 0 of a distributed search writes: its report, its traces.
  const bool primary = !g_transport || g_transport->rank() == 0;
  // Each rank runs --threads threads; by default the cores it may run on
  // (mpirun binds each rank to one core unless told otherwise), at most its
  // share of its machine's cores.
  if (g_transport && !f.threads)
    o.threads = std::max(1u, std::min(usable_cores(), std::thread::hardware_concurrency() /
                                                          static_cast<unsigned>(std::max(1, g_transport->local_size()))));
  if (g_transport && f.threads > usable_cores() && primary)
    std::cerr << "agree: warning: --threads " << f.threads << ": this rank may run on " << usable_cores()
              << " core(s) only (mpirun binds each rank to one core by default: run mpirun --bind-to none, or --map-by slot:PE="
              << f.threads << ")\n";
  const bool tty = ::isatty(STDERR_FILENO) != 0 && primary;
  if (tty)
    o.progress = [](const checker::Progress& p) {
      std::fprintf(stderr, "\r%s states, depth %llu, queue %s, %s states/s, %.0f MiB   ", cli::thousands(p.states).c_str(),
                   static_cast<unsigned long long>(p.depth), cli::thousands(p.queue).c_str(),
                   cli::thousands(static_cast<std::uint64_t>(static_cast<double>(p.states) / p.seconds)).c_str(),
                   static_cast<double>(p.rss_bytes) / (1 << 20));
      std::fflush(stderr);
    };
  o.notice = [primary](const std::string& line) {
    if (primary) std::cerr << (line.rfind("warning:", 0) == 0 ? "agree: " : "") << line << '\n';
  };
  cli::CheckResult r;
  try {
    const Stopping stopping;
    r = e.check(params, o);
  } catch (const model::ParamError& err) {  // a combination the model refuses (crash above the processes, ...)
    if (primary) std::cerr << "agree: error: " << param_error_message(err.what(), e.params, command) << '\n';
    return cli::kExitUsage;
  } catch (const std::invalid_argument& err) {  // an option the model cannot take (an unknown property, a bad checkpoint, ...)
    // Every rank of a distributed search refuses with the same line (the
    // options are the same, and a checkpoint's refusals are agreed): rank 0 says it.
    const std::string what = err.what();
    if (primary) std::cerr << "agree: error: " << what << (what.rfind("unknown ", 0) == 0 ? " (see " + command + " --help)" : "") << '\n';
    return cli::kExitUsage;
  } catch (const checker::TransportError& err) {  // a distributed search that lost its peers
    std::cerr << "agree: error: distributed search stopped: " << err.what() << '\n';
    return cli::kExitIncomplete;
  }
  if (tty && r.report.seconds >= 1.0) std::fprintf(stderr, "\r\033[K");

  std::optional<std::string> trace_path;
  std::vector<std::string> extra_paths;
  // A trace that cannot be written must not cost the report of a long run:
  // the report (with the counterexample's steps) is printed, the error after it.
  std::string write_error;
  if (!primary) return cli::exit_code(r.report.verdict);
  for (std::size_t i = 0; i < r.traces.size() && write_error.empty(); ++i) {
    try {
      const std::string path = counterexamples::write_new_file(
          f.trace_dir, cli::trace_stem(e, params, r.traces[i].property), ".trace", counterexamples::to_text(r.traces[i]));
      if (i == 0) trace_path = path;
      else extra_paths.push_back(path);
    } catch (const std::runtime_error& err) {
      write_error = err.what();
    }
  }
  if (f.json) {
    auto j = cli::report_json(e, params, o, r, trace_path);
    j["other_traces"] = extra_paths;
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    cli::print_report(std::cout, e, o, r, f.verbose, trace_path);
    for (const auto& p : extra_paths) std::cout << "trace written to " << p << '\n';
  }
  if (!write_error.empty()) std::cerr << "agree: error: trace not written: " << write_error << '\n';
  return cli::exit_code(r.report.verdict);
}

// `agree list [PROTOCOL]`: each protocol's parameters (aligned, whatever their
// lengths), properties and action kinds.
int run_list(std::ostream& out, const std::string& only) {
  if (!only.empty() && !cli::find_protocol(only)) {
    std::vector<std::string> names;
    for (const auto& e : cli::registry()) names.push_back(e.name);
    std::cerr << "agree: error: " << model::unknown("protocol", only, names) << " (see agree list --help)\n";
    return cli::kExitUsage;
  }
  for (const auto& e : cli::registry()) {
    if (!only.empty() && e.name != only) continue;
    out << e.name << " — " << e.summary << '\n';
    std::vector<std::array<std::string, 4>> rows;  // option, range, default, help
    for (const auto& p : e.params) {
      if (!p.choices.empty())
        rows.push_back({"--" + p.name, model::joined(p.choices), p.choices.at(static_cast<std::size_t>(p.def)), p.help});
      else
        rows.push_back({"--" + p.name, fmt::format("{}..{}", p.min, p.max),
                        p.auto_text.empty() ? std::to_string(p.def) : p.auto_text, p.help});
    }
    std::array<std::size_t, 3> w{};
    for (const auto& r : rows)
      for (std::size_t c = 0; c < 3; ++c) w[c] = std::max(w[c], r[c].size());
    out << "  parameters:\n";
    for (const auto& r : rows)
      out << fmt::format("    {:<{}}  {:<{}}  default {:<{}}  {}\n", r[0], w[0], r[1], w[1], r[2], w[2], r[3]);
    std::size_t pw = 0, xw = 0;
    for (const auto& p : e.properties) pw = std::max(pw, p.name.size()), xw = std::max(xw, p.expectation.size());
    out << "  properties:\n";
    for (const auto& p : e.properties) out << fmt::format("    {:<{}}  {:<{}}  {}\n", p.name, pw, p.expectation, xw, p.description);
    if (std::any_of(e.properties.begin(), e.properties.end(),
                    [](const auto& p) { return p.expectation == "eventually" || p.expectation == "leads-to"; }))
      out << "  liveness: agree check " << e.name << " --liveness; default fairness " << e.fairness << '\n';
    out << "  actions: " << model::joined(e.action_kinds) << "\n\n";
  }
  return 0;
}

// The sentence for an unknown command, or an unknown protocol after a command
// that takes one (check, simulate, ...), with a suggestion; "" when both are known.
std::string unknown_name(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return "";
  std::vector<std::string> commands;
  CLI::App* command = nullptr;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    commands.push_back(sub->get_name());
    if (sub->get_name() == argv[1]) command = sub;
  }
  if (!command)
    return model::unknown("command", argv[1], commands) + " (see agree --help)";
  std::vector<std::string> protocols;
  for (CLI::App* sub : command->get_subcommands([](CLI::App*) { return true; })) protocols.push_back(sub->get_name());
  if (argc < 3 || argv[2][0] == '-' || protocols.empty()) return "";
  // A command that takes a file instead of a protocol (explore TRACE) judges the word itself.
  if (!command->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty()) return "";
  if (std::find(protocols.begin(), protocols.end(), argv[2]) != protocols.end()) return "";
  return model::unknown("protocol", argv[2], protocols) + " (see agree " + argv[1] + " --help)";
}

int run(int argc, char** argv) {
  CLI::App app{"agree — a model checker for the protocols that make distributed processes agree"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("agree ") + AGREE_VERSION);

  std::string list_only;
  app.add_subcommand("list", "list the protocols, their parameters, variants and properties")
      ->add_option("protocol", list_only, "only this protocol")
      ->type_name("PROTOCOL");

  CLI::App* check = app.add_subcommand("check", "explore every state of a protocol and check its properties");
  check->require_subcommand(1);
  CheckFlags flags;
  GivenParams given;
  add_protocol_subcommands(check, given, [&flags](CLI::App* sub) { add_check_flags(sub, flags); });
  {
    CheckFlags scratch;
    check->footer("Every protocol takes these options after its parameters (agree check PROTOCOL --help lists both):\n" +
                  options_help([&](CLI::App& a) { add_check_flags(&a, scratch); }));
  }

  std::string replay_file;
  bool quiet = false, replay_json = false;
  CLI::App* replay = app.add_subcommand("replay", "re-execute a counterexample trace step by step");
  replay->add_option("file", replay_file, "the trace file")->required();
  auto* quiet_flag = replay->add_flag("--quiet", quiet, "print only the outcome");
  replay->add_flag("--json", replay_json,
                   "print one JSON object on stdout: the outcome and every step with the full state after it")
      ->excludes(quiet_flag);

  cli::SuiteOptions suite_opts;
  CLI::App* suite = app.add_subcommand("suite", "run the bundled table of configurations and expected verdicts");
  suite->add_option("--filter", suite_opts.filter, "only rows that have each of these words as protocol or parameter (\"isis procs=3\")")
      ->type_name("WORDS");
  suite->add_option("--trace-dir", suite_opts.trace_dir, "also write the counterexamples here");
  suite->add_flag("--json", suite_opts.json, "print the table as JSON");

  // Commands that live in their own files (cli/command.hpp).
  std::vector<Command> all{render_command(), simulate_command(), shrink_command(), explore_command()};
  all.insert(all.end(), commands().begin(), commands().end());
  std::stable_sort(all.begin(), all.end(), [](const Command& a, const Command& b) { return a.order < b.order; });
  std::vector<std::pair<CLI::App*, const Command*>> extra;
  for (const auto& c : all) extra.emplace_back(c.setup(app), &c);

  // An unknown command or protocol gets a sentence that names the known ones.
  if (const std::string bad = unknown_name(app, argc, argv); !bad.empty()) {
    std::cerr << "agree: error: " << bad << '\n';
    return cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "agree: error: " << parse_error_message(app, e) << '\n';
    return cli::kExitUsage;
  }

  if (g_parse_only) {
    for (const auto& e : cli::registry())
      if (check->got_subcommand(e.name)) {
        model::Params params(e.params);
        for (const auto& [name, value] : given[e.name]) params.set(name, value);
      }
    return 0;
  }
  for (const auto& [sub, c] : extra)
    if (sub->parsed()) return c->run();
  if (app.got_subcommand("list")) return run_list(std::cout, list_only);
  if (app.got_subcommand("suite")) return cli::run_suite(suite_opts, std::cout) == 0 ? 0 : 1;
  if (app.got_subcommand("replay")) {
    const auto trace = counterexamples::read_trace_file(replay_file);
    if (replay_json) {
      // replay_trace checks the header and the parameters as a plain replay
      // does (errors: exit 2, nothing on stdout); the chart holds every state.
      const auto r = cli::replay_trace(trace, replay_file, nullptr);
      const cli::Entry& e = *cli::find_protocol(trace.protocol);
      model::Params params(e.params);
      params.set_all(trace.parameters);
      std::cout << counterexamples::render_json(e.chart(params, trace, replay_file), -1);
      return r.reproduced ? 0 : 1;
    }
    if (!quiet)
      std::cout << "replaying " << replay_file << ": " << trace.protocol << " " << trace.parameters
                << ", property " << trace.property << ", " << trace.steps.size() << " steps\n";
    const auto r = cli::replay_trace(trace, replay_file, quiet ? nullptr : &std::cout);
    std::cout << r.message << '\n';
    if (!r.explanation.empty()) std::cout << "why: " << r.explanation << '\n';
    return r.reproduced ? 0 : 1;
  }
  for (const auto& e : cli::registry())
    if (check->got_subcommand(e.name)) return run_check(e, given[e.name], flags);
  return cli::kExitUsage;
}

}  // namespace

void set_parse_only(bool on) { g_parse_only = on; }
void set_transport(checker::Transport* t) { g_transport = t; }

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "agree: error: out of memory (set --memory-limit to stop cleanly before this)\n";
    return cli::kExitIncomplete;
  } catch (const std::exception& e) {
    std::cerr << "agree: error: " << e.what() << '\n';
    return cli::kExitUsage;
  }
}

}  // namespace agree::cli
