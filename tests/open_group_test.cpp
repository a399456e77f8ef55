// Open groups (protocols.md §Open groups, parameter `senders`): sequencer and
// isis with senders o0..o(S-1) outside the group. Every action on hand-built
// states, the properties over the members, the counts (crash 0 against the
// closed group of the same size, as protocols.md says they must be; with
// crashes against tests/independent/counts.py, written from protocols.md
// alone: COUNTS.md), the broken variants still caught, random walks.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "agree/checker/explorer.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/params.hpp"
#include "agree/model/sequencer.hpp"
#include "test_util.hpp"

using model::isis::Isis;
using model::sequencer::Sequencer;
using SV = Sequencer::Variant;
using IV = Isis::Variant;

TEST_CASE("open sequencer: a sender outside the group asks, and sends Data to the members only", "[sequencer][open]") {
  const Sequencer p(2, 2, 1, SV::Correct, 1);  // members p0, p1; o0 multicasts m0 and m1
  CHECK(p.sender(0) == p.sender(1));
  auto s = p.init_states().front();
  CHECK(s.crashed.size() == 4);  // p0, p1, s, o0
  CHECK(test::action_texts(p, s) ==
        std::vector<std::string>{"ask(m0)", "ask(m1)", "crash(p0)", "crash(p1)", "crash(s)", "crash(o0)"});
  s = test::run(p, s, {"ask(m0)", "grant(m0)", "multicast(m0, t0)"});
  REQUIRE(s.network.size() == 2);  // Data(m0, t0) to p0 and p1, none to o0
  for (const auto& msg : s.network) CHECK(msg.to < 2);
  s = test::run(p, s, {"receive(p0, m0, t0)", "receive(p1, m0, t0)"});
  CHECK(s.members[0].delivered == std::vector<std::uint8_t>{0});
  CHECK(s.members[1].delivered == std::vector<std::uint8_t>{0});
  CHECK(p.describe(s).front().second == "t1");
}

TEST_CASE("open sequencer: a crashed sender's message is excused, a crashed member's is not", "[sequencer][open][crash]") {
  const Sequencer p(2, 1, 1, SV::Correct, 1);
  auto s = test::run(p, {"ask(m0)", "crash(o0)", "grant(m0)"});  // the Grant to o0 is discarded
  CHECK(s.network.empty());
  CHECK(test::action_texts(p, s).empty());
  CHECK(test::holds(p, s, "termination"));  // nobody delivered m0 and its sender is dead
  // A Grant already in flight to a sender that crashes is dropped as well.
  s = test::run(p, {"ask(m0)", "grant(m0)", "crash(o0)"});
  CHECK(s.network.empty());
  CHECK(test::holds(p, s, "termination"));
  // The sequencer's crash blocks a live sender's message: termination fails.
  s = test::run(p, {"ask(m0)", "crash(s)"});
  CHECK(test::action_texts(p, s).empty());
  CHECK_FALSE(test::holds(p, s, "termination"));
}

TEST_CASE("open isis: one member, two senders outside", "[isis][open]") {
  const Isis p(1, 2, 0, IV::Correct, 2);  // member p0; o0 sends m0, o1 sends m1
  auto s = p.init_states().front();
  CHECK(s.procs.size() == 1);
  CHECK(s.crashed.size() == 3);
  s = test::run(p, s, {"multicast(m0)"});
  REQUIRE(s.network.size() == 1);  // Msg(m0) to p0 only
  s = test::run(p, s, {"propose(p0, m0)", "collect(m0, p0, (1,p0))"});
  CHECK(s.sending[0].status == model::isis::Status::Done);  // heard holds every member: p0
  s = test::run(p, s, {"agree(p0, m0, (1,p0))"});
  CHECK(s.procs[0].delivered == std::vector<std::uint8_t>{0});
  CHECK(test::has_action(p, s, "multicast(m1)"));
}

TEST_CASE("open isis: the senders collect every member's proposal, crashed ones included", "[isis][open][crash]") {
  const Isis p(2, 1, 1, IV::Correct, 1);
  auto s = test::run(p, {"multicast(m0)", "crash(p1)", "propose(p0, m0)", "collect(m0, p0, (1,p0))"});
  CHECK(s.sending[0].status == model::isis::Status::Collecting);  // waits for p1 forever
  CHECK(test::action_texts(p, s).empty());
  CHECK_FALSE(test::holds(p, s, "termination"));
  // With one member, its crash leaves nobody to wait for.
  const Isis one(1, 1, 1, IV::Correct, 1);
  s = test::run(one, {"multicast(m0)", "crash(p0)"});
  CHECK(test::action_texts(one, s).empty());
  CHECK(test::holds(one, s, "termination"));
  // A crashed sender: its Proposal is discarded, the members never deliver, and that is excused.
  s = test::run(p, {"multicast(m0)", "crash(o0)", "propose(p0, m0)", "propose(p1, m0)"});
  CHECK(s.network.empty());
  CHECK(test::holds(p, s, "termination"));
}

