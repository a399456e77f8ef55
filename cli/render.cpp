// cli/render.cpp — `agree render TRACE --format text|mermaid|svg|html [-o FILE]`.
//
// Replays the trace through its model and prints a message sequence chart
// (counterexamples/chart.hpp): to stdout, or to FILE written atomically. With
// -o and no --format, the format follows the file's extension (.svg, .html,
// .mmd, anything else text).
#include "agree/cli/render.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "agree/cli/command.hpp"
#include "agree/cli/output.hpp"

namespace agree::cli {

const Entry& trace_entry(const counterexamples::Trace& t, const std::string& file) {
  using counterexamples::TraceError;
  const Entry* e = find_protocol(t.protocol);
  if (!e) throw TraceError(file, t.protocol_line, "unknown protocol '" + t.protocol + "' (known: " + protocol_names() + ")");
  if (t.model_version != e->version)
    throw TraceError(file, t.version_line,
                     "trace is for " + t.protocol + " model version " + std::to_string(t.model_version) +
                         ", this agree has version " + std::to_string(e->version));
  return *e;
}

model::Params trace_params(const Entry& e, const counterexamples::Trace& t, const std::string& file) {
  model::Params params(e.params);
  try {
    params.set_all(t.parameters);
  } catch (const model::ParamError& err) {
    throw counterexamples::TraceError(file, t.parameters_line, err.what());
  }
  return params;
}

std::string text_chart(const Entry& e, const counterexamples::Trace& t) {
  try {
    const model::Params params = trace_params(e, t, "");
    return counterexamples::render_text(e.chart(params, t, ""));
  } catch (const std::exception& err) {
    return std::string("(no chart: ") + err.what() + ")\n";
  }
}

}  // namespace agree::cli

namespace agree::cli {
namespace {

struct Flags {
  std::string file;
  std::string format;
  std::string out;
} flags;

std::string format_for(const std::string& path) {
  const auto ends = [&](const std::string& ext) {
    return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends(".svg")) return "svg";
  if (ends(".html") || ends(".htm")) return "html";
  if (ends(".mmd") || ends(".mermaid")) return "mermaid";
  return "text";
}

int run_render() {
  const auto trace = counterexamples::read_trace_file(flags.file);
  const cli::Entry& e = cli::trace_entry(trace, flags.file);
  const model::Params params = cli::trace_params(e, trace, flags.file);
  const counterexamples::Chart chart = e.chart(params, trace, flags.file);
  const std::string format = !flags.format.empty() ? flags.format : flags.out.empty() ? "text" : format_for(flags.out);
  const std::string text = counterexamples::render(chart, format);
  if (flags.out.empty() || flags.out == "-") {
    std::cout << text;
  } else {
    counterexamples::write_file_atomically(flags.out, text);
    std::cerr << "wrote " << flags.out << " (" << format << ", " << chart.rows.size() - 1 << " steps, " << chart.lanes.size()
              << " lanes)\n";
  }
  if (!chart.reproduced) std::cerr << "agree: note: " << chart.outcome << '\n';
  return cli::kExitHolds;
}

}  // namespace

Command render_command() {
  return Command{
    "render", 40,
    [](CLI::App& app) {
      auto* c = app.add_subcommand("render", "draw a counterexample trace as a message sequence chart");
      c->add_option("trace", flags.file, "the trace file")->required();
      c->add_option("--format", flags.format, "text, mermaid, svg or html (default: from -o's extension, else text)")
          ->check(CLI::IsMember({"text", "mermaid", "svg", "html"}));
      c->add_option("-o,--output", flags.out, "write to FILE (atomically) instead of stdout");
      return c;
    },
    [] { return run_render(); }};
}

}  // namespace agree::cli
