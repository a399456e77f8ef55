// model/om.hpp — the Byzantine generals with oral messages, OM(m).
//
// Lamport, Shostak and Pease, "The Byzantine Generals Problem" (1982), and
// Coulouris et al., "Coordination and Agreement". Exactly protocols.md §om.
// Generals p0..p(N-1); p0 is the commander, p1.. are the lieutenants. Values
// are retreat (0) and attack (1); the default, and the winner of every tie, is
// retreat.
//
// THE NOTATION BELOW IS A CONTRACT (traces written by other tools, e.g. from Z3
// witnesses, are replayed against it): do not change it without bumping
// kVersion.
//
// Messages. A message is named by its path P (the distinct generals it went
// through, starting at p0) and its receiver r (a lieutenant not on P); its
// sender is the last general of P. Paths have length 1 .. m+1. It is written
//     p0>p2          the commander's order to p2               (path p0)
//     p0.p1>p2       p1 relays to p2 what it got for p0         (path p0,p1)
//     p0.p1.p3>p2    p3 relays to p2 what it got for p0.p1      (path p0,p1,p3)
// A loyal sender sends the value it received for P minus its last general (the
// commander: its order); a traitor sends any value, chosen for each message.
// OM(m) sends sum_{k=1..m+1} (N-1)(N-2)...(N-k) messages (messages().size()):
// 9 for N=4, m=1; 156 for N=7, m=2.
//
// Canonical message order (the order of the message table and of the trace):
// by path length (round 1, 2, ..., m+1); within a round by path, compared
// lexicographically as lists of general numbers; for one path by receiver,
// ascending. Example N=4, m=1: p0>p1, p0>p2, p0>p3, p0.p1>p2, p0.p1>p3,
// p0.p2>p1, p0.p2>p3, p0.p3>p1, p0.p3>p2.
//
// State = the choices made so far:
//   traitors  the traitor set, chosen as the INITIAL STATE: one initial state
//             per set of exactly T generals, in lexicographic order of the
//             sorted member lists ({p0,p1}, {p0,p2}, ..., {p1,p2}, ...).
//   order     the commander's order; -1 until chosen; stays -1 for ever when
//             the commander is a traitor (it has no order, only messages).
//   sent      the values of the messages sent so far, a prefix of the
//             canonical order. Loyal messages are FOLDED: they carry no
//             action; right after the initial state and after every action,
//             every following message whose sender is loyal is appended at
//             once (its value is determined), up to the next message whose
//             sender is a traitor (or the end). So `sent` is determined by
//             the traitor set, the order and the traitor values: storing it
//             adds no state.
//   decision  per general: -1, or once every message is sent, each loyal
//             lieutenant's decision (0 retreat, 1 attack); stays -1 for the
//             commander and the traitors. Determined by `sent`.
//
// Actions (format_action), exactly one kind enabled at a time:
//   order(p0, retreat)       the loyal commander's order; enabled first, when
//   order(p0, attack)        the commander is loyal, in this order
//   send(p0.p1>p2: retreat)  the next message in canonical order, whose sender
//   send(p0.p1>p2: attack)   is a traitor, gets this value; retreat first.
//                            Messages to traitors are choices too.
// format_init prints the traitor set: "traitors {p1}", "traitors {p0, p2}",
// and "traitors {}" when T = 0.
//
// A state is terminal iff every message is sent; then each loyal lieutenant i
// decides by the OM(m) recursion: its value for a path P of length m+1 is what
// it received for P; for a shorter P (with i not on P) the majority of what it
// received for P and its values for P+j, for every lieutenant j not on P and
// not i; ties -> retreat. Its decision is its value for the path p0.
//
// Example (N=3, T=1), the paper's story:
//   init traitors {p1}
//   1 order(p0, attack)
//   2 send(p0.p1>p2: retreat)      (p0>p1, p0>p2 and p0.p2>p1 are folded)
//   final: p2 decides retreat: majority of {p0: attack, p1: retreat} ties -> retreat
//   IC2 violated: the commander is loyal and ordered attack.
//
// Properties (properties/byzantine.hpp), judged in terminal states, the only
// ones where decisions exist:
//   IC1  every two loyal lieutenants decide the same value
//   IC2  if the commander is loyal, every loyal lieutenant decides its order
// and the reachability checks agreed-attack / agreed-retreat (some run ends
// with at least one loyal lieutenant and every loyal lieutenant deciding
// attack / retreat).
//
// The state space is a tree (every state has one parent: its choice sequence),
// so the model declares kTreeShaped and the explorer uses checker/tree.hpp,
// a stateless depth-first search. Its reductions (--reduce symmetry|all) use
// symmetric_roots() and merged_actions() below; their soundness is argued
// there (om.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"

