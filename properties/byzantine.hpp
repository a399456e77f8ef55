// properties/byzantine.hpp — the interactive consistency conditions of the
// Byzantine generals problem (Lamport, Shostak and Pease 1982), shared by
// every Byzantine model (om, sm).
//
// A model passes small accessors: whether general g is a loyal lieutenant,
// and g's decision (-1 while g has not decided; 0 retreat, 1 attack). Both
// predicates only speak about decisions that exist, so they are true in a
// state where nobody has decided yet; the models judge them in terminal
// states, where every loyal lieutenant has decided.
#pragma once

#include <string>

namespace agree::properties {

// IC1: all loyal lieutenants obey the same order — every two loyal
// lieutenants that decided, decided the same value.
template <class Loyal, class Decision>
bool ic1(int generals, Loyal&& loyal_lieutenant, Decision&& decision) {
  int seen = -1;
  for (int g = 1; g < generals; ++g) {
    if (!loyal_lieutenant(g)) continue;
    const int d = decision(g);
    if (d < 0) continue;
    if (seen >= 0 && d != seen) return false;
    seen = d;
  }
  return true;
}

// IC2: if the commander is loyal, every loyal lieutenant obeys the order it
// sends — every loyal lieutenant that decided, decided `order`.
template <class Loyal, class Decision>
bool ic2(int generals, bool commander_loyal, int order, Loyal&& loyal_lieutenant, Decision&& decision) {
  if (!commander_loyal) return true;
  for (int g = 1; g < generals; ++g) {
    if (!loyal_lieutenant(g)) continue;
    const int d = decision(g);
    if (d >= 0 && d != order) return false;
  }
  return true;
}

// ---- Why IC1 / IC2 fail, in words (Property::explain); "" where they hold.
// `name(g)` names a general, `value(v)` a decision (0 retreat, 1 attack).

template <class Loyal, class Decision, class Name, class Value>
std::string ic1_why(int generals, Loyal&& loyal_lieutenant, Decision&& decision, Name&& name, Value&& value) {
  std::string list;
  int first = -1;
  bool differ = false;
  for (int g = 1; g < generals; ++g) {
    if (!loyal_lieutenant(g) || decision(g) < 0) continue;
    if (first < 0) first = decision(g);
    differ = differ || decision(g) != first;
    list += (list.empty() ? "" : ", ") + name(g) + " " + value(decision(g));
  }
  return differ ? "the loyal lieutenants decide differently: " + list : "";
}

template <class Loyal, class Decision, class Name, class Value>
std::string ic2_why(int generals, bool commander_loyal, int order, Loyal&& loyal_lieutenant, Decision&& decision,
                    Name&& name, Value&& value) {
  if (!commander_loyal) return "";
  for (int g = 1; g < generals; ++g)
    if (loyal_lieutenant(g) && decision(g) >= 0 && decision(g) != order)
      return "the loyal commander " + name(0) + " ordered " + value(order) + ", but the loyal lieutenant " + name(g) +
             " decided " + value(decision(g));
  return "";
}

// Each loyal lieutenant's reasoning, from a model's describe() fields whose
// text says what it decides ("p1" = "decides retreat: majority of ..."):
// "; p1 decides retreat: ...", to follow ic1_why / ic2_why.
template <class Description>
std::string decision_reasons(const Description& fields) {
  std::string out;
  for (const auto& [field, text] : fields)
    if (text.rfind("decides ", 0) == 0) out += "; " + field + " " + text;
  return out;
}

// agreed-on(v) (a reachability check): there is a loyal lieutenant, and every
// loyal lieutenant decided v.
template <class Loyal, class Decision>
bool all_loyal_decided(int generals, int v, Loyal&& loyal_lieutenant, Decision&& decision) {
  bool any = false;
  for (int g = 1; g < generals; ++g) {
    if (!loyal_lieutenant(g)) continue;
    if (decision(g) != v) return false;
    any = true;
  }
  return any;
}

}  // namespace agree::properties
