// The partial-order reduction on a model with a cycle: without the cycle
// proviso (checker/por.hpp) a persistent action that goes round a cycle is
// taken for ever and an independent action behind it is never explored — the
// ignoring problem. Also the model written with the core of model::Protocol
// only, so the defaults of the optional parts are exercised.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agree/agree.hpp"

namespace cyclic {

// Two independent processes: a light that toggles for ever (x) and a switch
// that can be set once (y). "never-set" fails once y is set. Toggle commutes
// with Set and neither enables nor disables the other, so {toggle} is a
// persistent set in every state — and yet it alone never reaches y = 1.
struct State {
  int x = 0, y = 0;
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(x, y); }
};
struct Toggle {};
struct Set {};
using Action = std::variant<Toggle, Set>;

struct Blink {
  using State = cyclic::State;
  using Action = cyclic::Action;
  std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    out.push_back(Toggle{});
    if (s.y == 0) out.push_back(Set{});
  }
  std::optional<State> next_state(State s, const Action& a) const {
    if (std::holds_alternative<Toggle>(a)) s.x ^= 1;
    else s.y = 1;
    return s;
  }
  std::string format_action(const Action& a) const { return std::holds_alternative<Toggle>(a) ? "toggle" : "set"; }
  std::vector<agree::Property<State>> properties() const {
    return {agree::always<State>("never-set", [](const State& s) { return s.y == 0; })};
  }
  std::optional<std::size_t> persistent(const State&, const std::vector<Action>& enabled) const {
    for (std::size_t k = 0; k < enabled.size(); ++k)
      if (std::holds_alternative<Toggle>(enabled[k])) return k;
    return std::nullopt;
  }
};

}  // namespace cyclic

TEST_CASE("proviso: the reduction still finds the violation behind a cycle", "[reduce][por][proviso]") {
  const cyclic::Blink m;
  // The answer by inspection: set is enabled in the initial state, so
  // never-set fails after one step, and the space has 4 states (x, y in {0, 1}).
  for (const auto search : {agree::Search::Bfs, agree::Search::Dfs}) {
    for (const auto reduce : {agree::Reduce::None, agree::Reduce::Por}) {
      agree::Options o;
      o.search = search;
      o.search_chosen = true;
      o.reduce = reduce;
      o.threads = 1;
      o.keep_going = true;
      INFO("search " << (search == agree::Search::Bfs ? "bfs" : "dfs") << ", reduce " << agree::checker::to_string(reduce));
      const agree::Result r = agree::check(m, o);
      REQUIRE(r.report.verdict == agree::Verdict::Violated);
      REQUIRE(r.traces.size() == 1);
      CHECK(r.traces[0].property == "never-set");
      if (reduce == agree::Reduce::None) CHECK(r.report.distinct_states == 4);
      // The trace replays through the model itself (not the layer) and names it.
      CHECK(r.traces[0].protocol == "blink");
      CHECK(agree::replay(m, r.traces[0]).reproduced);
    }
  }
}

TEST_CASE("proviso: a model of the core alone gets names, kinds and a description by default", "[model]") {
  CHECK(agree::model::name_of<cyclic::Blink>() == "blink");
  CHECK(agree::model::version_of<cyclic::Blink>() == 1);
  const auto kinds = agree::model::action_kinds_of<cyclic::Blink>();
  REQUIRE(kinds.size() == 2);
  CHECK(kinds[0] == "toggle");
  CHECK(kinds[1] == "set");
  CHECK(agree::model::kind_of<cyclic::Blink>(cyclic::Action{cyclic::Set{}}) == 1);
  const cyclic::Blink m;
  CHECK(agree::model::format_init(m, cyclic::State{}) == "initial");
  const auto d = agree::model::describe(m, cyclic::State{1, 0});
  REQUIRE(d.size() == 2);
  CHECK(d[0] == std::pair<std::string, std::string>{"field0", "1"});
  CHECK(d[1] == std::pair<std::string, std::string>{"field1", "0"});
}

namespace lossy {

// A state whose fields() forgets b: states that differ in b encode alike.
struct State {
  int a = 0, b = 0;
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(a); }
};
struct Bump {};
struct Model {
  using State = lossy::State;
  using Action = std::variant<Bump>;
  std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    if (s.b < 3) out.push_back(Bump{});
  }
  std::optional<State> next_state(State s, const Action&) const {
    ++s.b;
    return s;
  }
  std::string format_action(const Action&) const { return "bump"; }
  std::vector<agree::Property<State>> properties() const {
    return {agree::always<State>("b-small", [](const State& s) { return s.b < 3; })};
  }
};

}  // namespace lossy

TEST_CASE("exact: a member left out of fields() is reported, not silently merged", "[model][exact]") {
  // Without the check the search would see one state (b is lost in the
  // encoding) and report that b-small holds, though b reaches 3.
  for (const auto search : {agree::Search::Bfs, agree::Search::Dfs}) {
    agree::Options o;
    o.exact = true;
    o.threads = 1;
    o.search = search;
    o.search_chosen = true;
    CHECK_THROWS_WITH(agree::check(lossy::Model{}, o), Catch::Contains("fields() leaves out a member"));
  }
}
