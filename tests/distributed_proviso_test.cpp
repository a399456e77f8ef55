// tests/distributed_proviso_test.cpp — the partial-order reduction on a model
// with cycles, searched on K ranks (threads of this process): the static cycle
// proviso of checker/distributed.hpp. Without a proviso the persistent action
// goes round its cycle for ever and every violation behind the other actions
// is missed; with it every violation a full search finds is found, the counts
// are the same for every K and every thread count, and each counterexample
// replays through the model itself; and the order the proviso uses keeps the
// reduction where a persistent action makes progress.
// ThreadSanitizer runs this file ([parallel]).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "agree/agree.hpp"
#include "distributed_util.hpp"

namespace lights {

// N lights that toggle for ever, each on its own, and a counter that climbs
// once from 0 to M. A toggle commutes with every other action and neither
// enables nor disables one, so {toggle 0} is a persistent set in every state
// (Godefroid's definition, by inspection); alone it goes round a cycle of two
// states and never moves the counter. "below-j" (c < j, for j = 1..M) fails
// once the counter reaches j and stays failed (stable); "within" (c <= M)
// holds. The full space has 2^N (M + 1) states, every one reachable.
struct State {
  std::uint32_t on = 0;  // bit i: light i
  int c = 0;
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(on, c); }
};
struct Toggle {
  int light;
  bool operator==(const Toggle&) const = default;
};
struct Climb {
  bool operator==(const Climb&) const = default;
};
using Action = std::variant<Toggle, Climb>;

struct Lights {
  using State = lights::State;
  using Action = lights::Action;
  int n, m;
  std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    for (int i = 0; i < n; ++i) out.push_back(Toggle{i});
    if (s.c < m) out.push_back(Climb{});
  }
  std::optional<State> next_state(State s, const Action& a) const {
    if (const auto* t = std::get_if<Toggle>(&a)) s.on ^= std::uint32_t{1} << t->light;
    else ++s.c;
    return s;
  }
  std::string format_action(const Action& a) const {
    if (const auto* t = std::get_if<Toggle>(&a)) return "toggle " + std::to_string(t->light);
    return "climb";
  }
  std::vector<agree::Property<State>> properties() const {
    std::vector<agree::Property<State>> out;
    for (int j = 1; j <= m; ++j) out.push_back(agree::always<State>("below-" + std::to_string(j), [j](const State& s) { return s.c < j; }));
    out.push_back(agree::always<State>("within", [m = m](const State& s) { return s.c <= m; }));
    return out;
  }
  std::optional<std::size_t> persistent(const State&, const std::vector<Action>& enabled) const {
    for (std::size_t k = 0; k < enabled.size(); ++k)
      if (const auto* t = std::get_if<Toggle>(&enabled[k]); t && t->light == 0) return k;
    return std::nullopt;
  }
};

std::set<std::string> violated(const agree::Result& r) {
  std::set<std::string> out;
  for (const auto& t : r.traces) out.insert(t.property);
  return out;
}

}  // namespace lights

namespace walkers {

// N walkers, each taking K steps on its own, and a light that toggles for
// ever. The lowest walker not yet done has a persistent step (it commutes with
// every other action and neither enables nor disables one); with every walker
// done only the toggle is enabled. The full space has 2 (K + 1)^N states. In
// the order of encodings (the walkers' positions, then the light) every step
// rises, so the static proviso keeps the reduction where it matters: the
// reduced graph is the chain of N K steps of the walkers in turn, then the
// light on (the only action: a full expansion) and off again — N K + 2
// states, as one process's proviso reaches too. In the order of fingerprints
// a step would fall at about every other state and be expanded fully.
struct State {
  std::vector<int> at;
  bool light = false;
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(at, light); }
};
struct Step {
  int walker;
  bool operator==(const Step&) const = default;
};
struct Toggle {
  bool operator==(const Toggle&) const = default;
};
using Action = std::variant<Step, Toggle>;

