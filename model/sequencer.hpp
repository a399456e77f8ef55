// model/sequencer.hpp — total order by asking a sequencer for a ticket.
//
// Coulouris et al., "Coordination and Agreement": a member that wants to
// multicast m asks the sequencer s for a ticket; s hands out tickets 0, 1, 2,
// ... in the order requests arrive; the member then multicasts Data(m, t) to
// the group, and each member holds messages back until it has delivered every
// ticket below t. The ticket order is the total order.
//
// Exactly protocols.md §sequencer: members p0..p(N-1), message m_i multicast
// by p(i mod N), s a separate process that can crash too. One step is a local
// action (ask), the receipt of one in-flight message with its handler run
// atomically, or a crash.
//
// Open groups (protocols.md §Open groups, `senders S >= 1`): o0..o(S-1) are
// processes outside the group and m_i is multicast by o(i mod S). A sender
// asks, and on its Grant sends Data to every member (not to itself); it
// receives no Data and delivers nothing. It can crash like anyone else. With
// S = 0 (the default) the group is closed and nothing changes.
//
// Process indices (in `crashed`, Message::to and Crash::x): members 0..N-1,
// s at N, senders at N+1..N+S.
//
//   ask(m)          sender alive, status idle   -> asked; Request(m) to s
//   grant(m)        s receives Request(m)        -> Grant(m, next) to the sender; next += 1
//   multicast(m,t)  sender receives Grant(m, t)  -> sent; Data(m, t) to every member
//   receive(q,m,t)  q receives Data(m, t)        -> hold back (t, m), then deliver in ticket order
//                   (variant no-holdback: deliver m at once)
//   crash(x)        x a member or s, alive, fewer than F crashed
//
// Decisions where protocols.md leaves room (none changes a count):
//   - a message to a crashed process is never put in the network;
//   - in no-holdback, expected_q and holdback_q stay at their initial values.
//
// Storage: every per-message and per-process field has a bound fixed by the
// parameters' upper limits (kMaxMsgs messages, kMaxProcesses processes), so
// it lives inline (model/small_vector.hpp) and copying a state to step it
// copies flat blocks (a Member is trivially copyable) and the network. A
// SmallVector encodes as a vector: fingerprints, traces and checkpoints are
// those of the std::vector fields it replaced (0.5.17).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"
#include "agree/model/small_vector.hpp"

namespace agree::model::sequencer {

inline constexpr std::size_t kMaxMsgs = 16;     // the limit of `msgs`
inline constexpr std::size_t kMaxMembers = 16;  // of `procs`
inline constexpr std::size_t kMaxSenders = 16;  // of `senders`
inline constexpr std::size_t kMaxProcesses = kMaxMembers + 1 + kMaxSenders;  // members, s, senders

enum class Status : std::uint8_t { Idle, Asked, Sent };
enum class Kind : std::uint8_t { Request, Grant, Data };

// An in-flight message. Request and Grant travel between m's sender and s;
// Data(m, t) goes from m's sender to member `to`. No two in flight are equal.
struct Message {
  Kind kind;
  std::uint8_t m;
  std::uint8_t ticket;  // Grant and Data; 0 for Request
  std::uint8_t to;      // the receiver: a member, or N for s
  auto operator<=>(const Message&) const = default;
  auto fields() const { return std::tie(kind, m, ticket, to); }
};

// A message held back at a member: its ticket and which message it is.
struct Held {
  std::uint8_t ticket, m;
  auto operator<=>(const Held&) const = default;
  auto fields() const { return std::tie(ticket, m); }
};

struct Member {
  std::uint8_t expected = 0;                                  // next ticket to deliver
  SmallVector<Held, kMaxMsgs> holdback;           // sorted by ticket
  SmallVector<std::uint8_t, kMaxMsgs> delivered;  // each message at most once
  bool operator==(const Member&) const = default;
  auto fields() const { return std::tie(expected, holdback, delivered); }
};
static_assert(std::is_trivially_copyable_v<Member>, "a Member is copied as a flat block");

struct State {
  std::uint8_t next = 0;               // the sequencer's next ticket
  SmallVector<Status, kMaxMsgs> status;               // per message, at its sender
  std::vector<Member> members;                        // Members are flat: one block to copy
  SmallVector<std::uint8_t, kMaxProcesses> crashed;   // members 0..N-1, s at index N, then senders o0..o(S-1)
  std::vector<Message> network;        // a set: kept sorted
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(next, status, members, crashed, network); }
};

