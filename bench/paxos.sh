#!/usr/bin/env bash
# bench/paxos.sh — single-decree Paxos (examples/paxos) in SPIN and in agree,
# on the same state graph: bench/paxos.pml is SEMANTICS.md in Promela, one
# d_step per action, so pan's "states, stored" must equal agree's
# distinct_states (and pan's transitions its edges + 1). Notes: bench/paxos_spin.md.
#
#   bench/paxos.sh [A B V]        acceptors, ballots, values (default 3 4 2)
#
# (a) SPIN: spin -o2 -a; gcc -O2 -DNOREDUCE -DSAFETY -DMEMLIM; ./pan -m200000 -wW
#     (as bench/run.py), 1 core; prints states, transitions and seconds.
# (b) agree: installs build/ into a temporary prefix (cmake --install, as
#     scripts/test-examples.sh), configures and builds examples/paxos against
#     it (target paxos only), runs
#       paxos check paxos --acceptors A --ballots B --values V --threads 1 --reduce none --json
#     and prints its states, transitions and seconds.
# (c) exits 1 if the two state counts differ (or either run fails).
#
# Environment:
#   SPIN_W=N      pan's hash table, 2^N slots (default 24; 8.2M states at 3 4 2)
#   MEMLIM=MB     pan's -DMEMLIM (default 12000, as bench/run.py)
#   AGREE_BUILD   agree's build directory to install from (default build)
#   PAXOS=path    use this already built examples/paxos binary: no install, no build
#   SPIN_ONLY=1   run (a) only (no comparison)
#   JOBS=K        parallel jobs for building the example (default 2)
# Build nothing else at the same time: the timings are for an idle machine.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

A=${1:-3} B=${2:-4} V=${3:-2}
for x in "$A" "$B" "$V"; do
  [[ "$x" =~ ^[0-9]+$ ]] || { echo "usage: $0 [A B V]" >&2; exit 2; }
done
SPIN_W=${SPIN_W:-24}
MEMLIM=${MEMLIM:-12000}
AGREE_BUILD=${AGREE_BUILD:-build}
JOBS=${JOBS:-2}

command -v spin >/dev/null || { echo "paxos.sh: spin not found (apt-get install -y spin)" >&2; exit 1; }
command -v gcc >/dev/null || { echo "paxos.sh: gcc not found" >&2; exit 1; }

WORK="$(mktemp -d /tmp/agree-paxos-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# paxos acceptors=$A ballots=$B values=$V (variant correct)"

# ---------------------------------------------------------------- (a) SPIN
mkdir -p "$WORK/spin"
cp bench/paxos.pml "$WORK/spin/"
SPIN_CFLAGS="-O2 -DNOREDUCE -DSAFETY -DMEMLIM=$MEMLIM"
(
  cd "$WORK/spin"
  spin -o2 -DA="$A" -DB="$B" -DV="$V" -a paxos.pml > spin.log 2>&1 ||
    { cat spin.log >&2; echo "paxos.sh: spin -a failed" >&2; exit 1; }
  # shellcheck disable=SC2086
  gcc -w $SPIN_CFLAGS -o pan pan.c > gcc.log 2>&1 ||
    { cat gcc.log >&2; echo "paxos.sh: gcc pan.c failed" >&2; exit 1; }
)
t0=$(now)
prc=0
( cd "$WORK/spin" && /usr/bin/time -f "%M" -o time.txt ./pan -m200000 -w"$SPIN_W" > pan.out 2>&1 ) || prc=$?
t1=$(now)
PAN="$WORK/spin/pan.out"
spin_states=$(awk '/states, stored/ { v = $1 } END { print v }' "$PAN")
spin_trans=$(awk '/transitions \(= stored\+matched\)/ { v = $1 } END { print v }' "$PAN")
spin_errors=$(grep -o 'errors: [0-9]*' "$PAN" | tail -1 | awk '{ print $2 }')
spin_secs=$(awk '/pan: elapsed time/ { v = $4 } END { print v }' "$PAN")
spin_vec=$(grep -o 'State-vector [0-9]* byte' "$PAN" | awk '{ print $2 }')
spin_rss=$(awk 'NR == 1 { printf "%.0f", $1 / 1024 }' "$WORK/spin/time.txt" 2>/dev/null || true)
if [ -z "$spin_states" ] || [ "${spin_errors:-1}" != 0 ] || grep -q "reached -DMEMLIM bound\|max search depth too small" "$PAN"; then
  cat "$PAN" >&2
  echo "paxos.sh: pan failed (exit $prc, errors ${spin_errors:-?})" >&2
  exit 1
