// The twophase model (TwoPhase.tla): every action on hand-built states, the
// self-loops, consistency, the published counts, the eager-commit
// counterexample, random walks.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "agree/checker/explorer.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/model/twophase.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::twophase::RmState;
using model::twophase::State;
using model::twophase::TmState;
using model::twophase::TwoPhase;
using V = TwoPhase::Variant;

namespace {

std::vector<std::string> texts(const TwoPhase& p, const State& s) {
  std::vector<TwoPhase::Action> as;
  p.actions(s, as);
  std::vector<std::string> out;
  for (const auto& a : as) out.push_back(p.format_action(a));
  return out;
}

// The successor for the enabled action printed as `text` (nullopt: a self-loop).
std::optional<State> apply(const TwoPhase& p, const State& s, const std::string& text) {
  std::vector<TwoPhase::Action> as;
  p.actions(s, as);
  for (const auto& a : as)
    if (p.format_action(a) == text) return p.next_state(s, a);
  FAIL("'" << text << "' is not enabled");
  return std::nullopt;
}

State run(const TwoPhase& p, const std::vector<std::string>& steps) {
  State s = p.init_states().front();
  for (const auto& t : steps)
    if (auto n = apply(p, s, t)) s = *n;
  return s;
}

const properties::Property<State>& prop(const std::vector<properties::Property<State>>& ps, const std::string& name) {
  for (const auto& x : ps)
    if (x.name == name) return x;
  throw std::logic_error("no property " + name);
}

checker::Report check(const TwoPhase& p, bool keep_going = false) {
  checker::Options o;
  o.keep_going = keep_going;
  return checker::check(p, o);
}

}  // namespace

TEST_CASE("twophase: the initial state and the RM's own actions", "[twophase]") {
  const TwoPhase p(2, V::Correct);
  const auto inits = p.init_states();
  REQUIRE(inits.size() == 1);
  const State& s0 = inits.front();
  CHECK(p.format_init(s0) == "initial");
  CHECK(s0.rm == std::vector<RmState>{RmState::Working, RmState::Working});
  CHECK(texts(p, s0) == std::vector<std::string>{"TMAbort", "RMPrepare(r1)", "RMChooseToAbort(r1)", "RMPrepare(r2)",
                                                 "RMChooseToAbort(r2)"});
  // RMPrepare: working -> prepared, Prepared(r) into msgs.
  const auto s1 = apply(p, s0, "RMPrepare(r2)");
  REQUIRE(s1);
  CHECK(s1->rm[1] == RmState::Prepared);
  CHECK(s1->msg_prepared == 0b10);
  CHECK(s1->tm_prepared == 0);
  // RMChooseToAbort: working -> aborted, no message.
  const auto s2 = apply(p, s0, "RMChooseToAbort(r1)");
  REQUIRE(s2);
  CHECK(s2->rm[0] == RmState::Aborted);
  CHECK(s2->msg_prepared == 0);
  CHECK(texts(p, *s2) == std::vector<std::string>{"TMAbort", "RMPrepare(r2)", "RMChooseToAbort(r2)"});
}

TEST_CASE("twophase: the TM collects Prepared, commits only when all are in", "[twophase]") {
  const TwoPhase p(2, V::Correct);
  State s = run(p, {"RMPrepare(r1)", "RMPrepare(r2)"});
  CHECK(texts(p, s) ==
        std::vector<std::string>{"TMAbort", "TMRcvPrepared(r1)", "TMRcvPrepared(r2)"});
  s = run(p, {"RMPrepare(r1)", "RMPrepare(r2)", "TMRcvPrepared(r1)"});
  CHECK(s.tm_prepared == 0b01);
  // A second receipt of Prepared(r1) changes nothing: a self-loop.
  CHECK_FALSE(apply(p, s, "TMRcvPrepared(r1)"));
  CHECK(texts(p, s).front() == "TMAbort");  // no TMCommit yet
  s = *apply(p, s, "TMRcvPrepared(r2)");
  CHECK(texts(p, s).front() == "TMCommit");
  s = *apply(p, s, "TMCommit");
  CHECK(s.tm == TmState::Committed);
  CHECK(s.msg_commit);
  // The TM is done; each RM may (re)receive Commit, forever.
  CHECK(texts(p, s) == std::vector<std::string>{"RMRcvCommitMsg(r1)", "RMRcvCommitMsg(r2)"});
  s = *apply(p, s, "RMRcvCommitMsg(r2)");
  CHECK(s.rm[1] == RmState::Committed);
  CHECK_FALSE(apply(p, s, "RMRcvCommitMsg(r2)"));  // self-loop at a committed RM
  CHECK(texts(p, s) == std::vector<std::string>{"RMRcvCommitMsg(r1)", "RMRcvCommitMsg(r2)"});
}

