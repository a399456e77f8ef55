#!/usr/bin/env python3
"""tests/mpi/compare.py AGREE [K | KxT ...] — the distributed search under mpirun
against one process.

For small configurations of every built-in protocol (broken variants, crashes
and reductions included), runs `AGREE check ... --json --keep-going` in one
process (breadth-first) and under `mpirun --oversubscribe -np K` for each K
(default 2 3 4; KxT: K ranks of T threads each, `mpirun --bind-to none ...
--threads T`), and compares every figure: distinct states, transitions, depth,
terminal states, the verdict, the violated properties with the length of each
counterexample, the exit code. Also: the per-rank figures add up (states owned
sum to the distinct states, bytes sent to bytes received), every trace the
distributed run wrote replays (`AGREE replay`), and only one trace file is
written per counterexample (rank 0 alone writes). Exit 0 when everything
agrees, 1 otherwise (each disagreement on its own line). CTest runs it as
"mpi: K ranks against one process" when agree is built with MPI.
"""
import glob, json, os, subprocess, sys, tempfile

from common import environment, launcher as find_launcher, ranks as on_ranks

CONFIGS = [
    "sequencer --procs 3 --msgs 2",
    "sequencer --procs 3 --msgs 2 --crash 1",
    "sequencer --procs 3 --msgs 2 --variant no-holdback",
    "sequencer --procs 3 --msgs 2 --crash 1 --reduce none",
    "isis --procs 3 --msgs 2",
    "isis --procs 2 --msgs 2 --crash 1",
    "isis --procs 3 --msgs 2 --variant no-tiebreak",
    "isis --procs 2 --msgs 2 --senders 2 --variant no-tiebreak --reduce none",
    "vote --procs 3",
    "vote --procs 3 --reduce none",
    "vote --procs 3 --rule majority --crash 1",
    "floodset --procs 4 --crash 2",
    "floodset --procs 3 --crash 1 --rounds 1",
    "om --generals 4 --traitors 1",
    "om --generals 3 --traitors 1",
    "sm --generals 4 --traitors 2 --rounds 1",
    "twophase --rms 5",
    "twophase --rms 5 --reduce none",
    "twophase --rms 3 --variant eager-commit",
    "twophase --rms 4 --no-pack",
    "tokenring --procs 5",
    "abp --msgs 2 --variant no-bit",
]
FIGURES = ["verdict", "distinct_states", "transitions", "depth", "terminal_states", "cut"]


def run(cmd, env):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    except subprocess.TimeoutExpired:
        return None, None, "no answer within 300 s"
    try:
        j = json.loads(p.stdout) if p.stdout.strip() else None
    except json.JSONDecodeError:
        j = None
    return p.returncode, j, p.stderr.strip()


def shape(j):
    """What must match: the figures, and per violated property the length of its counterexample."""
    cex = sorted((c["property"], len(c["steps"])) for c in j["counterexamples"])
    return {**{f: j[f] for f in FIGURES}, "counterexamples": cex}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    agree = sys.argv[1]
    ranks = sys.argv[2:] or ["2", "3", "4"]
    launcher = find_launcher()
    if launcher is None:
        print("mpi: no mpirun on PATH")
        return 1
    env = environment()
    bad = 0
    for config in CONFIGS:
        args = config.split()
        search = ["--search", "bfs"] if args[0] in ("om", "sm") else []
        with tempfile.TemporaryDirectory() as one_dir:
            code1, one, err = run([agree, "check", *args, *search, "--json", "--keep-going", "--trace-dir", one_dir], env)
        if one is None:
            print(f"{config}: one process gave no report (exit {code1}): {err}")
            bad += 1
            continue
        for spec in ranks:
            k, _, threads = spec.partition("x")
            k = int(k)
            with tempfile.TemporaryDirectory() as d:
                # Threads in a rank need cores: mpirun binds each rank to one unless told not to.
                launch = [*on_ranks(launcher, k), "--bind-to", "none"] if threads else on_ranks(launcher, k)
                more = ["--threads", threads] if threads else []
                cmd = [*launch, agree, "check", *args, *more, "--json", "--keep-going", "--trace-dir", d]
                code, got, err = run(cmd, env)
                where = f"{config}, {k} ranks" + (f" of {threads} threads" if threads else "")
                if got is None:
                    print(f"{where}: no report (exit {code}): {err}")
                    bad += 1
                    continue
                if code != code1:
                    print(f"{where}: exit {code}, one process {code1}")
                    bad += 1
                if shape(got) != shape(one):
                    print(f"{where}: {shape(got)} != one process {shape(one)}")
                    bad += 1
                per = got.get("ranks", [])
                if len(per) != k:
                    print(f"{where}: {len(per)} rank figures")
                    bad += 1
                elif sum(r["states"] for r in per) != got["distinct_states"] or \
                        sum(r["bytes_sent"] for r in per) != sum(r["bytes_received"] for r in per):
                    print(f"{where}: the per-rank figures do not add up: {per}")
                    bad += 1
                traces = sorted(glob.glob(os.path.join(d, "*.trace")))
                if len(traces) != len(got["counterexamples"]):
                    print(f"{where}: {len(traces)} trace files for {len(got['counterexamples'])} counterexamples")
                    bad += 1
                for t in traces:
                    r = subprocess.run([agree, "replay", t, "--quiet"], capture_output=True, text=True)
                    if r.returncode != 0:
                        print(f"{where}: {os.path.basename(t)} does not replay: {r.stdout.strip()} {r.stderr.strip()}")
                        bad += 1
        print(f"{config}: {one['verdict']}, {one['distinct_states']} states, the same on {ranks} ranks" if bad == 0 else f"{config}: done")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
