#!/usr/bin/env bash
# bench/crash_por.sh — the partial-order reduction under one crash on the
# ladder's bounds: distinct and terminal states, verdict and seconds, with
# --reduce none and --reduce por, one row each. Usage: bench/crash_por.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
row=$(cat <<'PY'
import json, sys
d = json.load(sys.stdin)
model, bound = sys.argv[1].split(" ", 1)
print(f'| {model} | {bound} --crash 1 | {sys.argv[2]} | {d["distinct_states"]:,} | {d["terminal_states"]:,} | {d["verdict"]} | {d["seconds"]:.2f} |')
PY
)
echo "| model | bound | reduce | distinct states | terminal states | verdict | seconds |"
echo "|---|---|---|---:|---:|---|---:|"
for c in "sequencer --procs 3 --msgs 4" "sequencer --procs 4 --msgs 4" "isis --procs 3 --msgs 3" "isis --procs 5 --msgs 2"; do
  for r in none por; do
    rc=0
    out=$(build/agree check $c --crash 1 --reduce $r --keep-going --json --threads "$threads" --trace-dir /tmp/agree-crash-por-traces) || rc=$?
    [ "$rc" -le 1 ] || { echo "agree check $c --crash 1 --reduce $r: exit $rc" >&2; exit 1; }  # 0 holds, 1 violated
    python3 -c "$row" "$c" "$r" <<<"$out"
  done
done
