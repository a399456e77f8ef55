// cli/app.cpp — the `agree` command line, for whatever protocols are
// registered (cli/cli.hpp): agree::cli::main.
//
//   agree list                          protocols, parameters, variants, properties
//   agree check PROTOCOL [--PARAM V]... explore every state; exit 0 holds, 1 violated, 3 incomplete
//   agree replay FILE                   re-execute a trace step by step
//   agree suite                         the bundled table of expected verdicts
//
// Exit codes (a contract): 0 holds / reproduced, 1 violated / not reproduced,
// 2 usage or input error, 3 incomplete (a limit or an interruption cut the run short).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <new>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "agree/cli/command.hpp"
#include "agree/cli/output.hpp"
#include "agree/cli/registry.hpp"
#include "agree/cli/suite.hpp"
#include "agree/version.hpp"

namespace agree::cli {
namespace {

std::atomic<bool> g_interrupted{false};
// Set only by fuzz/cli_fuzz.cpp: parse and validate the command line, run nothing.
bool g_parse_only = false;
// The first SIGINT/SIGTERM stops the search cleanly; a second one, if the
// user will not wait, ends the process at once (trace files are atomic).
extern "C" void on_signal(int sig) {
  if (g_interrupted.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

struct CheckFlags {
  std::string search;  // empty: bfs, or tree for a tree-shaped protocol
  bool exact = false;
  bool no_pack = false;
  std::string reduce = "all";  // every reduction the protocol supports; "none" gives the contract counts
  unsigned threads = 0;  // 0: every core
  std::uint64_t max_states = 0, max_depth = 0, memory_limit = 0;
  double time_limit = 0;
  std::vector<std::string> properties;
  bool json = false;
  bool keep_going = false;
  std::string trace_dir = "traces";
  std::string checkpoint, resume;   // checker/checkpoint.hpp
  double checkpoint_every = 10;     // minutes
};

// A count (--max-states, --max-depth, --memory-limit): decimal digits only, and
// it must fit in 64 bits. CLI11 alone wraps "-1", accepts "0x10" and saturates
// "99999999999999999999999" silently.
const CLI::Validator kCount(
    [](std::string& v) -> std::string {
      std::uint64_t n = 0;
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (v.empty() || v[0] == '-' || v[0] == '+' || ec == std::errc::invalid_argument || p != v.data() + v.size())
        return "'" + v + "' is not a whole number";
      if (ec == std::errc::result_out_of_range) return v + " is too large (at most 18446744073709551615)";
      return "";
    },
    "COUNT");
// Seconds: a finite number (CLI::Range lets "nan" through).
const CLI::Validator kSeconds(
    [](std::string& v) -> std::string {
      double d = 0;
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
      if (v.empty() || ec != std::errc() || p != v.data() + v.size() || !std::isfinite(d))
        return "'" + v + "' is not a number of seconds";
      return "";
    },
    "SECONDS");

void add_check_flags(CLI::App* cmd, CheckFlags& f) {
  cmd->add_option("--search", f.search, "bfs (shortest counterexamples), dfs (less memory) or tree (tree-shaped protocols, their default)")
      ->check(CLI::IsMember({"bfs", "dfs", "tree"}));
  cmd->add_flag("--exact", f.exact, "store full states instead of 64-bit fingerprints");
  cmd->add_flag("--no-pack", f.no_pack,
                "keep states in their variable-length encoding with fingerprints even where the model packs them into one word");
  cmd->add_option("--reduce", f.reduce, "state-space reduction: none (the contract counts), symmetry, por, or all that the protocol supports (default)")->check(CLI::IsMember({"none", "por", "symmetry", "all"}));
  cmd->add_option("--threads", f.threads, "worker threads (default: every core)")->check(kCount)->check(CLI::Range(1u, 1024u));
  cmd->add_option("--max-states", f.max_states, "stop after this many distinct states (incomplete)")->check(kCount);
  cmd->add_option("--max-depth", f.max_depth, "do not expand states deeper than this (incomplete)")->check(kCount);
  cmd->add_option("--time-limit", f.time_limit, "stop after SECONDS (incomplete)")->check(kSeconds)->check(CLI::Range(0.0, 1e9));
  cmd->add_option("--memory-limit", f.memory_limit, "stop when the process uses MIB of memory (incomplete)")
      ->check(kCount)->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  cmd->add_option("--property", f.properties, "check only this property (repeatable)");
  cmd->add_flag("--json", f.json, "print one JSON object on stdout");
  cmd->add_flag("--keep-going", f.keep_going, "explore everything; report the first violation of each property");
  cmd->add_option("--trace-dir", f.trace_dir, "where counterexample traces go (never overwritten)");
  cmd->add_option("--checkpoint", f.checkpoint, "save the search to FILE every --checkpoint-every minutes and when cut short (bfs only, not --exact)");
  cmd->add_option("--checkpoint-every", f.checkpoint_every, "minutes between checkpoints (default 10; fractions allowed)")
      ->check(kSeconds)->check(CLI::Range(0.001, 1e6));
  cmd->add_option("--resume", f.resume, "continue the search saved in FILE (and keep checkpointing to it unless --checkpoint names another)");
}

checker::Options to_options(const CheckFlags& f) {
  checker::Options o;
  o.search = f.search == "dfs" ? checker::Search::Dfs : f.search == "tree" ? checker::Search::Tree : checker::Search::Bfs;
  o.search_chosen = !f.search.empty();
  o.exact = f.exact;
  o.packed = !f.no_pack;
  o.reduce = checker::parse_reduce(f.reduce);
  o.threads = f.threads ? f.threads : std::max(1u, std::thread::hardware_concurrency());
  o.max_states = f.max_states;
  o.max_depth = f.max_depth;
  o.time_limit = f.time_limit;
  o.memory_limit_mib = f.memory_limit;
  o.properties = f.properties;
  o.keep_going = f.keep_going;
  o.checkpoint_path = f.checkpoint;
  o.checkpoint_every = f.checkpoint_every * 60;
  o.resume_path = f.resume;
  return o;
}

int run_check(const cli::Entry& e, const std::map<std::string, std::string>& given, const CheckFlags& f) {
  model::Params params(e.params);
  for (const auto& [name, value] : given) params.set(name, value);
  checker::Options o = to_options(f);
  o.parameters = params.to_string();
  o.interrupt = &g_interrupted;
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  if (tty)
    o.progress = [](const checker::Progress& p) {
      std::fprintf(stderr, "\r%s states, depth %llu, queue %s, %s states/s, %.0f MiB   ", cli::thousands(p.states).c_str(),
                   static_cast<unsigned long long>(p.depth), cli::thousands(p.queue).c_str(),
                   cli::thousands(static_cast<std::uint64_t>(static_cast<double>(p.states) / p.seconds)).c_str(),
                   static_cast<double>(p.rss_bytes) / (1 << 20));
      std::fflush(stderr);
    };
  o.notice = [](const std::string& line) {
    std::cerr << (line.rfind("warning:", 0) == 0 ? "agree: " : "") << line << '\n';
  };
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const cli::CheckResult r = e.check(params, o);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (tty && r.report.seconds >= 1.0) std::fprintf(stderr, "\r\033[K");

  std::optional<std::string> trace_path;
  std::vector<std::string> extra_paths;
  // A trace that cannot be written must not cost the report of a long run:
  // the report (with the counterexample's steps) is printed, the error after it.
  std::string write_error;
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
    std::cout << j.dump() << '\n';
  } else {
    cli::print_report(std::cout, e, o, r, trace_path);
    for (const auto& p : extra_paths) std::cout << "trace written to " << p << '\n';
  }
  if (!write_error.empty()) std::cerr << "agree: error: trace not written: " << write_error << '\n';
  return cli::exit_code(r.report.verdict);
}

int run_list(std::ostream& out) {
  for (const auto& e : cli::registry()) {
    out << e.name << " — " << e.summary << '\n';
    out << "  parameters:\n";
    for (const auto& p : e.params) {
      std::string range;
      if (!p.choices.empty()) {
        for (std::size_t i = 0; i < p.choices.size(); ++i) range += (i ? " | " : "") + p.choices[i];
        out << fmt::format("    --{:<10} {:<28} default {:<10} {}\n", p.name, range,
                           p.choices.at(static_cast<std::size_t>(p.def)), p.help);
      } else {
        range = fmt::format("{}..{}", p.min, p.max);
        out << fmt::format("    --{:<10} {:<28} default {:<10} {}\n", p.name, range,
                           p.auto_text.empty() ? std::to_string(p.def) : p.auto_text, p.help);
      }
    }
    out << "  properties:\n";
    for (const auto& p : e.properties) out << fmt::format("    {:<14} {:<16} {}\n", p.name, p.expectation, p.description);
    std::string kinds;
    for (const auto& k : e.action_kinds) kinds += (kinds.empty() ? "" : ", ") + k;
    out << "  actions: " << kinds << "\n\n";
  }
  return 0;
}

int run(int argc, char** argv) {
  CLI::App app{"agree — a model checker for the protocols that make distributed processes agree"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("agree ") + AGREE_VERSION);

  app.add_subcommand("list", "list the protocols, their parameters, variants and properties");

  CLI::App* check = app.add_subcommand("check", "explore every state of a protocol and check its properties");
  check->require_subcommand(1);
  CheckFlags flags;
  std::map<std::string, std::map<std::string, std::string>> given;
  for (const auto& e : cli::registry()) {
    CLI::App* sub = check->add_subcommand(e.name, e.summary);
    for (const auto& p : e.params) {
      std::string help = p.help;
      if (!p.choices.empty()) {
        help += " (";
        for (std::size_t i = 0; i < p.choices.size(); ++i) help += (i ? ", " : "") + p.choices[i];
        help += "; default " + p.choices.at(static_cast<std::size_t>(p.def)) + ")";
      } else {
        help += fmt::format(" ({}..{}; default {})", p.min, p.max, p.auto_text.empty() ? std::to_string(p.def) : p.auto_text);
      }
      sub->add_option_function<std::string>(
          "--" + p.name, [&given, name = e.name, pname = p.name](const std::string& v) { given[name][pname] = v; },
          help);
    }
    add_check_flags(sub, flags);
  }

  std::string replay_file;
  bool quiet = false;
  CLI::App* replay = app.add_subcommand("replay", "re-execute a counterexample trace step by step");
  replay->add_option("file", replay_file, "the trace file")->required();
  replay->add_flag("--quiet", quiet, "print only the outcome");

  cli::SuiteOptions suite_opts;
  CLI::App* suite = app.add_subcommand("suite", "run the bundled table of configurations and expected verdicts");
  suite->add_option("--filter", suite_opts.filter, "only rows whose protocol or parameters contain this");
  suite->add_option("--trace-dir", suite_opts.trace_dir, "also write the counterexamples here");
  suite->add_flag("--json", suite_opts.json, "print the table as JSON");

  // Commands that live in their own files (cli/command.hpp).
  std::vector<Command> all{render_command(), simulate_command(), shrink_command()};
  all.insert(all.end(), commands().begin(), commands().end());
  std::stable_sort(all.begin(), all.end(), [](const Command& a, const Command& b) { return a.order < b.order; });
  std::vector<std::pair<CLI::App*, const Command*>> extra;
  for (const auto& c : all) extra.emplace_back(c.setup(app), &c);

  // An unknown command or protocol gets a sentence that names the known ones.
  if (argc >= 2 && argv[1][0] != '-') {
    std::string known;
    bool found = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known += (known.empty() ? "" : ", ") + sub->get_name();
      found = found || sub->get_name() == argv[1];
    }
    if (!found) {
      std::cerr << "agree: error: unknown command '" << argv[1] << "' (known: " << known << ")\n";
      return cli::kExitUsage;
    }
  }
  if (argc >= 3 && std::string(argv[1]) == "check" && argv[2][0] != '-' && !cli::find_protocol(argv[2])) {
    std::cerr << "agree: error: unknown protocol '" << argv[2] << "' (known: " << cli::protocol_names() << ")\n";
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
    std::cerr << "agree: error: " << e.what() << " (see agree --help)\n";
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
  if (app.got_subcommand("list")) return run_list(std::cout);
  if (app.got_subcommand("suite")) return cli::run_suite(suite_opts, std::cout) == 0 ? 0 : 1;
  if (app.got_subcommand("replay")) {
    const auto trace = counterexamples::read_trace_file(replay_file);
    if (!quiet)
      std::cout << "replaying " << replay_file << ": " << trace.protocol << " " << trace.parameters
                << ", property " << trace.property << ", " << trace.steps.size() << " steps\n";
    const auto r = cli::replay_trace(trace, replay_file, quiet ? nullptr : &std::cout);
    std::cout << r.message << '\n';
    return r.reproduced ? 0 : 1;
  }
  for (const auto& e : cli::registry())
    if (check->got_subcommand(e.name)) return run_check(e, given[e.name], flags);
  return cli::kExitUsage;
}

}  // namespace

void set_parse_only(bool on) { g_parse_only = on; }

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
