// cli/command.hpp — subcommands that live in files of their own. render,
// simulate, shrink and explore come with every command line; others (agree prove) are
// added by the program before it calls agree::cli::main:
//
//   agree::cli::register_command({"prove", 40,
//       [](CLI::App& app) { auto* c = app.add_subcommand("prove", "..."); /* options */ return c; },
//       [] { return run_prove(); }});
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace agree::cli {

struct Command {
  std::string name;
  int order = 100;                           // position in `agree --help`
  std::function<CLI::App*(CLI::App&)> setup;  // adds the subcommand and its options
  std::function<int()> run;                   // runs it after a successful parse; returns the exit code
};

// Adds a command to every later agree::cli::main (agree prove does).
bool register_command(Command c);
std::vector<Command>& commands();

// The commands every command line has, besides list, check, replay and suite.
Command render_command();
Command simulate_command();
Command shrink_command();
Command explore_command();  // cli/explore.cpp: the web explorer

// agree prove (cli/prove.cpp, in the agree binary: it needs Z3).
void add_prove_command();

// For fuzz/cli_fuzz.cpp: parse and validate the command line, run nothing.
void set_parse_only(bool on);

}  // namespace agree::cli
