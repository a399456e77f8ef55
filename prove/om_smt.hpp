// prove/om_smt.hpp — OM(m) (protocols.md §om) as one SMT query.
//
// Free variables (the adversary): which generals are traitors (exactly T of
// them, a pseudo-Boolean constraint), the commander's order, and for every
// message of the OM(m) tree a value `lie_<path>_<to>` that is what the message
// carries when its sender is a traitor. Constraints (the protocol): every
// message carries `ite(traitor(sender), lie, loyal value)`, where the loyal
// value is the commander's order for the path (0) and otherwise the value the
// sender received for the path without itself; every lieutenant's value for a
// path follows the OM(m) recursion — the value it received at the leaves, the
// strict majority of what it received and its values for the extended paths
// above them, ties to retreat; its decision is its value for (0).
// The query asks for a run in which two loyal lieutenants decide differently
// (IC1) or a loyal commander is disobeyed by a loyal lieutenant (IC2):
// unsat proves both properties for every traitor set and every strategy.
//
// Values: true is attack, false is retreat.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agree/prove/eig.hpp"
#include "agree/prove/smt.hpp"

namespace agree::prove::om {

struct Config {
  int generals = 4;
  int traitors = 1;
  int rounds = 1;  // m of OM(m)
};
// Throws model::ParamError for values outside the ranges of protocols.md.
void validate(const Config& c);

struct Message {
  Path path;
  int to = 0;
  bool attack = false;  // the value it carries
  bool from_traitor = false;
  bool loyal_attack = false;  // what a loyal sender would have sent
};

struct Witness {
  std::vector<bool> traitor;          // per general
  bool order_attack = false;          // the commander's order
  std::vector<Message> messages;      // every message, canonical order (prove/eig.hpp)
  std::vector<int> decision;          // per general: -1 for p0, else 0 retreat / 1 attack
  std::string property;               // "IC1" if broken, else "IC2"
  std::string explanation;            // "p1 decides attack, p2 decides retreat"
};

struct Result {
  Outcome outcome;
  std::size_t messages = 0;           // size of the encoded tree
  std::optional<Witness> witness;     // on sat
};

Result prove(const Config& c, const SolveOptions& o);

// The OM(m) decisions of every lieutenant from the values carried by every
// message (indexed as Eig(generals, rounds+1).msgs()): plain evaluation, used
// to double-check each witness. Entry 0 (the commander) is -1.
std::vector<int> decisions(const Config& c, const std::vector<bool>& carried);

// Which property a run breaks, given traitors, order and decisions: "IC1",
// "IC2" or "" when both hold; `why` gets a one-line explanation.
std::string broken(const std::vector<bool>& traitor, bool order_attack, const std::vector<int>& decision,
                   std::string* why = nullptr);

// The traitors' strategy, one line per message a traitor sends, in canonical
// order and in the notation of the explicit om model's actions
// ("send(p0.p2>p1: retreat)  (a lie: it received attack)"): the non-order
// steps of the witness trace.
std::vector<std::string> strategy_lines(const Witness& w);

}  // namespace agree::prove::om
