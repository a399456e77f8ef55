// examples/paxos/paxos.hpp — single-decree Paxos, as Lamport's Paxos.tla, with
// bounded ballots. The contract is examples/paxos/SEMANTICS.md; in short:
//
// A acceptors a0..a(A-1), each with maxBal, maxVBal (-1: none) and maxVal
// (-1: none); ballots 0..B-1, each led by its own proposer; values
// v0..v(V-1). `msgs` is the set of messages ever sent (a sorted vector, so
// equal sets encode equally); a receive does not consume, which models loss,
// duplication and reordering. The actions, in the order actions() lists them:
//
//   prepare(b)        1a(b) not in msgs                          -> add 1a(b)
//   promise(a, b)     1a(b) in msgs, b > maxBal[a]               -> maxBal[a] := b;
//                                                                   add 1b(a, b, maxVBal[a], maxVal[a])
//   propose(b, v)     no 2a(b, *) in msgs; some quorum Q all sent 1b(., b, ...), and
//                     of those with mbal >= 0 there is none, or one with the
//                     highest mbal has mval = v                -> add 2a(b, v)
//   accept(a, b, v)   2a(b, v) in msgs, b >= maxBal[a], and the step changes
//                     the state                                -> maxBal[a], maxVBal[a],
//                                                                 maxVal[a] := b, b, v; add 2b(a, b, v)
//
// A quorum is more than A/2 acceptors. Variant forget-promise drops
// `b >= maxBal[a]` from accept (the acceptor may lower maxBal). Properties:
// agreement (always: at most one value chosen), validity (always: a chosen
// value was proposed), chosen (sometimes: some value is chosen).
//
// The guards and the properties read msgs through one pass over it (Seen):
// which 1a, 2a and 2b were sent as bits, and per ballot and acceptor the
// highest mbal of its 1b messages with their values. That is the whole of
// what Phase2a's quorum condition needs (can_propose), so a state's actions
// cost one scan of msgs, not one per quorum and guard (twice as fast on 3/4/2:
// bench/RESULTS.md).
//
// Every guard implies that its step changes the state, so next_state never
// returns a self-loop. kAcyclic is NOT declared, since forget-promise has
// cycles: an acceptor that accepted (0, v0) and then promised 1 may
// accept(a, 0, v0) again (lowering maxBal to 0; 2b(a, 0, v0) is already sent)
// and promise(a, 1) again (re-sending the same 1b(a, 1, 0, v0)): back where it
// was. (In `correct`, (|msgs|, sum of maxBal, sum of maxVBal) rises in every step.)
#pragma once

#include <agree/model/protocol.hpp>
#include <agree/properties/property.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

namespace paxos {

using agree::model::overloaded;

enum class Kind : std::int8_t { P1a, P1b, P2a, P2b };

// One message; the fields a kind does not use stay -1, so identity is exact.
struct Msg {
  Kind kind = Kind::P1a;
  std::int8_t bal = -1, acc = -1, mbal = -1, val = -1;
  auto operator<=>(const Msg&) const = default;
  auto fields() const { return std::tie(kind, bal, acc, mbal, val); }
};
inline Msg m1a(int b) { return {Kind::P1a, std::int8_t(b)}; }
inline Msg m1b(int a, int b, int mb, int mv) {
  return {Kind::P1b, std::int8_t(b), std::int8_t(a), std::int8_t(mb), std::int8_t(mv)};
}
inline Msg m2a(int b, int v) { return {Kind::P2a, std::int8_t(b), -1, -1, std::int8_t(v)}; }
inline Msg m2b(int a, int b, int v) { return {Kind::P2b, std::int8_t(b), std::int8_t(a), -1, std::int8_t(v)}; }

struct Acceptor {
  std::int8_t maxBal = -1, maxVBal = -1, maxVal = -1;
  bool operator==(const Acceptor&) const = default;
  auto fields() const { return std::tie(maxBal, maxVBal, maxVal); }
};

struct State {
  std::vector<Acceptor> acc;  // acc[a]
  std::vector<Msg> msgs;      // sorted, no duplicates: the set
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(acc, msgs); }
  [[nodiscard]] bool has(const Msg& m) const { return std::binary_search(msgs.begin(), msgs.end(), m); }
  void send(const Msg& m) {
    const auto at = std::lower_bound(msgs.begin(), msgs.end(), m);
    if (at == msgs.end() || *at != m) msgs.insert(at, m);
  }
};

struct Prepare { int b; bool operator==(const Prepare&) const = default; };
struct Promise { int a, b; bool operator==(const Promise&) const = default; };
struct Propose { int b, v; bool operator==(const Propose&) const = default; };
struct Accept { int a, b, v; bool operator==(const Accept&) const = default; };

class Paxos {
 public:
  using State = paxos::State;
  using Action = std::variant<Prepare, Promise, Propose, Accept>;
  static constexpr std::string_view kName = "paxos";
  static constexpr std::string_view kSummary = "single-decree Paxos (Paxos.tla), bounded ballots";
  static constexpr int kVersion = 1;

