// The sequencer model: every action on hand-built states, the contract's
// counts, the shortest counterexamples, random walks.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "agree/checker/explorer.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/model/sequencer.hpp"
#include "test_util.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::sequencer::Sequencer;
using V = Sequencer::Variant;
namespace sq = model::sequencer;

TEST_CASE("sequencer: ask, grant, multicast and receive in order", "[sequencer]") {
  const Sequencer p(2, 1, 0, V::Correct);
  auto s = p.init_states().front();
  CHECK(test::action_texts(p, s) == std::vector<std::string>{"ask(m0)"});
  s = test::step(p, s, "ask(m0)");
  CHECK(s.status[0] == sq::Status::Asked);
  CHECK(test::action_texts(p, s) == std::vector<std::string>{"grant(m0)"});
  s = test::step(p, s, "grant(m0)");
  CHECK(s.next == 1);
  CHECK(test::action_texts(p, s) == std::vector<std::string>{"multicast(m0, t0)"});
  s = test::step(p, s, "multicast(m0, t0)");
  CHECK(s.status[0] == sq::Status::Sent);
  CHECK(test::action_texts(p, s) == std::vector<std::string>{"receive(p0, m0, t0)", "receive(p1, m0, t0)"});
  s = test::step(p, s, "receive(p1, m0, t0)");
  CHECK(s.members[1].delivered == std::vector<std::uint8_t>{0});
  CHECK(s.members[1].expected == 1);
  CHECK(s.members[0].delivered.empty());
}

TEST_CASE("sequencer: a member holds back a ticket until the earlier ones arrive", "[sequencer]") {
  const Sequencer p(1, 2, 0, V::Correct);
  auto s = test::run(p, {"ask(m0)", "ask(m1)", "grant(m1)", "grant(m0)", "multicast(m0, t1)", "receive(p0, m0, t1)"});
  CHECK(s.members[0].delivered.empty());
  CHECK(s.members[0].holdback.size() == 1);
  s = test::run(p, s, {"multicast(m1, t0)", "receive(p0, m1, t0)"});
  CHECK(s.members[0].delivered == std::vector<std::uint8_t>{1, 0});
  CHECK(s.members[0].holdback.empty());
  CHECK(s.members[0].expected == 2);
}

TEST_CASE("sequencer: no-holdback delivers on receipt", "[sequencer]") {
  const Sequencer p(1, 2, 0, V::NoHoldback);
  const auto s = test::run(p, {"ask(m0)", "ask(m1)", "grant(m1)", "grant(m0)", "multicast(m0, t1)", "receive(p0, m0, t1)"});
  CHECK(s.members[0].delivered == std::vector<std::uint8_t>{0});
}

TEST_CASE("sequencer: a crash discards messages to the crashed process, now and later", "[sequencer][crash]") {
  const Sequencer p(2, 2, 1, V::Correct);
  auto s = test::run(p, {"ask(m0)"});
  CHECK(test::has_action(p, s, "crash(s)"));
  s = test::step(p, s, "crash(s)");
  CHECK(s.network.empty());                       // the Request is gone
  CHECK(test::has_action(p, s, "ask(m1)"));       // ask stays enabled
  s = test::step(p, s, "ask(m1)");
  CHECK(s.network.empty());                       // and its Request is discarded
  CHECK_FALSE(test::has_action(p, s, "crash(p0)"));  // crash 1: no second crash
  // A grant to a sender that crashed since still uses up a ticket: a gap.
  auto g = test::run(p, {"ask(m0)", "crash(p0)", "grant(m0)"});
  CHECK(g.next == 1);
  CHECK(g.network.empty());
}

TEST_CASE("sequencer: properties on hand-built states", "[sequencer][properties]") {
  const Sequencer p(2, 2, 0, V::Correct);
  auto s = p.init_states().front();
  s.status = {sq::Status::Sent, sq::Status::Sent};
  s.members[0].delivered = {0, 1};
  s.members[1].delivered = {0};
  CHECK(test::holds(p, s, "total-order"));
  CHECK(test::holds(p, s, "integrity"));
  CHECK_FALSE(test::holds(p, s, "termination"));  // p1 misses m1
  s.members[1].delivered = {1};
  CHECK_FALSE(test::holds(p, s, "total-order"));
  s.members[1].delivered = {0, 0};
  CHECK_FALSE(test::holds(p, s, "integrity"));    // delivered twice
  s.members[1].delivered = {0, 1};
  CHECK(test::holds(p, s, "termination"));
  CHECK(test::holds(p, s, "all-delivered"));
  s.status[1] = sq::Status::Asked;
  CHECK_FALSE(test::holds(p, s, "integrity"));    // m1 delivered but never multicast
}

TEST_CASE("sequencer: distinct-state counts follow protocols.md", "[sequencer][counts]") {
  // Cross-checked with the SPIN peer (shared/peers/spin, spin -o2, -DNOREDUCE).
  CHECK(test::count(Sequencer(2, 2, 0, V::NoHoldback)) == 88);
  CHECK(test::count(Sequencer(3, 3, 0, V::Correct)) == 5'462);
  CHECK(test::count(Sequencer(3, 3, 0, V::NoHoldback)) == 24'932);
  CHECK(test::count(Sequencer(3, 3, 1, V::Correct)) == 27'310);
}

TEST_CASE("sequencer: verdicts and shortest counterexamples", "[sequencer][bfs]") {
  auto r = checker::check(Sequencer(3, 2, 0, V::Correct), {});
  CHECK(r.verdict == checker::Verdict::Holds);
  const Sequencer broken(3, 3, 0, V::NoHoldback);
  r = checker::check(broken, {});
  REQUIRE(r.verdict == checker::Verdict::Violated);
  CHECK(r.violations[0].property == "total-order");
  CHECK(r.violations[0].path.actions.size() == 8);  // two ask/grant/multicast chains, two receipts
  CHECK(test::replays(broken, r.violations[0]));
  const Sequencer crashing(2, 2, 1, V::Correct);
  r = checker::check(crashing, {});
  REQUIRE(r.verdict == checker::Verdict::Violated);
  CHECK(r.violations[0].property == "termination");
  CHECK(r.violations[0].path.actions.size() == 3);  // ask, ask, crash(s)
  CHECK(test::replays(crashing, r.violations[0]));
}

TEST_CASE("sequencer: random walks of the correct variant break no property", "[sequencer][rc]") {
  rc::prop("walks", [](const std::vector<std::size_t>& choices) {
    test::random_walk(Sequencer(3, 3, 0, V::Correct), choices);
  });
}
