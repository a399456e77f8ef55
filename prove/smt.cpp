#include "agree/prove/smt.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

#include "agree/counterexamples/trace.hpp"

namespace agree::prove {

std::string to_string(Answer a) {
  switch (a) {
    case Answer::Sat: return "sat";
    case Answer::Unsat: return "unsat";
    case Answer::Unknown: return "unknown";
  }
  return "unknown";
}

Outcome solve(z3::solver& s, const SolveOptions& o) {
  if (o.timeout_seconds > 0) {
    z3::params p(s.ctx());
    const double ms = std::ceil(o.timeout_seconds * 1000.0);
    p.set("timeout", static_cast<unsigned>(std::min(ms, 4.0e9)));
    s.set(p);
  }
  if (!o.smt2_path.empty()) counterexamples::write_file_atomically(o.smt2_path, s.to_smt2());
  Outcome out;
  const auto start = std::chrono::steady_clock::now();
  const z3::check_result r = s.check();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.answer = r == z3::sat ? Answer::Sat : r == z3::unsat ? Answer::Unsat : Answer::Unknown;
  if (out.answer == Answer::Unknown) out.reason_unknown = s.reason_unknown();
  // Z3 says "canceled" when its timer fires inside some tactics (seen once in
  // a loaded test run): with a timeout set, that is the timeout.
  if (out.reason_unknown == "canceled" && o.timeout_seconds > 0) out.reason_unknown = "timeout";
  const z3::stats st = s.statistics();
  for (unsigned i = 0; i < st.size(); ++i) {
    if (st.is_uint(i))
      out.statistics[st.key(i)] = st.uint_value(i);
    else
      out.statistics[st.key(i)] = st.double_value(i);
  }
  return out;
}

bool value_of(const z3::model& m, const z3::expr& e) { return m.eval(e, true).is_true(); }

std::string symbol(const std::string& text) {
  std::string out;
  for (const char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  return out;
}

}  // namespace agree::prove
