// cli/command.hpp — subcommands that live in their own file register
// themselves here, so adding one (`agree prove`, `agree render`, ...) touches
// no shared file:
//
//   namespace { Flags flags; }
//   static const bool registered = cli::register_command({
//       "render", 50,
//       [](CLI::App& app) { auto* c = app.add_subcommand("render", "..."); /* options into flags */ return c; },
//       [] { return run_render(flags); }});
//
// agree_cli is an OBJECT library, so every command's object file is linked in.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cli {

struct Command {
  std::string name;
  int order = 100;                           // position in `agree --help`
  std::function<CLI::App*(CLI::App&)> setup;  // adds the subcommand and its options
  std::function<int()> run;                   // runs it after a successful parse; returns the exit code
};

bool register_command(Command c);
std::vector<Command>& commands();

}  // namespace cli
