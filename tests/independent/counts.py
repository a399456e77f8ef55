#!/usr/bin/env python3
"""Independent state counter for the sequencer, isis and vote models.

Written from /work/shared/protocols.md alone (sections "Conventions shared by
the asynchronous models", "sequencer", "isis", "Open groups", "vote" and
"Consequences of the text worth knowing"), without reading any file under
model/, checker/ or tests/*.cpp, so that it is a genuinely independent
cross-check of `agree check` with every reduction off.

It enumerates every reachable state by plain breadth-first search over
hashable tuples (no symmetry, no partial order, no abstraction) and prints the
number of distinct states.  With --verdicts it also prints which properties
are violated somewhere in the reachable space; termination is judged only in
terminal states (no enabled action, crash actions included).

Usage:
  counts.py sequencer --procs 2 --msgs 2 --crash 1 --senders 1 --variant correct
  counts.py isis --procs 2 --msgs 1 --variant no-tiebreak --verdicts
  counts.py vote --procs 3 --rule majority --crash 1 --quorum all
  counts.py --table            (prints the Markdown table of COUNTS.md)

Choices made where the text leaves room:
  * A state is: every variable of the spec's "State:" paragraph, the crashed
    flags of every process (members, outside senders, and the sequencer `s`),
    and the network as a frozenset of message tuples.  Each message tuple holds
    its kind, message id, payload (ticket / priority / vote), receiver and
    sender, i.e. all of its fields.
  * sequencer `no-holdback`: the receive handler is replaced by "append m to
    delivered_q"; holdback_q and expected_q then stay at their initial values.
  * The sequencer `s` delivers nothing and is not a group member, so
    `termination` ("every alive process delivered m") ranges over the members.
  * isis `best` starts as "nothing heard" (None), below every real priority.
  * vote `validity` looks at every decision, crashed processes included (it is
    never violated either way with these decision rules).
"""

import argparse
import sys
import time
from collections import deque


class Timeout(Exception):
    pass


def explore(model, deadline=None, max_states=None):
    """BFS over the reachable states. Returns (count, set of violated props)."""
    seen = set()
    queue = deque()
    for s in model.initial_states():
        if s not in seen:
            seen.add(s)
            queue.append(s)
    violated = set()
    steps = 0
    while queue:
        s = queue.popleft()
        steps += 1
        if deadline is not None and (steps & 0xFFF) == 0:
            if time.monotonic() > deadline:
                raise Timeout()
            if max_states is not None and len(seen) > max_states:
                raise Timeout()
        model.check_safety(s, violated)
        succ = model.successors(s)
        if not succ:
            model.check_terminal(s, violated)
        for t in succ:
            if t not in seen:
                seen.add(t)
                queue.append(t)
    return len(seen), violated


def popcount(x):
    return bin(x).count("1")


def prefix_related(a, b):
    if len(a) > len(b):
        a, b = b, a
    return b[: len(a)] == a


def check_total_order(delivered):
    n = len(delivered)
    for i in range(n):
        for j in range(i + 1, n):
            if not prefix_related(delivered[i], delivered[j]):
                return False
    return True


def replace(tup, i, v):
    return tup[:i] + (v,) + tup[i + 1:]


# ---------------------------------------------------------------------------
# sequencer
# ---------------------------------------------------------------------------