TEST_CASE("twophase: TMAbort and RMRcvAbortMsg", "[twophase]") {
  const TwoPhase p(2, V::Correct);
  State s = run(p, {"RMPrepare(r1)", "TMAbort"});
  CHECK(s.tm == TmState::Aborted);
  CHECK(s.msg_abort);
  // No TMRcvPrepared after the TM decided; r2 can still prepare or abort by itself.
  CHECK(texts(p, s) == std::vector<std::string>{"RMRcvAbortMsg(r1)", "RMPrepare(r2)", "RMChooseToAbort(r2)",
                                                "RMRcvAbortMsg(r2)"});
  s = *apply(p, s, "RMRcvAbortMsg(r1)");
  CHECK(s.rm[0] == RmState::Aborted);
  CHECK_FALSE(apply(p, s, "RMRcvAbortMsg(r1)"));  // self-loop
  s = *apply(p, s, "RMChooseToAbort(r2)");
  CHECK_FALSE(apply(p, s, "RMRcvAbortMsg(r2)"));  // already aborted: self-loop
}

TEST_CASE("twophase: eager-commit commits on one Prepared", "[twophase][variant]") {
  const TwoPhase p(2, V::EagerCommit);
  State s = run(p, {"RMPrepare(r1)"});
  CHECK(texts(p, s).front() == "TMAbort");  // tmPrepared still empty
  s = *apply(p, s, "TMRcvPrepared(r1)");
  CHECK(texts(p, s).front() == "TMCommit");
}

TEST_CASE("twophase: consistency, commit-reached and abort-reached on hand-built states", "[twophase][properties]") {
  const TwoPhase p(3, V::Correct);
  const auto ps = p.properties();
  const auto& consistency = prop(ps, "consistency");
  const auto& commit = prop(ps, "commit-reached");
  const auto& abort = prop(ps, "abort-reached");
  CHECK(consistency.expectation == properties::Expectation::Always);
  CHECK(commit.expectation == properties::Expectation::Sometimes);
  State s = p.init_states().front();
  CHECK(consistency.holds(s));
  s.rm = {RmState::Committed, RmState::Prepared, RmState::Working};
  CHECK(consistency.holds(s));
  CHECK_FALSE(commit.holds(s));
  s.rm = {RmState::Committed, RmState::Prepared, RmState::Aborted};
  CHECK_FALSE(consistency.holds(s));
  s.rm = {RmState::Aborted, RmState::Prepared, RmState::Aborted};
  CHECK(consistency.holds(s));
  CHECK_FALSE(abort.holds(s));
  s.rm.assign(3, RmState::Aborted);
  CHECK(abort.holds(s));
  s.rm.assign(3, RmState::Committed);
  CHECK(commit.holds(s));
  CHECK(consistency.holds(s));
  // No terminal-state property: twophase never deadlocks.
  for (const auto& x : ps) CHECK(x.expectation != properties::Expectation::Terminal);
}

TEST_CASE("twophase: distinct states for rms 1..7, as TwoPhase.tla", "[twophase][counts]") {
  const std::uint64_t want[] = {12, 56, 288, 1'568, 8'832, 50'816, 296'448};
  for (int k = 1; k <= 7; ++k) {
    const auto r = check(TwoPhase(k, V::Correct));
    INFO("rms " << k);
    CHECK(r.verdict == checker::Verdict::Holds);
    CHECK(r.distinct_states == want[k - 1]);
    CHECK(r.terminal_states == 0);  // never a deadlock: the receives stay enabled
    REQUIRE(r.reachability.size() == 2);
    CHECK(r.reachability[0].reached);
    CHECK(r.reachability[1].reached);
  }
}

TEST_CASE("twophase: eager-commit, every state explored", "[twophase][counts][variant]") {
  const std::uint64_t want[] = {12, 76, 498, 3'328, 22'482, 152'776};
  for (int k = 1; k <= 6; ++k) {
    const auto r = check(TwoPhase(k, V::EagerCommit), true);
    INFO("rms " << k);
    CHECK(r.distinct_states == want[k - 1]);
    CHECK(r.terminal_states == 0);
    // One RM cannot disagree with itself.
    CHECK(r.verdict == (k == 1 ? checker::Verdict::Holds : checker::Verdict::Violated));
  }
}

TEST_CASE("twophase: eager-commit breaks consistency in 5 steps", "[twophase][variant]") {
  const TwoPhase p(3, V::EagerCommit);
  const auto r = check(p);
  REQUIRE(r.verdict == checker::Verdict::Violated);
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].property == "consistency");
  const auto t = counterexamples::make_trace(p, "rms=3 variant=eager-commit", r.violations[0]);
  CHECK(t.steps == std::vector<std::string>{"RMPrepare(r1)", "TMRcvPrepared(r1)", "TMCommit", "RMRcvCommitMsg(r1)",
                                            "RMChooseToAbort(r2)"});
  CHECK(counterexamples::replay(p, t, "<test>", nullptr).reproduced);
}

TEST_CASE("twophase: random walks of the correct protocol keep consistency", "[twophase][random]") {
  rc::prop("every state on a random walk is consistent and has a successor", [](const std::vector<unsigned>& picks) {
    const int k = *rc::gen::inRange(1, 6);
    const TwoPhase p(k, V::Correct);
    const auto ps = p.properties();
    State s = p.init_states().front();
    std::vector<TwoPhase::Action> enabled;
    for (const unsigned pick : picks) {
      enabled.clear();
      p.actions(s, enabled);
      RC_ASSERT(!enabled.empty());
      if (auto n = p.next_state(s, enabled[pick % enabled.size()])) s = *n;
      RC_ASSERT(prop(ps, "consistency").holds(s));
    }
  });
}
