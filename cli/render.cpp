// cli/render.cpp — `agree render TRACE --format text|mermaid|svg|html|json|itf [-o FILE]`.
//
// Replays the trace through its model and prints a message sequence chart
// (counterexamples/chart.hpp), or every state as JSON (json: agree's own
// document; itf: the Informal Trace Format, counterexamples/render_json.hpp):
// to stdout, or to FILE written atomically. With -o the format follows the
// file's name (.txt, .mmd, .svg, .html, .json; .itf.json is itf) unless
// --format names one; a name that says another format, or none without
// --format, is an error (exit 2), and so is an existing FILE without --force.
#include "agree/cli/render.hpp"

#include <filesystem>
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
  bool force = false;
} flags;

// The format a file name asks for: "" when its extension names none. The
// whole name counts, not only the last extension: x.itf.json is itf, x.json json.
std::string format_for(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  const std::string_view itf = ".itf.json";
  if (name.size() > itf.size() && name.compare(name.size() - itf.size(), itf.size(), itf) == 0) return "itf";
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".json") return "json";
  if (ext == ".svg") return "svg";
  if (ext == ".html" || ext == ".htm") return "html";
  if (ext == ".mmd" || ext == ".mermaid") return "mermaid";
  if (ext == ".txt") return "text";
  return "";
}

// The format to write, or a one-line reason why -o and --format do not fit.
std::string choose_format(std::string& problem) {
  if (flags.out.empty() || flags.out == "-") return flags.format.empty() ? "text" : flags.format;
  const std::string by_name = format_for(flags.out);
  const std::string ext = std::filesystem::path(flags.out).extension().string();
  if (flags.format.empty() && by_name.empty())
    problem = "-o " + flags.out + ": " + (ext.empty() ? "no extension" : "'" + ext + "' is not a format agree writes") +
              " (.txt, .mmd, .svg, .html, .json, .itf.json); name one with --format";
  else if (!flags.format.empty() && !by_name.empty() && by_name != flags.format)
    problem = "-o " + flags.out + " names " + by_name + ", --format says " + flags.format + ": make them agree";
  return flags.format.empty() ? by_name : flags.format;
}

int run_render() {
  std::string problem;
  const std::string format = choose_format(problem);
  if (problem.empty() && !flags.force && !flags.out.empty() && flags.out != "-" && std::filesystem::exists(flags.out))
    problem = flags.out + " exists; render replaces a file only with --force";
  if (!problem.empty()) {
    std::cerr << "agree: error: " << problem << '\n';
    return cli::kExitUsage;
  }
  const auto trace = counterexamples::read_trace_file(flags.file);
  const cli::Entry& e = cli::trace_entry(trace, flags.file);
  const model::Params params = cli::trace_params(e, trace, flags.file);
  const counterexamples::Chart chart = e.chart(params, trace, flags.file);
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
      c->add_option("--format", flags.format,
                    "text, mermaid, svg, html, json (every state) or itf (the Informal Trace Format) "
                    "(default: from -o's extension, else text)")
          ->check(CLI::IsMember({"text", "mermaid", "svg", "html", "json", "itf"}))
          ->type_name("FORMAT");
      c->add_option("-o,--output", flags.out,
                    "write to FILE (.txt, .mmd, .svg, .html, .json, .itf.json; atomically) instead of stdout")
          ->type_name("FILE");
      c->add_flag("--force", flags.force, "replace FILE if it exists (otherwise render refuses)");
      return c;
    },
    [] { return run_render(); }};
}

}  // namespace agree::cli
