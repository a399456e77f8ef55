// prove/trace.hpp — a Z3 witness as a trace of the explicit model, so that
// `agree replay` re-executes it through model/om.hpp or model/sm.hpp and shows
// the property failing there: the two checkers check each other.
#pragma once

#include <optional>

#include "agree/counterexamples/trace.hpp"
#include "agree/prove/om_smt.hpp"
#include "agree/prove/sm_smt.hpp"

namespace agree::prove {

// The witness as an `om` trace: the explicit model is driven from the
// witness's traitor set, taking at each step the action the witness chose, and
// must end violating the witness's property (else std::logic_error: the
// encodings disagree). nullopt when the parameters are outside the model's
// ranges (`agree list`). rounds_auto: the rounds were not given, they are the
// traitors' number (c.rounds == c.traitors): the trace's parameters say
// rounds=auto, as those of `agree check` do; else rounds=<c.rounds>.
std::optional<counterexamples::Trace> om_trace(const om::Config& c, const om::Witness& w, bool rounds_auto = false);
// The same for `sm`: the traitors' sends choose the receivers the witness delivered to.
std::optional<counterexamples::Trace> sm_trace(const sm::Config& c, const sm::Witness& w, bool rounds_auto = false);

}  // namespace agree::prove