struct Ask { int m; bool operator==(const Ask&) const = default; };
struct Grant { int m; bool operator==(const Grant&) const = default; };
struct Multicast { int m, ticket; bool operator==(const Multicast&) const = default; };
struct Receive { int q, m, ticket; bool operator==(const Receive&) const = default; };
struct Crash { int x; bool operator==(const Crash&) const = default; };
using Action = std::variant<Ask, Grant, Multicast, Receive, Crash>;

class Sequencer {
 public:
  using State = sequencer::State;
  using Action = sequencer::Action;
  static constexpr std::string_view kName = "sequencer";
  static constexpr std::string_view kSummary = "total-order multicast through a sequencer that hands out tickets";
  static constexpr int kVersion = 1;
  enum class Variant { Correct, NoHoldback };

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() { return {"ask", "grant", "multicast", "receive", "crash"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit Sequencer(const Params& params);
  Sequencer(int procs, int msgs, int crash, Variant variant, int senders = 0)
      : n_(procs), m_(msgs), f_(crash), variant_(variant), o_(senders) {}

  [[nodiscard]] std::vector<State> init_states() const;
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State&) const { return "initial"; }
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;
  // Partial-order reduction (checker/por.hpp): among the actions that are not
  // crashes, ask(m) and multicast(m, t) each form a persistent set alone (the
  // only actions on m's status, and they only add messages), and so does
  // receive(q, m, t) in the correct variant: receipts at q commute (the queue
  // delivers in ticket order whatever order the tickets arrive in) and touch
  // nothing outside q. In no-holdback the order of receipts is the delivery
  // order, so receive is never chosen; grant never is (it takes a ticket).
  [[nodiscard]] std::optional<std::size_t> persistent(const State& s, const std::vector<Action>& enabled) const;
  // Crash-stop faults for the reduction (checker/por.hpp, model::CrashStop):
  // ask and multicast are the sender's, grant is s's, receive(q, ...) is q's.
  // A crash commutes with every other process's action: a message to the
  // crashed process is never put in the network and those in flight are
  // dropped, and no guard reads another process's crashed flag.
  [[nodiscard]] Actor actor(const Action& a) const;
  [[nodiscard]] CrashCount crash_count(const State& s) const;
  // No run returns to a state it left: every action asks, grants a ticket,
  // sends, consumes, delivers or crashes, each of which only grows a count
  // (tickets granted, messages sent, consumed, delivered, processes crashed).
  // So the reduction needs no cycle proviso (checker/por.hpp).
  static constexpr bool kAcyclic = true;
  // A crash bound of every process makes termination vacuous: crash stays
  // enabled until F processes crashed, so every terminal state has nobody alive.
  [[nodiscard]] std::vector<std::string> warnings() const;
  // What describe()'s fields mean, for a chart's legend (model/hooks.hpp).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> glossary() const;
  // Sequence-chart hooks (model/events.hpp).
  [[nodiscard]] std::vector<std::string> lanes() const;
  [[nodiscard]] std::vector<Event> events(const State& before, const Action& a, const State& after) const;

  [[nodiscard]] int procs() const { return n_; }
  [[nodiscard]] int msgs() const { return m_; }
  [[nodiscard]] int senders() const { return o_; }
  // m's sender: a member in a closed group, o(m mod S) in an open one.
  [[nodiscard]] int sender(int m) const { return o_ ? n_ + 1 + m % o_ : m % n_; }
  [[nodiscard]] int seq_id() const { return n_; }  // s's index in `crashed`
  [[nodiscard]] int processes() const { return n_ + 1 + o_; }  // members, s and senders

 private:
  void send(State& s, Message msg) const;
  [[nodiscard]] std::string why_stuck(const State& s) const;  // Property::explain of termination
  [[nodiscard]] std::string name(int x) const {
    return x < n_ ? proc_name(x) : x == n_ ? "s" : "o" + std::to_string(x - n_ - 1);
  }

  int n_, m_, f_;
  Variant variant_;
  int o_;  // senders outside the group; 0: closed
};

}  // namespace agree::model::sequencer
