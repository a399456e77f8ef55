// The ISIS model: every action on hand-built states, the variants, the
// contract's counts, the shortest counterexamples, random walks.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "agree/checker/explorer.hpp"
#include "agree/model/isis.hpp"
#include "test_util.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::isis::Isis;
using V = Isis::Variant;
namespace is = model::isis;

TEST_CASE("isis: multicast, propose, collect, agree", "[isis]") {
  const Isis p(2, 1, 0, V::Correct);
  auto s = p.init_states().front();
  CHECK(test::action_texts(p, s) == std::vector<std::string>{"multicast(m0)"});
  s = test::step(p, s, "multicast(m0)");
  CHECK(s.sending[0].status == is::Status::Collecting);
  CHECK(test::action_texts(p, s) == std::vector<std::string>{"propose(p0, m0)", "propose(p1, m0)"});
  s = test::run(p, s, {"propose(p1, m0)", "propose(p0, m0)"});
  CHECK(s.procs[1].proposed == 1);
  REQUIRE(s.procs[1].holdback.size() == 1);
  CHECK(s.procs[1].holdback[0].pr == is::Priority{1, 1});
  CHECK_FALSE(s.procs[1].holdback[0].deliverable);
  s = test::step(p, s, "collect(m0, p1, (1,p1))");
  CHECK(s.sending[0].heard == 0b10);
  CHECK(s.sending[0].status == is::Status::Collecting);
  s = test::step(p, s, "collect(m0, p0, (1,p0))");
  CHECK(s.sending[0].status == is::Status::Done);
  CHECK(s.sending[0].best == is::Priority{1, 1});  // (1,p1) > (1,p0): the tie-break
  s = test::step(p, s, "agree(p0, m0, (1,p1))");
  CHECK(s.procs[0].agreed == 1);
  CHECK(s.procs[0].delivered == std::vector<std::uint8_t>{0});
  CHECK(s.procs[0].holdback.empty());
}

TEST_CASE("isis: a proposal exceeds every number seen", "[isis]") {
  const Isis p(2, 2, 0, V::Correct);
  const auto s = test::run(p, {"multicast(m0)", "multicast(m1)", "propose(p0, m1)", "propose(p0, m0)"});
  CHECK(s.procs[0].proposed == 2);
  REQUIRE(s.procs[0].holdback.size() == 2);
  CHECK(s.procs[0].holdback[0].m == 1);  // sorted by priority: (1,p0) then (2,p0)
  CHECK(s.procs[0].holdback[1].pr == is::Priority{2, 0});
}

TEST_CASE("isis: delivery waits for the front of the queue", "[isis]") {
  const Isis p(2, 2, 0, V::Correct);
  // p0 holds m0 at (1,p0) and m1 at (2,p0); m1 is agreed first at (2,p1) but waits for m0.
  auto s = test::run(p, {"multicast(m0)", "multicast(m1)", "propose(p0, m0)", "propose(p0, m1)",
                         "propose(p1, m1)", "propose(p1, m0)", "collect(m1, p0, (2,p0))", "collect(m1, p1, (1,p1))"});
  s = test::step(p, s, "agree(p0, m1, (2,p0))");
  CHECK(s.procs[0].delivered.empty());
  CHECK(s.procs[0].holdback.back().deliverable);
  s = test::run(p, s, {"collect(m0, p0, (1,p0))", "collect(m0, p1, (2,p1))", "agree(p0, m0, (2,p1))"});
  CHECK(s.procs[0].delivered == std::vector<std::uint8_t>{1, 0});  // (2,p0) < (2,p1)
}

TEST_CASE("isis: no-tiebreak re-sorts stably by number alone", "[isis][variant]") {
  const Isis p(2, 2, 0, V::NoTiebreak);
  auto s = test::run(p, {"multicast(m0)", "multicast(m1)", "propose(p1, m0)", "propose(p1, m1)"});
  REQUIRE(s.procs[1].holdback.size() == 2);  // [m0 1, m1 2]
  s = test::run(p, s, {"propose(p0, m0)", "collect(m0, p0, 1)", "collect(m0, p1, 1)"});
  CHECK(s.sending[0].best == is::Priority{1, 0});
  // Raise m0 to 2 at p1? It agreed at 1; instead agree m1 first at 2: it stays behind m0.
  s = test::run(p, s, {"propose(p0, m1)", "collect(m1, p0, 2)", "collect(m1, p1, 2)", "agree(p1, m1, 2)"});
  CHECK(s.procs[1].delivered.empty());
  s = test::step(p, s, "agree(p1, m0, 1)");
  CHECK(s.procs[1].delivered == std::vector<std::uint8_t>{0, 1});
}

