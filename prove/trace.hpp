// prove/trace.hpp — a Z3 witness as a trace of the explicit model, so that
// `agree replay` re-executes it through model/om.hpp or model/sm.hpp and shows
// the property failing there: the two checkers check each other.
#pragma once

#include <optional>

#include "counterexamples/trace.hpp"
#include "prove/om_smt.hpp"
#include "prove/sm_smt.hpp"

namespace prove {

// The witness as an `om` trace; nullopt when this build has no `om` model.
std::optional<counterexamples::Trace> om_trace(const om::Config& c, const om::Witness& w);
// The witness as an `sm` trace; nullopt when this build has no `sm` model.
std::optional<counterexamples::Trace> sm_trace(const sm::Config& c, const sm::Witness& w);

}  // namespace prove
