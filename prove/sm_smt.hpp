// prove/sm_smt.hpp — SM(m) (protocols.md §sm) as one SMT query.
//
// Rounds are synchronous: a message v:0:j1:...:jk (the commander's signature,
// then k lieutenants') is delivered in round k+1, k = 0..m. One Boolean per
// possible delivery, `got_<v>_<chain>_to_<j>`, for every value v, every chain
// of distinct lieutenants of length 0..m and every lieutenant j not on it.
//
// Free (the adversary): the traitor set (exactly T generals), the commander's
// order, a traitor commander's round-1 messages (any subset of values to each
// lieutenant) and, for every message a traitor lieutenant could relay, whether
// each lieutenant gets it. Constraints (the protocol and the signatures):
//   - a loyal commander signs exactly its order to everybody;
//   - a loyal lieutenant s sends v:0:c:s to every lieutenant not on c:s iff
//     the message v:0:c reached s in the first round in which s saw v (every
//     such message of that round is relayed: they are simultaneous, as in
//     model/sm.hpp) and |c| < m;
//   - a traitor lieutenant t can send v:0:c:t only if it received v:0:c, or
//     c is empty and the commander is a traitor too (it colludes: any value
//     under the commander's signature); nobody can forge a loyal signature.
// A loyal lieutenant's set V is every value delivered to it; it decides the
// value if V holds exactly one, else retreat. The query asks for a run that
// breaks IC1 or IC2; unsat proves both for every traitor set and strategy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agree/prove/smt.hpp"

namespace agree::prove::sm {

struct Config {
  int generals = 3;
  int traitors = 1;
  int rounds = 1;  // m of SM(m)
};
// Throws model::ParamError for values outside the ranges of protocols.md.
void validate(const Config& c);

// A signed message: the value, the lieutenants that signed after the commander.
struct Message {
  bool attack = false;
  std::vector<int> chain;
  int to = 0;
  int round = 1;  // chain.size() + 1
};

struct Witness {
  std::vector<bool> traitor;          // per general
  bool order_attack = false;          // the commander's order
  std::vector<Message> delivered;     // every delivered message, by round then chain then value then receiver
  std::vector<int> values;            // per general: bit 0 retreat in V, bit 1 attack in V (-1 for p0)
  std::vector<int> decision;          // per general: -1 for p0, else 0 retreat / 1 attack
  std::string property;               // "IC1" if broken, else "IC2"
  std::string explanation;
};

struct Result {
  Outcome outcome;
  std::size_t deliveries = 0;  // possible deliveries encoded
  std::optional<Witness> witness;
};

Result prove(const Config& c, const SolveOptions& o);

// "attack:p0:p2:p1 -> p3": one delivery, the message named as model/sm.hpp
// names it (value, then the signers, p0 first).
std::string text(const Message& m);
// The messages traitors sent in the witness (the strategy), one line per
// signed message with all its receivers, as the explicit sm model's action
// and the witness trace write it: "send(attack:p0:p2 > {p1, p3})  (round 2)".
std::vector<std::string> strategy_lines(const Witness& w);

}  // namespace agree::prove::sm
