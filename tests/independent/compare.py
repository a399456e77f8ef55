#!/usr/bin/env python3
"""tests/independent/compare.py AGREE — agree's counts against counts.py's.

Runs `counts.py --table` (an implementation of protocols.md written without
reading agree's models) and, for every row, `AGREE check ... --reduce none
--keep-going --json`, and compares the number of distinct states and the set of
violated properties. Exit 0 when every row agrees, 1 otherwise (each
disagreement on its own line). CTest runs it as "independent: counts".
"""
import json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKED = {"total-order", "integrity", "termination", "agreement", "validity"}


def rows(table):
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 9 or cells[0] in ("model", "---") or cells[0].startswith("-"):
            continue
        yield cells


def agree_args(model, variant, quorum, senders, procs, msgs, crash):
    args = [model, "--procs", procs, "--crash", crash]
    if model == "vote":
        return args + ["--rule", variant, "--quorum", quorum]
    return args + ["--msgs", msgs, "--variant", variant, "--senders", senders]


def main():
    agree = sys.argv[1]
    table = subprocess.run([sys.executable, os.path.join(HERE, "counts.py"), "--table"],
                           capture_output=True, text=True, check=True).stdout
    bad = n = 0
    for model, variant, quorum, senders, procs, msgs, crash, states, violated in rows(table):
        if states == "skipped":
            continue
        args = agree_args(model, variant, quorum, senders, procs, msgs, crash)
        out = subprocess.run([agree, "check", *args, "--reduce", "none", "--keep-going", "--json", "--threads", "1",
                              "--trace-dir", os.environ.get("TMPDIR", "/tmp")],
                             capture_output=True, text=True)
        try:
            j = json.loads(out.stdout)
        except json.JSONDecodeError:
            print(f"agree check {' '.join(args)}: no JSON (exit {out.returncode}): {out.stderr.strip()}")
            bad += 1
            continue
        got = {c["property"] for c in j.get("counterexamples", [])} & CHECKED
        want = set() if violated == "-" else {v.strip() for v in violated.split(",")}
        n += 1
        if j["distinct_states"] != int(states) or got != want:
            bad += 1
            print(f"agree check {' '.join(args)}: {j['distinct_states']} states, violated {sorted(got) or '-'}; "
                  f"counts.py: {states}, violated {sorted(want) or '-'}")
    print(f"{n - bad} of {n} configurations agree with counts.py")
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
