#!/usr/bin/env python3
"""tests/mpi/faults.py AGREE — a distributed search that loses a rank, is
interrupted, or waits on a rank that stopped answering ends on every rank,
within a bounded time, as incomplete, with exact figures.

Each case starts `mpirun --oversubscribe -np 3 AGREE check sequencer --procs 3
--msgs 5 --reduce none --json` (tens of seconds on 3 ranks), lets it run for
a few seconds, then:

  kill     SIGKILL to rank 1 (found among mpirun's children by the
           OMPI_COMM_WORLD_RANK in its environment);
  sigint   SIGINT to mpirun, as Ctrl-C in a terminal would;
  stop     SIGSTOP to rank 1, with --peer-timeout 3: it neither dies nor
           answers, so only the other ranks' bounded waits can end the run.

Every case must end within its bound (a watchdog kills the run otherwise and
the case fails: the failure this test exists to catch is a hang); mpirun must
exit non-zero; no rank may be left; rank 0's report must say the search was
cut short ("cut": "lost-rank" or "interrupted", exit 3 of agree).
A last case cuts a run with --time-limit and --checkpoint, resumes its files
on fewer ranks (refused), on as many and stops it with SIGUSR1 while rank 1
is stopped for 1.5 s (saved again: SIGUSR1, which no SIGKILL follows, leaves
the ranks' waits their patience), and on as many to the end (SPIN's count). The figures
of a lost-rank report are those of the last level every rank finished: they
must equal one process's run with --max-depth at that depth (its distinct
states and transitions: a search to depth d finds the states at depth <= d and
fires the transitions of the states at depth < d). Exit 0 when every case
passes, 1 otherwise. CTest runs it as "mpi: a lost rank" when agree is built
with MPI.
"""
import json, os, signal, subprocess, sys, tempfile, time

from common import environment, launcher as find_launcher, ranks as on_ranks

CONFIG = ["sequencer", "--procs", "3", "--msgs", "5", "--reduce", "none"]
RANKS = 3
CUTS = ("lost-rank", "interrupted")


def children(pid):
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(p))
        except (OSError, IndexError, ValueError):
            pass
    return out


def rank_of(pid):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            for item in f.read().split(b"\0"):
                if item.startswith(b"OMPI_COMM_WORLD_RANK="):
                    return int(item.split(b"=", 1)[1])
    except (OSError, ValueError):
        pass
    return None


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def catches(pid, sig):
    """Whether process pid has a handler for signal sig (SigCgt in /proc/pid/status)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return (int(line.split()[1], 16) >> (sig - 1)) & 1 == 1
    except (OSError, ValueError):
        pass
    return False


def warnings(stderr):
    """agree's own lines in a run's stderr (its warnings and errors), not mpirun's."""
    return " | ".join(l.strip() for l in stderr.splitlines() if "agree: " in l)[-600:]


def ranks_of(mpirun_pid, deadline):
    """{rank: pid} once every rank has started, or None by the deadline."""
    while time.monotonic() < deadline:
        found = {r: p for p in children(mpirun_pid) if (r := rank_of(p)) is not None}
        if len(found) == RANKS:
            return found
        time.sleep(0.1)
    return None


def one_process(agree, depth, env):
    p = subprocess.run([agree, "check", *CONFIG, "--max-depth", str(depth), "--json", "--threads", "1"],
                       capture_output=True, text=True, env=env, timeout=600)
    return json.loads(p.stdout)


def case(agree, launcher, env, how):
    extra = ["--peer-timeout", "3"] if how == "stop" else []
    bound = 30 if how == "stop" else 15  # seconds from the fault to mpirun's exit
    with tempfile.TemporaryDirectory() as d:
        cmd = [*on_ranks(launcher, RANKS), agree, "check", *CONFIG, *extra, "--json", "--trace-dir", d]
        mpirun = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        problems = []
        ranks = ranks_of(mpirun.pid, time.monotonic() + 30)
        if ranks is None:
            mpirun.kill()
            mpirun.communicate()
            return [f"{how}: the {RANKS} ranks did not start within 30 s"]
        time.sleep(4)  # well into the search (it takes tens of seconds)
        if mpirun.poll() is not None:
            out, err = mpirun.communicate()
            return [f"{how}: the search ended before the fault (exit {mpirun.returncode}); make CONFIG larger. {err.strip()[-300:]}"]
        fault = time.monotonic()
        if how == "kill":
            os.kill(ranks[1], signal.SIGKILL)
        elif how == "sigint":
            os.kill(mpirun.pid, signal.SIGINT)
        else:
            os.kill(ranks[1], signal.SIGSTOP)
        try:
            out, err = mpirun.communicate(timeout=bound)
        except subprocess.TimeoutExpired:
            mpirun.kill()
            out, err = mpirun.communicate()
            problems.append(f"{how}: mpirun had not ended {bound} s after the fault (a hang)")
        took = time.monotonic() - fault
        settle = time.monotonic() + 5  # mpirun may exit while its last SIGKILLs land
        while any(alive(p) for p in ranks.values()) and time.monotonic() < settle:
            time.sleep(0.1)
        for r, p in ranks.items():
            if alive(p):
                problems.append(f"{how}: rank {r} (pid {p}) was left running")
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        if mpirun.returncode == 0:
            problems.append(f"{how}: mpirun exited 0")
        try:
            report = json.loads(out)
        except json.JSONDecodeError:
            report = None
        if report is None:
            problems.append(f"{how}: rank 0 wrote no JSON report (mpirun exit {mpirun.returncode}); stderr: {err.strip()[-400:]}")
            return problems
        want = ("lost-rank",) if how in ("kill", "stop") else CUTS  # a rank gone cannot finish a level
        if report.get("verdict") != "incomplete" or report.get("cut") not in want:
            problems.append(f"{how}: verdict {report.get('verdict')}, cut {report.get('cut')}: not {' or '.join(want)}")
        if report.get("cut") == "interrupted":  # every rank finished the level: the per-rank figures add up
            per = report.get("ranks", [])
            if len(per) != RANKS or sum(r["states"] for r in per) != report["distinct_states"] or \
                    sum(r["bytes_sent"] for r in per) != sum(r["bytes_received"] for r in per):
                problems.append(f"{how}: the per-rank figures do not add up: {per}")
        if how in ("kill", "stop") and report.get("cut") == "lost-rank":
            depth = report["depth"]
            want = one_process(agree, depth, env)
            for f in ("distinct_states", "transitions"):
                if report[f] != want[f]:
                    problems.append(f"{how}: {f} {report[f]}, but one process to depth {depth} has {want[f]}")
        print(f"{how}: mpirun exit {mpirun.returncode} {took:.1f} s after the fault; cut {report.get('cut')}, "
              f"{report.get('distinct_states')} states to depth {report.get('depth')}")
        return problems