TEST_CASE("open groups: a closed isis group needs two processes, an open one one", "[isis][open][params]") {
  model::Params params(Isis::param_specs());
  params.set_all("procs=1 msgs=1");
  CHECK_THROWS_WITH(Isis(params), "procs: 1 is out of range 2..16 for a closed group (senders 0)");
  params.set("senders", "1");
  CHECK_NOTHROW(Isis(params));
  CHECK(params.to_string() == "procs=1 msgs=1 crash=0 variant=correct senders=1");
  params.set("senders", "0");
  CHECK(params.to_string() == "procs=1 msgs=1 crash=0 variant=correct");  // the closed group's text, as before
}

TEST_CASE("open groups: with crash 0 they count exactly as the closed group of the same size", "[open][counts]") {
  // protocols.md §Consequences: a process's sender and member fields never interact.
  for (int n = 1; n <= 3; ++n)
    for (int m = 1; m <= 2; ++m)
      for (int o = 1; o <= 2; ++o) {
        INFO("procs " << n << " msgs " << m << " senders " << o);
        for (const auto v : {SV::Correct, SV::NoHoldback})
          CHECK(test::count(Sequencer(n, m, 0, v, o)) == test::count(Sequencer(n, m, 0, v)));
        if (n >= 2)
          for (const auto v : {IV::Correct, IV::NoTiebreak, IV::EagerDelivery})
            CHECK(test::count(Isis(n, m, 0, v, o)) == test::count(Isis(n, m, 0, v)));
      }
}

TEST_CASE("open groups: with crashes the counts are tests/independent/counts.py's", "[open][counts]") {
  // tests/independent/COUNTS.md (ctest "independent: counts" reruns all of it).
  CHECK(test::count(Sequencer(2, 2, 1, SV::Correct, 1)) == 369);
  CHECK(test::count(Sequencer(3, 2, 2, SV::Correct, 2)) == 4'443);
  CHECK(test::count(Sequencer(3, 2, 1, SV::NoHoldback, 2)) == 2'174);
  CHECK(test::count(Isis(1, 2, 1, IV::Correct, 1)) == 102);
  CHECK(test::count(Isis(2, 2, 1, IV::Correct, 2)) == 2'180);
  CHECK(test::count(Isis(3, 2, 2, IV::Correct, 2)) == 92'480);
  CHECK(test::count(Isis(3, 2, 1, IV::NoTiebreak, 2)) == 34'584);
  CHECK(test::count(Isis(3, 2, 1, IV::EagerDelivery, 1)) == 32'380);
}

TEST_CASE("open groups: the broken variants are still caught, by replayable counterexamples", "[open][bfs]") {
  const Sequencer holdback(2, 2, 0, SV::NoHoldback, 2);
  auto r = checker::check(holdback, {});
  REQUIRE(r.verdict == checker::Verdict::Violated);
  CHECK(r.violations[0].property == "total-order");
  CHECK(test::replays(holdback, r.violations[0]));
  for (const auto v : {IV::NoTiebreak, IV::EagerDelivery}) {
    const Isis p(2, 2, 0, v, 2);  // the course notes' group {P3, P4} and its senders P1, P2
    r = checker::check(p, {});
    REQUIRE(r.verdict == checker::Verdict::Violated);
    CHECK(r.violations[0].property == "total-order");
    CHECK(test::replays(p, r.violations[0]));
  }
  CHECK(checker::check(Isis(2, 2, 0, IV::Correct, 2), {}).verdict == checker::Verdict::Holds);
}

TEST_CASE("open groups: random walks of the correct variants break no property", "[open][rc]") {
  rc::prop("sequencer", [](const std::vector<std::size_t>& choices) {
    test::random_walk(Sequencer(3, 3, 0, SV::Correct, 2), choices);
  });
  rc::prop("isis", [](const std::vector<std::size_t>& choices) {
    test::random_walk(Isis(2, 3, 0, IV::Correct, 2), choices);
  });
  rc::prop("isis with one member that may crash", [](const std::vector<std::size_t>& choices) {
    test::random_walk(Isis(1, 3, 1, IV::Correct, 1), choices);  // one sender too: termination holds (COUNTS.md)
  });
}
