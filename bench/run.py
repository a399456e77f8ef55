#!/usr/bin/env python3
"""bench/run.py — agree's benchmark ladder, side by side with SPIN.

    bench/run.py [--quick] [--no-spin] [--out bench/RESULTS.md]

Builds nothing itself: run scripts/build.sh first (Release). For every rung it
runs `build/agree check ... --json` with 1 and 2 threads and each reduction,
and SPIN 6 (Debian package `spin`) on the Promela models in
../shared/peers/spin/ for the same bounds (spin -o2 -a; gcc -O2 -DSAFETY, with
and without -DNOREDUCE; pan -m200000 -wW). Every figure is measured here, in
this run, on this machine; the command of every row is in the table.
"""
import argparse, json, os, platform, re, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGREE = os.environ.get("AGREE", os.path.join(ROOT, "build", "agree"))
PEERS = os.path.join(os.path.dirname(ROOT), "shared", "peers", "spin")
WORK = "/tmp/agree-bench-spin"

# (model, agree parameters, spin model, spin defines, hash -w)
LADDER = [
    ("twophase", "--rms 8", "twophase.pml", "-DNRM=8", 22),
    ("twophase", "--rms 9", "twophase.pml", "-DNRM=9", 25),
    ("twophase", "--rms 10", None, None, None),  # SPIN: over 3 GB at -DNOREDUCE; not run
    ("sequencer", "--procs 3 --msgs 4", "sequencer.pml", "-DN=3 -DM=4", 20),
    ("sequencer", "--procs 4 --msgs 4", "sequencer.pml", "-DN=4 -DM=4", 23),
    ("isis", "--procs 3 --msgs 3", "isis.pml", "-DN=3 -DM=3", 23),
    ("isis", "--procs 5 --msgs 2", "isis.pml", "-DN=5 -DM=2", 21),
    # OM(1), every placement of one traitor: agree's stateless tree search
    # (states = tree nodes) against SPIN's om1.pml in its canonical order.
    ("om", "--generals 6 --traitors 1", "om1.pml", "-DN=6", 18),
    ("om", "--generals 8 --traitors 1", "om1.pml", "-DN=8", 18),
    ("vote", "--procs 4", None, None, None),  # no SPIN model: symmetry against none
]
QUICK = [r for r in LADDER if r[1] in ("--rms 8", "--procs 3 --msgs 4")]


def run(cmd, timeout):
    t0 = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True, timeout=timeout)
    rss_kb = int(p.stderr.strip().splitlines()[-1]) if p.stderr.strip() else 0
    return p, time.time() - t0, rss_kb


def agree(model, params, threads, reduce, limit=None):
    cmd = [AGREE, "check", model] + params.split() + ["--threads", str(threads), "--reduce", reduce, "--json",
                                                       "--trace-dir", "/tmp/agree-bench-traces"]
    if limit:
        cmd += ["--memory-limit", str(limit)]
    p, wall, rss = run(cmd, 3600)
    j = json.loads(p.stdout)
    shown = ["agree", "check", model] + params.split() + ["--threads", str(threads), "--reduce", reduce]
    return {"cmd": " ".join(shown + (["--memory-limit", str(limit)] if limit else [])),
            "verdict": j["verdict"], "states": j["distinct_states"], "transitions": j["transitions"],
            "seconds": j["seconds"], "wall": wall, "rss_mb": rss / 1024.0,
            "bps": j.get("store_bytes_per_state", 0)}


def spin(pml, defines, w, noreduce):
    key = re.sub(r"\W+", "_", f"{pml}_{defines}_{noreduce}")
    d = os.path.join(WORK, key)
    os.makedirs(d, exist_ok=True)
    shutil.copy(os.path.join(PEERS, pml), d)
    cflags = ["-O2", "-DSAFETY", "-DMEMLIM=12000"] + (["-DNOREDUCE"] if noreduce else [])
    subprocess.run(["spin", "-o2"] + defines.split() + ["-a", pml], cwd=d, check=True, capture_output=True)
    subprocess.run(["gcc", "-w"] + cflags + ["-o", "pan", "pan.c"], cwd=d, check=True, capture_output=True)
    t0 = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "./pan", "-m200000", f"-w{w}"], cwd=d, capture_output=True,
                       text=True, timeout=3600)
    wall = time.time() - t0
    out = p.stdout
    g = lambda rx: (re.search(rx, out) or [None, None])[1]
    return {"cmd": f"spin -o2 {defines} -a {pml}; gcc {' '.join(cflags)}; ./pan -m200000 -w{w}",
            "states": int(g(r"(\d+) states, stored") or 0), "transitions": int(float(g(r"([\d.e+]+) transitions") or 0)),
            "seconds": float(g(r"elapsed time ([\d.e+-]+)") or wall), "wall": wall,
            "rss_mb": int(p.stderr.strip().splitlines()[-1]) / 1024.0, "errors": g(r"errors: (\d+)")}


