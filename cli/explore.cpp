// cli/explore.cpp — `agree explore PROTOCOL [--PARAM V]...` and `agree
// explore TRACE`: the web explorer (explore/) on a local port.
//
// Prints the URL and serves until Ctrl-C (exit 0). 127.0.0.1 unless --bind
// names another address, which is warned about: the explorer has no
// authentication. A TRACE opens at its last step. Bad parameters, a bad
// trace or a port that cannot be had: one line and exit 2.
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "agree/cli/command.hpp"
#include "agree/cli/options.hpp"
#include "agree/cli/output.hpp"
#include "agree/cli/render.hpp"
#include "agree/explore/server.hpp"
#include "agree/model/suggest.hpp"

namespace agree::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_explore_signal(int) { g_stop.store(true); }

struct Flags {
  std::string trace;
  int port = 8765;
  std::string bind = "127.0.0.1";
  double check_seconds = 10;
  GivenParams given;
  std::vector<std::pair<CLI::App*, const cli::Entry*>> subs;
} flags;

void add_server_flags(CLI::App* app) {
  app->add_option("--port", flags.port, "the port to serve on (default 8765; 0: any free port)")
      ->check(count_in(0, 65535))->type_name("N");
  app->add_option("--bind", flags.bind, "the address to listen on (default 127.0.0.1: this machine only)")->type_name("ADDRESS");
  app->add_option("--check-seconds", flags.check_seconds, "the longest a \"check from here\" may run (default 10)")
      ->check(number_in(0.1, 3600, "seconds"))->type_name("SECONDS");
}

std::string url_host(const std::string& bind) {
  if (bind == "0.0.0.0" || bind.empty()) return "127.0.0.1";
  if (bind == "::") return "[::1]";
  if (bind.find(':') != std::string::npos && bind.front() != '[') return "[" + bind + "]";
  return bind;
}

int serve(const cli::Entry& e, const model::Params& params, const checker::Path& start, const std::string& what) {
  auto session = e.explore(params);
  explore::ServeOptions o;
  o.bind = flags.bind;
  o.port = flags.port;
  o.api.max_check_seconds = flags.check_seconds;
  o.stop = &g_stop;
  if (!explore::is_loopback(flags.bind))
    std::cerr << "agree: warning: --bind " << flags.bind
              << ": the explorer is open to other machines, and it asks nobody for a password\n";
  o.ready = [&](int port) {
    std::cout << "agree explore " << what << "\n  http://" << url_host(flags.bind) << ':' << port << "/#" << start.encode()
              << "\n  (Ctrl-C stops the server)" << std::endl;
  };
  std::signal(SIGINT, on_explore_signal);
  std::signal(SIGTERM, on_explore_signal);
  const std::string problem = explore::serve(*session, o);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!problem.empty()) {
    std::cerr << "agree: error: " << problem << '\n';
    return cli::kExitUsage;
  }
  std::cout << "agree explore: stopped" << std::endl;
  return cli::kExitHolds;
}

int run_protocol(const cli::Entry& e) {
  const std::string command = "agree explore " + e.name;
  model::Params params(e.params);
  try {
    for (const auto& [name, value] : flags.given[e.name]) params.set(name, value);
    e.explore(params);  // builds the model: its own checks of the parameters run here
  } catch (const model::ParamError& err) {
    std::cerr << "agree: error: " << param_error_message(err.what(), e.params, command) << '\n';
    return cli::kExitUsage;
  }
  const std::string shown = params.to_string();
  return serve(e, params, checker::Path{}, e.name + (shown.empty() ? "" : " " + shown));
}

int run_trace() {
  if (!std::filesystem::exists(flags.trace) && flags.trace.find_first_of("/.") == std::string::npos) {
    std::vector<std::string> names;
    for (const auto& e : cli::registry()) names.push_back(e.name);
    std::cerr << "agree: error: '" << flags.trace << "' is neither a protocol nor a trace file"
              << model::did_you_mean(flags.trace, names) << " (protocols: " << protocol_names() << ")\n";
    return cli::kExitUsage;
  }
  const auto trace = counterexamples::read_trace_file(flags.trace);
  const cli::Entry& e = cli::trace_entry(trace, flags.trace);
  const model::Params params = cli::trace_params(e, trace, flags.trace);
  const checker::Path path = e.explore(params)->path_of(trace, flags.trace);
  return serve(e, params, path, flags.trace + " (" + e.name + " " + trace.parameters + ", at its step " +
                                    std::to_string(trace.steps.size()) + ")");
}

}  // namespace

Command explore_command() {
  return Command{
    "explore", 47,
    [](CLI::App& app) {
      auto* c = app.add_subcommand("explore", "explore a protocol by hand in a web browser: step, go back, check from here");
      c->require_subcommand(0, 1);
      c->add_option("trace", flags.trace, "a trace file to open at its last step (instead of a PROTOCOL)");
      add_server_flags(c);
      flags.subs = add_protocol_subcommands(c, flags.given, add_server_flags);
      c->footer("agree explore PROTOCOL [--PARAM V]... or agree explore TRACE; every form takes:\n" +
                options_help([](CLI::App& a) { add_server_flags(&a); }) +
                "\nThe page and its JSON endpoints: README.md, \"The web explorer\".");
      return c;
    },
    [] {
      for (const auto& [sub, e] : flags.subs)
        if (sub->parsed()) {
          if (!flags.trace.empty()) {
            std::cerr << "agree: error: agree explore takes a PROTOCOL or a TRACE, not both\n";
            return cli::kExitUsage;
          }
          return run_protocol(*e);
        }
      if (flags.trace.empty()) {
        std::cerr << "agree: error: agree explore needs a PROTOCOL (" << protocol_names() << ") or a TRACE file\n";
        return cli::kExitUsage;
      }
      return run_trace();
    }};
}

}  // namespace agree::cli
