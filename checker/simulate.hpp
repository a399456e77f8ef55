// checker/simulate.hpp — seeded random walks, for configurations too large to
// exhaust (TLC's -simulate, Stateright's simulation checker).
//
// Each walk starts at a random initial state and takes a random enabled action
// up to `depth` times, stopping early at a terminal state. Every state a walk
// touches is fingerprinted; a state seen for the first time is checked against
// the safety properties, a first-seen terminal state against the terminal
// ones, exactly as in bfs.hpp and dfs.hpp (the same Monitor). The first
// violation stops the run and is reported as an ordinary Path, so it replays,
// renders and shrinks like any counterexample.
//
// Determinism: one std::mt19937_64 seeded with `seed`, owned by the run (no
// global RNG), and choices drawn from its raw output with a fixed formula (not
// std::uniform_int_distribution, whose algorithm differs between standard
// libraries): the same seed gives the same walks on every platform.
//
// Liveness (Options::liveness, or --property naming an eventually or leads-to
// property): a walk that comes back to a state it visited earlier closes a
// cycle, and the lasso it forms — the walk up to the first visit, then the
// steps since — is a counterexample if the cycle is fair under the fairness
// asked for and the property stays pending (checker/run_judge.hpp, the same
// judgement replay makes of a trace). A walk that ends in a terminal state
// with the property pending is one too. The walk goes on past a cycle that is
// not a counterexample. It keeps the walk's states meanwhile: memory grows with
// --depth (within --memory-limit, as every search).
//
// A simulation proves nothing: without a violation the verdict is Incomplete
// (the CLI still exits 0, "no violation found").
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

#include "agree/checker/fingerprint.hpp"
#include "agree/checker/run_judge.hpp"
#include "agree/checker/search_common.hpp"
#include "agree/checker/store.hpp"

namespace agree::checker {

struct WalkOptions {
  std::uint64_t walks = 1000;
  std::uint64_t depth = 100;  // steps per walk at most
  std::uint64_t seed = 0;
};

struct Simulation {
  Report report;               // distinct_states: states the walks touched; transitions: steps taken
  std::uint64_t walks = 0;     // walks started (the last may have found the violation)
  std::uint64_t steps = 0;     // steps taken over all walks
};

// A number in [0, n) from one 64-bit draw (Lemire's multiply-shift; n >= 1).
inline std::uint64_t pick(std::mt19937_64& rng, std::uint64_t n) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
}

template <model::Protocol P>
Simulation simulate(const P& p, const Options& o, const WalkOptions& w) {
  using State = typename P::State;
  using Action = typename P::Action;

  Simulation sim;
  Report& r = sim.report;
  r.exact = false;
  r.fired = zero_fired<P>();
  Monitor<State> monitor(p.properties(), o, r);
  Budget budget(o);
  FingerprintSet seen;
  std::mt19937_64 rng(w.seed);
  model::Encoder enc;
  const auto inits = p.init_states();
  std::vector<Action> actions;
  Path path;
  bool stop = false;

  // The liveness properties asked for, and the walk so far: its states, the
  // fairness group of each step, and where in it each state first came.
  std::vector<properties::Property<State>> live;
  for (auto& prop : p.properties())
    if (properties::is_liveness(prop.expectation) &&
        (o.properties.empty() ? o.liveness : std::find(o.properties.begin(), o.properties.end(), prop.name) != o.properties.end()))
      live.push_back(std::move(prop));
  const properties::Fairness fairness = o.fairness.value_or(model::default_fairness_of<P>());
  std::vector<State> run;
  std::vector<std::string> groups;
  std::unordered_map<std::uint64_t, std::size_t> first_at;
  std::vector<Violation> lassos;
  std::uint64_t fp = 0;  // the last state visit() saw
  // After the walk reached `run.back()`: a counterexample to a liveness property?
  auto judge_walk = [&](bool terminal) {
    if (live.empty()) return false;
    std::optional<std::size_t> cycle;
    if (!terminal) {
      const auto [it, fresh] = first_at.emplace(fp, run.size() - 1);
      if (fresh) return false;
      cycle = it->second;
    }
    for (const auto& prop : live) {
      if (!pending_from(prop, run, cycle.value_or(run.size() - 1))) continue;
      if (cycle && !unfairness(p, fairness, run, groups, *cycle).empty()) continue;
      Path found = path;
      if (cycle) found.cycle = static_cast<std::uint32_t>(*cycle);
      lassos.push_back({prop.name, std::move(found)});
      return true;
    }
    return false;
  };

  // Checks s if it is new; returns true when the run must stop.
  auto visit = [&](const State& s, bool& terminal) {
    actions.clear();
    p.actions(s, actions);
    terminal = actions.empty();
    enc.clear();
    enc(s);
    fp = fingerprint(enc.view());
    if (!seen.insert(fp)) return false;
    const auto current = [&] { return path; };
    if (monitor.on_discover(s, current)) return true;
    if (!terminal) return false;
    ++r.terminal_states;
    return monitor.on_terminal(s, current);
  };

  for (std::uint64_t walk = 0; walk < w.walks && !stop && !inits.empty(); ++walk) {
    ++sim.walks;
    path.init = static_cast<std::uint32_t>(pick(rng, inits.size()));
    path.actions.clear();
    State s = inits[path.init];
    bool terminal = false;
    stop = visit(s, terminal);
    if (!live.empty()) run.assign(1, s);
    groups.clear();
    first_at.clear();
    stop = stop || judge_walk(terminal);
    for (std::uint64_t d = 0; d < w.depth && !stop && !terminal; ++d) {
      if (const Cut c = budget.check(seen.size(), d, 0); c != Cut::None) {
        r.cut = c;
        stop = true;
        break;
      }
      const auto k = static_cast<std::uint32_t>(pick(rng, actions.size()));
      ++r.transitions;
      ++sim.steps;
      ++r.fired[model::kind_of<P>(actions[k])].second;
      path.actions.push_back(k);
      r.depth = std::max<std::uint64_t>(r.depth, path.actions.size());
      if (!live.empty()) groups.push_back(model::fairness_group_name_of(p, actions[k]));
      if (auto next = p.next_state(s, actions[k])) s = std::move(*next);
      stop = visit(s, terminal);
      if (!live.empty()) run.push_back(s);
      stop = stop || judge_walk(terminal);
    }
  }

  r.distinct_states = seen.size();
  r.store_bytes = seen.bytes();
  r.seconds = budget.seconds();
  r.peak_rss_bytes = budget.peak_rss();
  monitor.report(r);
  for (auto& v : lassos) r.violations.push_back(std::move(v));
  r.verdict = r.violations.empty() ? Verdict::Incomplete : Verdict::Violated;
  return sim;
}

}  // namespace agree::checker
