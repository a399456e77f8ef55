#include "model/vote.hpp"

#include <algorithm>

#include "properties/consensus.hpp"

namespace model::vote {

std::string vote_name(Vote v) { return v == Vote::Proceed ? "proceed" : "abort"; }

std::vector<ParamSpec> VoteProtocol::param_specs() {
  return {
      {"procs", "processes p0..p(N-1), each with a vote", 3, 1, 12, {}, {}},
      {"rule", "how N - F collected votes decide", 0, 0, 0, {"majority", "unanimous"}, {}},
      {"crash", "at most this many crashes; a process decides on N - F votes", 0, 0, 11, {}, {}},
  };
}

VoteProtocol::VoteProtocol(const Params& p)
    : n_(static_cast<int>(p.get("procs"))),
      rule_(p.choice("rule") == "unanimous" ? Rule::Unanimous : Rule::Majority),
      f_(static_cast<int>(p.get("crash"))) {
  if (f_ >= n_)
    throw ParamError("crash: " + std::to_string(f_) + " must be below the " + std::to_string(n_) +
                     " processes (a process decides on N - F >= 1 votes)");
}

std::vector<State> VoteProtocol::init_states() const {
  std::vector<State> out;
  for (std::uint32_t bits = 0; bits < (1u << n_); ++bits) {
    State s;
    s.procs.assign(static_cast<std::size_t>(n_), Proc{});
    for (int p = 0; p < n_; ++p) {
      Proc& x = s.procs[static_cast<std::size_t>(p)];
      x.vote = (bits >> (n_ - 1 - p) & 1u) ? Vote::Abort : Vote::Proceed;
      x.received.assign(static_cast<std::size_t>(n_), std::nullopt);
    }
    out.push_back(std::move(s));
  }
  return out;
}

void VoteProtocol::actions(const State& s, std::vector<Action>& out) const {
  for (int p = 0; p < n_; ++p) {
    const Proc& x = s.procs[static_cast<std::size_t>(p)];
    if (!x.crashed && !x.sent) out.push_back(Broadcast{p});
  }
  for (const Message& m : s.network) out.push_back(Tally{m.to, m.from, m.v});
  const auto crashes = std::count_if(s.procs.begin(), s.procs.end(), [](const Proc& x) { return x.crashed; });
  if (crashes < f_)
    for (int p = 0; p < n_; ++p)
      if (!s.procs[static_cast<std::size_t>(p)].crashed) out.push_back(Crash{p});
}

Vote VoteProtocol::decide(const std::vector<std::optional<Vote>>& received) const {
  int proceed = 0, abort = 0;
  for (const auto& v : received) {
    if (!v) continue;
    (*v == Vote::Proceed ? proceed : abort) += 1;
  }
  if (rule_ == Rule::Unanimous) return abort == 0 ? Vote::Proceed : Vote::Abort;
  return proceed > abort ? Vote::Proceed : Vote::Abort;  // a tie aborts
}

std::optional<State> VoteProtocol::next_state(State s, const Action& a) const {
  std::visit(overloaded{
                 [&](const Broadcast& x) {
                   Proc& p = s.procs[static_cast<std::size_t>(x.p)];
                   p.sent = true;
                   for (int q = 0; q < n_; ++q) {
                     if (s.procs[static_cast<std::size_t>(q)].crashed) continue;  // discarded
                     const Message m{static_cast<std::uint8_t>(x.p), static_cast<std::uint8_t>(q), p.vote};
                     s.network.insert(std::lower_bound(s.network.begin(), s.network.end(), m), m);
                   }
                 },
                 [&](const Tally& x) {
                   const Message m{static_cast<std::uint8_t>(x.p), static_cast<std::uint8_t>(x.q), x.v};
                   s.network.erase(std::lower_bound(s.network.begin(), s.network.end(), m));
                   Proc& q = s.procs[static_cast<std::size_t>(x.q)];
                   if (q.decision) return;  // consumed, not recorded
                   q.received[static_cast<std::size_t>(x.p)] = x.v;
                   const auto entries = std::count_if(q.received.begin(), q.received.end(),
                                                      [](const auto& v) { return v.has_value(); });
                   if (entries == n_ - f_) q.decision = decide(q.received);
                 },
                 [&](const Crash& x) {
                   s.procs[static_cast<std::size_t>(x.p)].crashed = true;
                   std::erase_if(s.network, [&](const Message& m) { return m.to == x.p; });
                 },
             },
             a);
  return s;
}

std::string VoteProtocol::format_action(const Action& a) const {
  return std::visit(overloaded{
                        [](const Broadcast& x) { return "broadcast(" + proc_name(x.p) + ")"; },
                        [](const Tally& x) {
                          return "tally(" + proc_name(x.q) + ", " + proc_name(x.p) + ", " + vote_name(x.v) + ")";
                        },
                        [](const Crash& x) { return "crash(" + proc_name(x.p) + ")"; },
                    },
                    a);
}

std::string VoteProtocol::format_init(const State& s) const {
  std::string out = "votes=";
  for (int p = 0; p < n_; ++p) out += (p ? "," : "") + vote_name(s.procs[static_cast<std::size_t>(p)].vote);
  return out;
}

Description VoteProtocol::describe(const State& s) const {
  Description d;
  for (int p = 0; p < n_; ++p) {
    const Proc& x = s.procs[static_cast<std::size_t>(p)];
    std::string rec;
    for (int q = 0; q < n_; ++q)
      if (const auto& v = x.received[static_cast<std::size_t>(q)])
        rec += (rec.empty() ? "" : ", ") + proc_name(q) + ": " + vote_name(*v);
    d.emplace_back(proc_name(p) + ".vote", vote_name(x.vote));
    d.emplace_back(proc_name(p) + ".sent", x.sent ? "yes" : "no");
    d.emplace_back(proc_name(p) + ".received", "{" + rec + "}");
    d.emplace_back(proc_name(p) + ".decision", x.decision ? vote_name(*x.decision) : "none");
  }
  std::string crashed, net;
  for (int p = 0; p < n_; ++p)
    if (s.procs[static_cast<std::size_t>(p)].crashed) crashed += (crashed.empty() ? "" : ", ") + proc_name(p);
  for (const Message& m : s.network)
    net += (net.empty() ? "" : ", ") + ("Vote(" + proc_name(m.from) + ", " + vote_name(m.v) + ")->" + proc_name(m.to));
  d.emplace_back("crashed", "{" + crashed + "}");
  d.emplace_back("network", "{" + net + "}");
  return d;
}

std::vector<properties::Property<State>> VoteProtocol::properties() const {
  const int n = n_;
  auto decision = [](const State& s) {
    return [&s](int p) { return s.procs[static_cast<std::size_t>(p)].decision; };
  };
  using properties::always;
  using properties::at_terminal;
  using properties::sometimes;
  return {
      always<State>("agreement", [=](const State& s) { return properties::agreement(n, decision(s)); },
                    "no two processes, crashed ones included, decided differently"),
      always<State>("validity",
                    [=](const State& s) {
                      return properties::validity(
                          n, [&](int p) { return s.procs[static_cast<std::size_t>(p)].vote; }, decision(s));
                    },
                    "if every vote is v, every decision is v"),
      at_terminal<State>("termination",
                         [=](const State& s) {
                           return properties::termination(
                               n, [&](int p) { return !s.procs[static_cast<std::size_t>(p)].crashed; }, decision(s));
                         },
                         "in a terminal state every alive process has decided"),
      sometimes<State>("some-decision",
                       [=](const State& s) {
                         return std::any_of(s.procs.begin(), s.procs.end(), [](const Proc& x) { return x.decision.has_value(); });
                       },
                       "some run reaches a decision"),
  };
}

}  // namespace model::vote
