// model/vote.hpp — majority or unanimous vote, the naive protocol.
//
// Coulouris et al., "Coordination and Agreement": every process broadcasts
// its vote (proceed or abort) to the whole group, itself included, and
// decides once it holds N - F votes, F being the number of crashes it must
// tolerate (it cannot wait for more). Under `majority` it proceeds iff
// strictly more of the votes it counted say proceed; under `unanimous` iff all
// do. Two processes that counted different quorums can decide differently
// ("P3 wants to abort but the majority proceeds"): with F > 0 agreement fails.
// With `quorum all` a process waits for every vote, as the course notes'
// unanimous consensus does ("if some process doesn't respond, not gonna get
// all vote"): everyone decides on the same N votes, so agreement holds, but
// one crash before its broadcast leaves everybody waiting: termination fails.
//
// Exactly protocols.md §vote and its conventions for asynchronous models: the
// network is the set of in-flight Vote(p, v) messages, each to one receiver.
//
//   broadcast(p)   p alive, not sent_p -> sent_p; Vote(p, vote_p) to every process
//   tally(q, p)    q receives Vote(p, v) -> if q decided: consumed, nothing else;
//                  else received_q[p] := v and, in the step received_q reaches
//                  N - F entries (quorum all: N), q decides by the rule (a majority tie: abort)
//   crash(p)       p alive, fewer than F crashed -> p crashed; Vote(_, _) to p discarded
//
// Properties: agreement (no two processes, crashed ones included, decided
// differently), validity (if every vote is v, every decision is v),
// termination (in a terminal state every alive process has decided), and the
// reachability check some-decision.
//
// Decisions where protocols.md leaves room:
//   - crash must be below procs: N - F votes must be at least one for the
//     decision step to exist (a ParamError otherwise);
//   - a message to a crashed process is never put in the network (the same
//     states as sending and discarding it at once);
//   - a crashed process keeps the decision it took while alive, and it counts
//     for agreement and validity;
//   - the 2^N initial states are ordered as binary numbers, p0 the most
//     significant digit and proceed before abort; `format_init` prints
//     `votes=proceed,abort,proceed`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"

namespace agree::model::vote {

enum class Vote : std::uint8_t { Proceed, Abort };

// Vote(from, v) to `to`. `v` is vote_from, stored for printing and to keep a
// message self-contained.
struct Message {
  std::uint8_t from;
  std::uint8_t to;
  Vote v;
  auto operator<=>(const Message&) const = default;
  auto fields() const { return std::tie(from, to, v); }
};

struct Proc {
  Vote vote = Vote::Proceed;
  bool sent = false;
  std::vector<std::optional<Vote>> received;  // received_q[p]; nullopt: no entry
  std::optional<Vote> decision;
  bool crashed = false;
  bool operator==(const Proc&) const = default;
  auto fields() const { return std::tie(vote, sent, received, decision, crashed); }
};

struct State {
  std::vector<Proc> procs;
  std::vector<Message> network;  // a set: kept sorted
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(procs, network); }
};

struct Broadcast { int p; bool operator==(const Broadcast&) const = default; };
struct Tally { int q, p; Vote v; bool operator==(const Tally&) const = default; };
struct Crash { int p; bool operator==(const Crash&) const = default; };
using Action = std::variant<Broadcast, Tally, Crash>;

class VoteProtocol {
 public:
  using State = vote::State;
  using Action = vote::Action;
  static constexpr std::string_view kName = "vote";
  static constexpr std::string_view kSummary = "majority or unanimous vote on N - F collected votes";
  static constexpr int kVersion = 1;
  enum class Rule { Majority, Unanimous };
  enum class Quorum { NMinusF, All };

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() { return {"broadcast", "tally", "crash"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit VoteProtocol(const Params& params);
  VoteProtocol(int procs, Rule rule, int crash, Quorum quorum = Quorum::NMinusF)
      : n_(procs), rule_(rule), f_(crash), quorum_(quorum) {}

  [[nodiscard]] std::vector<State> init_states() const;
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State& s) const;
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;

  // Symmetry (model::Symmetric): the processes are interchangeable — every
  // action is the same for each, the 2^N initial states are closed under
  // renaming, and agreement, validity and termination do not name a process.
  // So a state stands for all its renamings. The representative: colour each
  // process by its own fields, refine the colours by what it holds of every
  // other colour (received from, in flight to and from) until they are
  // stable, order the processes by colour, and among the orders that keep
  // equal colours together take the one whose state is least. That is a
  // canonical form (two renamings of a state get the same representative)
  // as long as the equal-colour classes allow at most 720 orders; beyond,
  // the classes keep their order of process ids, which is still a renaming
  // (sound) but may store one class more than once.
  [[nodiscard]] State representative(const State& s) const;

  // Sequence-chart hooks (model/events.hpp): a Vote message per arrow, the
  // decision where it is taken.
  [[nodiscard]] std::vector<std::string> lanes() const;
  // What describe()'s fields mean, for a chart's legend (model/hooks.hpp).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> glossary() const;
  [[nodiscard]] std::vector<Event> events(const State& before, const Action& a, const State& after) const;

  // The rule applied to a full quorum of received votes.
  [[nodiscard]] Vote decide(const std::vector<std::optional<Vote>>& received) const;
  // How many votes a process waits for: N - F, or N under `quorum all`.
  [[nodiscard]] int quorum_size() const { return quorum_ == Quorum::All ? n_ : n_ - f_; }

 private:
  int n_;
  Rule rule_;
  int f_;
  Quorum quorum_;
};

std::string vote_name(Vote v);  // "proceed" | "abort"

}  // namespace agree::model::vote
