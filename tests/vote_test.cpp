// The vote model: every action on hand-built states, the decision rules, the
// properties, the counts (crash 0 by formula, crash > 0 against an independent
// brute force), the agreement counterexample, random walks; and the replay of
// every known counterexample of vote, floodset and twophase.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <set>

#include "agree/checker/explorer.hpp"
#include "agree/cli/registry.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/vote.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

using model::vote::Proc;
using model::vote::State;
using model::vote::Vote;
using model::vote::VoteProtocol;
using Rule = VoteProtocol::Rule;

namespace {

constexpr auto P = Vote::Proceed;
constexpr auto A = Vote::Abort;

std::vector<std::string> texts(const VoteProtocol& p, const State& s) {
  std::vector<VoteProtocol::Action> as;
  p.actions(s, as);
  std::vector<std::string> out;
  for (const auto& a : as) out.push_back(p.format_action(a));
  return out;
}

State step(const VoteProtocol& p, const State& s, const std::string& text) {
  std::vector<VoteProtocol::Action> as;
  p.actions(s, as);
  for (const auto& a : as)
    if (p.format_action(a) == text) {
      auto n = p.next_state(s, a);
      REQUIRE(n);
      return *n;
    }
  FAIL("'" << text << "' is not enabled");
  return s;
}

State run(const VoteProtocol& p, State s, const std::vector<std::string>& steps) {
  for (const auto& t : steps) s = step(p, s, t);
  return s;
}

// The initial state with these votes.
State init(const VoteProtocol& p, const std::string& votes) {
  for (const auto& s : p.init_states())
    if (p.format_init(s) == "votes=" + votes) return s;
  throw std::logic_error("no initial state " + votes);
}

const properties::Property<State>& prop(const std::vector<properties::Property<State>>& ps, const std::string& name) {
  for (const auto& x : ps)
    if (x.name == name) return x;
  throw std::logic_error("no property " + name);
}

checker::Report check(const VoteProtocol& p, bool keep_going = false) {
  checker::Options o;
  o.keep_going = keep_going;
  return checker::check(p, o);
}

// An independent brute force of protocols.md §vote: a state is a vector of
// small integers (votes as bits, sent/crashed as bit sets, the network as the
// N*N bit set of (sender, receiver) pairs, per process the bit set of senders
// counted and the decision), explored with a std::set.
std::uint64_t brute_force_vote(int n, bool unanimous, int f, bool quorum_all = false) {
  const int quorum = quorum_all ? n : n - f;
  using S = std::vector<int>;  // votes, sent, crashed, network, recv[n], dec[n] (-1, 0 proceed, 1 abort)
  const int kVotes = 0, kSent = 1, kCrashed = 2, kNet = 3, kRecv = 4, kDec = 4 + n;
  std::set<S> seen;
  std::vector<S> todo;
  for (int votes = 0; votes < (1 << n); ++votes) {
    S s(static_cast<std::size_t>(4 + 2 * n), 0);
    s[kVotes] = votes;
    for (int q = 0; q < n; ++q) s[static_cast<std::size_t>(kDec + q)] = -1;
    if (seen.insert(s).second) todo.push_back(s);
  }
  auto at = [](S& s, int i) -> int& { return s[static_cast<std::size_t>(i)]; };
  while (!todo.empty()) {
    S s = todo.back();
    todo.pop_back();
    std::vector<S> next;
    for (int p = 0; p < n; ++p) {
      if ((s[kCrashed] >> p & 1) || (s[kSent] >> p & 1)) continue;
      S t = s;
      at(t, kSent) |= 1 << p;
      for (int q = 0; q < n; ++q)
        if (!(s[kCrashed] >> q & 1)) at(t, kNet) |= 1 << (p * n + q);
      next.push_back(t);
    }
    for (int p = 0; p < n; ++p)
      for (int q = 0; q < n; ++q) {
        if (!(s[kNet] >> (p * n + q) & 1)) continue;
        S t = s;
        at(t, kNet) &= ~(1 << (p * n + q));
        if (at(t, kDec + q) < 0) {
          at(t, kRecv + q) |= 1 << p;
          const int counted = at(t, kRecv + q);
          if (std::popcount(static_cast<unsigned>(counted)) == quorum) {
            const int aborts = std::popcount(static_cast<unsigned>(counted & s[kVotes]));
            const int proceeds = quorum - aborts;
            at(t, kDec + q) = unanimous ? (aborts == 0 ? 0 : 1) : (proceeds > aborts ? 0 : 1);
          }
        }
        next.push_back(t);
      }
    if (std::popcount(static_cast<unsigned>(s[kCrashed])) < f)
      for (int p = 0; p < n; ++p) {
        if (s[kCrashed] >> p & 1) continue;
        S t = s;
        at(t, kCrashed) |= 1 << p;
        for (int x = 0; x < n; ++x) at(t, kNet) &= ~(1 << (x * n + p));
        next.push_back(t);
      }
    for (auto& t : next)
      if (seen.insert(t).second) todo.push_back(std::move(t));
  }
  return seen.size();
}

}  // namespace

