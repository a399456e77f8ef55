// prove/smt.hpp — the one place that runs Z3: a query in, sat / unsat /
// unknown out, with the time taken and the solver's statistics.
//
// Every encoding under prove/ builds its constraints in a z3::solver and asks
// the same question: "is there a run that breaks the property?" (om, sm) or
// "is there a protocol that keeps it?" (impossible). `solve` adds the resource
// limit, dumps the query as SMT-LIB 2 when asked (so it can be re-run with the
// `z3` binary: `z3 FILE`), and turns the answer into an Outcome.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <z3++.h>

namespace agree::prove {

enum class Answer { Sat, Unsat, Unknown };
std::string to_string(Answer a);  // "sat", "unsat", "unknown"

struct SolveOptions {
  double timeout_seconds = 0;  // 0: no limit; otherwise Z3 stops and answers unknown
  std::string smt2_path;       // non-empty: write the query here before solving
};

struct Outcome {
  Answer answer = Answer::Unknown;
  double seconds = 0;          // wall time of check() alone
  std::string reason_unknown;  // Z3's reason when the answer is unknown ("timeout", ...)
  nlohmann::json statistics = nlohmann::json::object();  // Z3's statistics, key -> number
};

// Applies the options, writes the SMT-LIB 2 dump if asked, then checks.
// On Sat the model is s.get_model().
Outcome solve(z3::solver& s, const SolveOptions& o);

// The Boolean value of e in m (model completion on: unconstrained is false).
bool value_of(const z3::model& m, const z3::expr& e);

// Makes a name safe to use as an SMT-LIB symbol without quoting.
std::string symbol(const std::string& text);

}  // namespace agree::prove