namespace agree::model::om {

inline constexpr int kRetreat = 0;
inline constexpr int kAttack = 1;
std::string value_name(int v);  // "retreat", "attack"

// One message of the canonical table.
struct Message {
  std::vector<int> path;  // p0 first; the sender is path.back()
  int to = 0;             // the receiver
  int parent = -1;        // for a relay: the index of (path minus last) -> path.back(); -1 for the order
  int sender() const { return path.back(); }
};

// The OM(m) message table for N generals, in canonical order.
std::vector<Message> message_table(int generals, int rounds);
// "p0.p1>p2"
std::string message_name(const Message& m);

struct State {
  std::uint32_t traitors = 0;      // bit g set: general g is a traitor
  std::int8_t order = -1;          // the loyal commander's order, -1 when not (yet) chosen
  std::vector<std::uint8_t> sent;  // message values, canonical order, a prefix of the table
  std::vector<std::int8_t> decision;  // per general; -1 none
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(traitors, order, sent, decision); }
};

struct Order {
  int value;
  bool operator==(const Order&) const = default;
};
struct Send {
  int msg;    // index into the message table
  int value;
  bool operator==(const Send&) const = default;
};
using Action = std::variant<Order, Send>;

class Om {
 public:
  using State = om::State;
  using Action = om::Action;
  static constexpr std::string_view kName = "om";
  static constexpr std::string_view kSummary =
      "Byzantine generals, oral messages OM(m): every traitor set, order and traitor message value";
  static constexpr int kVersion = 1;
  static constexpr bool kTreeShaped = true;

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() { return {"order", "send"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit Om(const Params& params);
  Om(int generals, int traitors, int rounds);

  [[nodiscard]] std::vector<State> init_states() const;
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State& s) const;
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;
  // Sequence-chart hook (model/events.hpp): the messages a step appends to
  // `sent` (a traitor's in the traitor colour when it alters what it got, or
  // always for a traitor commander), received in the same synchronous step,
  // and the decisions it makes.
  [[nodiscard]] std::vector<Event> events(const State& before, const Action& a, const State& after) const;

  // Facts for the report: the message count against its closed form.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> report_notes() const;

  // --- tree-search reductions (checker/tree.hpp); soundness argued in om.cpp.
  // Symmetry: one initial state per orbit of traitor sets under permutations
  // of the lieutenants, with the orbit's size as its weight.
  [[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint64_t>> symmetric_roots() const;
  // Merging: a subset of the indices of actions(s), each with the number of
  // complete choice sequences it stands for at this point (see om.cpp).
  void merged_actions(const State& s, std::vector<std::pair<std::uint32_t, std::uint64_t>>& out) const;

  [[nodiscard]] int generals() const { return n_; }
  [[nodiscard]] int traitors() const { return t_; }
  [[nodiscard]] int rounds() const { return m_; }
  [[nodiscard]] const std::vector<Message>& messages() const { return msgs_; }
  [[nodiscard]] bool is_traitor(const State& s, int g) const { return (s.traitors >> g) & 1u; }
  [[nodiscard]] bool terminal(const State& s) const { return s.sent.size() == msgs_.size(); }
  // The closed form sum_{k=1..m+1} (N-1)...(N-k).
  [[nodiscard]] static std::uint64_t closed_form_messages(int generals, int rounds);
  // The receiver's value for message k's path by the OM(m) recursion (every
  // message k's subtree must be sent): for (p0)->i, i's decision.
  [[nodiscard]] int value_at(const State& s, int k) const;
  // The message p0>i.
  [[nodiscard]] int order_message(int i) const { return root_msg_[static_cast<std::size_t>(i)]; }
  // Messages from this index on are relayed by nobody (the last round).
  [[nodiscard]] int first_leaf() const { return first_leaf_; }

 private:
  void advance(State& s) const;  // fold loyal messages, then decide at the end
  [[nodiscard]] int loyal_value(const State& s, const Message& m) const;
  [[nodiscard]] std::string majority_text(const State& s, int k) const;
  [[nodiscard]] std::array<unsigned __int128, 2> count_values(const State& s, int k,
                                                              const std::vector<std::int8_t>& fixed) const;

  int n_, t_, m_;
  std::vector<Message> msgs_;
  std::vector<std::vector<int>> children_;  // (P)->i : the messages (P+j)->i, i's inputs to its majority for P
  std::vector<int> root_msg_;               // per lieutenant i: the index of p0>i
  int first_leaf_ = 0;
};

}  // namespace agree::model::om
