// model/sm.hpp — the Byzantine generals with signed messages, SM(m).
//
// Lamport, Shostak and Pease, "The Byzantine Generals Problem" (1982), §4.
// Exactly protocols.md §sm. Generals p0..p(N-1); p0 is the commander. Values
// are retreat (0) and attack (1); choice(V) is the single value of V, else
// retreat.
//
// THE NOTATION BELOW IS A CONTRACT (traces written by other tools are replayed
// against it): do not change it without bumping kVersion.
//
// A signed message is written as in the paper, value first, then the chain of
// signers, p0 first: attack:p0, attack:p0:p2, retreat:p0:p2:p1. Its sender is
// the last signer; the chain lists distinct generals. Round r (1 .. m+1)
// carries the messages with r signers.
//
//   round 1     the commander signs: a loyal one sends order:p0 to every
//               lieutenant; a traitor sends retreat:p0 to any subset of the
//               lieutenants and attack:p0 to any subset.
//   round r+1   (r <= m) a lieutenant j relays what it accepted in round r:
//               for each message v:c it accepted, v:c:pj to every lieutenant
//               not on c:pj (loyal), or to any subset of them (traitor).
//   accepting   a loyal lieutenant accepts a message of round r iff its value
//               was not in V_j at the START of round r; it adds the value to
//               V_j and, if r <= m, relays the message. All messages of a
//               round count as simultaneous (protocols.md leaves the order
//               open; this reading needs none, so lieutenants are
//               interchangeable), hence two messages with the same new value
//               in one round are both relayed.
//   traitors    a traitor lieutenant holds every message it received in round
//               r (r <= m) and may relay each, signed, to any subset of the
//               lieutenants not on its chain; when the commander is a traitor
//               too, every traitor lieutenant also holds retreat:p0 and
//               attack:p0 after round 1 (it can originate them). It cannot
//               change a value a loyal general signed.
//   deciding    after round m+1 each loyal lieutenant decides choice(V_j).
//
// State = the choices made so far. The traitor set is the INITIAL STATE (one
// per set of exactly T generals, in lexicographic order of the sorted member
// lists, as in om). Then the loyal commander's order, then round by round the
// traitors' sends. Loyal sends are FOLDED (no action): after the initial state
// and after every action, every following send of a loyal general is made at
// once, up to the next send of a traitor. Everything else in the state
// (V sets, held messages, the message log, decisions) is determined by the
// choices; storing it adds no state.
//
// Canonical order of the sends of one round: by sender (p0, p1, ...), then by
// chain (lexicographic as lists of general numbers), then by value (retreat
// first). A traitor's send is one action choosing its receivers:
//   order(p0, retreat)               the loyal commander's order (first)
//   order(p0, attack)
//   send(attack:p0:p2 > {p1, p3})    p2 (a traitor) sends attack:p0:p2 to p1
//   send(attack:p0:p2 > {})          and p3; or to nobody
// The actions for one send are the subsets of the eligible receivers (the
// lieutenants not on the chain) in increasing binary order: bit b stands for
// the b-th eligible receiver in ascending order ({} first, then {first},
// {second}, {first, second}, ...). Receivers are printed ascending.
// format_init: "traitors {p1}", "traitors {p0, p2}", "traitors {}".
//
// Properties (properties/byzantine.hpp), judged in terminal states:
// IC1, IC2, and the reachability checks agreed-attack / agreed-retreat.
//
// Tree-shaped (kTreeShaped): the explorer uses checker/tree.hpp; the
// reductions symmetric_roots() / merged_actions() are argued in sm.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "agree/model/protocol.hpp"

namespace agree::model::sm {

inline constexpr int kRetreat = 0;
inline constexpr int kAttack = 1;

// A signed message v:c, in flight to `to` (or held / pending to be sent).
struct Signed {
  std::uint8_t value = 0;
  std::vector<std::uint8_t> chain;  // p0 first; the sender is chain.back()
  auto operator<=>(const Signed&) const = default;
  auto fields() const { return std::tie(value, chain); }
};
std::string signed_name(const Signed& m);  // "attack:p0:p2"

struct Delivery {
  Signed msg;
  std::uint8_t to = 0;
  bool operator==(const Delivery&) const = default;
  auto fields() const { return std::tie(msg, to); }
};

struct State {
  std::uint32_t traitors = 0;            // bit g: general g is a traitor
  std::int8_t order = -1;                // the loyal commander's order; -1 not (yet) chosen
  std::uint8_t round = 1;                // the round whose sends are being made; m+2 once decided
  std::uint32_t next = 0;                // index into pending: the next send of this round
  std::vector<Signed> pending;           // this round's sends, canonical order (sender, chain, value)
  std::vector<std::uint32_t> choices;    // the traitors' receiver sets so far (generals bitmask)
  std::vector<Delivery> log;             // every message delivered so far, in send order
  std::vector<std::uint8_t> values;      // per general: V_j as a bitmask (bit v)
  std::vector<std::int8_t> decision;     // per general: -1, or the loyal lieutenant's decision
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(traitors, order, round, next, pending, choices, log, values, decision); }
};

struct Order {
  int value;
  bool operator==(const Order&) const = default;
};
struct Send {
  Signed msg;
  std::uint32_t to;  // generals bitmask
  bool operator==(const Send&) const = default;
};
using Action = std::variant<Order, Send>;

class Sm {
 public:
  using State = sm::State;
  using Action = sm::Action;
  static constexpr std::string_view kName = "sm";
  static constexpr std::string_view kSummary =
      "Byzantine generals, signed messages SM(m): every traitor set, order, relay subset and forgeable value";
  static constexpr int kVersion = 1;
  static constexpr bool kTreeShaped = true;

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() { return {"order", "send"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit Sm(const Params& params);
  Sm(int generals, int traitors, int rounds);

  [[nodiscard]] std::vector<State> init_states() const;
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State& s) const;
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;

  [[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint64_t>> symmetric_roots() const;
  void merged_actions(const State& s, std::vector<std::pair<std::uint32_t, std::uint64_t>>& out) const;

  [[nodiscard]] int generals() const { return n_; }
  [[nodiscard]] int rounds() const { return m_; }
  [[nodiscard]] bool is_traitor(const State& s, int g) const { return (s.traitors >> g) & 1u; }
  [[nodiscard]] bool terminal(const State& s) const { return s.round > m_ + 1; }
  // The lieutenants not on the chain of m, ascending: who may receive it.
  [[nodiscard]] std::vector<int> eligible(const Signed& m) const;

 private:
  void advance(State& s) const;                      // fold loyal sends; end rounds; decide
  void deliver(State& s, const Signed& m, std::uint32_t to) const;
  void end_round(State& s) const;

  int n_, t_, m_;
};

}  // namespace agree::model::sm