TEST_CASE("vote: 2^N initial states, named by their votes", "[vote]") {
  const VoteProtocol p(3, Rule::Majority, 0);
  const auto inits = p.init_states();
  REQUIRE(inits.size() == 8);
  CHECK(p.format_init(inits[0]) == "votes=proceed,proceed,proceed");
  CHECK(p.format_init(inits[1]) == "votes=proceed,proceed,abort");
  CHECK(p.format_init(inits[5]) == "votes=abort,proceed,abort");
  CHECK(p.format_init(inits[7]) == "votes=abort,abort,abort");
  for (const auto& s : inits) {
    CHECK(s.network.empty());
    for (const Proc& x : s.procs) {
      CHECK_FALSE(x.sent);
      CHECK_FALSE(x.decision);
      CHECK(x.received == std::vector<std::optional<Vote>>(3));
    }
  }
  CHECK(texts(p, inits[0]) == std::vector<std::string>{"broadcast(p0)", "broadcast(p1)", "broadcast(p2)"});
}

TEST_CASE("vote: broadcast sends the vote to every process, itself included", "[vote]") {
  const VoteProtocol p(2, Rule::Majority, 0);
  const State s = step(p, init(p, "abort,proceed"), "broadcast(p0)");
  CHECK(s.procs[0].sent);
  CHECK(s.network == std::vector<model::vote::Message>{{0, 0, A}, {0, 1, A}});
  CHECK(texts(p, s) == std::vector<std::string>{"broadcast(p1)", "tally(p0, p0, abort)", "tally(p1, p0, abort)"});
}

TEST_CASE("vote: tally records a vote and decides on the N - F-th", "[vote]") {
  const VoteProtocol p(3, Rule::Majority, 0);
  State s = run(p, init(p, "proceed,abort,proceed"),
                {"broadcast(p0)", "broadcast(p1)", "broadcast(p2)", "tally(p2, p1, abort)"});
  CHECK(s.procs[2].received == std::vector<std::optional<Vote>>{std::nullopt, A, std::nullopt});
  CHECK_FALSE(s.procs[2].decision);
  s = step(p, s, "tally(p2, p0, proceed)");
  CHECK_FALSE(s.procs[2].decision);
  s = step(p, s, "tally(p2, p2, proceed)");
  CHECK(s.procs[2].decision == P);  // 2 proceed > 1 abort
  CHECK(s.network.size() == 6);
}

TEST_CASE("vote: majority ties abort; unanimous needs every counted vote", "[vote]") {
  const VoteProtocol maj(2, Rule::Majority, 0);
  State s = run(maj, init(maj, "proceed,abort"),
                {"broadcast(p0)", "broadcast(p1)", "tally(p0, p0, proceed)", "tally(p0, p1, abort)"});
  CHECK(s.procs[0].decision == A);
  const VoteProtocol una(3, Rule::Unanimous, 0);
  CHECK(una.decide({P, P, P}) == P);
  CHECK(una.decide({P, A, P}) == A);
  const VoteProtocol maj3(3, Rule::Majority, 1);
  CHECK(maj3.decide({P, std::nullopt, A}) == A);  // a tie of two
  CHECK(maj3.decide({P, P, std::nullopt}) == P);
}

