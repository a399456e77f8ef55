// model/floodset.hpp — FloodSet: synchronous consensus under crash failures.
//
// Lynch, "Distributed Algorithms" §6.2 (and Coulouris et al.'s f+1-round
// consensus): every process holds W, the set of values it has seen, starting
// with its input. In each of R rounds every alive process sends W to all and
// adds everything it receives. A process that crashes during a round reaches
// an arbitrary subset of the others with its last message. After R rounds an
// alive process decides the single value of W if |W| = 1, else 0. With
// R = F + 1 some round is crash-free, after which every alive W is the same,
// so agreement holds; with R = F rounds a chain of partial sends (each crash
// passing a value to exactly one process that crashes in the next round) can
// leave one alive process with {0, 1} and another with {1}, if N >= F + 2.
//
// Exactly protocols.md §floodset. The whole round is one step:
//
//   round(C, S)   round < R; C a set of alive processes (total crashes <= F);
//                 S gives each p in C the subset of survivors (alive, not in C)
//                 that still get its message ->
//                 every survivor q: W_q += W_p for every alive sender p not in C
//                                 and for every p in C with q in S_p
//                                 (all as W was at the start of the round);
//                 every p in C: alive_p := false, W_p unchanged;
//                 round += 1; if round = R every survivor decides
//                 (its value if |W| = 1, else 0)
//
// Properties: agreement (among processes alive at the end; only they ever
// decide), validity (if every input is v, every decision is v), termination
// (in a terminal state every alive process has decided), and the
// reachability check some-decision.
//
// Decisions where protocols.md leaves room:
//   - the inputs are not state (protocols.md lists round, W, alive, decision):
//     the union of every W, crashed processes' included, never changes and is
//     the set of inputs, so validity reads "every input is v" from it;
//   - every choice (C, S) is its own action, even when two lead to the same
//     successor (they are one state); the order is C by increasing bit set,
//     then S as a mixed-radix counter over the crashing processes, lowest
//     process first;
//   - an action prints its round number (1-based) so a trace reads like the
//     execution: `round(1: no crash)`, `round(2: crash p0->{p2}, p3->{})`;
//   - the 2^N initial states are ordered as binary numbers, p0 the most
//     significant digit; `format_init` prints `inputs=0,1,1`;
//   - rounds is at most 8 and procs at most 8: the choices grow as 2^(N F).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"

namespace agree::model::floodset {

struct Proc {
  std::uint8_t w = 0;  // W_p: bit v set iff value v in W_p
  bool alive = true;
  std::int8_t decision = -1;  // -1: none; else 0 or 1
  bool operator==(const Proc&) const = default;
  auto fields() const { return std::tie(w, alive, decision); }
};

struct State {
  std::uint8_t round = 0;
  std::vector<Proc> procs;
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(round, procs); }
};

// round(C, S): `crash` is C as a bit set; `reach[i]` is S for the i-th
// process of C (lowest first), a bit set of survivors. `number` is the round
// being run (1-based), for printing only: it equals state.round + 1.
struct Round {
  int number = 1;
  std::uint32_t crash = 0;
  std::vector<std::uint32_t> reach;
  bool operator==(const Round&) const = default;
};
using Action = std::variant<Round>;

class FloodSet {
 public:
  using State = floodset::State;
  using Action = floodset::Action;
  static constexpr std::string_view kName = "floodset";
  static constexpr std::string_view kSummary = "synchronous consensus under crash failures: FloodSet in R rounds";
  static constexpr int kVersion = 1;

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() { return {"round"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit FloodSet(const Params& params);
  FloodSet(int procs, int crash, int rounds) : n_(procs), f_(crash), r_(rounds) {}

  [[nodiscard]] std::vector<State> init_states() const;
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State& s) const;
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;
  // Symmetry: no action, message or property names a process in particular
  // (every process sends its W to all; agreement and validity quantify over
  // all), so processes are interchangeable and the representative sorts them.
  [[nodiscard]] State representative(const State& s) const;

  [[nodiscard]] int rounds() const { return r_; }

  // Sequence-chart hooks (model/events.hpp): in a round every sender's W goes
  // to every other process alive at its end (a crashing one's to those it
  // still reaches), sent and received in the same row; then the crashes, and
  // in the last round the decisions.
  [[nodiscard]] std::vector<std::string> lanes() const;
  [[nodiscard]] std::vector<Event> events(const State& before, const Action& a, const State& after) const;

 private:
  int n_, f_, r_;
};

}  // namespace agree::model::floodset
