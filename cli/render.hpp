// cli/render.hpp — what `agree render`, `agree shrink` and `agree check`'s
// chart share: finding a trace's protocol and parameters.
#pragma once

#include <string>

#include "agree/cli/registry.hpp"

namespace agree::cli {

// The registry entry a trace names, with its parameters set in `params` (which
// must be built from that entry's specs: use trace_params). Throws TraceError,
// naming the line, for an unknown protocol, another model version or bad
// parameters.
const Entry& trace_entry(const counterexamples::Trace& t, const std::string& file);
model::Params trace_params(const Entry& e, const counterexamples::Trace& t, const std::string& file);

// The text chart of a check or simulate result's trace ("" if it cannot be drawn).
std::string text_chart(const Entry& e, const counterexamples::Trace& t);

}  // namespace agree::cli