TEST_CASE("vote: after deciding, a vote is consumed and not recorded", "[vote]") {
  const VoteProtocol p(3, Rule::Majority, 1);  // decides on 2 votes
  State s = run(p, init(p, "proceed,proceed,abort"),
                {"broadcast(p0)", "broadcast(p1)", "broadcast(p2)", "tally(p0, p0, proceed)", "tally(p0, p1, proceed)"});
  CHECK(s.procs[0].decision == P);
  const auto before = s.procs[0];
  s = step(p, s, "tally(p0, p2, abort)");
  CHECK(s.procs[0] == before);
  CHECK(std::none_of(s.network.begin(), s.network.end(), [](const auto& m) { return m.to == 0; }));
}

TEST_CASE("vote: crash discards messages to the crashed process, now and later", "[vote]") {
  const VoteProtocol p(3, Rule::Majority, 1);
  State s = run(p, init(p, "proceed,proceed,proceed"), {"broadcast(p0)"});
  CHECK(texts(p, s).back() == "crash(p2)");
  s = step(p, s, "crash(p1)");
  CHECK(s.procs[1].crashed);
  CHECK(s.network == std::vector<model::vote::Message>{{0, 0, P}, {0, 2, P}});
  // p1 takes no step; nobody else may crash (F = 1); p2's broadcast skips p1.
  CHECK(texts(p, s) == std::vector<std::string>{"broadcast(p2)", "tally(p0, p0, proceed)", "tally(p2, p0, proceed)"});
  s = step(p, s, "broadcast(p2)");
  CHECK(s.network.size() == 4);
  CHECK(std::none_of(s.network.begin(), s.network.end(), [](const auto& m) { return m.to == 1; }));
  // A message p1 sent before crashing stays in flight.
  const VoteProtocol q(2, Rule::Majority, 1);
  const State t = run(q, init(q, "abort,abort"), {"broadcast(p0)", "crash(p0)"});
  CHECK(t.network == std::vector<model::vote::Message>{{0, 1, A}});
}

TEST_CASE("vote: crash must stay below procs", "[vote][params]") {
  model::Params params(VoteProtocol::param_specs());
  params.set_all("procs=2 crash=2");
  CHECK_THROWS_AS(VoteProtocol(params), model::ParamError);
  params.set_all("procs=3 crash=2 rule=unanimous");
  CHECK_NOTHROW(VoteProtocol(params));
}

TEST_CASE("vote: agreement, validity, termination on hand-built states", "[vote][properties]") {
  const VoteProtocol p(3, Rule::Majority, 1);
  const auto ps = p.properties();
  const auto& agreement = prop(ps, "agreement");
  const auto& validity = prop(ps, "validity");
  const auto& termination = prop(ps, "termination");
  const auto& some = prop(ps, "some-decision");
  CHECK(termination.expectation == properties::Expectation::Terminal);
  State s = init(p, "proceed,proceed,abort");
  CHECK(agreement.holds(s));
  CHECK(validity.holds(s));
  CHECK_FALSE(termination.holds(s));
  CHECK_FALSE(some.holds(s));
  s.procs[0].decision = P;
  CHECK(agreement.holds(s));
  CHECK(some.holds(s));
  s.procs[2].decision = A;
  CHECK_FALSE(agreement.holds(s));
  s.procs[2].crashed = true;  // crashed processes count for agreement
  CHECK_FALSE(agreement.holds(s));
  CHECK(validity.holds(s));  // the votes differ: validity says nothing
  s.procs[2].decision = P;
  s.procs[1].decision = P;
  CHECK(termination.holds(s));  // every alive process decided
  s.procs[1].decision.reset();
  CHECK_FALSE(termination.holds(s));
  s.procs[1].crashed = true;
  CHECK(termination.holds(s));
  State u = init(p, "abort,abort,abort");
  u.procs[1].decision = A;
  CHECK(validity.holds(u));
  u.procs[2].decision = P;
  CHECK_FALSE(validity.holds(u));
}

