// counterexamples/render_json.hpp — a replayed trace as JSON, state by state.
//
// Two printers over one Chart (counterexamples/chart.hpp), both listing every
// step with its action and the FULL state after it (the protocol's describe()),
// not only what changed:
//
//   render_json  agree's own document, in the spirit of TLC's `-dumpTrace json`
//                (the counterexample as data: every state, every action):
//     {"format": "agree-trace-json", "version": 1,
//      "protocol": "isis", "parameters": {"procs": 2, "variant": "no-tiebreak", ...},
//      "property": "total-order", "outcome": "total-order is violated after step 12",
//      "reproduced": true, "witness": false, "explanation": "..." or null,
//      "steps": [{"step": 0, "action": "init initial", "state": {"field": "text", ...}},
//                {"step": 1, "action": "multicast(m0)", "state": {...}}, ...]}
//     steps[0] is the initial state; steps[k].action is line k of the trace
//     file ("init ..." for step 0); every state names every field, its value
//     the describe() text verbatim. parameters: numbers as JSON numbers, the
//     rest ("auto", a variant) as strings — as `agree check --json` writes them.
//
//   render_itf   the Informal Trace Format (Apalache ADR-015), which Apalache
//                and Quint write and their viewers (the ITF Trace Viewer for
//                VS Code, the itf Rust crate) read: a `.itf.json` file.
//     The mapping is in render_json.cpp's header comment.
//
// Both are deterministic (no time stamps): the same trace gives the same bytes.
#pragma once

#include <string>

#include "agree/counterexamples/chart.hpp"

namespace agree::counterexamples {

// indent: as nlohmann::json::dump — 2 (the default) pretty-prints for files,
// -1 writes one line (`agree replay --json`). Ends with a newline.
[[nodiscard]] std::string render_json(const Chart& c, int indent = 2);
[[nodiscard]] std::string render_itf(const Chart& c, int indent = 2);

}  // namespace agree::counterexamples
