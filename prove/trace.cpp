#include "prove/trace.hpp"

namespace prove {

std::optional<counterexamples::Trace> om_trace(const om::Config&, const om::Witness&) {
  // TODO(om model): model/om.hpp is not committed yet; write the conversion
  // against its action notation and format_init once it is.
  return std::nullopt;
}

std::optional<counterexamples::Trace> sm_trace(const sm::Config&, const sm::Witness&) {
  // TODO(sm model): model/sm.hpp is not committed yet; see om_trace.
  return std::nullopt;
}

}  // namespace prove
