#!/usr/bin/env bash
# bench/distributed.sh — the distributed search (checker/distributed.hpp) on 1,
# 2 and 4 MPI ranks of one machine, and 1 rank of 2 threads (mpirun
# --bind-to none: mpirun binds a rank to one core otherwise), beside one
# process on 1 and 2 threads:
# seconds (wall, mpirun's start included, by /usr/bin/time), the search's own
# seconds, distinct states, bytes sent per state, and the largest share of its
# time a rank spent waiting for the others. Usage: bench/distributed.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
row=$(cat <<'PY'
import json, sys
d = json.load(sys.stdin)
wall = open(sys.argv[3]).read().split()[0]
ranks = d.get("ranks", [])
sent = sum(r["bytes_sent"] for r in ranks)
wait = max((r["seconds_waiting"] for r in ranks), default=0.0)
share = f'{100 * wait / d["seconds"]:.0f}%' if ranks else "-"
per = f'{sent / d["distinct_states"]:.1f}' if ranks else "-"
print(f'| {sys.argv[1]} | {sys.argv[2]} | {d["distinct_states"]:,} | {wall} | {d["seconds"]:.2f} | {per} | {share} |')
PY
)
echo "| model | run | distinct states | wall s | search s | bytes sent / state | most waiting |"
echo "|---|---|---:|---:|---:|---:|---:|"
for c in "twophase --rms 9" "isis --procs 3 --msgs 3"; do
  for ((i = 0; i < runs; i++)); do
    for how in "1 process, 1 thread" "1 process, 2 threads" "1 rank" "1 rank, 2 threads" "2 ranks" "4 ranks"; do
      case "$how" in
        "1 process, 1 thread") cmd=(build/agree check $c --threads 1) ;;
        "1 process, 2 threads") cmd=(build/agree check $c --threads 2) ;;
        "1 rank, 2 threads") cmd=(mpirun --bind-to none -np 1 build/agree check $c --threads 2) ;;
        *) cmd=(mpirun --oversubscribe -np "${how%% *}" build/agree check $c) ;;
      esac
      out=$(/usr/bin/time -f "%e" -o /tmp/agree-dist-wall "${cmd[@]}" --reduce none --json --trace-dir /tmp/agree-dist-traces)
      python3 -c "$row" "$c" "$how" /tmp/agree-dist-wall <<<"$out"
    done
  done
done
