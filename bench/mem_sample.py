#!/usr/bin/env python3
"""Peak resident memory of a command, and where it lives.

    python3 bench/mem_sample.py [--every 0.2] [--top 12] -- build/agree check twophase --rms 10

Runs the command and reads /proc/PID/smaps every --every seconds. Prints the
command's last output, the largest sampled total RSS (KiB) and when it was
seen, then the --top mappings of that sample by RSS: size, RSS, anonymous huge
pages and name ([heap] is malloc's main arena; unnamed ones are mmap blocks,
thread arenas among them). A sample can miss a peak shorter than the period;
/usr/bin/time's maximum resident set size cannot, but says nothing of where.
Linux only.
"""
import argparse
import re
import subprocess
import sys
import time

MAPPING = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$")


def sample(pid):
    """[(size KiB, rss KiB, huge KiB, name)] of every mapping of pid, or None."""
    try:
        with open(f"/proc/{pid}/smaps") as f:
            text = f.read()
    except OSError:
        return None
    maps = []
    for line in text.splitlines():
        m = MAPPING.match(line)
        if m:
            maps.append([(int(m[2], 16) - int(m[1], 16)) >> 10, 0, 0, m[3].strip()])
        elif maps and line.startswith("Rss:"):
            maps[-1][1] = int(line.split()[1])
        elif maps and line.startswith("AnonHugePages:"):
            maps[-1][2] = int(line.split()[1])
    return maps


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--every", type=float, default=0.2, help="seconds between samples")
    ap.add_argument("--top", type=int, default=12, help="mappings shown")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        ap.error("no command given")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    t0, peak, peak_maps, peak_at = time.time(), 0, [], 0.0
    while p.poll() is None:
        maps = sample(p.pid)
        if maps is None:
            break
        total = sum(m[1] for m in maps)
        if total > peak:
            peak, peak_maps, peak_at = total, sorted(maps, key=lambda m: -m[1]), time.time() - t0
        time.sleep(a.every)
    out = p.stdout.read().decode(errors="replace")
    p.wait()
    print(out[-1500:])
    print(f"exit {p.returncode}; peak RSS {peak} KiB at {peak_at:.1f} s")
    for size, rss, huge, name in peak_maps[: a.top]:
        print(f"  size {size:>10} KiB  rss {rss:>9} KiB  huge {huge:>8} KiB  {name}")
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
