// Reductions: each gives the same verdicts as --reduce none, and symmetry
// stores exactly one state per symmetry class.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <set>

#include "agree/checker/explorer.hpp"
#include "agree/cli/registry.hpp"
#include "agree/model/floodset.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/twophase.hpp"
#include "agree/model/vote.hpp"
#include "test_util.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {
// Every reachable state, by a plain BFS written independently of the checker.
template <class P>
std::vector<typename P::State> reachable(const P& p) {
  std::vector<typename P::State> all;
  std::set<std::string> seen;
  std::vector<typename P::Action> as;
  auto key = [](const typename P::State& s) {
    model::Encoder e;
    e(s);
    return e.bytes();
  };
  for (const auto& s : p.init_states())
    if (seen.insert(key(s)).second) all.push_back(s);
  for (std::size_t i = 0; i < all.size(); ++i) {
    as.clear();
    p.actions(all[i], as);
    for (const auto& a : as)
      if (auto t = p.next_state(all[i], a))
        if (seen.insert(key(*t)).second) all.push_back(*t);
  }
  return all;
}

// The representatives of every reachable state: what a symmetry-reduced
// search must store, one each, when the representative is canonical.
template <class P>
std::set<std::string> classes(const P& p) {
  std::set<std::string> out;
  for (const auto& s : reachable(p)) {
    model::Encoder e;
    e(p.representative(s));
    out.insert(e.bytes());
  }
  return out;
}
}  // namespace

TEST_CASE("reduction: twophase symmetry keeps one state per class of RM permutations", "[reduce][twophase]") {
  for (int rms = 1; rms <= 5; ++rms) {
    const model::twophase::TwoPhase p(rms, model::twophase::TwoPhase::Variant::Correct);
    checker::Options o;
    o.reduce = checker::Reduce::Symmetry;
    const auto r = checker::check(p, o);
    REQUIRE(r.verdict == checker::Verdict::Holds);
    CHECK(r.distinct_states == classes(p).size());
  }
}

TEST_CASE("reduction: floodset symmetry keeps one state per class of process permutations", "[reduce][floodset]") {
  for (int procs = 2; procs <= 4; ++procs) {
    const model::floodset::FloodSet p(model::Params([&] {
      model::Params x(model::floodset::FloodSet::param_specs());
      x.set("procs", std::to_string(procs));
      x.set("crash", "1");
      return x;
    }()));
    checker::Options o;
    o.reduce = checker::Reduce::Symmetry;
    o.keep_going = true;
    const auto r = checker::check(p, o);
    CHECK(r.distinct_states == classes(p).size());
  }
}

// Vote renames processes inside the state (received_q[p], Vote(p) to q), so
// its representative is checked against renamings built here, independently:
// it must be one of the state's renamings, and the same for all of them.
TEST_CASE("reduction: vote symmetry gives every renaming of a state one representative", "[reduce][vote]") {
  using model::vote::State;
  using model::vote::VoteProtocol;
  auto rename = [](const State& s, const std::vector<int>& to) {  // old process p becomes to[p]
    State t = s;
    for (std::size_t p = 0; p < s.procs.size(); ++p) {
      auto& y = t.procs[static_cast<std::size_t>(to[p])];
      y = s.procs[p];
      for (std::size_t q = 0; q < s.procs.size(); ++q) y.received[static_cast<std::size_t>(to[q])] = s.procs[p].received[q];
    }
    for (auto& m : t.network) {
      m.from = static_cast<std::uint8_t>(to[m.from]);
      m.to = static_cast<std::uint8_t>(to[m.to]);
    }
    std::sort(t.network.begin(), t.network.end());
    return t;
  };
  struct Config {
    int procs, crash;
    VoteProtocol::Rule rule;
  };
  for (const auto& c : {Config{2, 1, VoteProtocol::Rule::Majority}, Config{3, 0, VoteProtocol::Rule::Majority},
                        Config{3, 1, VoteProtocol::Rule::Unanimous}, Config{3, 2, VoteProtocol::Rule::Majority}}) {
    INFO("procs " << c.procs << " crash " << c.crash);
    const VoteProtocol p(c.procs, c.rule, c.crash);
    std::vector<int> perm(static_cast<std::size_t>(c.procs));
    std::size_t checked = 0;
    for (const auto& s : reachable(p)) {
      const State rep = p.representative(s);
      bool is_renaming = false;
      std::iota(perm.begin(), perm.end(), 0);
      do {
        const State t = rename(s, perm);
        is_renaming = is_renaming || t == rep;
        if (!(p.representative(t) == rep)) FAIL("two renamings of a state have different representatives");
        ++checked;
      } while (std::next_permutation(perm.begin(), perm.end()));
      if (!is_renaming) FAIL("the representative is not a renaming of the state");
    }
    CHECK(checked > 0);
    checker::Options o;
    o.reduce = checker::Reduce::Symmetry;
    o.keep_going = true;
    const auto r = checker::check(p, o);
    CHECK(r.distinct_states == classes(p).size());
    CHECK(r.distinct_states < checker::check(p, [] {
                                checker::Options none;
                                none.keep_going = true;
                                return none;
                              }()).distinct_states);
  }
}