struct Walkers {
  using State = walkers::State;
  using Action = walkers::Action;
  int n, k;
  std::vector<State> init_states() const { return {State{std::vector<int>(static_cast<std::size_t>(n), 0), false}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    for (int i = 0; i < n; ++i)
      if (s.at[static_cast<std::size_t>(i)] < k) out.push_back(Step{i});
    out.push_back(Toggle{});
  }
  std::optional<State> next_state(State s, const Action& a) const {
    if (const auto* st = std::get_if<Step>(&a)) ++s.at[static_cast<std::size_t>(st->walker)];
    else s.light = !s.light;
    return s;
  }
  std::string format_action(const Action& a) const {
    if (const auto* st = std::get_if<Step>(&a)) return "step " + std::to_string(st->walker);
    return "toggle";
  }
  // Fails once every walker is done and the light is on (stable but for the light).
  std::vector<agree::Property<State>> properties() const {
    return {agree::always<State>("dark-at-the-end", [k = k](const State& s) {
      return !s.light || std::any_of(s.at.begin(), s.at.end(), [k](int x) { return x < k; });
    })};
  }
  std::optional<std::size_t> persistent(const State&, const std::vector<Action>& enabled) const {
    return std::holds_alternative<Step>(enabled[0]) ? std::optional<std::size_t>(0) : std::nullopt;
  }
};

}  // namespace walkers

TEST_CASE("distributed proviso: the reduction on a cyclic model finds every violation on 1-4 ranks", "[parallel][distributed][proviso]") {
  using agree::testing::on_ranks;
  for (const auto& [n, m] : std::vector<std::pair<int, int>>{{1, 1}, {3, 2}, {4, 3}}) {
    const lights::Lights model{n, m};
    INFO(n << " lights, counter to " << m);
    agree::Options o;
    o.keep_going = true;
    o.reduce = agree::Reduce::None;
    // The full space on 2 ranks: the closed form, and every below-j violated.
    const agree::Result full = on_ranks(model, o, 2)[0];
    CHECK(full.report.distinct_states == (std::uint64_t{1} << n) * static_cast<std::uint64_t>(m + 1));
    std::set<std::string> expected;
    for (int j = 1; j <= m; ++j) expected.insert("below-" + std::to_string(j));
    CHECK(lights::violated(full) == expected);

    o.reduce = agree::Reduce::Por;
    std::optional<agree::Report> first;
    for (const unsigned threads : {1u, 2u}) {
      o.threads = threads;
      for (int k = 1; k <= 4; ++k) {
        INFO(k << " ranks, " << threads << " threads each");
        const std::vector<agree::Result> got = on_ranks(model, o, k);
        const agree::Result& r = got[0];
        CHECK(r.report.verdict == agree::Verdict::Violated);
        CHECK(lights::violated(r) == expected);  // none missed behind the toggle's cycle, none invented
        CHECK(r.report.distinct_states <= full.report.distinct_states);
        for (const auto& t : r.traces) CHECK(agree::replay(model, t).reproduced);
        // The reduced graph depends on the states alone: the same for every K and thread count.
        if (!first) first = r.report;
        CHECK(r.report.distinct_states == first->distinct_states);
        CHECK(r.report.transitions == first->transitions);
        CHECK(r.report.depth == first->depth);
        for (const agree::Result& other : got) CHECK(other.report.distinct_states == r.report.distinct_states);
      }
    }
  }
}

TEST_CASE("distributed proviso: the order of encodings keeps the reduction of progress", "[parallel][distributed][proviso]") {
  using agree::testing::on_ranks;
  for (const auto& [n, k] : std::vector<std::pair<int, int>>{{3, 3}, {5, 4}}) {
    const walkers::Walkers model{n, k};
    INFO(n << " walkers of " << k << " steps");
    agree::Options o;
    o.threads = 1;
    o.keep_going = true;
    o.reduce = agree::Reduce::None;
    std::uint64_t full = 2;
    for (int i = 0; i < n; ++i) full *= static_cast<std::uint64_t>(k + 1);
    CHECK(on_ranks(model, o, 2)[0].report.distinct_states == full);
    o.reduce = agree::Reduce::Por;
    const auto expected = static_cast<std::uint64_t>(n * k + 2);  // the header's argument
    CHECK(agree::check(model, o).report.distinct_states == expected);
    for (int ranks = 1; ranks <= 3; ++ranks) {
      INFO(ranks << " ranks");
      const agree::Result r = on_ranks(model, o, ranks)[0];
      CHECK(r.report.distinct_states == expected);
      REQUIRE(r.traces.size() == 1);
      CHECK(r.traces[0].steps.size() == static_cast<std::size_t>(n * k + 1));
      CHECK(agree::replay(model, r.traces[0]).reproduced);
    }
  }
}
