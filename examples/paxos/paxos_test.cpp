// paxos_test.cpp — single-decree Paxos (SEMANTICS.md) checked from its own
// project's tests, through agree's testing helpers.
#define CATCH_CONFIG_MAIN
#include <agree/testing/catch2.hpp>
#include <agree/testing/rapidcheck.hpp>

#include "paxos.hpp"

namespace {
struct Row {
  int acceptors, ballots, values;
  bool forget;
  std::uint64_t states;
  bool agreement_violated;
};
// Distinct states from paxos_count.py, an implementation written
// independently from SEMANTICS.md alone (python3 paxos_count.py --table).
const Row kIndependent[] = {
    {1, 1, 1, false, 5, false},       {1, 2, 2, false, 45, false},     {1, 2, 2, true, 91, true},
    {1, 3, 2, false, 275, false},     {1, 3, 2, true, 2441, true},     {2, 1, 2, false, 13, false},
    {2, 2, 1, false, 81, false},      {2, 2, 1, true, 338, false},     {2, 2, 2, false, 145, false},
    {2, 2, 2, true, 851, true},       {2, 3, 2, false, 1501, false},   {2, 3, 1, true, 84085, false},
    {3, 1, 2, false, 73, false},      {3, 2, 1, false, 1681, false},   {3, 2, 1, true, 29449, false},
    {3, 2, 2, false, 3921, false},    {3, 2, 2, true, 90817, true},    {3, 3, 1, false, 68921, false},
    {3, 3, 2, false, 185369, false},
};
}  // namespace

TEST_CASE("paxos: distinct states agree with the independent implementation") {
  for (const Row& r : kIndependent) {
    INFO("acceptors " << r.acceptors << " ballots " << r.ballots << " values " << r.values << (r.forget ? " forget-promise" : ""));
    AGREE_CHECK(agree::testing::counts(paxos::Paxos(r.acceptors, r.ballots, r.values, r.forget), r.states));
  }
}

TEST_CASE("paxos: agreement and validity hold, and a value can be chosen") {
  for (const Row& r : kIndependent)
    if (!r.forget) {
      INFO("acceptors " << r.acceptors << " ballots " << r.ballots << " values " << r.values);
      AGREE_CHECK(agree::testing::holds(paxos::Paxos(r.acceptors, r.ballots, r.values)));
    }
}

TEST_CASE("paxos: an acceptor that forgets its promise breaks agreement, with a trace that replays") {
  for (const Row& r : kIndependent)
    if (r.forget) {
      INFO("acceptors " << r.acceptors << " ballots " << r.ballots << " values " << r.values);
      const paxos::Paxos m(r.acceptors, r.ballots, r.values, true);
      agree::Options o;
      o.threads = 1;
      const agree::Result res = agree::check(m, o);
      CHECK((res.report.verdict == agree::Verdict::Violated) == r.agreement_violated);
      if (!r.agreement_violated) continue;
      REQUIRE(res.traces.size() == 1);
      CHECK(res.traces[0].property == "agreement");
      CHECK(agree::replay(m, agree::parse_trace(agree::to_text(res.traces[0]), "paxos.trace")).reproduced);
    }
  // SEMANTICS.md's scenario, step by step: two ballots promised by overlapping quorums, both proposed free.
  AGREE_CHECK(agree::testing::discovers(
      paxos::Paxos(3, 2, 2, true), "agreement",
      {"prepare(b0)", "prepare(b1)", "promise(a0, b0)", "promise(a1, b0)", "promise(a1, b1)", "promise(a2, b1)",
       "propose(b0, v0)", "propose(b1, v1)", "accept(a0, b0, v0)", "accept(a1, b0, v0)", "accept(a1, b1, v1)",
       "accept(a2, b1, v1)"}));
  // The same steps are not even possible in the correct variant: a1 refuses ballot 0 after promising 1.
  CHECK_FALSE(agree::testing::discovers(
                  paxos::Paxos(3, 2, 2), "agreement",
                  {"prepare(b0)", "prepare(b1)", "promise(a0, b0)", "promise(a1, b0)", "promise(a1, b1)", "promise(a2, b1)",
                   "propose(b0, v0)", "propose(b1, v1)", "accept(a0, b0, v0)", "accept(a1, b0, v0)"})
                  .ok);
}

TEST_CASE("paxos: random walks of three acceptors keep agreement") {
  CHECK(rc::check("paxos walks", [] { agree::testing::random_walk(paxos::Paxos(3, 3, 2), 40); }));
}