def memory_probe(mib=512, lookups=100_000_000):
    """bench/random_lookups.cpp pinned to each core alone, then on both at once:
    the ceiling of a two-thread speed-up for a search bound by random lookups."""
    exe = os.path.join(WORK, "random_lookups")
    os.makedirs(WORK, exist_ok=True)
    subprocess.run(["g++", "-O2", "-o", exe, os.path.join(ROOT, "bench", "random_lookups.cpp")], check=True)
    cmd = lambda cpu: ["taskset", "-c", str(cpu), exe, str(mib), str(lookups)]
    alone = [float(subprocess.run(cmd(c), capture_output=True, text=True, check=True).stdout) for c in (0, 1)]
    procs = [subprocess.Popen(cmd(c), stdout=subprocess.PIPE, text=True) for c in (0, 1)]
    both = [float(p.communicate()[0]) for p in procs]
    ceiling = (1 / both[0] + 1 / both[1]) / (1 / min(alone))
    return {"cmd": f"g++ -O2 bench/random_lookups.cpp; taskset -c CPU random_lookups {mib} {lookups}",
            "alone": alone, "both": both, "ceiling": ceiling}


def fmt_int(n):
    return f"{n:,}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-spin", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    a = ap.parse_args()
    ladder = QUICK if a.quick else LADDER
    have_spin = shutil.which("spin") and not a.no_spin and os.path.isdir(PEERS)
    probe = memory_probe() if os.cpu_count() >= 2 and shutil.which("taskset") else None
    rows = []
    for model, params, pml, defines, w in ladder:
        limit = 1024 if params == "--rms 10" else None
        for reduce in ("none", "all"):
            for threads in (1, 2):
                r = agree(model, params, threads, reduce, limit)
                r.update(tool="agree", model=model, bound=params, mode=f"reduce {reduce}, {threads} thread(s)")
                rows.append(r)
                print(f"{model} {params} {reduce} t{threads}: {r['states']} states {r['seconds']:.2f}s", flush=True)
        if have_spin and pml:
            for noreduce in (True, False):
                r = spin(pml, defines, w, noreduce)
                r.update(tool="spin", model=model, bound=params, mode="noreduce" if noreduce else "por (default)")
                rows.append(r)
                print(f"spin {pml} {defines} {r['mode']}: {r['states']} states {r['seconds']:.2f}s", flush=True)
    load = open("/proc/loadavg").read().split()[:3]
    with open(a.out + ".tmp", "w") as f:
        f.write("# Benchmarks: agree and SPIN, side by side\n\n")
        f.write(f"Made by `bench/run.py{' --quick' if a.quick else ''}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
                f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, load average at the end {' '.join(load)}.\n")
        f.write("`seconds` is each tool's own search time (agree's report; pan's `elapsed time`); `wall` includes start-up; "
                "`RSS` is the peak resident memory from /usr/bin/time. `bytes/state` is agree's visited-set bytes per state "
                "(the parent links go to a temporary file, as TLC's do).\n\n")
        f.write("| model | bound | tool | mode | verdict | states | transitions | seconds | states/s | RSS MiB | bytes/state | vs SPIN noreduce |\n")
        f.write("|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
        for r in rows:
            base = next((x for x in rows if x["tool"] == "spin" and x["mode"] == "noreduce" and x["model"] == r["model"]
                         and x["bound"] == r["bound"]), None)
            ratio = f"{base['seconds'] / r['seconds']:.2f}x" if base and r["seconds"] > 0 and r["tool"] == "agree" else ""
            rate = fmt_int(int(r["states"] / r["seconds"])) if r["seconds"] > 0 else "-"
            f.write(f"| {r['model']} | {r['bound']} | {r['tool']} | {r['mode']} | {r.get('verdict', 'errors ' + str(r.get('errors')))} "
                    f"| {fmt_int(r['states'])} | {fmt_int(r['transitions'])} | {r['seconds']:.2f} | {rate} | {r['rss_mb']:.0f} "
                    f"| {r.get('bps', 0):.1f} | {ratio} |\n")
        # The target: at least as fast as SPIN, each with its best reductions on.
        f.write("\nBest against best: each tool's fastest mode for the bound (agree: reduce none or all, 1 or 2 "
                "threads; SPIN: noreduce or its default partial-order reduction). Times under pan's 0.01 s "
                "resolution count as 0.01 s, so such a ratio is a lower bound (marked >=).\n\n")
        f.write("| model | bound | agree best | seconds | SPIN best | seconds | SPIN / agree |\n|---|---|---|---:|---|---:|---:|\n")
        seen = []
        for r in rows:
            key = (r["model"], r["bound"])
            if key in seen:
                continue
            seen.append(key)
            mine = [x for x in rows if (x["model"], x["bound"]) == key and x["tool"] == "agree" and x["verdict"] != "incomplete"]
            theirs = [x for x in rows if (x["model"], x["bound"]) == key and x["tool"] == "spin"]
            if not mine or not theirs:
                continue
            ag = min(mine, key=lambda x: x["seconds"])
            sp = min(theirs, key=lambda x: x["seconds"])
            floor = ag["seconds"] < 0.01 or sp["seconds"] < 0.01
            ratio = max(sp["seconds"], 0.01) / max(ag["seconds"], 0.01)
            f.write(f"| {key[0]} | {key[1]} | {ag['mode']} | {ag['seconds']:.2f} | {sp['mode']} | {sp['seconds']:.2f} "
                    f"| {'>= ' if floor and ag['seconds'] < 0.01 else ''}{ratio:.2f}x |\n")
        # The speed-up from one thread to two, per rung and reduction (runs under 0.5 s left out: start-up dominates).
        f.write("\nSpeed-up from 1 to 2 threads (agree's seconds on 1 thread / on 2), for the runs of at least 0.5 s.\n\n")
        f.write("| model | bound | reduce | 1 thread s | 2 threads s | speed-up |\n|---|---|---|---:|---:|---:|\n")
        for r in rows:
            if r["tool"] != "agree" or not r["mode"].endswith(", 1 thread(s)"):
                continue
            two = next((x for x in rows if x["tool"] == "agree" and (x["model"], x["bound"]) == (r["model"], r["bound"])
                        and x["mode"] == r["mode"].replace("1 thread(s)", "2 thread(s)")), None)
            if two and r["seconds"] >= 0.5 and two["seconds"] > 0:
                f.write(f"| {r['model']} | {r['bound']} | {r['mode'].split(',')[0][len('reduce '):]} | {r['seconds']:.2f} "
                        f"| {two['seconds']:.2f} | {r['seconds'] / two['seconds']:.2f}x |\n")
        if probe:
            f.write("\nThe memory this machine gives two threads (`bench/random_lookups.cpp`: random 8-byte lookups in a "
                    "512 MiB table, 2 MiB pages, 8 prefetched at a time, as the checker's table lookups): nanoseconds per "
                    "lookup on core 0 and core 1 alone, then on both at once. The ceiling is the speed-up two threads "
                    "can have on a search that is nothing but such lookups.\n\n")
            f.write("| core 0 alone | core 1 alone | core 0, both running | core 1, both running | two-thread ceiling |\n"
                    "|---:|---:|---:|---:|---:|\n")
            f.write(f"| {probe['alone'][0]:.1f} ns | {probe['alone'][1]:.1f} ns | {probe['both'][0]:.1f} ns "
                    f"| {probe['both'][1]:.1f} ns | {probe['ceiling']:.2f}x |\n")
        f.write("\nCommands:\n\n")
        if probe:
            f.write(f"- `{probe['cmd']}`\n")
        for r in rows:
            f.write(f"- `{r['cmd']}`\n")
    os.replace(a.out + ".tmp", a.out)
    print("wrote", a.out)


if __name__ == "__main__":
    sys.exit(main())
