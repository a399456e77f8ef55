#!/usr/bin/env python3
"""bench/counts.py — the contract's distinct-state counts and times for
sequencer and isis, procs 2..4 x msgs 1..3 x crash 0..1, every reduction off.

    bench/counts.py [--time-limit 60] [--out bench/COUNTS.md]

Each run: `build/agree check MODEL --procs N --msgs M --crash F --reduce none
--keep-going --time-limit T --json` (keep-going: the whole space is counted even
where a property fails). A run cut by the time limit is shown as incomplete.
"""
import argparse, json, os, subprocess, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--time-limit", type=int, default=60)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--out", default=os.path.join(ROOT, "bench", "COUNTS.md"))
a = ap.parse_args()
rows = []
for model in ("sequencer", "isis"):
    for n in (2, 3, 4):
        for m in (1, 2, 3):
            for f in (0, 1):
                cmd = [os.environ.get("AGREE", os.path.join(ROOT, "build", "agree")), "check", model, "--procs", str(n), "--msgs", str(m),
                       "--crash", str(f), "--reduce", "none", "--keep-going", "--threads", str(a.threads),
                       "--time-limit", str(a.time_limit), "--json", "--trace-dir", "/tmp/agree-counts-traces"]
                j = json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout)
                props = sorted({c["property"] for c in j.get("counterexamples", [])})
                rows.append((model, n, m, f, j["verdict"], ", ".join(props) or "-", j["distinct_states"],
                             j["transitions"], j["depth"], j["seconds"]))
                print(*rows[-1], flush=True)
load = " ".join(open("/proc/loadavg").read().split()[:3])
with open(a.out + ".tmp", "w") as out:
    out.write("# Distinct-state counts: sequencer and isis (every reduction off)\n\n")
    out.write(f"Made by `bench/counts.py --time-limit {a.time_limit} --threads {a.threads}` on "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at the end {load}. "
              "Command per row: `agree check MODEL --procs N --msgs M --crash F --reduce none --keep-going`.\n\n")
    out.write("| model | procs | msgs | crash | verdict | violated | distinct states | transitions | depth | seconds |\n")
    out.write("|---|---:|---:|---:|---|---|---:|---:|---:|---:|\n")
    for r in rows:
        out.write(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]:,} | {r[7]:,} | {r[8]} | {r[9]:.2f} |\n")
os.replace(a.out + ".tmp", a.out)
print("wrote", a.out)