class Sequencer:
    """Process ids: members 0..N-1, outside senders N..N+S-1, sequencer N+S.

    State = (next, status, expected, holdback, delivered, crashed, net)
      status[m] in {0 idle, 1 asked, 2 sent}
      holdback[q] frozenset of (ticket, m)
      delivered[q] tuple of m
      crashed: bitmask over all process ids
      net: frozenset of (kind, m, ticket, receiver, sender)
           kind 0 Request (ticket -1), 1 Grant, 2 Data
    """

    IDLE, ASKED, SENT = 0, 1, 2
    REQ, GRANT, DATA = 0, 1, 2

    def __init__(self, procs, msgs, crash=0, senders=0, variant="correct"):
        if procs < 1 or msgs < 1 or crash < 0 or senders < 0:
            raise ValueError("bad parameters")
        if variant not in ("correct", "no-holdback"):
            raise ValueError("bad variant")
        self.N, self.M, self.F, self.S = procs, msgs, crash, senders
        self.holdback = variant == "correct"
        self.seqr = procs + senders
        self.nproc = procs + senders + 1
        if senders == 0:
            self.sender = [i % procs for i in range(msgs)]
        else:
            self.sender = [procs + (i % senders) for i in range(msgs)]

    def initial_states(self):
        N, M = self.N, self.M
        return [(0, (self.IDLE,) * M, (0,) * N, (frozenset(),) * N,
                 ((),) * N, 0, frozenset())]

    def successors(self, st):
        nxt, status, expected, holdback, delivered, crashed, net = st
        N, M = self.N, self.M
        seqr = self.seqr
        out = []
        alive = lambda x: not (crashed >> x) & 1
        # ask(m)
        for m in range(M):
            if status[m] == self.IDLE and alive(self.sender[m]):
                net2 = net
                if alive(seqr):
                    net2 = net | {(self.REQ, m, -1, seqr, self.sender[m])}
                out.append((nxt, replace(status, m, self.ASKED), expected,
                            holdback, delivered, crashed, net2))
        # receipt of one in-flight message (its receiver is alive: messages to
        # crashed processes are never in flight)
        for msg in net:
            kind, m, t, rcv, snd = msg
            net2 = net - {msg}
            if kind == self.REQ:
                # grant(m)
                snd_m = self.sender[m]
                if alive(snd_m):
                    net2 = net2 | {(self.GRANT, m, nxt, snd_m, seqr)}
                out.append((nxt + 1, status, expected, holdback, delivered,
                            crashed, net2))
            elif kind == self.GRANT:
                # multicast(m): Data(m, t) to every member
                add = [(self.DATA, m, t, q, rcv) for q in range(N) if alive(q)]
                out.append((nxt, replace(status, m, self.SENT), expected,
                            holdback, delivered, crashed, net2 | frozenset(add)))
            else:
                # receive(q, m)
                q = rcv
                if self.holdback:
                    hb = set(holdback[q])
                    hb.add((t, m))
                    e = expected[q]
                    d = delivered[q]
                    while True:
                        found = None
                        for (tt, x) in hb:
                            if tt == e:
                                found = (tt, x)
                                break
                        if found is None:
                            break
                        hb.remove(found)
                        d = d + (found[1],)
                        e += 1
                    out.append((nxt, status, replace(expected, q, e),
                                replace(holdback, q, frozenset(hb)),
                                replace(delivered, q, d), crashed, net2))
                else:
                    out.append((nxt, status, expected, holdback,
                                replace(delivered, q, delivered[q] + (m,)),
                                crashed, net2))
        # crash(x)
        if popcount(crashed) < self.F:
            for x in range(self.nproc):
                if alive(x):
                    net2 = frozenset(msg for msg in net if msg[3] != x)
                    out.append((nxt, status, expected, holdback, delivered,
                                crashed | (1 << x), net2))
        return out

    def check_safety(self, st, violated):
        delivered = st[4]
        status = st[1]
        if "total-order" not in violated and not check_total_order(delivered):
            violated.add("total-order")
        if "integrity" not in violated:
            for d in delivered:
                if len(set(d)) != len(d) or any(status[m] != self.SENT for m in d):
                    violated.add("integrity")
                    break

    def check_terminal(self, st, violated):
        delivered, crashed = st[4], st[5]
        for m in range(self.M):
            some = any(m in d for d in delivered)
            if some or not (crashed >> self.sender[m]) & 1:
                for q in range(self.N):
                    if not (crashed >> q) & 1 and m not in delivered[q]:
                        violated.add("termination")
                        return


# ---------------------------------------------------------------------------
# isis
# ---------------------------------------------------------------------------

