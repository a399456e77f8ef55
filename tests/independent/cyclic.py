#!/usr/bin/env python3
"""Independent check of the abp and tokenring models, liveness included.

Written from the leading comment blocks of model/abp.hpp and
model/tokenring.hpp alone (their written semantics), without reading
model/abp.cpp, model/tokenring.cpp or anything under checker/.

For each configuration it builds the whole reachable state graph breadth-first
from the initial state, each edge labelled by the fairness group (action) that
takes it, and reports:
  * the number of distinct reachable states,
  * whether the safety property holds in every reachable state,
  * whether the liveness property holds under fairness none, weak or strong.

Liveness.  A run is an infinite path or a finite path ending in a terminal
state (no enabled action); terminal runs are always fair.  Both properties are
reduced to one question, "is there a fair run with a suffix that stays inside
a region R of bad states for ever?":
  * eventually P (abp delivery): R = the not-P states reachable from the
    initial state through not-P states only (empty if the initial state is P);
  * T ~> Q with T = true (tokenring token-reaches-all): R = every reachable
    not-Q state (any position may start the suffix).
Such a suffix exists iff R holds a terminal state, or a strongly connected
subgraph of R (edges inside R only) on which an infinite path can be fair:
  * none:   the SCC has an edge (a self-loop counts);
  * weak:   every group enabled in *all* states of the SCC is taken on an
            edge inside it (a path touring the whole SCC is then fair, and if
            a group enabled everywhere is never taken, no path inside is);
  * strong: every group enabled *somewhere* in the SCC is taken inside it;
            otherwise drop the states where such a group is enabled and look
            again, recursively, at the SCCs of what is left (a fair path may
            avoid those states; one that visits them infinitely often cannot
            be fair).
"Enabled" is the guard; an enabled action whose effect changes nothing is a
self-loop and counts as taking its group.

Usage:
  cyclic.py --table
  cyclic.py abp --msgs 2 --variant no-bit
  cyclic.py tokenring --procs 3 --variant greedy
"""
import argparse
import sys
from collections import deque

FAIRNESS = ("none", "weak", "strong")


class Abp:
    """State: (acked, data, ack, delivered, in_order); data is None or
    (bit, index), ack is None or a bit."""
    safety, liveness, kind = "in-order", "delivery", "eventually"

    def __init__(self, msgs, variant):
        assert variant in ("correct", "no-bit")
        self.m, self.nobit = msgs, variant == "no-bit"

    def initial(self):
        return (0, None, None, 0, True)

    def actions(self, s):
        """Yield (group, successor) for every enabled action."""
        acked, data, ack, delivered, in_order = s
        m = self.m
        if acked < m and data is None:
            yield "Send", (acked, (acked % 2, acked), ack, delivered, in_order)
        if data is not None:
            yield "LoseData", (acked, None, ack, delivered, in_order)
        if data is not None and ack is None:
            b, i = data
            d, ok = delivered, in_order
            if (self.nobit or b == delivered % 2) and delivered < m:
                ok, d = in_order and i == delivered, delivered + 1
            yield "Receive", (acked, None, b, d, ok)
        if ack is not None:
            yield "LoseAck", (acked, data, None, delivered, in_order)
        if ack is not None:
            a = acked + 1 if ack == acked % 2 and acked < m else acked
            yield "ReceiveAck", (a, data, None, delivered, in_order)

    def safe(self, s):
        return s[4]

    def goal(self, s):  # eventually delivered = M
        return s[3] == self.m


class TokenRing:
    """State: (holder, critical as a frozenset of processes, used)."""
    safety, liveness, kind = "mutual-exclusion", "token-reaches-all", "leads-to"

    def __init__(self, procs, variant):
        assert variant in ("correct", "greedy")
        self.n, self.greedy = procs, variant == "greedy"

    def initial(self):
        return (0, frozenset(), False)

    def actions(self, s):
        h, crit, used = s
        for p in range(self.n):  # every instance is a group; only the holder's are enabled
            if p != h:
                continue
            if p not in crit and not used:
                yield f"Enter(p{p})", (h, crit | {p}, used)
            if p in crit:
                yield f"Exit(p{p})", (h, crit - {p}, used if self.greedy else True)
            if p not in crit:
                yield f"Pass(p{p})", ((h + 1) % self.n, crit, False)

    def safe(self, s):
        h, crit, _ = s
        return not crit or crit == {h}

    def goal(self, s):  # true ~> holder = p(N-1)
        return s[0] == self.n - 1


