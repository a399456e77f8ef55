// tests/liveness_util.hpp — what the liveness tests share: the options of a
// liveness check, "was this property violated", and "every trace replays".
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "agree/agree.hpp"

namespace liveness_util {

using namespace agree;

inline Options liveness_options(Fairness f, bool keep_going = true) {
  Options o;
  o.liveness = true;
  o.fairness = f;
  o.keep_going = keep_going;
  o.threads = 1;
  return o;
}

inline bool violated(const Report& r, const std::string& property) {
  for (const auto& v : r.violations)
    if (v.property == property) return true;
  return false;
}
inline bool violated(const Result& r, const std::string& property) { return violated(r.report, property); }

// Every trace the check wrote replays, and reproduces its violation.
inline void require_traces_replay(const auto& model, const Result& r) {
  REQUIRE(r.traces.size() == r.report.violations.size());
  for (const auto& t : r.traces) {
    const Trace back = parse_trace(to_text(t), "<lasso>");  // through the file format, version 2 included
    const ReplayResult rr = agree::replay(model, back);
    INFO(to_text(t) << rr.message);
    CHECK(rr.reproduced);
  }
}

}  // namespace liveness_util
