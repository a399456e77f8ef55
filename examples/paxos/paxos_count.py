#!/usr/bin/env python3
"""Independent reference state counter for single-decree Paxos.

Written from examples/paxos/SEMANTICS.md alone (no C++ in the repo was read),
so that its distinct-state counts can be compared with the C++ model's.
Python 3, standard library only.

State: for each acceptor (maxBal, maxVBal, maxVal) plus the set of messages
sent so far.  Internally a state is one int: the acceptor fields packed in
the low bits and the message set as a bitmask above them (one bit per
possible message, every field part of the message's identity).  This is a
bijection, so two states are equal iff all acceptor fields and the message
sets are equal.  Breadth-first search over all reachable states.

Usage:
  paxos_count.py --acceptors A --ballots B --values V [--variant correct|forget-promise]
  paxos_count.py --table [--budget SECONDS] [--max-states N]
"""

import argparse
import itertools
import json
import sys
import time

VARIANTS = ("correct", "forget-promise")
DEFAULT_MAX_STATES = 2_000_000


def _popcount(x):
    return bin(x).count("1")


popcount = getattr(int, "bit_count", _popcount)


class TooMany(Exception):
    pass


class OutOfTime(Exception):
    pass


class Model:
    def __init__(self, A, B, V, variant):
        if variant not in VARIANTS:
            raise ValueError("unknown variant %r" % variant)
        self.A, self.B, self.V, self.variant = A, B, V, variant
        self.forget = variant == "forget-promise"
        self.q = A // 2 + 1  # strict majority

        # Acceptor fields: maxBal, maxVBal in -1..B-1 stored +1 (0..B);
        # maxVal in none(-1)..V-1 stored +1 (0..V).
        self.bw = max(1, B.bit_length())       # bits for 0..B
        self.vw = max(1, V.bit_length())       # bits for 0..V
        self.fw = 2 * self.bw + self.vw        # bits per acceptor
        self.accbits = self.fw * A

        # Message bit indices (relative to the message part).
        idx = 0
        self.bit1a = []
        for b in range(B):
            self.bit1a.append(idx)
            idx += 1
        # 1b(a, b, mbal, mval), mbal in -1..B-1, mval in -1..V-1
        self.bit1b = {}
        self.info1b = {}  # bit -> (a, b, mbal, mval)
        for a in range(A):
            for b in range(B):
                for mb in range(-1, B):
                    for mv in range(-1, V):
                        self.bit1b[(a, b, mb, mv)] = idx
                        self.info1b[idx] = (a, b, mb, mv)
                        idx += 1
        self.bit2a = {}
        for b in range(B):
            for v in range(V):
                self.bit2a[(b, v)] = idx
                idx += 1
        self.bit2b = {}
        for a in range(A):
            for b in range(B):
                for v in range(V):
                    self.bit2b[(a, b, v)] = idx
                    idx += 1
        self.nmsgbits = idx

        S = self.accbits
        # Absolute masks (already shifted past the acceptor fields).
        self.m1a = [1 << (S + self.bit1a[b]) for b in range(B)]
        # all 1b(a, b, *, *) messages
        self.m1b_ab = {}
        # 1b(a, b, mbal>=0, *) messages, as list of (mask, mbal, mval)
        self.m1b_ab_valued = {}
        for a in range(A):
            for b in range(B):
                m = 0
                lst = []
                for mb in range(-1, B):
                    for mv in range(-1, V):
                        bit = 1 << (S + self.bit1b[(a, b, mb, mv)])
                        m |= bit
                        if mb >= 0:
                            lst.append((bit, mb, mv))
                self.m1b_ab[(a, b)] = m
                self.m1b_ab_valued[(a, b)] = lst
        self.m2a_bv = {k: 1 << (S + i) for k, i in self.bit2a.items()}
        self.m2a_b = []
        for b in range(B):
            m = 0
            for v in range(V):
                m |= self.m2a_bv[(b, v)]
            self.m2a_b.append(m)
        self.m2a_v = []
        for v in range(V):
            m = 0
            for b in range(B):
                m |= self.m2a_bv[(b, v)]
            self.m2a_v.append(m)
        self.m2b_abv = {k: 1 << (S + i) for k, i in self.bit2b.items()}
        # for chosen(v): mask of 2b(*, b, v) over all acceptors
        self.m2b_bv = {}
        for b in range(B):
            for v in range(V):
                m = 0
                for a in range(A):
                    m |= self.m2b_abv[(a, b, v)]
                self.m2b_bv[(b, v)] = m

        # All quorums (sets of more than A/2 acceptors).
        self.quorums = []
        for k in range(self.q, A + 1):
            self.quorums.extend(itertools.combinations(range(A), k))

    # ---- acceptor field packing -------------------------------------
    def pack_acc(self, a, mbal, mvbal, mval):
        bw, vw = self.bw, self.vw
        f = (mbal + 1) | ((mvbal + 1) << bw) | ((mval + 1) << (2 * bw))
        return f << (self.fw * a)

    def get_acc(self, s, a):
        bw, vw = self.bw, self.vw
        f = (s >> (self.fw * a)) & ((1 << self.fw) - 1)
        mbal = (f & ((1 << bw) - 1)) - 1
        mvbal = ((f >> bw) & ((1 << bw) - 1)) - 1
        mval = ((f >> (2 * bw)) & ((1 << vw) - 1)) - 1
        return mbal, mvbal, mval

    def set_acc(self, s, a, mbal, mvbal, mval):
        clear = ((1 << self.fw) - 1) << (self.fw * a)
        return (s & ~clear) | self.pack_acc(a, mbal, mvbal, mval)

    def initial(self):
        s = 0
        for a in range(self.A):
            s |= self.pack_acc(a, -1, -1, -1)
        return s  # empty message set

    # ---- transitions -------------------------------------------------
    def successors(self, s):
        A, B, V = self.A, self.B, self.V
        out = []
        accs = [self.get_acc(s, a) for a in range(A)]

        # Phase1a prepare(b): enabled iff 1a(b) not in msgs.
        for b in range(B):
            m = self.m1a[b]
            if not (s & m):
                out.append(s | m)

        # Phase1b promise(a, b): 1a(b) in msgs and b > maxBal[a].
        for a in range(A):
            mbal, mvbal, mval = accs[a]
            for b in range(B):
                if (s & self.m1a[b]) and b > mbal:
                    t = self.set_acc(s, a, b, mvbal, mval)
                    t |= 1 << (self.accbits + self.bit1b[(a, b, mvbal, mval)])
                    out.append(t)

        # Phase2a propose(b, v).
        for b in range(B):
            if s & self.m2a_b[b]:
                continue  # some 2a(b, w) already sent
            # values v for which some quorum satisfies the condition
            ok = [False] * V
            for Q in self.quorums:
                if not all(s & self.m1b_ab[(a, b)] for a in Q):
                    continue
                # S: the 1b messages from Q for ballot b with mbal >= 0
                Smsgs = []
                for a in Q:
                    for bit, mb, mv in self.m1b_ab_valued[(a, b)]:
                        if s & bit:
                            Smsgs.append((mb, mv))
                if not Smsgs:
                    ok = [True] * V
                    break
                top = max(mb for mb, _ in Smsgs)
                for mb, mv in Smsgs:
                    if mb == top:
                        ok[mv] = True
                if all(ok):
                    break
            for v in range(V):
                if ok[v]:
                    out.append(s | self.m2a_bv[(b, v)])

        # Phase2b accept(a, b, v).
        for a in range(A):
            mbal, mvbal, mval = accs[a]
            for b in range(B):
                if not self.forget and not (b >= mbal):
                    continue
                for v in range(V):
                    if not (s & self.m2a_bv[(b, v)]):
                        continue
                    m2b = self.m2b_abv[(a, b, v)]
                    if (s & m2b) and (mbal, mvbal, mval) == (b, b, v):
                        continue  # would not change the state
                    t = self.set_acc(s, a, b, b, v) | m2b
                    out.append(t)
        return out

    # ---- properties --------------------------------------------------
    def chosen_values(self, s):
        ch = set()
        for (b, v), m in self.m2b_bv.items():
            if popcount(s & m) >= self.q:
                ch.add(v)
        return ch

    # ---- search ------------------------------------------------------
    def explore(self, max_states=None, deadline=None):
        init = self.initial()
        seen = {init}
        frontier = [init]
        depth = 0
        terminal = 0
        agreement_violated = False
        validity_violated = False
        chosen_reachable = False
        checked = 0
        while frontier:
            nxt = []
            for s in frontier:
                ch = self.chosen_values(s)
                if ch:
                    chosen_reachable = True
                    if len(ch) > 1:
                        agreement_violated = True
                    for v in ch:
                        if not (s & self.m2a_v[v]):
                            validity_violated = True
                succ = self.successors(s)
                if not succ:
                    terminal += 1
                for t in succ:
                    if t not in seen:
                        seen.add(t)
                        nxt.append(t)
                checked += 1
                if max_states is not None and len(seen) > max_states:
                    raise TooMany(len(seen))
                if deadline is not None and (checked & 1023) == 0 \
                        and time.monotonic() > deadline:
                    raise OutOfTime(len(seen))
            if nxt:
                depth += 1
            frontier = nxt
        return {
            "acceptors": self.A,
            "ballots": self.B,
            "values": self.V,
            "variant": self.variant,
            "distinct_states": len(seen),
            "terminal_states": terminal,
            "agreement_violated": agreement_violated,
            "validity_violated": validity_violated,
            "chosen_reachable": chosen_reachable,
            "depth": depth,
        }


