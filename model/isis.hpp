// model/isis.hpp — the ISIS algorithm: proposed and agreed sequence numbers.
//
// Coulouris et al., "Coordination and Agreement" (Birman's ISIS). To multicast
// m, its sender sends m to the whole group, itself included. Every receiver q
// proposes P_q := max(A_q, P_q) + 1 and holds m back under the priority
// (P_q, q). When every proposal is in, the sender takes the largest and sends
// it as the agreed priority; a receiver re-sorts m under it, marks it
// deliverable, and delivers from the front of its queue while the front is
// deliverable. The process id in a priority breaks ties between equal numbers.
//
// Exactly protocols.md §isis. Priorities are (number, process) ordered
// lexicographically.
//
// Open groups (protocols.md §Open groups, `senders S >= 1`): the course notes'
// example, where P1 and P2, not members, multicast into the group {P3, P4}.
// o0..o(S-1) are processes outside the group and m_i is multicast by
// o(i mod S); Msg and Agreed go to every member, `heard` must hold every
// member (crashed ones included). A sender proposes nothing, keeps no queue
// and delivers nothing; it can crash. With S = 0 (the default) the group is
// closed and nothing changes. Process indices (in `crashed`, Crash::q and a
// Proposal's receiver): members 0..N-1, then senders N..N+S-1.
//
//   multicast(m)         sender alive, idle   -> collecting; Msg(m) to every process
//   propose(q, m)        q receives Msg(m)    -> P_q := max(A_q, P_q) + 1; hold m back at (P_q, q);
//                                                Proposal(m, (P_q, q)) to the sender
//   collect(m, q, pr)    the sender receives Proposal(m, pr) from q -> heard += q, best := max(best, pr);
//                                                once heard is everyone: done, Agreed(m, best) to every process
//   agree(q, m, pr)      q receives Agreed(m, pr) -> A_q := max(A_q, a); m gets pr, deliverable;
//                                                deliver from the front while deliverable
//   crash(q)
//
// Variants, each a known way to get ISIS wrong:
//   no-tiebreak     priorities are bare numbers (the process field is 0); the
//                   hold-back queue is a sequence: a new entry goes to the end;
//                   on Agreed an entry moves right past smaller numbers and
//                   stops before the first equal or larger one (stable).
//   eager-delivery  on Agreed, m goes to delivered at once; nothing else moves.
//
// Decisions where protocols.md leaves room (none changes a count):
//   - best starts at (0, 0), below every real priority (numbers start at 1);
//   - in correct and eager-delivery the queue is kept sorted by priority, which
//     is its canonical form (priorities in one queue are pairwise distinct);
//   - messages to a crashed process are never put in the network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"

namespace agree::model::isis {

struct Priority {
  std::uint8_t num = 0;
  std::uint8_t proc = 0;  // always 0 in no-tiebreak
  auto operator<=>(const Priority&) const = default;
  auto fields() const { return std::tie(num, proc); }
};

enum class Status : std::uint8_t { Idle, Collecting, Done };
enum class Kind : std::uint8_t { Msg, Proposal, Agreed };

// Msg(m) goes from m's sender to q; Proposal(m, pr) from q to m's sender;
// Agreed(m, pr) from m's sender to q. So (kind, m, q) names the message.
struct Message {
  Kind kind;
  std::uint8_t m;
  std::uint8_t q;
  Priority pr;  // Proposal and Agreed; (0, 0) for Msg
  auto operator<=>(const Message&) const = default;
  auto fields() const { return std::tie(kind, m, q, pr); }
};

struct Entry {
  Priority pr;
  std::uint8_t m;
  bool deliverable = false;
  bool operator==(const Entry&) const = default;
  auto fields() const { return std::tie(pr, m, deliverable); }
};

struct Proc {
  std::uint8_t agreed = 0;    // A_q
  std::uint8_t proposed = 0;  // P_q
  std::vector<Entry> holdback;
  std::vector<std::uint8_t> delivered;
  bool operator==(const Proc&) const = default;
  auto fields() const { return std::tie(agreed, proposed, holdback, delivered); }
};

struct Sending {  // a message's record at its sender
  Status status = Status::Idle;
  std::uint32_t heard = 0;  // bit q: q's proposal arrived
  Priority best;
  bool operator==(const Sending&) const = default;
  auto fields() const { return std::tie(status, heard, best); }
};

struct State {
  std::vector<Proc> procs;
  std::vector<Sending> sending;
  std::vector<std::uint8_t> crashed;
  std::vector<Message> network;  // a set: kept sorted
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(procs, sending, crashed, network); }
};

