#include "agree/model/vote.hpp"

#include <algorithm>
#include <numeric>

#include "agree/properties/consensus.hpp"

namespace agree::model::vote {

std::string vote_name(Vote v) { return v == Vote::Proceed ? "proceed" : "abort"; }

std::vector<ParamSpec> VoteProtocol::param_specs() {
  return {
      {"procs", "processes p0..p(N-1), each with a vote", 3, 1, 12, {}, {}},
      {"rule", "how the collected votes decide", 0, 0, 0, {"majority", "unanimous"}, {}},
      {"crash", "at most this many crashes", 0, 0, 11, {}, {}},
      {"quorum", "decide on N - F votes (n-f) or wait for every vote (all)", 0, 0, 0, {"n-f", "all"}, {}, true},
  };
}

VoteProtocol::VoteProtocol(const Params& p)
    : n_(static_cast<int>(p.get("procs"))),
      rule_(p.choice("rule") == "unanimous" ? Rule::Unanimous : Rule::Majority),
      f_(static_cast<int>(p.get("crash"))),
      quorum_(p.choice("quorum") == "all" ? Quorum::All : Quorum::NMinusF) {
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
                   if (entries == quorum_size()) q.decision = decide(q.received);
                 },
                 [&](const Crash& x) {
                   s.procs[static_cast<std::size_t>(x.p)].crashed = true;
                   std::erase_if(s.network, [&](const Message& m) { return m.to == x.p; });
                 },
             },
             a);
  return s;
}

std::vector<std::pair<std::string, std::string>> VoteProtocol::glossary() const {
  return {{"sent", "the process has broadcast its vote"},
          {"received", "the votes it has counted, by sender; it decides when it holds " +
                           std::string(quorum_ == Quorum::All ? "N" : "N - F") + " of them"},
          {"decision", "none until the quorum is in; then proceed or abort by the rule"}};
}

std::vector<std::string> VoteProtocol::lanes() const {
  std::vector<std::string> out;
  for (int p = 0; p < n_; ++p) out.push_back(proc_name(p));
  return out;
}

std::vector<Event> VoteProtocol::events(const State& before, const Action& a, const State& after) const {
  std::vector<Event> ev;
  std::visit(overloaded{
                 [&](const Broadcast& x) {
                   const std::string label = "Vote(" + vote_name(before.procs[static_cast<std::size_t>(x.p)].vote) + ")";
                   for (int q = 0; q < n_; ++q)  // a vote to a crashed process is discarded: no arrow
                     if (!before.procs[static_cast<std::size_t>(q)].crashed) ev.push_back({Event::Send, x.p, q, label});
                 },
                 [&](const Tally& x) {
                   ev.push_back({Event::Receive, x.p, x.q, "Vote(" + vote_name(x.v) + ")"});
                   const auto& was = before.procs[static_cast<std::size_t>(x.q)].decision;
                   const auto& now = after.procs[static_cast<std::size_t>(x.q)].decision;
                   if (!was && now) ev.push_back({Event::Decide, x.q, -1, "decide " + vote_name(*now)});
                 },
                 [&](const Crash& x) { ev.push_back({Event::Crash, x.p, -1, "crash"}); },
             },
             a);
  return ev;
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
  const int quorum = quorum_size();
  auto decision = [](const State& s) {
    return [&s](int p) { return s.procs[static_cast<std::size_t>(p)].decision; };
  };
  using properties::always;
  using properties::at_terminal;
  using properties::sometimes;
  std::vector<properties::Property<State>> props{
      always<State>("agreement", [=](const State& s) { return properties::agreement(n, decision(s)); },
                    "no two processes, crashed ones included, decided differently")
          .explained_by([=](const State& s) {
            // Who decided what, and on which votes.
            std::string why = properties::agreement_why(n, decision(s), proc_name, vote_name);
            if (why.empty()) return why;
            for (int p = 0; p < n; ++p) {
              const Proc& x = s.procs[static_cast<std::size_t>(p)];
              if (!x.decision) continue;
              std::string counted;
              for (int q = 0; q < n; ++q)
                if (const auto& v = x.received[static_cast<std::size_t>(q)])
                  counted += (counted.empty() ? "" : ", ") + proc_name(q) + ": " + vote_name(*v);
              why += "; " + proc_name(p) + " counted {" + counted + "}";
            }
            return why;
          }),
      always<State>("validity",
                    [=](const State& s) {
                      return properties::validity(
                          n, [&](int p) { return s.procs[static_cast<std::size_t>(p)].vote; }, decision(s));
                    },
                    "if every vote is v, every decision is v")
          .explained_by([=](const State& s) {
            return properties::validity_why(
                n, [&](int p) { return s.procs[static_cast<std::size_t>(p)].vote; }, decision(s), proc_name, vote_name);
          }),
      at_terminal<State>("termination",
                         [=](const State& s) {
                           return properties::termination(
                               n, [&](int p) { return !s.procs[static_cast<std::size_t>(p)].crashed; }, decision(s));
                         },
                         "in a terminal state every alive process has decided")
          .explained_by([=](const State& s) {
            std::string why = properties::termination_why(
                n, [&](int p) { return !s.procs[static_cast<std::size_t>(p)].crashed; }, decision(s), proc_name);
            if (why.empty()) return why;
            int crashed = 0;
            for (const Proc& x : s.procs) crashed += x.crashed;
            return why + ": each waits for " + std::to_string(quorum) + " votes" +
                   (crashed ? ", and " + std::to_string(crashed) + " of the " + std::to_string(n) + " crashed" : "");
          }),
      sometimes<State>("some-decision",
                       [=](const State& s) {
                         return std::any_of(s.procs.begin(), s.procs.end(), [](const Proc& x) { return x.decision.has_value(); });
                       },
                       "some run reaches a decision"),
  };
  // Liveness (agree check --liveness): termination's predicate is stable (a
  // decision and a crash are for good), so "eventually it holds" is
  // violated exactly where a terminal state violates termination — the
  // liveness check and the terminal-state check must agree (tests/liveness_test.cpp).
  for (const auto& p : std::vector<properties::Property<State>>(props))
    if (p.name == "termination")
      props.push_back(properties::eventually<State>("decision", p.holds, "every process that never crashes eventually decides").explained_by(p.explain));
  return props;
}