class Isis:
    """Process ids: members 0..N-1, outside senders N..N+S-1.

    State = (A, P, holdback, delivered, status, heard, best, crashed, net)
      holdback[q]: correct / eager-delivery: frozenset of (priority, m, flag)
                   with priority = (number, process);
                   no-tiebreak: tuple of (m, number, flag) in queue order
      status[m] in {0 idle, 1 collecting, 2 done}
      heard[m]: bitmask of members; best[m]: None or the largest priority
      net: frozenset of (kind, m, receiver, priority, sender)
           kind 0 Msg, 1 Proposal, 2 Agreed
    """

    IDLE, COLLECTING, DONE = 0, 1, 2
    MSG, PROP, AGREED = 0, 1, 2

    def __init__(self, procs, msgs, crash=0, senders=0, variant="correct",
                 allow_closed_one=False):
        if procs < 1 or msgs < 1 or crash < 0 or senders < 0:
            raise ValueError("bad parameters")
        if senders == 0 and procs < 2 and not allow_closed_one:
            raise ValueError("isis needs procs >= 2 in a closed group")
        if variant not in ("correct", "no-tiebreak", "eager-delivery"):
            raise ValueError("bad variant")
        self.N, self.M, self.F, self.S = procs, msgs, crash, senders
        self.variant = variant
        self.tiebreak = variant != "no-tiebreak"
        self.eager = variant == "eager-delivery"
        self.nproc = procs + senders
        self.all_members = (1 << procs) - 1
        if senders == 0:
            self.sender = [i % procs for i in range(msgs)]
        else:
            self.sender = [procs + (i % senders) for i in range(msgs)]

    def initial_states(self):
        N, M = self.N, self.M
        hb0 = frozenset() if self.tiebreak else ()
        return [((0,) * N, (0,) * N, (hb0,) * N, ((),) * N,
                 (self.IDLE,) * M, (0,) * M, (None,) * M, 0, frozenset())]

    def _agree_holdback(self, hb, d, m, pri):
        """Apply Agreed(m, pri) to one hold-back queue; return (hb, d)."""
        if self.tiebreak:
            hb = set(hb)
            old = [e for e in hb if e[1] == m]
            assert len(old) == 1, "Agreed for a message not in the queue"
            hb.remove(old[0])
            if self.eager:
                return frozenset(hb), d + (m,)
            hb.add((pri, m, True))
            while hb:
                first = min(hb)
                if not first[2]:
                    break
                hb.remove(first)
                d = d + (first[1],)
            return frozenset(hb), d
        else:
            seq = list(hb)
            idx = [i for i, e in enumerate(seq) if e[0] == m]
            assert len(idx) == 1, "Agreed for a message not in the queue"
            i = idx[0]
            del seq[i]
            j = i
            # move right past entries with a smaller number; stop before the
            # first entry whose number is equal or larger (stable re-sort)
            while j < len(seq) and seq[j][1] < pri:
                j += 1
            seq.insert(j, (m, pri, True))
            while seq and seq[0][2]:
                d = d + (seq[0][0],)
                del seq[0]
            return tuple(seq), d

    def successors(self, st):
        A, P, holdback, delivered, status, heard, best, crashed, net = st
        N, M = self.N, self.M
        out = []
        alive = lambda x: not (crashed >> x) & 1
        # multicast(m)
        for m in range(M):
            snd = self.sender[m]
            if status[m] == self.IDLE and alive(snd):
                add = frozenset((self.MSG, m, q, None, snd)
                                for q in range(N) if alive(q))
                out.append((A, P, holdback, delivered,
                            replace(status, m, self.COLLECTING), heard, best,
                            crashed, net | add))
        for msg in net:
            kind, m, rcv, pri, frm = msg
            net2 = net - {msg}
            snd = self.sender[m]
            if kind == self.MSG:
                # propose(q, m)
                q = rcv
                p = max(A[q], P[q]) + 1
                if self.tiebreak:
                    prio = (p, q)
                    hbq = holdback[q] | {(prio, m, False)}
                else:
                    prio = p
                    hbq = holdback[q] + ((m, p, False),)
                if alive(snd):
                    net2 = net2 | {(self.PROP, m, snd, prio, q)}
                out.append((A, replace(P, q, p), replace(holdback, q, hbq),
                            delivered, status, heard, best, crashed, net2))
            elif kind == self.PROP:
                # collect(m, q)
                q = frm
                h = heard[m] | (1 << q)
                b = pri if best[m] is None or pri > best[m] else best[m]
                st_m = status[m]
                if h == self.all_members:
                    st_m = self.DONE
                    net2 = net2 | frozenset((self.AGREED, m, r, b, snd)
                                            for r in range(N) if alive(r))
                out.append((A, P, holdback, delivered,
                            replace(status, m, st_m), replace(heard, m, h),
                            replace(best, m, b), crashed, net2))
            else:
                # agree(q, m)
                q = rcv
                a = pri[0] if self.tiebreak else pri
                hbq, dq = self._agree_holdback(holdback[q], delivered[q], m, pri)
                out.append((replace(A, q, max(A[q], a)), P,
                            replace(holdback, q, hbq), replace(delivered, q, dq),
                            status, heard, best, crashed, net2))
        # crash(x)
        if popcount(crashed) < self.F:
            for x in range(self.nproc):
                if alive(x):
                    net2 = frozenset(msg for msg in net if msg[2] != x)
                    out.append((A, P, holdback, delivered, status, heard, best,
                                crashed | (1 << x), net2))
        return out

    def check_safety(self, st, violated):
        delivered, status = st[3], st[4]
        if "total-order" not in violated and not check_total_order(delivered):
            violated.add("total-order")
        if "integrity" not in violated:
            for d in delivered:
                if len(set(d)) != len(d) or any(status[m] == self.IDLE for m in d):
                    violated.add("integrity")
                    break

    def check_terminal(self, st, violated):
        delivered, crashed = st[3], st[7]
        for m in range(self.M):
            some = any(m in d for d in delivered)
            if some or not (crashed >> self.sender[m]) & 1:
                for q in range(self.N):
                    if not (crashed >> q) & 1 and m not in delivered[q]:
                        violated.add("termination")
                        return