  static std::vector<agree::model::ParamSpec> param_specs() {
    return {
        {"acceptors", "acceptors a0..a(A-1)", 3, 1, 5, {}, {}},
        {"ballots", "ballots 0..B-1, each led by its own proposer", 2, 1, 4, {}, {}},
        {"values", "values v0..v(V-1) a leader may propose", 2, 1, 3, {}, {}},
        {"variant", "correct, or a known way to get it wrong", 0, 0, 0, {"correct", "forget-promise"}, {}},
    };
  }
  explicit Paxos(const agree::model::Params& p)
      : Paxos(int(p.get("acceptors")), int(p.get("ballots")), int(p.get("values")),
              p.choice("variant") == "forget-promise") {}
  Paxos(int acceptors, int ballots, int values, bool forget = false)
      : A(acceptors), B(ballots), V(values), forget_(forget) {}

  [[nodiscard]] std::vector<State> init_states() const { return {State{std::vector<Acceptor>(A), {}}}; }

  void actions(const State& s, std::vector<Action>& out) const {
    const Seen w = seen(s);
    for (int b = 0; b < B; ++b)
      if (!(w.p1a >> b & 1u)) out.push_back(Prepare{b});
    for (int a = 0; a < A; ++a)
      for (int b = 0; b < B; ++b)
        if ((w.p1a >> b & 1u) && b > s.acc[a].maxBal) out.push_back(Promise{a, b});
    for (int b = 0; b < B; ++b)
      for (int v = 0; v < V; ++v)
        if (can_propose(w, b, v)) out.push_back(Propose{b, v});
    for (int a = 0; a < A; ++a)
      for (int b = 0; b < B; ++b)
        for (int v = 0; v < V; ++v)
          if (can_accept(s, w, a, b, v)) out.push_back(Accept{a, b, v});
  }

  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const {
    std::visit(overloaded{
                   [&](const Prepare& x) { s.send(m1a(x.b)); },
                   [&](const Promise& x) {
                     Acceptor& r = s.acc[x.a];
                     s.send(m1b(x.a, x.b, r.maxVBal, r.maxVal));
                     r.maxBal = std::int8_t(x.b);
                   },
                   [&](const Propose& x) { s.send(m2a(x.b, x.v)); },
                   [&](const Accept& x) {
                     s.acc[x.a] = {std::int8_t(x.b), std::int8_t(x.b), std::int8_t(x.v)};
                     s.send(m2b(x.a, x.b, x.v));
                   },
               },
               a);
    return s;  // every guard implies a change: no self-loops
  }

  [[nodiscard]] std::string format_action(const Action& a) const {
    return std::visit(overloaded{
                          [](const Prepare& x) { return "prepare(" + bal(x.b) + ")"; },
                          [](const Promise& x) { return "promise(" + acc(x.a) + ", " + bal(x.b) + ")"; },
                          [](const Propose& x) { return "propose(" + bal(x.b) + ", " + val(x.v) + ")"; },
                          [](const Accept& x) {
                            return "accept(" + acc(x.a) + ", " + bal(x.b) + ", " + val(x.v) + ")";
                          },
                      },
                      a);
  }
  [[nodiscard]] std::string format_init(const State&) const { return "initial"; }

  [[nodiscard]] agree::model::Description describe(const State& s) const {
    agree::model::Description d;
    for (int a = 0; a < A; ++a) {
      const Acceptor& r = s.acc[a];
      d.emplace_back(acc(a), "maxBal " + std::to_string(r.maxBal) + ", maxVBal " + std::to_string(r.maxVBal) +
                                 ", maxVal " + val(r.maxVal));
    }
    std::string text;
    for (const Msg& m : s.msgs) text += (text.empty() ? "" : ", ") + show(m);
    d.emplace_back("msgs", "{" + text + "}");
    return d;
  }

  [[nodiscard]] std::vector<agree::properties::Property<State>> properties() const {
    const Paxos self = *this;
    return {
        agree::properties::always<State>(
            "agreement", [self](const State& s) { return std::popcount(self.chosen(self.seen(s))) <= 1; },
            "at most one value is chosen"),
        agree::properties::always<State>(
            "validity",
            [self](const State& s) {
              const Seen w = self.seen(s);
              return (self.chosen(w) & ~self.proposed(w)) == 0;
            },
            "every chosen value was proposed"),
        agree::properties::sometimes<State>(
            "chosen", [self](const State& s) { return self.chosen(self.seen(s)) != 0; }, "some value is chosen"),
    };
  }

 private:
  [[nodiscard]] bool quorum(unsigned q) const { return std::popcount(q) > A / 2; }

