// model/tokenring.hpp — mutual exclusion by a token passed round a ring.
//
// N processes p0..p(N-1) sit in a ring. One token circulates; only the process
// that holds it may enter its critical section, and it passes the token to its
// successor p((i+1) mod N). The question is liveness: does every process get
// the token again and again, or can one keep it?
//
// State: holder (the process with the token), critical (the set of processes
// in their critical section), used (the holder has been in its critical
// section during this visit).
// Initially p0 holds the token, idle, not used. Actions of the holder h, in
// this order:
//
//   Enter(h)   h not critical, not used  -> add h to critical
//   Exit(h)    h critical                -> remove h from critical; used
//   Pass(h)    h not critical            -> holder := h + 1 mod N; used := false
//
// Variant greedy: Exit leaves `used` false, so a holder may enter its critical
// section as often as it likes before it passes the token on.
//
// Distinct states: 3N (correct: holder x {idle, critical, idle and used}),
// 2N (greedy: `used` is never set). No state is terminal.
//
// Properties:
//   mutual-exclusion (always): critical is empty or holds the holder alone.
//   token-reaches-all (leads-to, `agree check tokenring --liveness`): every
//     process holds the token infinitely often, for all p: always eventually
//     holder = p. Written as true ~> holder = p(N-1): the token moves only
//     from p to p + 1, so between two visits to p(N-1) it visits every other
//     process, and the two say the same.
//
// Fairness: each action instance is its own group (Enter(p0), Pass(p1), ...),
// weak by default. The correct ring needs none: a holder that is not critical
// and has used its turn can only pass, so every infinite run passes the token
// at least every third step. The greedy ring fails without fairness and under
// weak fairness, by the lasso Enter(p0), Exit(p0) repeated: Pass(p0) is
// disabled in every critical state, so it is never continuously enabled. Strong
// fairness mends it: Pass(p0) is enabled infinitely often, so it must be taken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"

namespace agree::model::tokenring {

struct State {
  std::uint8_t holder = 0;
  std::uint64_t critical = 0;  // bit p: p is in its critical section
  bool used = false;
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(holder, critical, used); }
};

struct Enter { int p; bool operator==(const Enter&) const = default; };
struct Exit { int p; bool operator==(const Exit&) const = default; };
struct Pass { int p; bool operator==(const Pass&) const = default; };
using Action = std::variant<Enter, Exit, Pass>;

class TokenRing {
 public:
  using State = tokenring::State;
  using Action = tokenring::Action;
  static constexpr std::string_view kName = "tokenring";
  static constexpr std::string_view kSummary = "mutual exclusion by a token passed round a ring";
  static constexpr int kVersion = 1;
  static constexpr properties::Fairness kFairness = properties::Fairness::Weak;
  enum class Variant { Correct, Greedy };

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() { return {"Enter", "Exit", "Pass"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit TokenRing(const Params& params);
  TokenRing(int procs, Variant variant) : n_(procs), variant_(variant) {}

  [[nodiscard]] std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State&) const { return "initial"; }
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;

  // Sequence chart (model/events.hpp): one lane per process; a pass is a
  // message from the holder to its successor, received in the same step.
  [[nodiscard]] std::vector<std::string> lanes() const;
  [[nodiscard]] std::vector<Event> events(const State& before, const Action& a, const State& after) const;

  [[nodiscard]] int procs() const { return n_; }

 private:
  int n_;
  Variant variant_;
};

}  // namespace agree::model::tokenring