TEST_CASE("vote: crash 0 has 2^N (1 + 2^N)^N states and agrees", "[vote][counts]") {
  const std::uint64_t want[] = {6, 100, 5'832};
  for (const Rule rule : {Rule::Majority, Rule::Unanimous})
    for (int n = 1; n <= 3; ++n) {
      INFO("procs " << n);
      const auto r = check(VoteProtocol(n, rule, 0));
      CHECK(r.verdict == checker::Verdict::Holds);
      CHECK(r.distinct_states == want[n - 1]);
      CHECK(r.reachability.at(0).reached);
    }
}

TEST_CASE("vote: crash 0 with four processes", "[vote][counts][long]") {
  const auto r = check(VoteProtocol(4, Rule::Majority, 0));
  CHECK(r.verdict == checker::Verdict::Holds);
  CHECK(r.distinct_states == 1'336'336);  // 16 * 17^4
}

TEST_CASE("vote: with crashes, the counts match an independent brute force", "[vote][counts]") {
  struct Row {
    int n;
    Rule rule;
    int f;
    std::uint64_t states;
  };
  const Row rows[] = {{2, Rule::Majority, 1, 328},    {2, Rule::Unanimous, 1, 328},  {3, Rule::Majority, 1, 31'744},
                      {3, Rule::Unanimous, 1, 31'744}, {3, Rule::Majority, 2, 51'832}, {1, Rule::Majority, 0, 6},
                      {2, Rule::Majority, 0, 100}};
  for (const auto& row : rows) {
    INFO("procs " << row.n << " crash " << row.f << (row.rule == Rule::Majority ? " majority" : " unanimous"));
    const auto r = check(VoteProtocol(row.n, row.rule, row.f), true);
    CHECK(r.distinct_states == row.states);
    CHECK(brute_force_vote(row.n, row.rule == Rule::Unanimous, row.f) == row.states);
    // Quorums of N - F differ as soon as F > 0 and N > 1; validity and termination always hold.
    REQUIRE(r.violations.size() == (row.f > 0 ? 1u : 0u));
    if (row.f > 0) CHECK(r.violations[0].property == "agreement");
  }
}

TEST_CASE("vote: quorum all keeps agreement and loses termination to one crash", "[vote][counts][quorum]") {
  // Waiting for every vote: all decide on the same N votes, so no two decide
  // differently; a process that crashes before its broadcast leaves everyone
  // waiting. The counts: the brute force above and tests/independent/counts.py
  // (COUNTS.md: 300, 23,328 and 40,824), both written from protocols.md.
  struct Row {
    int n;
    Rule rule;
    int f;
    std::uint64_t states;
  };
  const Row rows[] = {{2, Rule::Majority, 1, 300},     {2, Rule::Unanimous, 1, 300}, {3, Rule::Majority, 1, 23'328},
                      {3, Rule::Unanimous, 2, 40'824}, {3, Rule::Majority, 0, 5'832}};
  for (const auto& row : rows) {
    INFO("procs " << row.n << " crash " << row.f << (row.rule == Rule::Majority ? " majority" : " unanimous"));
    const VoteProtocol p(row.n, row.rule, row.f, VoteProtocol::Quorum::All);
    CHECK(p.quorum_size() == row.n);
    const auto r = check(p, true);
    CHECK(r.distinct_states == row.states);
    CHECK(brute_force_vote(row.n, row.rule == Rule::Unanimous, row.f, true) == row.states);
    REQUIRE(r.violations.size() == (row.f > 0 ? 1u : 0u));
    if (row.f > 0) CHECK(r.violations[0].property == "termination");
  }
}

TEST_CASE("vote: quorum all waits for the N-th vote", "[vote][quorum]") {
  const VoteProtocol p(3, Rule::Majority, 1, VoteProtocol::Quorum::All);
  State s = p.init_states()[1];  // votes proceed, proceed, abort
  for (int x = 0; x < 3; ++x) s = *p.next_state(s, model::vote::Broadcast{x});
  s = *p.next_state(s, model::vote::Tally{0, 0, Vote::Proceed});
  s = *p.next_state(s, model::vote::Tally{0, 1, Vote::Proceed});
  CHECK_FALSE(s.procs[0].decision);  // two of three: n-f would decide here, all waits
  s = *p.next_state(s, model::vote::Tally{0, 2, Vote::Abort});
  CHECK(s.procs[0].decision == Vote::Proceed);
  const VoteProtocol q(3, Rule::Majority, 1);
  CHECK(q.quorum_size() == 2);
}

TEST_CASE("vote: majority with one crash disagrees in 7 steps", "[vote]") {
  const VoteProtocol p(3, Rule::Majority, 1);
  const auto r = check(p);
  REQUIRE(r.verdict == checker::Verdict::Violated);
  CHECK(r.violations[0].property == "agreement");
  const auto t = counterexamples::make_trace(p, "procs=3 rule=majority crash=1", r.violations[0]);
  CHECK(t.init == "votes=proceed,proceed,abort");
  // p0 counts {p0, p1}: proceed; p1 counts {p0, p2}: a tie, abort.
  CHECK(t.steps == std::vector<std::string>{"broadcast(p0)", "broadcast(p1)", "broadcast(p2)", "tally(p0, p0, proceed)",
                                            "tally(p1, p0, proceed)", "tally(p0, p1, proceed)", "tally(p1, p2, abort)"});
  CHECK(counterexamples::replay(p, t, "<test>", nullptr).reproduced);
}

TEST_CASE("vote: random walks without crashes never break a property", "[vote][random]") {
  rc::prop("agreement and validity on every state, termination at the end", [](const std::vector<unsigned>& picks) {
    const int n = *rc::gen::inRange(1, 5);
    const VoteProtocol p(n, *rc::gen::element(Rule::Majority, Rule::Unanimous), 0);
    const auto ps = p.properties();
    const auto inits = p.init_states();
    State s = inits[*rc::gen::inRange<std::size_t>(0, inits.size())];
    std::vector<VoteProtocol::Action> enabled;
    for (const unsigned pick : picks) {
      enabled.clear();
      p.actions(s, enabled);
      if (enabled.empty()) break;
      if (auto next = p.next_state(s, enabled[pick % enabled.size()])) s = *next;
      RC_ASSERT(prop(ps, "agreement").holds(s));
      RC_ASSERT(prop(ps, "validity").holds(s));
    }
    enabled.clear();
    p.actions(s, enabled);
    if (enabled.empty()) RC_ASSERT(prop(ps, "termination").holds(s));
  });
}

TEST_CASE("known counterexamples of vote, floodset and twophase replay", "[vote][floodset][twophase][replay]") {
  namespace fs = std::filesystem;
  int replayed = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(AGREE_SOURCE_DIR) / "counterexamples" / "known")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".trace") continue;
    if (name.rfind("vote-", 0) != 0 && name.rfind("floodset-", 0) != 0 && name.rfind("twophase-", 0) != 0) continue;
    INFO(name);
    const auto t = counterexamples::read_trace_file(entry.path().string());
    const auto r = cli::replay_trace(t, entry.path().string(), nullptr);
    CHECK(r.reproduced);
    ++replayed;
  }
  CHECK(replayed >= 5);
}

