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
