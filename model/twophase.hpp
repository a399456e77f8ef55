// model/twophase.hpp — two-phase commit, exactly as Lamport's TwoPhase.tla.
//
// A transaction manager (TM) and K resource managers (RMs r1..rK). Each RM
// either prepares (and tells the TM) or spontaneously aborts; the TM commits
// once every RM has prepared, or aborts at any time before that; RMs then
// follow the TM's Commit or Abort message. Messages are never removed from
// `msgs`, so a receive can happen again: the specification's actions are
// guarded by the message being there, not by the RM's own state.
//
// Exactly protocols.md §twophase, in the order of TwoPhase.tla's Next:
//
//   TMCommit             tmState = init, tmPrepared = all RMs -> tmState := committed; add Commit
//                        (variant eager-commit: tmPrepared non-empty suffices)
//   TMAbort              tmState = init                        -> tmState := aborted; add Abort
//   TMRcvPrepared(r)     tmState = init, Prepared(r) in msgs   -> add r to tmPrepared
//   RMPrepare(r)         rmState[r] = working                  -> prepared; add Prepared(r)
//   RMChooseToAbort(r)   rmState[r] = working                  -> aborted
//   RMRcvCommitMsg(r)    Commit in msgs                        -> rmState[r] := committed
//   RMRcvAbortMsg(r)     Abort in msgs                         -> rmState[r] := aborted
//
// Property: consistency (no RM committed while another aborted). There is no
// terminal-state property: once the TM has decided, the receive actions stay
// enabled forever (as self-loops), so no state is terminal and none is a
// deadlock.
//
// Liveness (checker/liveness.hpp, `agree check twophase --liveness`):
// termination, eventually every RM has committed or aborted. Fairness is
// per action instance (TMCommit, TMAbort, and each of the five RM and receive
// actions for each r: 2 + 5K groups), weak by default, as TwoPhase.tla's
// WF_vars on each action. Under weak fairness it holds (a working RM is
// enabled to act until it does, the TM can always abort until it decides,
// and a decided TM's message stays); with none it fails by a stuttering
// lasso: RMPrepare(r1), then TMRcvPrepared(r1) repeated forever as a
// self-loop while nobody else moves.
//
// Decisions where protocols.md leaves room (none changes a count):
//   - an action whose guard holds but whose effect changes nothing (a second
//     TMRcvPrepared(r), RMRcvCommitMsg(r) at a committed RM, ...) is listed as
//     enabled and `next_state` returns std::nullopt: a self-loop, as in TLC;
//   - `msgs` is stored as the bit set of Prepared(r) plus two flags, Commit and
//     Abort: the same set, canonical by construction;
//   - RMs print as r1..rK, as in TwoPhase.tla's model values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"
#include "agree/model/small_vector.hpp"

namespace agree::model::twophase {

enum class RmState : std::uint8_t { Working, Prepared, Committed, Aborted };
enum class TmState : std::uint8_t { Init, Committed, Aborted };

struct State {
  SmallVector<RmState, 16> rm;     // rmState[r]; inline, so a copy allocates nothing
  TmState tm = TmState::Init;      // tmState
  std::uint32_t tm_prepared = 0;   // tmPrepared: bit r
  std::uint32_t msg_prepared = 0;  // Prepared(r) in msgs: bit r
  bool msg_commit = false;         // Commit in msgs
  bool msg_abort = false;          // Abort in msgs
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(rm, tm, tm_prepared, msg_prepared, msg_commit, msg_abort); }
};

struct TMCommit { bool operator==(const TMCommit&) const = default; };
struct TMAbort { bool operator==(const TMAbort&) const = default; };
struct TMRcvPrepared { int r; bool operator==(const TMRcvPrepared&) const = default; };
struct RMPrepare { int r; bool operator==(const RMPrepare&) const = default; };
struct RMChooseToAbort { int r; bool operator==(const RMChooseToAbort&) const = default; };
struct RMRcvCommitMsg { int r; bool operator==(const RMRcvCommitMsg&) const = default; };
struct RMRcvAbortMsg { int r; bool operator==(const RMRcvAbortMsg&) const = default; };
using Action = std::variant<TMCommit, TMAbort, TMRcvPrepared, RMPrepare, RMChooseToAbort, RMRcvCommitMsg, RMRcvAbortMsg>;

class TwoPhase {
 public:
  using State = twophase::State;
  using Action = twophase::Action;
  static constexpr std::string_view kName = "twophase";
  static constexpr std::string_view kSummary = "two-phase commit, as Lamport's TwoPhase.tla";
  static constexpr int kVersion = 1;
  enum class Variant { Correct, EagerCommit };

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() {
    return {"TMCommit", "TMAbort", "TMRcvPrepared", "RMPrepare", "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg"};
  }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit TwoPhase(const Params& params);
  TwoPhase(int rms, Variant variant) : k_(rms), variant_(variant) {}

  [[nodiscard]] std::vector<State> init_states() const;
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State&) const { return "initial"; }
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;
  // Fairness groups (model/protocol.hpp): one per action instance, numbered
  // 0 TMCommit, 1 TMAbort, then 2 + (kind - 2) * K + r for the others.
  static constexpr properties::Fairness kFairness = properties::Fairness::Weak;
  [[nodiscard]] std::uint32_t fairness_group(const Action& a) const;
  [[nodiscard]] std::string fairness_group_name(std::uint32_t g) const;
  // Symmetry: the RMs are interchangeable (no action or property names one in
  // particular), so the representative sorts them by what the state says of
  // each: (rmState, in tmPrepared, Prepared(r) in msgs).
  [[nodiscard]] State representative(const State& s) const;
  // Packing (model::Packable): 2 bits of rmState per RM, 2 of tmState, then
  // tmPrepared, Prepared(r) in msgs, Commit, Abort: 4K + 4 bits, one word up to K = 14.
  [[nodiscard]] int packed_bits() const { return 4 * k_ + 4 <= 63 ? 4 * k_ + 4 : 0; }
  [[nodiscard]] std::uint64_t pack(const State& s) const;
  [[nodiscard]] State unpack(std::uint64_t w) const;
  // actions() and next_state() on the packed word (model::PackedSuccessors).
  void packed_successors(std::uint64_t w, std::vector<PackedStep>& out) const;

  [[nodiscard]] int rms() const { return k_; }

  // Sequence-chart hooks (model/events.hpp): lane 0 is the TM, lane r + 1 the
  // RM r. Prepared(r) goes from r to the TM, Commit and Abort from the TM to
  // every RM; a receipt that changes nothing (TwoPhase.tla keeps every
  // message, so receipts can repeat) draws no arrow.
  [[nodiscard]] std::vector<std::string> lanes() const;
  [[nodiscard]] std::vector<Event> events(const State& before, const Action& a, const State& after) const;

 private:
  [[nodiscard]] std::uint32_t group_number(std::uint32_t kind, int r) const {
    return kind < 2 ? kind : 2 + (kind - 2) * static_cast<std::uint32_t>(k_) + static_cast<std::uint32_t>(r);
  }
  int k_;
  Variant variant_;
};

std::string rm_name(int r);  // "r1" for r = 0

}  // namespace agree::model::twophase