# sequencer N=3 M=5 without reduction: SPIN's count of distinct states, from an
# independent Promela model (../shared/peers/spin/RESULTS.md, the noreduce row).
SPIN_STATES = 8_849_192


def saved(stderr):
    """Whether rank 0 said the ranks' files were saved."""
    return "checkpoint: " in stderr and "saved (" in stderr


def resume_case(agree, launcher, env):
    """--time-limit cuts a run on 3 ranks with --checkpoint; the files are
    refused on 2 ranks with one line naming 3; resumed on 3 and stopped by
    SIGUSR1 to mpirun (which forwards it to the ranks, with no SIGKILL to
    follow), the ranks save again; resumed once more, the search ends at
    SPIN's count."""
    problems = []
    with tempfile.TemporaryDirectory() as d:
        base = os.path.join(d, "r.ckpt")
        run = [*on_ranks(launcher, RANKS), agree, "check", *CONFIG, "--json", "--trace-dir", d]
        first = subprocess.run([*run, "--time-limit", "2", "--checkpoint", base], capture_output=True, text=True, env=env, timeout=120)
        report = json.loads(first.stdout) if first.stdout.strip() else {}
        if report.get("cut") != "time-limit" or not saved(first.stderr):
            return [f"resume: the first run was not cut by its time limit and saved: exit {first.returncode}, cut {report.get('cut')}; "
                    f"{first.stderr.strip()[-300:]}"]
        missing = [r for r in range(RANKS) if not os.path.exists(f"{base}.rank-{r}-of-{RANKS}")]
        if missing:
            return [f"resume: no checkpoint file of rank(s) {missing}"]
        two = subprocess.run([*on_ranks(launcher, 2), agree, "check", *CONFIG, "--resume", base],
                             capture_output=True, text=True, env=env, timeout=120)
        if two.returncode == 0 or f"mpirun -np {RANKS}" not in two.stderr:
            problems.append(f"resume: on 2 ranks, exit {two.returncode}, stderr {two.stderr.strip()[-300:]!r}: "
                            f"not refused with 'mpirun -np {RANKS}'")
        second = subprocess.Popen([*run, "--resume", base, "--checkpoint", base], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env)
        started = ranks_of(second.pid, time.monotonic() + 30) or {}
        # Until a rank has its handler, SIGUSR1 would end it (the default action):
        # a lost rank, not the stop this case is about.
        until = time.monotonic() + 30
        while not all(catches(p, signal.SIGUSR1) for p in started.values()) and time.monotonic() < until:
            time.sleep(0.05)
        time.sleep(1.0)  # the search has seconds left after the first run's two
        # Rank 1 is slow to answer: stopped when the signal comes, it takes it
        # 1.5 s later, longer than the grace after SIGINT or SIGTERM (0.3 s);
        # SIGUSR1 has no SIGKILL after it, so the others wait for it.
        slow = started.get(1)
        if slow is not None:
            os.kill(slow, signal.SIGSTOP)
        os.kill(second.pid, signal.SIGUSR1)  # mpirun forwards it to every rank as it is
        time.sleep(1.5)
        if slow is not None:
            os.kill(slow, signal.SIGCONT)
        try:
            out, err = second.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            second.kill()
            out, err = second.communicate()
            problems.append("resume: the resumed run had not ended 60 s after SIGUSR1")
        report = json.loads(out) if out.strip() else {}
        if report.get("cut") != "interrupted" or not saved(err):
            problems.append(f"resume: SIGUSR1 to the resumed run: exit {second.returncode}, cut {report.get('cut')}, not interrupted and saved; "
                            f"{warnings(err) or err.strip()[-300:]}")
        again = subprocess.run([*run, "--resume", base], capture_output=True, text=True, env=env, timeout=600)
        report = json.loads(again.stdout) if again.stdout.strip() else {}
        if again.returncode != 0 or report.get("distinct_states") != SPIN_STATES:
            problems.append(f"resume: exit {again.returncode}, {report.get('distinct_states')} states, "
                            f"not SPIN's {SPIN_STATES}; {again.stderr.strip()[-300:]}")
        else:
            print(f"resume: cut at depth {json.loads(first.stdout).get('depth')}, interrupted and saved again, "
                  f"resumed on {RANKS} ranks to {SPIN_STATES} states")
    return problems


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    agree = sys.argv[1]
    launcher = find_launcher()
    if launcher is None:
        print("mpi: no mpirun on PATH")
        return 1
    env = environment()
    problems = []
    for how in ("kill", "sigint", "stop"):
        problems += case(agree, launcher, env, how)
    problems += resume_case(agree, launcher, env)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
