#!/usr/bin/env bash
# bench/om.sh — time and memory of the Byzantine-generals searches (om, sm).
# Usage: bench/om.sh [path/to/agree]   (default build-byz/agree)
set -u
AGREE=${1:-build-byz/agree}
run() {
  local out
  out=$( { /usr/bin/time -f "TIME %e s  MAXRSS %M KiB" "$AGREE" check "$@" --json --trace-dir /tmp/agree-bench-traces; } 2>&1 )
  local t; t=$(echo "$out" | grep '^TIME')
  echo "$out" | grep -v '^TIME' | python3 -c '
import json, sys
j = json.loads(sys.stdin.readline())
print("%-9s nodes %13s  runs covered %26s  search %8.3f s" % (j["verdict"], format(j["distinct_states"], ","),
      format(j.get("runs_covered", 0), ","), j["seconds"]), end="")
'
  echo "  $t   <- agree check $*"
}
echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# search = the report's seconds; TIME/MAXRSS = /usr/bin/time of the whole process"
run om --generals 7 --traitors 2 --reduce all --threads 1
run om --generals 7 --traitors 2 --reduce all --threads 2
run om --generals 7 --traitors 2 --reduce por --threads 2
run om --generals 6 --traitors 2 --reduce all --threads 2 --keep-going
run om --generals 7 --traitors 1 --reduce none --threads 1
run om --generals 5 --traitors 2 --reduce none --threads 1 --keep-going
run om --generals 5 --traitors 2 --reduce none --threads 2 --keep-going
run om --generals 5 --traitors 2 --reduce symmetry --threads 2 --keep-going
run om --generals 5 --traitors 2 --reduce all --threads 2 --keep-going
run sm --generals 7 --traitors 2 --reduce all --threads 1
run sm --generals 7 --traitors 2 --reduce all --threads 2
run sm --generals 4 --traitors 2 --reduce none --threads 1
run sm --generals 5 --traitors 1 --reduce none --threads 1
