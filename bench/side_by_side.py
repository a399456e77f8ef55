#!/usr/bin/env python3
"""bench/side_by_side.py — two builds of agree on the same rungs, alternating.

    bench/side_by_side.py OLD_AGREE NEW_AGREE [--runs 3] [--out bench/SIDE_BY_SIDE.md] [--label-old X --label-new Y]

Wall-clock noise on this kind of machine is up to ~10% between identical
runs, and absolute speed differs up to 2.4x between machines of one kind, so
a change is judged only against the old build run here, now, alternating
old/new on each rung (the median of --runs each). Counts and verdicts must be
equal between the two; the script fails if they are not.
"""
import argparse, json, statistics, subprocess, sys, time

RUNGS = [
    ("twophase", "--rms 10 --reduce none --threads 2 --memory-limit 1024"),
    ("twophase", "--rms 10 --reduce none --threads 2"),  # the default memory budget (issue 17: under 1 GiB)
    ("twophase", "--rms 9 --reduce none --threads 1"),
    ("sequencer", "--procs 4 --msgs 4 --reduce none --threads 1"),
    ("isis", "--procs 3 --msgs 3 --reduce none --threads 1"),
    ("isis", "--procs 4 --msgs 3 --reduce por --threads 2"),
    ("vote", "--procs 4 --reduce none --threads 2"),
]


def run(binary, model, params):
    cmd = [binary, "check", model] + params.split() + ["--json", "--trace-dir", "/tmp/agree-side-by-side-traces"]
    t0 = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True, timeout=3600)
    wall = time.time() - t0
    j = json.loads(p.stdout)
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return {"wall": wall, "rss_mb": rss_kb / 1024.0,
            "figures": (j["verdict"], j["distinct_states"], j["transitions"], j["depth"])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="bench/SIDE_BY_SIDE.md")
    ap.add_argument("--label-old", default="old")
    ap.add_argument("--label-new", default="new")
    a = ap.parse_args()
    rows, bad = [], False
    for model, params in RUNGS:
        res = {"old": [], "new": []}
        for _ in range(a.runs):
            for side, binary in (("old", a.old), ("new", a.new)):
                res[side].append(run(binary, model, params))
        figures = {r["figures"] for side in res for r in res[side]}
        if len(figures) != 1:
            bad = True
        med = {s: statistics.median(r["wall"] for r in res[s]) for s in res}
        rss = {s: max(r["rss_mb"] for r in res[s]) for s in res}
        verdict, states, transitions, depth = res["old"][0]["figures"]
        rows.append((model, params, verdict, states, transitions, med["old"], med["new"], med["old"] / med["new"],
                     rss["old"], rss["new"], "equal" if len(figures) == 1 else "DIFFER"))
        print(rows[-1], flush=True)
    with open(a.out, "w") as f:
        f.write("# Two builds side by side\n\n")
        f.write(f"`bench/side_by_side.py {a.old} {a.new} --runs {a.runs}` at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
                f"old = {a.label_old}, new = {a.label_new}; each rung alternates old and new {a.runs} times, "
                "wall seconds are medians, RSS the largest.\n\n")
        f.write("| model | parameters | verdict | states | transitions | old s | new s | old/new | old MiB | new MiB | figures |\n")
        f.write("|---|---|---|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            f.write(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:,} | {r[4]:,} | {r[5]:.2f} | {r[6]:.2f} | {r[7]:.2f}x | "
                    f"{r[8]:.0f} | {r[9]:.0f} | {r[10]} |\n")
    print(f"wrote {a.out}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
