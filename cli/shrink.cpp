// cli/shrink.cpp — `agree shrink TRACE [-o FILE]`: a shorter trace that still
// breaks the same property (counterexamples/shrink.hpp).
//
// Never overwrites: without -o the result goes next to TRACE as
// STEM-shrunk.trace (or -2, -3, ... if taken); with -o FILE, FILE must not
// exist yet and appears whole or not at all. Exit 0 when the shrunk trace was
// written, 1 when TRACE does not reproduce its violation, 2 for bad input.
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "agree/cli/command.hpp"
#include "agree/cli/output.hpp"
#include "agree/cli/render.hpp"

namespace agree::cli {
namespace {

struct Flags {
  std::string file;
  std::string out;
  bool quiet = false;
} flags;

int run_shrink() {
  const auto trace = counterexamples::read_trace_file(flags.file);
  const cli::Entry& e = cli::trace_entry(trace, flags.file);
  const model::Params params = cli::trace_params(e, trace, flags.file);
  if (!flags.out.empty() && std::filesystem::exists(flags.out)) {
    std::cerr << "agree: error: " << flags.out << " exists; shrink never overwrites a file\n";
    return cli::kExitUsage;
  }
  const auto r = e.shrink(params, trace, flags.file);
  if (!r.reproduced) {
    std::cout << "not reproduced: " << trace.property << " never fails along " << flags.file << "; nothing to shrink\n";
    return cli::kExitViolated;
  }
  const std::string text = counterexamples::to_text(r.trace);
  std::string path;
  if (flags.out.empty()) {
    const std::filesystem::path in(flags.file);
    path = counterexamples::write_new_file(in.parent_path().empty() ? "." : in.parent_path().string(),
                                           in.stem().string() + "-shrunk", ".trace", text);
  } else {
    counterexamples::write_file_atomically(flags.out, text);
    path = flags.out;
  }
  std::cout << "shrunk " << flags.file << ": " << trace.property << " violated after " << r.trace.steps.size() << " steps (was "
            << r.before << ", " << r.before - r.trace.steps.size() << " removed, " << r.attempts << " replays)\n";
  if (!flags.quiet) std::cout << '\n' << cli::text_chart(e, r.trace) << '\n';
  std::cout << "trace written to " << path << "  (agree replay " << path << ")\n";
  return cli::kExitHolds;
}

}  // namespace

Command shrink_command() {
  return Command{
    "shrink", 42,
    [](CLI::App& app) {
      auto* c = app.add_subcommand("shrink", "shorten a counterexample trace while it still breaks its property");
      c->add_option("trace", flags.file, "the trace file")->required();
      c->add_option("-o,--output", flags.out, "write the shorter trace to FILE (must not exist)");
      c->add_flag("--quiet", flags.quiet, "do not print the chart");
      return c;
    },
    [] { return run_shrink(); }};
}

}  // namespace agree::cli