TEST_CASE("reduction: every reduction gives the verdicts of --reduce none", "[reduce]") {
  const std::vector<std::pair<std::string, std::string>> configs = {
      {"sequencer", "procs=2 msgs=2"},
      {"sequencer", "procs=3 msgs=2 variant=no-holdback"},
      {"sequencer", "procs=2 msgs=2 crash=1"},
      {"isis", "procs=2 msgs=2"},
      {"isis", "procs=3 msgs=2 variant=no-tiebreak"},
      {"isis", "procs=2 msgs=2 crash=1"},
      {"sequencer", "procs=2 msgs=2 senders=1 crash=1"},        // open groups
      {"sequencer", "procs=3 msgs=2 senders=2 variant=no-holdback"},
      {"isis", "procs=2 msgs=2 senders=2"},
      {"isis", "procs=2 msgs=2 senders=2 crash=1"},
      {"isis", "procs=1 msgs=2 senders=2 crash=1"},
      {"isis", "procs=3 msgs=2 senders=2 variant=no-tiebreak"},
      {"vote", "procs=3 crash=1 quorum=all"},
      {"twophase", "rms=3"},
      {"twophase", "rms=4 variant=eager-commit"},
      {"vote", "procs=3 rule=majority crash=0"},
      {"vote", "procs=3 rule=majority crash=1"},
      {"floodset", "procs=3 crash=1"},
      {"floodset", "procs=4 crash=2 rounds=2"},
  };
  for (const auto& [name, params_text] : configs) {
    const cli::Entry* e = cli::find_protocol(name);
    REQUIRE(e);
    model::Params params(e->params);
    params.set_all(params_text);
    checker::Options none;
    const auto base = e->check(params, none);
    REQUIRE(base.report.verdict != checker::Verdict::Incomplete);
    for (const std::string reduce : {"symmetry", "por", "all"}) {
      INFO(name << " " << params_text << " --reduce " << reduce);
      checker::Options o;
      o.reduce = checker::parse_reduce(reduce);
      const auto red = e->check(params, o);
      CHECK(red.report.verdict == base.report.verdict);
      CHECK(red.report.distinct_states <= base.report.distinct_states);
      if (!base.report.violations.empty()) {
        REQUIRE(!red.report.violations.empty());
        CHECK(red.report.violations[0].property == base.report.violations[0].property);
        // shortest under symmetry too (POR keeps a shortest run of the reduced graph only),
        // and always a real run of the protocol
        if (reduce == "symmetry") CHECK(red.steps[0].size() == base.steps[0].size());
        const auto replayed = cli::replay_trace(
            counterexamples::parse_trace(counterexamples::to_text(red.traces[0]), "t"), "t", nullptr);
        CHECK(replayed.reproduced);
      }
    }
  }
}

TEST_CASE("reduction: thread count changes neither counts nor verdicts", "[reduce][parallel]") {
  struct Config {
    std::string name, params, reduce;
  };
  for (const auto& [name, params_text, reduce] : std::vector<Config>{{"isis", "procs=3 msgs=2", "none"},
                                                                      {"sequencer", "procs=3 msgs=3 variant=no-holdback", "none"},
                                                                      {"twophase", "rms=5", "none"},
                                                                      {"vote", "procs=3 crash=1", "symmetry"},
                                                                      {"isis", "procs=3 msgs=2", "all"}}) {
    const cli::Entry* e = cli::find_protocol(name);
    model::Params params(e->params);
    params.set_all(params_text);
    checker::Options one;
    one.keep_going = true;
    one.reduce = checker::parse_reduce(reduce);
    checker::Options two = one;
    two.threads = 2;
    checker::Options four = one;
    four.threads = 4;
    const auto a = e->check(params, one), b = e->check(params, two), c = e->check(params, four);
    INFO(name << " " << params_text << " --reduce " << reduce);
    CHECK(a.report.distinct_states == b.report.distinct_states);
    CHECK(a.report.distinct_states == c.report.distinct_states);
    CHECK(a.report.transitions == b.report.transitions);
    CHECK(a.report.verdict == b.report.verdict);
    CHECK(a.report.verdict == c.report.verdict);
    CHECK(a.report.depth == c.report.depth);
    for (std::size_t i = 0; i < a.report.violations.size(); ++i) {
      REQUIRE(i < c.report.violations.size());
      CHECK(a.steps[i].size() == c.steps[i].size());  // shortest with any thread count
    }
  }
}