struct Multicast { int m; bool operator==(const Multicast&) const = default; };
struct Propose { int q, m; bool operator==(const Propose&) const = default; };
struct Collect { int m, q; Priority pr; bool operator==(const Collect&) const = default; };
struct Agree { int q, m; Priority pr; bool operator==(const Agree&) const = default; };
struct Crash { int q; bool operator==(const Crash&) const = default; };
using Action = std::variant<Multicast, Propose, Collect, Agree, Crash>;

class Isis {
 public:
  using State = isis::State;
  using Action = isis::Action;
  static constexpr std::string_view kName = "isis";
  static constexpr std::string_view kSummary = "ISIS total-order multicast: proposed and agreed priorities";
  static constexpr int kVersion = 1;
  enum class Variant { Correct, NoTiebreak, EagerDelivery };

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() { return {"multicast", "propose", "collect", "agree", "crash"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit Isis(const Params& params);
  Isis(int procs, int msgs, int crash, Variant variant, int senders = 0)
      : n_(procs), m_(msgs), f_(crash), variant_(variant), o_(senders) {}

  [[nodiscard]] std::vector<State> init_states() const;
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State&) const { return "initial"; }
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;
  // Partial-order reduction (checker/por.hpp): among the actions that are not
  // crashes, multicast(m) and collect(m, q, pr) each form a persistent set alone.
  // multicast(m) is the only action on m's sender record before any proposal
  // for m exists; collect touches only m's sender record (heard, best) and
  // adds Agreed messages, and two collects for m commute (heard is a union,
  // best a max; whichever comes last sends the same Agreed). Neither enables or
  // disables another process's action. propose and agree at one process do
  // not commute (P_q, A_q and the queue order), so a propose is never chosen.
  // In the correct variant, agree(q, m) is chosen once q has proposed every
  // message (it is in q's queue or delivered): no propose at q can follow,
  // and two agrees at q commute. Why: A_q is a max; the queue ends sorted by
  // the same priorities; and a delivery never depends on which agree came
  // first, because an agreed priority is at least q's own proposal for it
  // (the sender takes the max over every process, q included), so a message
  // that reaches the front deliverable stays ahead of every message q still
  // holds. This uses only the shape of collect, not the property checked; it
  // fails in no-tiebreak (equal numbers keep arrival order) and in
  // eager-delivery (delivery order is agree order), which keep every agree.
  // agree sends nothing and consumes a message no other action consumes, so
  // it is independent of every other process's action.
  // tests/reduction_test.cpp checks the commutation on every reachable state
  // of small configurations.
  [[nodiscard]] std::optional<std::size_t> persistent(const State& s, const std::vector<Action>& enabled) const;
  // Crash-stop faults for the reduction (checker/por.hpp, model::CrashStop):
  // multicast and collect are the sender's, propose(q, ...) and agree(q, ...)
  // q's. A crash commutes with every other process's action: a message to
  // the crashed process is never put in the network and those in flight are
  // dropped, and no guard reads another process's crashed flag (collect's
  // `heard` waits for every process, crashed ones included).
  [[nodiscard]] Actor actor(const Action& a) const;
  [[nodiscard]] CrashCount crash_count(const State& s) const;
  // No run returns to a state it left: every action sends, consumes,
  // delivers or crashes, and the number of messages sent plus those consumed,
  // delivered and crashed processes only grows. So the reduction needs no
  // cycle proviso (checker/por.hpp).
  static constexpr bool kAcyclic = true;
  // A crash bound of every process makes termination vacuous: crash stays
  // enabled until F processes crashed, so every terminal state has nobody alive.
  [[nodiscard]] std::vector<std::string> warnings() const;
  // What describe()'s fields mean, for a chart's legend (model/hooks.hpp).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> glossary() const;
  // Sequence-chart hooks (model/events.hpp).
  [[nodiscard]] std::vector<std::string> lanes() const;
  [[nodiscard]] std::vector<Event> events(const State& before, const Action& a, const State& after) const;

  // m's sender: a member in a closed group, o(m mod S) in an open one.
  [[nodiscard]] int sender(int m) const { return o_ ? n_ + m % o_ : m % n_; }
  [[nodiscard]] int processes() const { return n_ + o_; }  // members, then senders

 private:
  void send(State& s, Message msg) const;
  void agree(Proc& q, int m, Priority pr) const;
  [[nodiscard]] std::string why_order(const State& s) const;  // Property::explain of total-order
  [[nodiscard]] std::string why_stuck(const State& s) const;  // ... and of termination
  [[nodiscard]] std::string format(Priority pr) const;

  [[nodiscard]] std::string name(int x) const { return x < n_ ? proc_name(x) : "o" + std::to_string(x - n_); }

  int n_, m_, f_;
  Variant variant_;
  int o_;  // senders outside the group; 0: closed
};

}  // namespace agree::model::isis
