// counterexamples/trace.hpp — the trace file: a versioned, line-oriented text.
//
//   # any comment line
//   agree-trace 1                       format version
//   protocol isis                       a protocol of `agree list`
//   model-version 1                     the protocol's semantics version
//   parameters procs=3 msgs=2 crash=0 variant=no-tiebreak
//   property total-order                the property the trace violates
//   fairness weak                       version 2, a lasso: the fairness it is fair under
//   steps 16                            how many numbered steps follow
//   cycle 9                             version 2, a lasso: after the last step the run is
//                                       back in the state after step 9, and goes round
//                                       steps 10..16 forever
//   init initial                        which initial state (as `agree` prints it)
//   1 multicast(m0)                     one action a line, numbered from 1,
//   2 propose(p0, m0)                   in the notation `agree check` prints
//   ...
//   end                                 a trace without it is truncated
//
// `agree replay` re-executes the steps through the model's own transition
// functions (counterexamples/replay.hpp); for a lasso it checks that the
// cycle returns to the state it left from and that it is fair.
//
// A trace is written in the lowest version that can say it: 1 unless it is a
// lasso. This agree reads both.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace agree::counterexamples {

inline constexpr int kTraceFormat = 2;  // the newest version read and written

struct Trace {
  std::string protocol;
  int model_version = 0;
  std::string parameters;  // "procs=3 msgs=2 ..."
  std::string property;
  std::string init;
  std::vector<std::string> steps;
  // A lasso (version 2): the run returns after its last step to the state
  // after step *cycle (0: the initial state) and repeats forever, fair under
  // `fairness` ("none", "weak", "strong"; "" when not a lasso).
  std::optional<std::size_t> cycle;
  std::string fairness;
  // Where each piece stood in the file (1-based), for error messages.
  std::size_t header_line = 0, protocol_line = 0, version_line = 0, parameters_line = 0, property_line = 0,
              init_line = 0, fairness_line = 0, cycle_line = 0;
  std::vector<std::size_t> step_lines;
};

// A bad trace: "FILE:LINE: problem", one line.
struct TraceError : std::runtime_error {
  TraceError(const std::string& file, std::size_t line, const std::string& what);
};

[[nodiscard]] std::string to_text(const Trace& t);
// The version to_text writes: 2 for a lasso, else 1.
[[nodiscard]] int format_of(const Trace& t);
// Parses text; `file` names it in errors. Throws TraceError.
[[nodiscard]] Trace parse_trace(const std::string& text, const std::string& file);
// Reads and parses a file. Throws TraceError (including for unreadable or oversized files).
[[nodiscard]] Trace read_trace_file(const std::string& path);

// Writes text to DIR/STEM.trace without ever overwriting a file: if the name is
// taken, STEM-2.trace, STEM-3.trace, ... The file appears whole or not at all
// (written to a temporary file, then linked into place). Returns the path.
// Throws std::runtime_error on an I/O failure.
std::string write_new_file(const std::string& dir, const std::string& stem, const std::string& ext,
                           const std::string& text);

// Writes text to PATH atomically, replacing it: temporary file, then rename.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace agree::counterexamples
