#include "agree/prove/table.hpp"

#include <chrono>

#include "agree/prove/om_smt.hpp"
#include "agree/prove/sm_smt.hpp"

namespace agree::prove::table {

bool om_expected(int generals, int traitors) { return generals > 3 * traitors || generals - traitors <= 1; }

Table run(int max_generals, int max_traitors, SolveOptions per_cell) {
  per_cell.smt2_path.clear();
  const auto start = std::chrono::steady_clock::now();
  Table t;
  for (const std::string protocol : {"om", "sm"})
    for (int tr = 0; tr <= max_traitors; ++tr)
      for (int n = 2; n <= max_generals; ++n) {
        if (tr >= n) continue;
        Cell c;
        c.protocol = protocol;
        c.generals = n;
        c.traitors = tr;
        c.rounds = tr;
        c.vacuous = n - tr <= 1;
        if (protocol == "om") {
          c.expected_holds = om_expected(n, tr);
          const auto r = om::prove({n, tr, tr}, per_cell);
          c.answer = r.outcome.answer;
          c.seconds = r.outcome.seconds;
        } else {
          c.expected_holds = true;
          const auto r = sm::prove({n, tr, tr}, per_cell);
          c.answer = r.outcome.answer;
          c.seconds = r.outcome.seconds;
        }
        if (c.answer == Answer::Unknown) ++t.unknowns;
        else if (!c.agrees()) ++t.disagreements;
        t.cells.push_back(c);
      }
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

}  // namespace agree::prove::table
