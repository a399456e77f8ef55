// prove/impossible.hpp — does ANY protocol of a class solve the Byzantine
// generals problem? A synthesis query: decision functions exist (the unknowns)
// such that IC1 and IC2 hold against every traitor behaviour (enumerated).
//
// The class (printed by `class_text`, and in README.md):
//   - N generals, p0 the commander with a binary order (attack / retreat);
//   - exactly T traitors, any T generals, the commander included;
//   - synchronous rounds over reliable point-to-point links, the receiver
//     knows the sender, no signatures (oral messages);
//   - round 1: the commander sends its order to every lieutenant;
//     rounds 2..K: every lieutenant relays every value it received in the
//     previous round to every general not on that value's path — the path is
//     the distinct generals the value passed through (the exponential
//     information gathering tree of OM(K-1): full-information relay);
//   - a traitor sends an arbitrary value on each message it sends;
//   - after round K each loyal lieutenant decides by an arbitrary
//     deterministic function of all the values it received: a Boolean table
//     with one unknown per possible view, a different table per lieutenant.
// Encoding: the tables are the only free variables; every traitor set, order
// and traitor behaviour is enumerated (a traitor's messages to traitors are
// left out: a traitor ignores them) and contributes the constraint that the
// table entries its views select satisfy IC1 and IC2. unsat: no protocol of
// the class exists; sat: the model is a protocol, checked again by evaluation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agree/prove/smt.hpp"

namespace agree::prove::impossible {

struct Config {
  int generals = 3;
  int traitors = 1;
  int rounds = 2;  // K
};
// Throws model::ParamError for values out of range or too large to enumerate.
void validate(const Config& c);

struct Rule {
  int lieutenant = 0;
  std::vector<std::string> inputs;  // the paths of the values it receives, "p0", "p0.p2", ... (Eig::name)
  std::vector<bool> table;          // table[view]: attack? view bit b = inputs[b] is attack
  bool is_majority = false;         // the table is the strict majority of its inputs, ties retreat
};

struct Result {
  Outcome outcome;
  std::uint64_t behaviours = 0;   // traitor sets x orders x traitor messages enumerated
  std::uint64_t constraints = 0;  // distinct constraints after removing duplicates
  std::uint64_t unknowns = 0;     // table entries
  std::vector<Rule> rules;        // on sat
  bool rule_checked = false;      // on sat: the rules pass every behaviour by plain evaluation
};

Result prove(const Config& c, const SolveOptions& o);

// The class of protocols the verdict covers, several lines.
std::string class_text(const Config& c);

// "attack on 011 101 110 111" or a shorter description of a rule.
std::string rule_text(const Rule& r);

}  // namespace agree::prove::impossible
