#!/usr/bin/env python3
"""tests/independent/compare_cyclic.py AGREE — agree's abp and tokenring
verdicts against cyclic.py's.

Runs `cyclic.py --table` (the two models written from the comment blocks of
model/abp.hpp and model/tokenring.hpp without reading their implementation or
the checker) and, for every row, `AGREE check <model> --<param> <v> --variant
<variant> --liveness --fairness <f> --keep-going --json`, and compares the
number of distinct states and the set of violated properties (safety and
liveness). Exit 0 when every row agrees, 1 on any disagreement (each on its
own line) or when nothing ran.
"""
import json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROPERTIES = {"abp": ("in-order", "delivery"), "tokenring": ("mutual-exclusion", "token-reaches-all")}


def rows(table):
    """Yields (model, param, value, variant, fairness, states, violated set)."""
    for line in table.splitlines():
        cells = line.split()
        if len(cells) != 7 or cells[0] not in PROPERTIES:
            continue
        model, pv, vv, fairness, states, safety, liveness = cells
        param, value = pv.split("=")
        variant = vv.split("=")[1]
        safe_prop, live_prop = PROPERTIES[model]
        violated = {p for p, v in ((safe_prop, safety), (live_prop, liveness)) if v == "violated"}
        yield model, param, value, variant, fairness, int(states), violated


def main():
    if len(sys.argv) != 2:
        print("usage: compare_cyclic.py AGREE", file=sys.stderr)
        return 2
    agree = sys.argv[1]
    table = subprocess.run([sys.executable, os.path.join(HERE, "cyclic.py"), "--table"],
                           capture_output=True, text=True, check=True).stdout
    bad = n = 0
    for model, param, value, variant, fairness, states, want in rows(table):
        args = [model, f"--{param}", value, "--variant", variant, "--liveness", "--fairness", fairness]
        out = subprocess.run([agree, "check", *args, "--keep-going", "--json", "--threads", "1",
                              "--trace-dir", os.environ.get("TMPDIR", "/tmp")],
                             capture_output=True, text=True)
        n += 1
        try:
            j = json.loads(out.stdout)
        except json.JSONDecodeError:
            print(f"agree check {' '.join(args)}: no JSON (exit {out.returncode}): {out.stderr.strip()}")
            bad += 1
            continue
        got = {c["property"] for c in j.get("counterexamples", [])}
        if j.get("distinct_states") != states or got != want:
            bad += 1
            print(f"agree check {' '.join(args)}: {j.get('distinct_states')} states, violated {sorted(got) or '-'}; "
                  f"cyclic.py: {states}, violated {sorted(want) or '-'}")
    print(f"{n - bad} of {n} configurations agree with cyclic.py")
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