TEST_CASE("isis: no-tiebreak moves an entry right past smaller numbers only", "[isis][variant]") {
  const Isis p(2, 3, 0, V::NoTiebreak);
  auto s = p.init_states().front();
  auto& q = s.procs[0];
  q.holdback = {{{1, 0}, 0, false}, {{2, 0}, 1, false}, {{3, 0}, 2, false}};
  q.proposed = 3;
  s.network = {{is::Kind::Agreed, 0, 0, {3, 0}}};
  s.sending[0].status = is::Status::Done;
  s = test::step(p, s, "agree(p0, m0, 3)");
  REQUIRE(s.procs[0].holdback.size() == 3);
  CHECK(s.procs[0].holdback[0].m == 1);
  CHECK(s.procs[0].holdback[1].m == 0);  // stops before the equal number 3
  CHECK(s.procs[0].holdback[2].m == 2);
}

TEST_CASE("isis: eager-delivery delivers on Agreed at once", "[isis][variant]") {
  const Isis p(2, 2, 0, V::EagerDelivery);
  auto s = test::run(p, {"multicast(m0)", "multicast(m1)", "propose(p0, m0)", "propose(p0, m1)", "propose(p1, m1)",
                         "collect(m1, p0, (2,p0))", "collect(m1, p1, (1,p1))"});
  s = test::step(p, s, "agree(p0, m1, (2,p0))");
  CHECK(s.procs[0].delivered == std::vector<std::uint8_t>{1});
  CHECK(s.procs[0].holdback.size() == 1);  // m0 stays, not deliverable
}

TEST_CASE("isis: crash discards messages to the crashed process", "[isis][crash]") {
  const Isis p(3, 1, 1, V::Correct);
  auto s = test::run(p, {"multicast(m0)", "crash(p2)"});
  CHECK(s.network.size() == 2);  // Msg(m0) to p0 and p1 only
  CHECK_FALSE(test::has_action(p, s, "crash(p1)"));
  s = test::run(p, s, {"propose(p0, m0)", "propose(p1, m0)", "collect(m0, p0, (1,p0))", "collect(m0, p1, (1,p1))"});
  CHECK(s.sending[0].status == is::Status::Collecting);  // waits forever for p2
  CHECK(test::action_texts(p, s).empty());
  CHECK_FALSE(test::holds(p, s, "termination"));
}

TEST_CASE("isis: distinct-state counts follow protocols.md", "[isis][counts]") {
  // Cross-checked with the SPIN peer (shared/peers/spin, spin -o2, -DNOREDUCE).
  CHECK(test::count(Isis(3, 2, 0, V::Correct)) == 5'780);
  CHECK(test::count(Isis(2, 3, 0, V::Correct)) == 35'288);
  CHECK(test::count(Isis(2, 3, 0, V::NoTiebreak)) == 34'598);
  CHECK(test::count(Isis(2, 3, 0, V::EagerDelivery)) == 53'306);
  CHECK(test::count(Isis(3, 2, 1, V::Correct)) == 23'120);
}

TEST_CASE("isis: the broken variants fail with shortest, replayable counterexamples", "[isis][bfs]") {
  for (const auto v : {V::NoTiebreak, V::EagerDelivery}) {
    const Isis p(3, 2, 0, v);
    const auto r = checker::check(p, {});
    REQUIRE(r.verdict == checker::Verdict::Violated);
    CHECK(r.violations[0].property == "total-order");
    CHECK(r.violations[0].path.actions.size() == 16);  // SPIN's -i and BFS agree: 16 protocol steps
    CHECK(test::replays(p, r.violations[0]));
  }
  const Isis crashing(3, 2, 1, V::Correct);
  const auto r = checker::check(crashing, {});
  REQUIRE(r.verdict == checker::Verdict::Violated);
  CHECK(r.violations[0].property == "termination");
  CHECK(r.violations[0].path.actions.size() == 6);
  CHECK(test::replays(crashing, r.violations[0]));
}

TEST_CASE("isis: bfs and dfs, exact and fingerprints agree", "[isis][search]") {
  for (const auto v : {V::Correct, V::NoTiebreak}) {
    const Isis p(3, 2, 0, v);
    checker::Options o;
    o.keep_going = true;
    const auto bfs = checker::check(p, o);
    o.search = checker::Search::Dfs;
    const auto dfs = checker::check(p, o);
    o.exact = true;
    const auto exact = checker::check(p, o);
    CHECK(bfs.verdict == dfs.verdict);
    CHECK(bfs.distinct_states == dfs.distinct_states);
    CHECK(exact.distinct_states == bfs.distinct_states);
    CHECK(exact.collisions == 0);
  }
}

TEST_CASE("isis: random walks of the correct variant break no property", "[isis][rc]") {
  rc::prop("walks", [](const std::vector<std::size_t>& choices) {
    test::random_walk(Isis(3, 3, 0, V::Correct), choices);  // with a crash, termination fails by design
  });
}