fi
printf 'spin   states %12s  transitions %12s  search %8s s  wall %8s s  RSS %6s MiB  (state vector %s bytes)\n' \
  "$spin_states" "$spin_trans" "$spin_secs" "$(elapsed "$t0" "$t1")" "${spin_rss:-?}" "${spin_vec:-?}"
echo "       <- spin -o2 -DA=$A -DB=$B -DV=$V -a bench/paxos.pml; gcc -w $SPIN_CFLAGS -o pan pan.c; ./pan -m200000 -w$SPIN_W"

if [ "${SPIN_ONLY:-0}" = 1 ]; then exit 0; fi

# ---------------------------------------------------------------- (b) agree
if [ -z "${PAXOS:-}" ]; then
  [ -d "$AGREE_BUILD" ] || { echo "paxos.sh: no $AGREE_BUILD/ (run scripts/build.sh first)" >&2; exit 1; }
  if command -v ninja >/dev/null; then export CMAKE_GENERATOR="${CMAKE_GENERATOR:-Ninja}"; fi  # as scripts/test-examples.sh
  echo "# installing $AGREE_BUILD into $WORK/prefix and building examples/paxos against it"
  cmake --install "$AGREE_BUILD" --prefix "$WORK/prefix" > "$WORK/install.log" 2>&1 ||
    { tail -20 "$WORK/install.log" >&2; echo "paxos.sh: cmake --install $AGREE_BUILD failed" >&2; exit 1; }
  cmake -S examples/paxos -B "$WORK/build-paxos" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$WORK/prefix" \
    > "$WORK/configure.log" 2>&1 ||
    { tail -30 "$WORK/configure.log" >&2; echo "paxos.sh: configuring examples/paxos failed" >&2; exit 1; }
  cmake --build "$WORK/build-paxos" --target paxos -j"$JOBS" > "$WORK/build.log" 2>&1 ||
    { tail -40 "$WORK/build.log" >&2; echo "paxos.sh: building examples/paxos failed" >&2; exit 1; }
  PAXOS="$WORK/build-paxos/paxos"
fi
[ -x "$PAXOS" ] || { echo "paxos.sh: $PAXOS is not an executable" >&2; exit 1; }

AGREE_ARGS=(check paxos --acceptors "$A" --ballots "$B" --values "$V" --threads 1 --reduce none)
t0=$(now)
arc=0
/usr/bin/time -f "%M" -o "$WORK/agree-time.txt" \
  "$PAXOS" "${AGREE_ARGS[@]}" --json --trace-dir "$WORK/traces" > "$WORK/agree.json" 2> "$WORK/agree.err" || arc=$?
t1=$(now)
if ! agree_line=$(python3 - "$WORK/agree.json" 2>/dev/null <<'PY'
import json, sys
j = json.loads(open(sys.argv[1]).read())
print(j["distinct_states"], j["transitions"], j["seconds"], j["verdict"])
PY
); then
  cat "$WORK/agree.json" "$WORK/agree.err" >&2
  echo "paxos.sh: paxos check failed (exit $arc), no JSON report" >&2
  exit 1
fi
read -r agree_states agree_trans agree_secs agree_verdict <<< "$agree_line"
agree_rss=$(awk 'NR == 1 { printf "%.0f", $1 / 1024 }' "$WORK/agree-time.txt" 2>/dev/null || true)
printf 'agree  states %12s  transitions %12s  search %8.3f s  wall %8s s  RSS %6s MiB  (verdict %s, exit %s)\n' \
  "$agree_states" "$agree_trans" "$agree_secs" "$(elapsed "$t0" "$t1")" "${agree_rss:-?}" "$agree_verdict" "$arc"
echo "       <- paxos ${AGREE_ARGS[*]}"

# ---------------------------------------------------------------- (c) compare
status=0
if [ "$agree_states" != "$spin_states" ]; then
  echo "MISMATCH: SPIN stores $spin_states states, agree counts $agree_states" >&2
  status=1
else
  echo "same state count: $spin_states"
fi
# pan counts one transition more than there are edges (its start state).
if [ "$spin_trans" != "$((agree_trans + 1))" ]; then
  echo "note: SPIN transitions $spin_trans, agree transitions $agree_trans (expected SPIN = agree + 1)"
fi
if [ "$agree_verdict" != holds ]; then
  echo "paxos.sh: agree's verdict is $agree_verdict, not holds" >&2
  status=1
fi
exit "$status"