# ---------------------------------------------------------------------------
# vote
# ---------------------------------------------------------------------------

class Vote:
    """State = (votes, sent, received, decision, crashed, net)
      votes[p] in {1 proceed, 0 abort}
      sent: bitmask
      received[q]: tuple over processes p of None / vote
      decision[q] in {None, 1 proceed, 0 abort}
      net: frozenset of (p, q, v) = Vote(p, v) from p to q
    """

    PROCEED, ABORT = 1, 0

    def __init__(self, procs, rule="majority", crash=0, quorum="n-f"):
        if procs < 1 or crash < 0:
            raise ValueError("bad parameters")
        if not crash < procs:
            raise ValueError("vote needs crash < procs")
        if rule not in ("majority", "unanimous") or quorum not in ("n-f", "all"):
            raise ValueError("bad rule or quorum")
        self.N, self.F = procs, crash
        self.unanimous = rule == "unanimous"
        self.need = procs - crash if quorum == "n-f" else procs

    def initial_states(self):
        N = self.N
        out = []
        for bits in range(1 << N):
            votes = tuple((bits >> p) & 1 for p in range(N))
            out.append((votes, 0, ((None,) * N,) * N, (None,) * N, 0,
                        frozenset()))
        return out

    def decide(self, rec):
        vals = [v for v in rec if v is not None]
        pro = sum(1 for v in vals if v == self.PROCEED)
        ab = len(vals) - pro
        if self.unanimous:
            return self.PROCEED if ab == 0 else self.ABORT
        return self.PROCEED if pro > ab else self.ABORT

    def successors(self, st):
        votes, sent, received, decision, crashed, net = st
        N = self.N
        out = []
        alive = lambda x: not (crashed >> x) & 1
        for p in range(N):
            if alive(p) and not (sent >> p) & 1:
                add = frozenset((p, q, votes[p]) for q in range(N) if alive(q))
                out.append((votes, sent | (1 << p), received, decision,
                            crashed, net | add))
        for msg in net:
            p, q, v = msg
            net2 = net - {msg}
            if decision[q] is not None:
                out.append((votes, sent, received, decision, crashed, net2))
                continue
            rq = replace(received[q], p, v)
            dq = None
            if sum(1 for x in rq if x is not None) == self.need:
                dq = self.decide(rq)
            out.append((votes, sent, replace(received, q, rq),
                        replace(decision, q, dq), crashed, net2))
        if popcount(crashed) < self.F:
            for x in range(N):
                if alive(x):
                    net2 = frozenset(msg for msg in net if msg[1] != x)
                    out.append((votes, sent, received, decision,
                                crashed | (1 << x), net2))
        return out

    def check_safety(self, st, violated):
        votes, decision = st[0], st[3]
        ds = set(d for d in decision if d is not None)
        if len(ds) > 1:
            violated.add("agreement")
        if len(set(votes)) == 1 and ds and ds != {votes[0]}:
            violated.add("validity")

    def check_terminal(self, st, violated):
        decision, crashed = st[3], st[4]
        for p in range(self.N):
            if not (crashed >> p) & 1 and decision[p] is None:
                violated.add("termination")
                return


# ---------------------------------------------------------------------------

PROPS = {
    "sequencer": ["total-order", "integrity", "termination"],
    "isis": ["total-order", "integrity", "termination"],
    "vote": ["agreement", "validity", "termination"],
}


def fmt_violated(model_name, violated):
    v = [p for p in PROPS[model_name] if p in violated]
    return ", ".join(v) if v else "-"