TEST_CASE("reduction: partial-order reduction cuts the state count and keeps every count of terminal states' verdicts", "[reduce][por]") {
  const cli::Entry* e = cli::find_protocol("sequencer");
  model::Params params(e->params);
  params.set_all("procs=3 msgs=3");
  checker::Options o;
  o.reduce = checker::Reduce::Por;
  const auto r = e->check(params, o);
  CHECK(r.report.verdict == checker::Verdict::Holds);
  CHECK(r.report.distinct_states == 79);  // 5,462 without reduction
  const cli::Entry* isis = cli::find_protocol("isis");
  model::Params ip(isis->params);
  ip.set_all("procs=3 msgs=2");
  CHECK(isis->check(ip, o).report.distinct_states == 981);  // 5,780 without
  // With a crash still possible, the reduction crashes last (checker/por.hpp;
  // tests/crash_por_test.cpp checks it state by state): fewer states, the
  // same verdict.
  ip.set_all("procs=3 msgs=2 crash=1");
  const auto crash = isis->check(ip, o);
  checker::Options none;
  const auto full = isis->check(ip, none);
  CHECK(crash.report.verdict == checker::Verdict::Violated);
  CHECK(full.report.verdict == checker::Verdict::Violated);
  CHECK(crash.report.distinct_states < full.report.distinct_states);
}

TEST_CASE("reduction: ISIS's persistent agree commutes with every other agree at its process", "[reduce][por][isis]") {
  // The argument in model/isis.hpp, checked on every reachable state: where q
  // has proposed every message, any two agrees at q lead to one state in
  // either order, and the action persistent() picks is one of those enabled.
  using model::isis::Agree;
  using model::isis::Isis;
  for (const auto& [n, m] : std::vector<std::pair<int, int>>{{2, 2}, {3, 2}, {2, 3}}) {
    const Isis p(n, m, 0, Isis::Variant::Correct);
    std::size_t pairs = 0, chosen_agrees = 0;
    std::vector<Isis::Action> as;
    for (const auto& s : reachable(p)) {
      as.clear();
      p.actions(s, as);
      if (const auto k = p.persistent(s, as)) {
        REQUIRE(*k < as.size());
        chosen_agrees += std::holds_alternative<Agree>(as[*k]);
      }
      for (std::size_t i = 0; i < as.size(); ++i)
        for (std::size_t j = i + 1; j < as.size(); ++j) {
          const auto* a = std::get_if<Agree>(&as[i]);
          const auto* b = std::get_if<Agree>(&as[j]);
          if (!a || !b || a->q != b->q) continue;
          const auto& q = s.procs[static_cast<std::size_t>(a->q)];
          if (q.holdback.size() + q.delivered.size() != static_cast<std::size_t>(m)) continue;
          const auto ab = p.next_state(*p.next_state(s, as[i]), as[j]);
          const auto ba = p.next_state(*p.next_state(s, as[j]), as[i]);
          INFO(n << "x" << m << ": " << p.format_action(as[i]) << " and " << p.format_action(as[j]));
          REQUIRE(ab.has_value());
          REQUIRE(ba.has_value());
          CHECK(*ab == *ba);
          ++pairs;
        }
    }
    CHECK(pairs > 0);          // the check did meet such pairs
    CHECK(chosen_agrees > 0);  // and persistent() does pick agrees
  }
  // In eager-delivery the order of two agrees is the delivery order: they do
  // not commute, and persistent() never picks an agree there.
  const Isis eager(2, 2, 0, Isis::Variant::EagerDelivery);
  std::size_t noncommuting = 0;
  std::vector<Isis::Action> as;
  for (const auto& s : reachable(eager)) {
    as.clear();
    eager.actions(s, as);
    if (const auto k = eager.persistent(s, as)) CHECK_FALSE(std::holds_alternative<Agree>(as[*k]));
    for (std::size_t i = 0; i < as.size(); ++i)
      for (std::size_t j = i + 1; j < as.size(); ++j) {
        const auto* a = std::get_if<Agree>(&as[i]);
        const auto* b = std::get_if<Agree>(&as[j]);
        if (a && b && a->q == b->q)
          noncommuting += *eager.next_state(*eager.next_state(s, as[i]), as[j]) !=
                          *eager.next_state(*eager.next_state(s, as[j]), as[i]);
      }
  }
  CHECK(noncommuting > 0);
}
