// The partial-order reduction under crash-stop faults (checker/por.hpp,
// "Crash-stop faults"): the model's promises checked on every reachable state,
// and the reduced graph compared with the full one, both explored here by a
// plain breadth-first search written independently of the checker.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "agree/checker/por.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/sequencer.hpp"
#include "test_util.hpp"

namespace {

template <class S>
std::string key(const S& s) {
  model::Encoder e;
  e(s);
  return e.bytes();
}

// What a graph shows: its states, its terminal states, and per `always`
// property whether some state violates it.
struct Seen {
  std::set<std::string> states, terminals;
  std::map<std::string, bool> violated;
};

// Breadth-first over the actions `expand` gives each state (all of them, or
// the reduced prefix), judging every state by the `always` properties and
// every state with no enabled action by the terminal ones.
template <class P, class Expand>
Seen explore(const P& p, Expand expand) {
  Seen out;
  const auto props = p.properties();
  for (const auto& pr : props) out.violated[pr.name] = false;
  std::vector<typename P::State> queue;
  for (const auto& s : p.init_states())
    if (out.states.insert(key(s)).second) queue.push_back(s);
  std::vector<typename P::Action> all;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const auto s = queue[i];
    all.clear();
    p.actions(s, all);
    for (const auto& pr : props) {
      if (pr.expectation == properties::Expectation::Always && !pr.holds(s)) out.violated[pr.name] = true;
      if (pr.expectation == properties::Expectation::Terminal && all.empty() && !pr.holds(s)) out.violated[pr.name] = true;
    }
    if (all.empty()) out.terminals.insert(key(s));
    for (const auto& a : expand(s))
      if (auto t = p.next_state(s, a))
        if (out.states.insert(key(*t)).second) queue.push_back(std::move(*t));
  }
  return out;
}

// Every enabled action of a state, or the layer's reduced prefix of them.
template <class P>
auto every_action(const P& p) {
  return [&p](const typename P::State& s) {
    std::vector<typename P::Action> as;
    p.actions(s, as);
    return as;
  };
}
template <class P>
auto reduced_actions(const checker::PorLayer<P>& layer) {
  return [&layer](const typename P::State& s) {
    std::vector<typename P::Action> as;
    as.resize(layer.enabled(s, as));
    return as;
  };
}

// Promises (1)-(3) of checker/por.hpp, on every reachable state.
template <class P>
void check_promises(const P& p) {
  for (const auto& s : p.init_states()) CHECK(p.crash_count(s).crashed == 0);
  const auto props = p.properties();
  std::vector<typename P::State> states;
  for (const auto& s : p.init_states()) states.push_back(s);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto s = states[i];
    std::vector<typename P::Action> as;
    p.actions(s, as);
    for (const auto& a : as)
      if (auto t = p.next_state(s, a))
        if (seen.insert(key(*t)).second) states.push_back(*t);
    for (const auto& c : as) {
      if (!p.actor(c).crash) continue;
      const int x = p.actor(c).process;
      const auto after = *p.next_state(s, c);
      CHECK(p.crash_count(after).crashed == p.crash_count(s).crashed + 1);
      CHECK(p.crash_count(after).left == p.crash_count(s).left - 1);
      std::vector<typename P::Action> bs;
      p.actions(after, bs);
      // (1): the actions after the crash are those before it but x's (and the crashes, once the budget is spent).
      for (const auto& b : bs) CHECK(std::find(as.begin(), as.end(), b) != as.end());
      for (const auto& b : as) {
        const bool kept = std::find(bs.begin(), bs.end(), b) != bs.end();
        if (p.actor(b).process == x) CHECK_FALSE(kept);
        else if (!p.actor(b).crash) CHECK(kept);
        else CHECK(kept == (p.crash_count(after).left > 0));
      }
      // (2): each other process's action commutes with the crash.
      for (const auto& b : as) {
        if (p.actor(b).crash || p.actor(b).process == x) continue;
        const auto bc = p.next_state(*p.next_state(s, b), c);
        const auto cb = p.next_state(after, b);
        REQUIRE(bc);
        REQUIRE(cb);
        CHECK(key(*bc) == key(*cb));
      }
      // (3): the crash changes no `always` property's truth.
      for (const auto& pr : props)
        if (pr.expectation == properties::Expectation::Always) CHECK(pr.holds(s) == pr.holds(after));
    }
  }
}

