// token.hpp — a token passed round a ring: "never two holders".
// `duplicate` lets a holder pass a copy and keep its own: mutual exclusion breaks.
#pragma once
#include <agree/agree.hpp>
#include <algorithm>
#include <array>

namespace token {
struct State {
  std::vector<int> holds;  // holds[p]: p has the token
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(holds); }
  static auto field_names() { return std::array{"holds"}; }
};
struct Pass { int from; };
using Action = std::variant<Pass>;

struct Token {
  using State = token::State;
  using Action = token::Action;
  static constexpr std::string_view kName = "token", kSummary = "a token ring";
  static std::vector<agree::ParamSpec> param_specs() {
    return {{"procs", "ring size", 3, 2, 16, {}, {}}, {"variant", "correct or duplicate", 0, 0, 0, {"correct", "duplicate"}, {}}};
  }
  explicit Token(const agree::Params& p) : n(int(p.get("procs"))), dup(p.choice("variant") == "duplicate") {}
  explicit Token(int procs, bool duplicate = false) : n(procs), dup(duplicate) {}
  int n;
  bool dup;

  std::vector<State> init_states() const { State s{std::vector<int>(n, 0)}; s.holds[0] = 1; return {s}; }
  void actions(const State& s, std::vector<Action>& out) const {  // the guards, in a fixed order
    for (int p = 0; p < n; ++p) if (s.holds[p]) out.push_back(Pass{p});
  }
  std::optional<State> next_state(State s, const Action& a) const {  // the effect, on a copy
    const int p = std::get<Pass>(a).from;
    s.holds[p] = dup ? 1 : 0;
    s.holds[(p + 1) % n] = 1;
    return s;
  }
  std::string format_action(const Action& a) const { return "pass(p" + std::to_string(std::get<Pass>(a).from) + ")"; }
  std::vector<agree::Property<State>> properties() const {
    return {agree::always<State>("mutual-exclusion", [](const State& s) { return std::count(s.holds.begin(), s.holds.end(), 1) <= 1; }),
            agree::sometimes<State>("token-moved", [](const State& s) { return !s.holds[0]; })};
  }
};
}  // namespace token