  // What the guards and the properties ask of msgs, gathered in one pass
  // (the bounds are param_specs()'s: A <= 5, B <= 4, V <= 3).
  struct Seen {
    unsigned p1a = 0;              // bit b: 1a(b) sent
    std::uint64_t p2a = 0;         // bit b*V + v: 2a(b, v) sent
    std::uint64_t p2b = 0;         // bit (a*B + b)*V + v: 2b(a, b, v) sent
    unsigned heard[4] = {};        // per b, bit a: some 1b(a, b, ., .) sent
    int top[4][5] = {};            // per (b, a): the highest mbal of those 1b messages
    unsigned top_vals[4][5] = {};  // per (b, a): the values (bits) of the ones with that mbal
  };
  [[nodiscard]] Seen seen(const State& s) const {
    Seen w;
    for (const Msg& m : s.msgs) switch (m.kind) {
        case Kind::P1a: w.p1a |= 1u << m.bal; break;
        case Kind::P2a: w.p2a |= std::uint64_t{1} << (m.bal * V + m.val); break;
        case Kind::P2b: w.p2b |= std::uint64_t{1} << ((m.acc * B + m.bal) * V + m.val); break;
        case Kind::P1b: {
          int& top = w.top[m.bal][m.acc];
          unsigned& vals = w.top_vals[m.bal][m.acc];
          const unsigned val = m.mbal < 0 ? 0u : 1u << m.val;  // mbal -1 comes with no value
          if (!(w.heard[m.bal] >> m.acc & 1u) || m.mbal > top) top = m.mbal, vals = val;
          else if (m.mbal == top) vals |= val;
          w.heard[m.bal] |= 1u << m.acc;
          break;
        }
      }
    return w;
  }

  // Phase2a: ballot b not yet proposed, and some quorum Q whose 1b messages
  // for b (all of them, as Paxos.tla's Q1b) leave v free: no reported vote
  // (mbal >= 0), or v is the value of one with the highest mbal. Q ranges
  // over the quorums among the acceptors heard from for b; the messages of Q
  // with the highest mbal are those of the members whose own highest it is.
  [[nodiscard]] bool can_propose(const Seen& w, int b, int v) const {
    if (w.p2a >> (b * V) & ((1u << V) - 1)) return false;
    const unsigned heard = w.heard[b];
    for (unsigned q = heard; q != 0; q = (q - 1) & heard) {  // every subset of heard
      if (!quorum(q)) continue;
      int top = -1;
      unsigned vals = 0;
      for (int a = 0; a < A; ++a) {
        if (!(q >> a & 1u)) continue;
        if (w.top[b][a] > top) top = w.top[b][a], vals = w.top_vals[b][a];
        else if (w.top[b][a] == top) vals |= w.top_vals[b][a];
      }
      if (top < 0 || (vals >> v & 1u)) return true;
    }
    return false;
  }

  // Phase2b, guarded so that the step changes the state.
  [[nodiscard]] bool can_accept(const State& s, const Seen& w, int a, int b, int v) const {
    const Acceptor& r = s.acc[a];
    if (!(w.p2a >> (b * V + v) & 1u) || (!forget_ && b < r.maxBal)) return false;
    return !(w.p2b >> ((a * B + b) * V + v) & 1u) || r != Acceptor{std::int8_t(b), std::int8_t(b), std::int8_t(v)};
  }

  // The values chosen in s, as a bit set: v such that a quorum sent 2b(., b, v) for one b.
  [[nodiscard]] unsigned chosen(const Seen& w) const {
    unsigned out = 0;
    for (int b = 0; b < B; ++b)
      for (int v = 0; v < V; ++v) {
        unsigned q = 0;
        for (int a = 0; a < A; ++a)
          if (w.p2b >> ((a * B + b) * V + v) & 1u) q |= 1u << a;
        if (quorum(q)) out |= 1u << v;
      }
    return out;
  }
  // The values proposed in s (some 2a(b, v) in msgs), as a bit set.
  [[nodiscard]] unsigned proposed(const Seen& w) const {
    unsigned out = 0;
    for (int b = 0; b < B; ++b) out |= static_cast<unsigned>(w.p2a >> (b * V)) & ((1u << V) - 1);
    return out;
  }

  static std::string acc(int a) { return "a" + std::to_string(a); }
  static std::string bal(int b) { return "b" + std::to_string(b); }
  static std::string val(int v) { return v < 0 ? std::string("none") : "v" + std::to_string(v); }
  static std::string show(const Msg& m) {  // SEMANTICS.md's notation: 1b(a0, 1, -1, none)
    const std::string b = std::to_string(m.bal);
    switch (m.kind) {
      case Kind::P1a: return "1a(" + b + ")";
      case Kind::P1b: return "1b(" + acc(m.acc) + ", " + b + ", " + std::to_string(m.mbal) + ", " + val(m.val) + ")";
      case Kind::P2a: return "2a(" + b + ", " + val(m.val) + ")";
      case Kind::P2b: return "2b(" + acc(m.acc) + ", " + b + ", " + val(m.val) + ")";
    }
    return "?";
  }

  int A, B, V;
  bool forget_;
};

}  // namespace paxos