def build(model):
    """BFS. Returns (states in discovery order, {state: [(group, succ), ...]})."""
    init = model.initial()
    order, seen, edges, queue = [init], {init}, {}, deque([init])
    while queue:
        s = queue.popleft()
        edges[s] = list(model.actions(s))
        for _, t in edges[s]:
            if t not in seen:
                seen.add(t)
                order.append(t)
                queue.append(t)
    return order, edges


def sccs(nodes, edges):
    """Tarjan's algorithm (iterative) on the subgraph induced by `nodes`."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter([t for _, t in edges[root] if t in nodes]))]
        index[root] = low[root] = counter[0]; counter[0] += 1
        stack.append(root); on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]; counter[0] += 1
                    stack.append(w); on.add(w)
                    work.append((w, iter([t for _, t in edges[w] if t in nodes])))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = set()
                    while True:
                        w = stack.pop(); on.discard(w); comp.add(w)
                        if w == v:
                            break
                    out.append(comp)
    return out


def fair_cycle(comp, edges, fairness):
    """Is there a fair infinite path staying inside the SCC `comp`?"""
    taken = {g for s in comp for g, t in edges[s] if t in comp}
    if not taken:  # a single state without a self-loop
        return False
    enabled = [{g for g, _ in edges[s]} for s in comp]
    if fairness == "none":
        return True
    if fairness == "weak":
        return set.intersection(*enabled) <= taken
    unfair = set.union(*enabled) - taken
    if not unfair:
        return True
    rest = {s for s in comp if not ({g for g, _ in edges[s]} & unfair)}
    return any(fair_cycle(c, edges, fairness) for c in sccs(rest, edges))


def bad_region(model, order, edges):
    if model.kind == "leads-to":  # T = true: any reachable not-Q state may start the suffix
        return {s for s in order if not model.goal(s)}
    init = order[0]
    if model.goal(init):
        return set()
    region, queue = {init}, deque([init])
    while queue:
        s = queue.popleft()
        for _, t in edges[s]:
            if t not in region and not model.goal(t):
                region.add(t)
                queue.append(t)
    return region


def check(model):
    """Returns (states, safety holds, {fairness: liveness holds})."""
    order, edges = build(model)
    safe = all(model.safe(s) for s in order)
    region = bad_region(model, order, edges)
    terminal = any(not edges[s] for s in region)
    comps = sccs(region, edges)
    live = {f: not (terminal or any(fair_cycle(c, edges, f) for c in comps)) for f in FAIRNESS}
    return len(order), safe, live


def configurations():
    for msgs in (1, 2, 3):
        for variant in ("correct", "no-bit"):
            yield "abp", "msgs", msgs, variant
    for procs in (1, 2, 3, 4, 5):
        for variant in ("correct", "greedy"):
            yield "tokenring", "procs", procs, variant


def make(model, value, variant):
    return (Abp if model == "abp" else TokenRing)(value, variant)


def verdict(ok):
    return "holds" if ok else "violated"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", nargs="?", choices=("abp", "tokenring"))
    ap.add_argument("--msgs", type=int, default=2)
    ap.add_argument("--procs", type=int, default=3)
    ap.add_argument("--variant", default="correct")
    ap.add_argument("--table", action="store_true", help="every configuration, one line per fairness")
    a = ap.parse_args()
    if a.table:
        rows = list(configurations())
    elif a.model:
        rows = [(a.model, "msgs" if a.model == "abp" else "procs",
                 a.msgs if a.model == "abp" else a.procs, a.variant)]
    else:
        ap.error("give a model or --table")
    for model, param, value, variant in rows:
        states, safe, live = check(make(model, value, variant))
        for f in FAIRNESS:
            print(f"{model} {param}={value} variant={variant} {f} {states} {verdict(safe)} {verdict(live[f])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
