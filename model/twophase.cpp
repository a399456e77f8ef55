#include "agree/model/twophase.hpp"

#include <array>
#include <stdexcept>

#include "agree/properties/consensus.hpp"

namespace agree::model::twophase {

std::string rm_name(int r) { return "r" + std::to_string(r + 1); }

std::vector<ParamSpec> TwoPhase::param_specs() {
  return {
      {"rms", "resource managers r1..rK", 3, 1, 16, {}, {}},
      {"variant", "correct, or a known way to get it wrong", 0, 0, 0, {"correct", "eager-commit"}, {}},
  };
}

TwoPhase::TwoPhase(const Params& p)
    : k_(static_cast<int>(p.get("rms"))),
      variant_(p.choice("variant") == "eager-commit" ? Variant::EagerCommit : Variant::Correct) {}

std::vector<State> TwoPhase::init_states() const {
  State s;
  s.rm.assign(static_cast<std::size_t>(k_), RmState::Working);
  return {s};
}

std::uint64_t TwoPhase::pack(const State& s) const {
  std::uint64_t w = 0;
  for (int r = k_ - 1; r >= 0; --r) w = w << 2 | static_cast<std::uint64_t>(s.rm[static_cast<std::size_t>(r)]);
  w |= static_cast<std::uint64_t>(s.tm) << (2 * k_);
  w |= static_cast<std::uint64_t>(s.tm_prepared) << (2 * k_ + 2);
  w |= static_cast<std::uint64_t>(s.msg_prepared) << (3 * k_ + 2);
  w |= static_cast<std::uint64_t>(s.msg_commit) << (4 * k_ + 2);
  w |= static_cast<std::uint64_t>(s.msg_abort) << (4 * k_ + 3);
  return w;
}

State TwoPhase::unpack(std::uint64_t w) const {
  State s;
  const std::uint64_t mask = (std::uint64_t{1} << k_) - 1;
  s.rm.resize(static_cast<std::size_t>(k_));
  for (int r = 0; r < k_; ++r) s.rm[static_cast<std::size_t>(r)] = static_cast<RmState>(w >> (2 * r) & 3);
  s.tm = static_cast<TmState>(w >> (2 * k_) & 3);
  if (s.tm > TmState::Aborted) throw std::invalid_argument("not a packed twophase state");
  s.tm_prepared = static_cast<std::uint32_t>(w >> (2 * k_ + 2) & mask);
  s.msg_prepared = static_cast<std::uint32_t>(w >> (3 * k_ + 2) & mask);
  s.msg_commit = (w >> (4 * k_ + 2) & 1) != 0;
  s.msg_abort = (w >> (4 * k_ + 3) & 1) != 0;
  return s;
}

void TwoPhase::packed_successors(std::uint64_t w, std::vector<PackedStep>& out) const {
  // The layout of pack(): rmState[r] at bit 2r, tmState at 2K, tmPrepared at
  // 2K + 2, Prepared(r) at 3K + 2, Commit at 4K + 2, Abort at 4K + 3.
  const int k = k_;
  const std::uint64_t all = (std::uint64_t{1} << k) - 1;
  const auto tm = static_cast<TmState>(w >> (2 * k) & 3);
  const std::uint64_t tm_prepared = w >> (2 * k + 2) & all, msg_prepared = w >> (3 * k + 2) & all;
  const bool commit = (w >> (4 * k + 2) & 1) != 0, abort = (w >> (4 * k + 3) & 1) != 0;
  const auto step = [&](std::uint64_t next, const auto& a, bool self_loop) {  // with its fairness group
    constexpr auto kind = static_cast<std::uint32_t>(Action(std::decay_t<decltype(a)>{}).index());
    int r = 0;
    if constexpr (requires { a.r; }) r = a.r;
    out.push_back({next, kind, self_loop, group_number(kind, r)});
  };
  const auto set_tm = [&](TmState t) { return (w & ~(std::uint64_t{3} << (2 * k))) | static_cast<std::uint64_t>(t) << (2 * k); };
  if (tm == TmState::Init) {
    const bool ready = variant_ == Variant::EagerCommit ? tm_prepared != 0 : tm_prepared == all;
    if (ready) step(set_tm(TmState::Committed) | std::uint64_t{1} << (4 * k + 2), TMCommit{}, false);
    step(set_tm(TmState::Aborted) | std::uint64_t{1} << (4 * k + 3), TMAbort{}, false);
  }
  for (int r = 0; r < k; ++r) {
    const auto rs = static_cast<RmState>(w >> (2 * r) & 3);
    const auto set_rm = [&](RmState x) { return (w & ~(std::uint64_t{3} << (2 * r))) | static_cast<std::uint64_t>(x) << (2 * r); };
    if (tm == TmState::Init && (msg_prepared >> r & 1))
      step(w | std::uint64_t{1} << (2 * k + 2 + r), TMRcvPrepared{r}, (tm_prepared >> r & 1) != 0);
    if (rs == RmState::Working) {
      step(set_rm(RmState::Prepared) | std::uint64_t{1} << (3 * k + 2 + r), RMPrepare{r}, false);
      step(set_rm(RmState::Aborted), RMChooseToAbort{r}, false);
    }
    if (commit) step(set_rm(RmState::Committed), RMRcvCommitMsg{r}, rs == RmState::Committed);
    if (abort) step(set_rm(RmState::Aborted), RMRcvAbortMsg{r}, rs == RmState::Aborted);
  }
}

void TwoPhase::actions(const State& s, std::vector<Action>& out) const {
  const std::uint32_t all = (1u << k_) - 1;
  if (s.tm == TmState::Init) {
    const bool ready = variant_ == Variant::EagerCommit ? s.tm_prepared != 0 : s.tm_prepared == all;
    if (ready) out.push_back(TMCommit{});
    out.push_back(TMAbort{});
  }
  for (int r = 0; r < k_; ++r) {
    const RmState rs = s.rm[static_cast<std::size_t>(r)];
    if (s.tm == TmState::Init && (s.msg_prepared >> r & 1u)) out.push_back(TMRcvPrepared{r});
    if (rs == RmState::Working) {
      out.push_back(RMPrepare{r});
      out.push_back(RMChooseToAbort{r});
    }
    if (s.msg_commit) out.push_back(RMRcvCommitMsg{r});
    if (s.msg_abort) out.push_back(RMRcvAbortMsg{r});
  }
}

std::optional<State> TwoPhase::next_state(State s, const Action& a) const {
  const State before = s;
  std::visit(overloaded{
                 [&](const TMCommit&) {
                   s.tm = TmState::Committed;
                   s.msg_commit = true;
                 },
                 [&](const TMAbort&) {
                   s.tm = TmState::Aborted;
                   s.msg_abort = true;
                 },
                 [&](const TMRcvPrepared& x) { s.tm_prepared |= 1u << x.r; },
                 [&](const RMPrepare& x) {
                   s.rm[static_cast<std::size_t>(x.r)] = RmState::Prepared;
                   s.msg_prepared |= 1u << x.r;
                 },
                 [&](const RMChooseToAbort& x) { s.rm[static_cast<std::size_t>(x.r)] = RmState::Aborted; },
                 [&](const RMRcvCommitMsg& x) { s.rm[static_cast<std::size_t>(x.r)] = RmState::Committed; },
                 [&](const RMRcvAbortMsg& x) { s.rm[static_cast<std::size_t>(x.r)] = RmState::Aborted; },
             },
             a);
  if (s == before) return std::nullopt;  // a self-loop
  return s;
}

std::string TwoPhase::format_action(const Action& a) const {
  return std::visit(overloaded{
                        [](const TMCommit&) -> std::string { return "TMCommit"; },
                        [](const TMAbort&) -> std::string { return "TMAbort"; },
                        [](const TMRcvPrepared& x) { return "TMRcvPrepared(" + rm_name(x.r) + ")"; },
                        [](const RMPrepare& x) { return "RMPrepare(" + rm_name(x.r) + ")"; },
                        [](const RMChooseToAbort& x) { return "RMChooseToAbort(" + rm_name(x.r) + ")"; },
                        [](const RMRcvCommitMsg& x) { return "RMRcvCommitMsg(" + rm_name(x.r) + ")"; },
                        [](const RMRcvAbortMsg& x) { return "RMRcvAbortMsg(" + rm_name(x.r) + ")"; },
                    },
                    a);
}

Description TwoPhase::describe(const State& s) const {
  static constexpr const char* kRm[] = {"working", "prepared", "committed", "aborted"};
  static constexpr const char* kTm[] = {"init", "committed", "aborted"};
  Description d;
  for (int r = 0; r < k_; ++r)
    d.emplace_back("rmState[" + rm_name(r) + "]", kRm[static_cast<int>(s.rm[static_cast<std::size_t>(r)])]);
  d.emplace_back("tmState", kTm[static_cast<int>(s.tm)]);
  std::string prepared, msgs;
  for (int r = 0; r < k_; ++r) {
    if (s.tm_prepared >> r & 1u) prepared += (prepared.empty() ? "" : ", ") + rm_name(r);
    if (s.msg_prepared >> r & 1u) msgs += (msgs.empty() ? "" : ", ") + ("Prepared(" + rm_name(r) + ")");
  }
  if (s.msg_commit) msgs += (msgs.empty() ? "" : ", ") + std::string("Commit");
  if (s.msg_abort) msgs += (msgs.empty() ? "" : ", ") + std::string("Abort");
  d.emplace_back("tmPrepared", "{" + prepared + "}");
  d.emplace_back("msgs", "{" + msgs + "}");
  return d;
}

std::vector<std::string> TwoPhase::lanes() const {
  std::vector<std::string> out{"TM"};
  for (int r = 0; r < k_; ++r) out.push_back(rm_name(r));
  return out;
}

std::vector<Event> TwoPhase::events(const State& before, const Action& a, const State& after) const {
  std::vector<Event> ev;
  if (before == after) return ev;  // a self-loop: nothing happens
  const auto to_all = [&](const char* label) {
    for (int r = 0; r < k_; ++r) ev.push_back({Event::Send, 0, r + 1, label});
  };
  std::visit(overloaded{
                 [&](const TMCommit&) { ev.push_back({Event::Decide, 0, -1, "commit"}), to_all("Commit"); },
                 [&](const TMAbort&) { ev.push_back({Event::Decide, 0, -1, "abort"}), to_all("Abort"); },
                 [&](const TMRcvPrepared& x) { ev.push_back({Event::Receive, x.r + 1, 0, "Prepared"}); },
                 [&](const RMPrepare& x) { ev.push_back({Event::Send, x.r + 1, 0, "Prepared"}); },
                 [&](const RMChooseToAbort& x) { ev.push_back({Event::Decide, x.r + 1, -1, "abort"}); },
                 [&](const RMRcvCommitMsg& x) {
                   ev.push_back({Event::Receive, 0, x.r + 1, "Commit"});
                   ev.push_back({Event::Decide, x.r + 1, -1, "commit"});
                 },
                 [&](const RMRcvAbortMsg& x) {
                   ev.push_back({Event::Receive, 0, x.r + 1, "Abort"});
                   ev.push_back({Event::Decide, x.r + 1, -1, "abort"});
                 },
             },
             a);
  return ev;
}

std::vector<properties::Property<State>> TwoPhase::properties() const {
  const int k = k_;
  const auto every = [k](const State& s, RmState want) {
    for (int r = 0; r < k; ++r)
      if (s.rm[static_cast<std::size_t>(r)] != want) return false;
    return true;
  };
  using properties::always;
  using properties::sometimes;
  return {
      always<State>("consistency",
                    [k](const State& s) {
                      return properties::consistency(
                          k, [&](int r) { return s.rm[static_cast<std::size_t>(r)] == RmState::Committed; },
                          [&](int r) { return s.rm[static_cast<std::size_t>(r)] == RmState::Aborted; });
                    },
                    "no resource manager committed while another aborted")
          .explained_by([k](const State& s) -> std::string {
            int committed = -1, aborted = -1;
            for (int r = 0; r < k; ++r) {
              if (s.rm[static_cast<std::size_t>(r)] == RmState::Committed && committed < 0) committed = r;
              if (s.rm[static_cast<std::size_t>(r)] == RmState::Aborted && aborted < 0) aborted = r;
            }
            if (committed < 0 || aborted < 0) return "";
            return rm_name(committed) + " committed while " + rm_name(aborted) + " aborted";
          }),
      sometimes<State>("commit-reached", [every](const State& s) { return every(s, RmState::Committed); },
                       "some run commits at every resource manager"),
      sometimes<State>("abort-reached", [every](const State& s) { return every(s, RmState::Aborted); },
                       "some run aborts at every resource manager"),
      properties::eventually<State>("termination",
                                    [k](const State& s) {
                                      for (int r = 0; r < k; ++r)
                                        if (const RmState x = s.rm[static_cast<std::size_t>(r)];
                                            x != RmState::Committed && x != RmState::Aborted)
                                          return false;
                                      return true;
                                    },
                                    "every resource manager eventually commits or aborts")
          .explained_by([k](const State& s) -> std::string {
            std::string who;
            for (int r = 0; r < k; ++r)
              if (const RmState x = s.rm[static_cast<std::size_t>(r)]; x != RmState::Committed && x != RmState::Aborted)
                who += (who.empty() ? "" : ", ") + rm_name(r);
            return who.empty() ? "" : who + " never commits or aborts";
          }),
  };
}

std::uint32_t TwoPhase::fairness_group(const Action& a) const {
  return group_number(static_cast<std::uint32_t>(a.index()), std::visit([](const auto& x) {
    if constexpr (requires { x.r; }) return x.r;
    else return 0;
  }, a));
}

std::string TwoPhase::fairness_group_name(std::uint32_t g) const {
  if (g == 0) return "TMCommit";
  if (g == 1) return "TMAbort";
  const auto k = static_cast<std::uint32_t>(k_);
  return std::string(action_kinds()[2 + (g - 2) / k]) + "(" + rm_name(static_cast<int>((g - 2) % k)) + ")";
}

State TwoPhase::representative(const State& s) const {
  std::array<std::uint8_t, 16> key{};
  for (int r = 0; r < k_; ++r)
    key[static_cast<std::size_t>(r)] = static_cast<std::uint8_t>(static_cast<unsigned>(s.rm[static_cast<std::size_t>(r)]) << 2 |
                                                                 (s.tm_prepared >> r & 1u) << 1 | (s.msg_prepared >> r & 1u));
  std::sort(key.begin(), key.begin() + k_);
  State t = s;
  t.tm_prepared = t.msg_prepared = 0;
  for (int r = 0; r < k_; ++r) {
    const auto v = key[static_cast<std::size_t>(r)];
    t.rm[static_cast<std::size_t>(r)] = static_cast<RmState>(v >> 2);
    t.tm_prepared |= static_cast<std::uint32_t>(v >> 1 & 1u) << r;
    t.msg_prepared |= static_cast<std::uint32_t>(v & 1u) << r;
  }
  return t;
}

}  // namespace agree::model::twophase