def run_table(budget, max_states):
    t0 = time.monotonic()
    deadline = t0 + budget
    configs = [(A, B, V, var)
               for A in range(1, 4)
               for B in range(1, 4)
               for V in range(1, 3)
               for var in VARIANTS]
    # Run small configurations first so that the budget is spent on the
    # ones that fit; print in the natural order at the end.
    order = sorted(configs, key=lambda c: (c[1], c[0], c[2], c[3] != "correct"))
    lines = {}
    for c in order:
        A, B, V, var = c
        base = {"acceptors": A, "ballots": B, "values": V, "variant": var}
        if time.monotonic() >= deadline:
            base["skipped"] = "time budget of %gs exhausted before start" % budget
            lines[c] = json.dumps(base, separators=(",", ":"))
            continue
        start = time.monotonic()
        try:
            res = Model(A, B, V, var).explore(max_states, deadline)
            lines[c] = json.dumps(res, separators=(",", ":"))
        except TooMany as e:
            base["skipped"] = "more than %d states" % max_states
            lines[c] = json.dumps(base, separators=(",", ":"))
        except OutOfTime as e:
            base["skipped"] = ("time budget of %gs exhausted (%d states seen "
                               "so far)" % (budget, e.args[0]))
            lines[c] = json.dumps(base, separators=(",", ":"))
        print("# done %s in %.1fs" % (c, time.monotonic() - start),
              file=sys.stderr, flush=True)
    for c in configs:
        print(lines[c], flush=True)
    print("# total %.1fs" % (time.monotonic() - t0), file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--acceptors", type=int, default=3)
    p.add_argument("--ballots", type=int, default=2)
    p.add_argument("--values", type=int, default=2)
    p.add_argument("--variant", choices=VARIANTS, default="correct")
    p.add_argument("--table", action="store_true")
    p.add_argument("--budget", type=float, default=270.0,
                   help="total seconds for --table (default 270)")
    p.add_argument("--max-states", type=int, default=DEFAULT_MAX_STATES,
                   help="skip a --table configuration beyond this many states")
    args = p.parse_args()
    if args.table:
        run_table(args.budget, args.max_states)
        return
    res = Model(args.acceptors, args.ballots, args.values,
                args.variant).explore()
    print(json.dumps(res, separators=(",", ":")))


if __name__ == "__main__":
    main()