TEST_CASE("vote: chart events, a Vote per arrow and the decision where it is taken", "[vote][render]") {
  const VoteProtocol p(3, Rule::Majority, 1);
  State s = p.init_states()[1];  // proceed, proceed, abort
  const State crashed = *p.next_state(s, model::vote::Crash{2});
  auto ev = p.events(crashed, model::vote::Broadcast{0}, *p.next_state(crashed, model::vote::Broadcast{0}));
  REQUIRE(ev.size() == 2);  // none to the crashed p2, whose copy is discarded
  CHECK(ev[0] == model::Event{model::Event::Send, 0, 0, "Vote(proceed)"});
  CHECK(ev[1] == model::Event{model::Event::Send, 0, 1, "Vote(proceed)"});
  for (int x = 0; x < 3; ++x) s = *p.next_state(s, model::vote::Broadcast{x});
  const State one = *p.next_state(s, model::vote::Tally{0, 0, Vote::Proceed});
  ev = p.events(s, model::vote::Tally{0, 0, Vote::Proceed}, one);
  CHECK(ev == std::vector<model::Event>{{model::Event::Receive, 0, 0, "Vote(proceed)"}});
  const State two = *p.next_state(one, model::vote::Tally{0, 2, Vote::Abort});  // N - F = 2: p0 decides
  ev = p.events(one, model::vote::Tally{0, 2, Vote::Abort}, two);
  REQUIRE(ev.size() == 2);
  CHECK(ev[1] == model::Event{model::Event::Decide, 0, -1, "decide abort"});
  CHECK(p.lanes() == std::vector<std::string>{"p0", "p1", "p2"});
}