def make_model(args):
    if args.model == "sequencer":
        return Sequencer(args.procs, args.msgs, args.crash, args.senders,
                         args.variant or "correct")
    if args.model == "isis":
        return Isis(args.procs, args.msgs, args.crash, args.senders,
                    args.variant or "correct")
    return Vote(args.procs, args.rule, args.crash, args.quorum)


TABLE_LIMIT_S = 60.0
TABLE_MAX_STATES = 3_000_000   # keeps memory well under 2 GiB


def table_configs():
    for variant in ("correct", "no-holdback"):
        for s in (1, 2):
            for n in (1, 2, 3):
                for m in (1, 2):
                    for f in (0, 1, 2):
                        yield ("sequencer", variant, "", s, n, m, f)
    for variant in ("correct", "no-tiebreak", "eager-delivery"):
        for s in (1, 2):
            for n in (1, 2, 3):
                for m in (1, 2):
                    for f in (0, 1, 2):
                        yield ("isis", variant, "", s, n, m, f)
    for rule in ("majority", "unanimous"):
        for quorum in ("n-f", "all"):
            for n in (1, 2, 3):
                for f in range(n):
                    yield ("vote", rule, quorum, 0, n, 0, f)


def run_table(out=sys.stdout):
    rows = []
    skipped = []   # (model, variant, quorum, s, n, m, f) that timed out

    def dominated(cfg):
        model, var, quo, s, n, m, f = cfg
        for (mo, va, qu, s2, n2, m2, f2) in skipped:
            if (mo, va, qu) == (model, var, quo) and s >= s2 and n >= n2 \
                    and m >= m2 and f >= f2:
                return True
        return False

    for cfg in table_configs():
        model, var, quo, s, n, m, f = cfg
        if dominated(cfg):
            rows.append((cfg, None, None, "skipped (larger than a skipped one)"))
            continue
        if model == "sequencer":
            mdl = Sequencer(n, m, f, s, var)
        elif model == "isis":
            mdl = Isis(n, m, f, s, var)
        else:
            mdl = Vote(n, var, f, quo)
        t0 = time.monotonic()
        try:
            count, violated = explore(mdl, deadline=t0 + TABLE_LIMIT_S,
                                      max_states=TABLE_MAX_STATES)
        except Timeout:
            skipped.append(cfg)
            rows.append((cfg, None, None,
                         "skipped (> %.0f s or > %d states)"
                         % (TABLE_LIMIT_S, TABLE_MAX_STATES)))
            mdl = None
            continue
        dt = time.monotonic() - t0
        rows.append((cfg, count, fmt_violated(model, violated), ""))
        print("# %s %.1fs" % (cfg, dt), file=sys.stderr, flush=True)

    print("Produced by: `python3 tests/independent/counts.py --table` "
          "(every reduction off; configurations over %.0f s or %d states "
          "would be marked skipped)" % (TABLE_LIMIT_S, TABLE_MAX_STATES),
          file=out)
    print("", file=out)
    print("| model | variant / rule | quorum | senders | procs | msgs | crash "
          "| states | violated |", file=out)
    print("|---|---|---|---|---|---|---|---|---|", file=out)
    for cfg, count, viol, note in rows:
        model, var, quo, s, n, m, f = cfg
        print("| %s | %s | %s | %s | %d | %s | %d | %s | %s |" % (
            model, var, quo or "", s if model != "vote" else "", n,
            m if model != "vote" else "", f,
            count if count is not None else note,
            viol if viol is not None else ""), file=out)


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "--table":
        run_table()
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", choices=["sequencer", "isis", "vote"])
    ap.add_argument("--procs", type=int, required=True)
    ap.add_argument("--msgs", type=int, default=None)
    ap.add_argument("--crash", type=int, default=0)
    ap.add_argument("--senders", type=int, default=0)
    ap.add_argument("--variant", default=None)
    ap.add_argument("--rule", default="majority")
    ap.add_argument("--quorum", default="n-f")
    ap.add_argument("--verdicts", action="store_true")
    args = ap.parse_args(argv)
    if args.model != "vote" and args.msgs is None:
        ap.error("--msgs is required for %s" % args.model)
    try:
        mdl = make_model(args)
    except ValueError as e:
        ap.error(str(e))
    count, violated = explore(mdl)
    print(count)
    if args.verdicts:
        print("violated: " + fmt_violated(args.model, violated))
    return 0


if __name__ == "__main__":
    sys.exit(main())