// ---- symmetry

namespace {

// What process p holds of process q: q's vote received (1), Vote(q) to p in flight (2).
std::vector<std::uint8_t> relations(const State& s, int n) {
  std::vector<std::uint8_t> rel(static_cast<std::size_t>(n * n), 0);
  for (int p = 0; p < n; ++p)
    for (int q = 0; q < n; ++q)
      if (s.procs[static_cast<std::size_t>(p)].received[static_cast<std::size_t>(q)]) rel[static_cast<std::size_t>(p * n + q)] = 1;
  for (const Message& m : s.network) rel[static_cast<std::size_t>(m.to * n + m.from)] |= 2;
  return rel;
}

std::uint8_t own_fields(const Proc& x) {
  const int decision = x.decision ? 1 + static_cast<int>(*x.decision) : 0;
  return static_cast<std::uint8_t>(static_cast<int>(x.vote) | x.sent << 1 | x.crashed << 2 | decision << 3);
}

// The state renamed so that new process i is old process order[i].
State renamed(const State& s, const std::vector<int>& order) {
  const auto n = order.size();
  std::vector<std::uint8_t> inv(n);
  for (std::size_t i = 0; i < n; ++i) inv[static_cast<std::size_t>(order[i])] = static_cast<std::uint8_t>(i);
  State t;
  t.procs.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Proc& x = s.procs[static_cast<std::size_t>(order[i])];
    Proc& y = t.procs[i];
    y = x;
    for (std::size_t j = 0; j < n; ++j) y.received[j] = x.received[static_cast<std::size_t>(order[j])];
  }
  t.network.reserve(s.network.size());
  for (const Message& m : s.network) t.network.push_back({inv[m.from], inv[m.to], m.v});
  std::sort(t.network.begin(), t.network.end());
  return t;
}

// A total order on states of one configuration, for the least renaming.
bool less(const State& a, const State& b) {
  for (std::size_t i = 0; i < a.procs.size(); ++i)
    if (a.procs[i] != b.procs[i]) return a.procs[i].fields() < b.procs[i].fields();
  return a.network < b.network;
}

}  // namespace

State VoteProtocol::representative(const State& s) const {
  const int n = n_;
  const auto rel = relations(s, n);
  // Colour refinement: a colour is the rank of a signature among this state's signatures.
  std::vector<int> colour(static_cast<std::size_t>(n));
  for (int p = 0; p < n; ++p) colour[static_cast<std::size_t>(p)] = own_fields(s.procs[static_cast<std::size_t>(p)]);
  for (int classes = 0;;) {
    std::vector<std::vector<int>> sig(static_cast<std::size_t>(n));
    for (int p = 0; p < n; ++p) {
      auto& g = sig[static_cast<std::size_t>(p)];
      for (int q = 0; q < n; ++q)
        g.push_back(colour[static_cast<std::size_t>(q)] << 8 | rel[static_cast<std::size_t>(p * n + q)] << 4 |
                    rel[static_cast<std::size_t>(q * n + p)] << 2 | (p == q));
      std::sort(g.begin(), g.end());
      g.insert(g.begin(), colour[static_cast<std::size_t>(p)]);
    }
    auto distinct = sig;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (int p = 0; p < n; ++p)
      colour[static_cast<std::size_t>(p)] =
          static_cast<int>(std::lower_bound(distinct.begin(), distinct.end(), sig[static_cast<std::size_t>(p)]) - distinct.begin());
    if (static_cast<int>(distinct.size()) == classes) break;
    classes = static_cast<int>(distinct.size());
  }
  // Processes by colour (then id); the runs of equal colour may be reordered.
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return colour[static_cast<std::size_t>(a)] < colour[static_cast<std::size_t>(b)]; });
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // [first, last) in order
  std::uint64_t orders = 1;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && colour[static_cast<std::size_t>(order[j])] == colour[static_cast<std::size_t>(order[i])]) ++j;
    if (j - i > 1) runs.emplace_back(i, j);
    for (std::size_t k = 2; k <= j - i && orders <= 720; ++k) orders *= k;
    i = j;
  }
  State best = renamed(s, order);
  if (runs.empty() || orders > 720) return best;
  // Every order within the runs, as an odometer of next_permutation (each run starts sorted).
  for (;;) {
    std::size_t r = 0;
    while (r < runs.size() && !std::next_permutation(order.begin() + static_cast<std::ptrdiff_t>(runs[r].first),
                                                     order.begin() + static_cast<std::ptrdiff_t>(runs[r].second)))
      ++r;  // this run wrapped round to sorted: carry to the next
    if (r == runs.size()) return best;
    State t = renamed(s, order);
    if (less(t, best)) best = std::move(t);
  }
}

}  // namespace agree::model::vote