// The reduced graph of the layer against the full graph.
template <class P>
void compare(const P& p) {
  const checker::PorLayer<P> layer(p);
  const Seen full = explore(p, every_action(p));
  const Seen reduced = explore(p, reduced_actions(layer));
  CHECK(reduced.terminals == full.terminals);  // every terminal state, no other
  CHECK(reduced.violated == full.violated);    // every verdict
  CHECK(std::includes(full.states.begin(), full.states.end(), reduced.states.begin(), reduced.states.end()));
  CHECK(reduced.states.size() <= full.states.size());
}

using model::isis::Isis;
using model::sequencer::Sequencer;

}  // namespace

TEST_CASE("crash por: sequencer keeps the crash-stop promises on every reachable state", "[reduce][por][crash]") {
  for (const auto v : {Sequencer::Variant::Correct, Sequencer::Variant::NoHoldback})
    for (const auto& [n, m, f, o] : std::vector<std::tuple<int, int, int, int>>{{2, 2, 1, 0}, {2, 2, 2, 0}, {3, 2, 1, 0}, {2, 2, 1, 1}}) {
      INFO("procs " << n << " msgs " << m << " crash " << f << " senders " << o << " variant " << static_cast<int>(v));
      check_promises(Sequencer(n, m, f, v, o));
    }
}

TEST_CASE("crash por: isis keeps the crash-stop promises on every reachable state", "[reduce][por][crash]") {
  for (const auto v : {Isis::Variant::Correct, Isis::Variant::NoTiebreak, Isis::Variant::EagerDelivery})
    for (const auto& [n, m, f, o] : std::vector<std::tuple<int, int, int, int>>{{2, 2, 1, 0}, {3, 1, 2, 0}, {2, 1, 1, 1}}) {
      INFO("procs " << n << " msgs " << m << " crash " << f << " senders " << o << " variant " << static_cast<int>(v));
      check_promises(Isis(n, m, f, v, o));
    }
}

TEST_CASE("crash por: crashing last reaches every terminal state and every verdict of the full graph", "[reduce][por][crash]") {
  for (const auto v : {Sequencer::Variant::Correct, Sequencer::Variant::NoHoldback})
    for (const auto& [n, m, f, o] :
         std::vector<std::tuple<int, int, int, int>>{{1, 2, 1, 0}, {2, 2, 1, 0}, {2, 3, 1, 0}, {3, 2, 1, 0}, {3, 3, 1, 0},
                                                     {2, 2, 2, 0}, {3, 2, 2, 0}, {3, 2, 4, 0}, {2, 2, 1, 1}, {2, 2, 2, 2}}) {
      INFO("sequencer procs " << n << " msgs " << m << " crash " << f << " senders " << o << " variant " << static_cast<int>(v));
      compare(Sequencer(n, m, f, v, o));
    }
  for (const auto v : {Isis::Variant::Correct, Isis::Variant::NoTiebreak, Isis::Variant::EagerDelivery})
    for (const auto& [n, m, f, o] : std::vector<std::tuple<int, int, int, int>>{
             {2, 2, 1, 0}, {3, 2, 1, 0}, {2, 3, 1, 0}, {3, 2, 2, 0}, {2, 2, 2, 0}, {1, 2, 1, 2}, {2, 2, 1, 1}}) {
      INFO("isis procs " << n << " msgs " << m << " crash " << f << " senders " << o << " variant " << static_cast<int>(v));
      compare(Isis(n, m, f, v, o));
    }
}

TEST_CASE("crash por: with a crash possible the reduced graph is smaller", "[reduce][por][crash]") {
  // Not a target, a direction: the plain layer reduced nothing here (it waited for the last crash).
  const Sequencer seq(3, 3, 1, Sequencer::Variant::Correct);
  const checker::PorLayer<Sequencer> layer(seq);
  const std::size_t full = explore(seq, every_action(seq)).states.size();
  const std::size_t reduced = explore(seq, reduced_actions(layer)).states.size();
  CHECK(reduced * 5 <= full);
}
