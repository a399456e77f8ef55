#include "agree/model/floodset.hpp"

#include <algorithm>
#include <bit>

#include "agree/properties/consensus.hpp"

namespace agree::model::floodset {

std::vector<ParamSpec> FloodSet::param_specs() {
  return {
      {"procs", "processes p0..p(N-1), each with an input 0 or 1", 3, 2, 8, {}, {}},
      {"crash", "at most this many crashes (below procs)", 1, 0, 7, {}, {}},
      {"rounds", "synchronous rounds before deciding", kAuto, 0, 8, {}, "crash+1"},
  };
}

FloodSet::FloodSet(const Params& p)
    : n_(static_cast<int>(p.get("procs"))),
      f_(static_cast<int>(p.get("crash"))),
      r_(p.is_auto("rounds") ? f_ + 1 : static_cast<int>(p.get("rounds"))) {
  if (f_ >= n_)
    throw ParamError("crash: " + std::to_string(f_) + " must be below the " + std::to_string(n_) + " processes");
}

std::vector<State> FloodSet::init_states() const {
  std::vector<State> out;
  for (std::uint32_t bits = 0; bits < (1u << n_); ++bits) {
    State s;
    s.procs.assign(static_cast<std::size_t>(n_), Proc{});
    for (int p = 0; p < n_; ++p) s.procs[static_cast<std::size_t>(p)].w = static_cast<std::uint8_t>(1u << (bits >> (n_ - 1 - p) & 1u));
    out.push_back(std::move(s));
  }
  return out;
}

void FloodSet::actions(const State& s, std::vector<Action>& out) const {
  if (s.round >= r_) return;
  std::uint32_t alive = 0;
  for (int p = 0; p < n_; ++p)
    if (s.procs[static_cast<std::size_t>(p)].alive) alive |= 1u << p;
  const int crashed = n_ - std::popcount(alive);
  for (std::uint32_t c = 0; c < (1u << n_); ++c) {
    if ((c & ~alive) != 0 || crashed + std::popcount(c) > f_) continue;
    const std::uint32_t survivors = alive & ~c;
    Round a{s.round + 1, c, std::vector<std::uint32_t>(static_cast<std::size_t>(std::popcount(c)), 0)};
    while (true) {
      out.push_back(a);
      // Next S: a mixed-radix counter whose digits are the subsets of the
      // survivors, each in increasing order ((x - m) & m is the next subset).
      std::size_t i = 0;
      for (; i < a.reach.size(); ++i) {
        a.reach[i] = (a.reach[i] - survivors) & survivors;
        if (a.reach[i] != 0) break;
      }
      if (i == a.reach.size()) break;
    }
  }
}

std::optional<State> FloodSet::next_state(State s, const Action& action) const {
  const Round& a = std::get<Round>(action);
  const State before = s;
  // What each survivor receives: W of every sender, as at the start of the round.
  std::vector<int> crashing;
  for (int p = 0; p < n_; ++p)
    if (a.crash >> p & 1u) crashing.push_back(p);
  for (int q = 0; q < n_; ++q) {
    Proc& to = s.procs[static_cast<std::size_t>(q)];
    if (!to.alive || (a.crash >> q & 1u)) continue;
    for (int p = 0; p < n_; ++p) {
      const Proc& from = before.procs[static_cast<std::size_t>(p)];
      if (!from.alive) continue;
      bool gets = true;
      if (a.crash >> p & 1u) {
        const auto i = static_cast<std::size_t>(std::find(crashing.begin(), crashing.end(), p) - crashing.begin());
        gets = (a.reach[i] >> q & 1u) != 0;
      }
      if (gets) to.w |= from.w;
    }
  }
  for (const int p : crashing) s.procs[static_cast<std::size_t>(p)].alive = false;
  s.round = static_cast<std::uint8_t>(s.round + 1);
  if (s.round == r_)
    for (Proc& p : s.procs)
      if (p.alive) p.decision = static_cast<std::int8_t>(p.w == 0b10 ? 1 : 0);  // |W| = 1: its value; else 0
  return s;
}

namespace {
std::string set_text(std::uint32_t bits, int n) {
  std::string out;
  for (int p = 0; p < n; ++p)
    if (bits >> p & 1u) out += (out.empty() ? "" : ",") + proc_name(p);
  return "{" + out + "}";
}
std::string w_text(std::uint8_t w) {
  return w == 0b01 ? "{0}" : w == 0b10 ? "{1}" : w == 0b11 ? "{0,1}" : "{}";
}
}  // namespace

std::string FloodSet::format_action(const Action& action) const {
  const Round& a = std::get<Round>(action);
  std::string out = "round(" + std::to_string(a.number) + ": ";
  if (a.crash == 0) return out + "no crash)";
  out += "crash ";
  std::size_t i = 0;
  for (int p = 0; p < n_; ++p)
    if (a.crash >> p & 1u) {
      out += (i ? ", " : "") + proc_name(p) + "->" + set_text(a.reach[i], n_);
      ++i;
    }
  return out + ")";
}

std::string FloodSet::format_init(const State& s) const {
  std::string out = "inputs=";
  for (int p = 0; p < n_; ++p) out += (p ? "," : "") + std::string(s.procs[static_cast<std::size_t>(p)].w == 0b10 ? "1" : "0");
  return out;
}

Description FloodSet::describe(const State& s) const {
  Description d;
  d.emplace_back("round", std::to_string(s.round));
  for (int p = 0; p < n_; ++p) {
    const Proc& x = s.procs[static_cast<std::size_t>(p)];
    d.emplace_back(proc_name(p) + ".W", w_text(x.w));
    d.emplace_back(proc_name(p) + ".alive", x.alive ? "yes" : "no");
    d.emplace_back(proc_name(p) + ".decision", x.decision < 0 ? "none" : std::to_string(x.decision));
  }
  return d;
}

std::vector<std::string> FloodSet::lanes() const {
  std::vector<std::string> out;
  for (int p = 0; p < n_; ++p) out.push_back(proc_name(p));
  return out;
}

std::vector<Event> FloodSet::events(const State& before, const Action& action, const State& after) const {
  const Round& a = std::get<Round>(action);
  std::vector<Event> ev;
  std::size_t crashing = 0;  // index into a.reach of the next crashing process
  for (int p = 0; p < n_; ++p) {
    const Proc& from = before.procs[static_cast<std::size_t>(p)];
    if (!from.alive) continue;
    const bool crashes = a.crash >> p & 1u;
    const std::uint32_t reach = crashes ? a.reach[crashing++] : ~0u;
    const std::string label = "W=" + w_text(from.w);
    for (int q = 0; q < n_; ++q)
      if (q != p && after.procs[static_cast<std::size_t>(q)].alive && (reach >> q & 1u)) {
        ev.push_back({Event::Send, p, q, label});
        ev.push_back({Event::Receive, p, q, label});
      }
  }
  for (int p = 0; p < n_; ++p)
    if (a.crash >> p & 1u) ev.push_back({Event::Crash, p, -1, "crash"});
  for (int p = 0; p < n_; ++p) {
    const Proc& x = after.procs[static_cast<std::size_t>(p)];
    if (x.alive && x.decision >= 0 && before.procs[static_cast<std::size_t>(p)].decision < 0)
      ev.push_back({Event::Decide, p, -1, "decide " + std::to_string(x.decision)});
  }
  return ev;
}

std::vector<properties::Property<State>> FloodSet::properties() const {
  const int n = n_;
  auto decision = [](const State& s) {
    return [&s](int p) -> std::optional<int> {
      const Proc& x = s.procs[static_cast<std::size_t>(p)];
      if (!x.alive || x.decision < 0) return std::nullopt;
      return x.decision;
    };
  };
  using properties::always;
  using properties::at_terminal;
  using properties::sometimes;
  std::vector<properties::Property<State>> props{
      always<State>("agreement", [=](const State& s) { return properties::agreement(n, decision(s)); },
                    "no two processes alive at the end decided differently")
          .explained_by([=](const State& s) {
            std::string why = properties::agreement_why(n, decision(s), proc_name, [](int v) { return std::to_string(v); });
            if (why.empty()) return why;
            for (int p = 0; p < n; ++p)
              if (decision(s)(p)) why += "; " + proc_name(p) + " saw W = " + w_text(s.procs[static_cast<std::size_t>(p)].w);
            return why;
          }),
      always<State>("validity",
                    [=](const State& s) {
                      std::uint8_t inputs = 0;  // the union of every W is the set of inputs
                      for (const Proc& x : s.procs) inputs |= x.w;
                      std::optional<int> common;
                      if (inputs == 0b01) common = 0;
                      if (inputs == 0b10) common = 1;
                      return properties::validity_given(n, common, decision(s));
                    },
                    "if every input is v, every decision is v"),
      at_terminal<State>("termination",
                         [=](const State& s) {
                           return properties::termination(
                               n, [&](int p) { return s.procs[static_cast<std::size_t>(p)].alive; }, decision(s));
                         },
                         "in a terminal state every alive process has decided")
          .explained_by([=](const State& s) {
            return properties::termination_why(
                n, [&](int p) { return s.procs[static_cast<std::size_t>(p)].alive; }, decision(s), proc_name);
          }),
      sometimes<State>("some-decision",
                       [](const State& s) {
                         for (const Proc& x : s.procs)
                           if (x.decision >= 0) return true;
                         return false;
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

State FloodSet::representative(const State& s) const {
  State t = s;
  std::sort(t.procs.begin(), t.procs.end(), [](const Proc& a, const Proc& b) { return a.fields() < b.fields(); });
  return t;
}

}  // namespace agree::model::floodset
