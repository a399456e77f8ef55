#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# into build-fuzz/ and fuzzes each for a bounded time.
#   fuzz/run.sh [SECONDS per target, default 60] [target...]   targets: trace cli explore
#   FUZZ_BUILD_DIR=build-asan fuzz/run.sh ...   the targets of scripts/sanitize.sh's
#       AddressSanitizer tree (configured there with AGREE_FUZZ=ON; .ci/run does
#       this): its library objects are reused, only the three targets are built.
# Seeds come from tests/fuzz-corpus/TARGET; new inputs go to DIR/corpus/TARGET
# (not committed); a crash leaves DIR/crash-* and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ "${#TARGETS[@]}" -gt 0 ] || TARGETS=(trace cli explore)
command -v clang++ >/dev/null || scripts/install-deps.sh clang libclang-rt-14-dev
if command -v ninja >/dev/null; then export CMAKE_GENERATOR="${CMAKE_GENERATOR:-Ninja}"; fi  # as scripts/build.sh
# Not -j$(nproc) in CI's name: the machine may be shared; the default is 2.
JOBS="${FUZZ_BUILD_JOBS:-2}"
DIR="${FUZZ_BUILD_DIR:-build-fuzz}"
if [ "$DIR" = build-fuzz ]; then
  # -O1 -g1 as in scripts/sanitize.sh: a faster build, file:line in every report.
  cmake -S fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" -DCMAKE_CXX_COMPILER=clang++ \
    -DAGREE_SANITIZE=fuzzer-no-link,address,undefined >/dev/null
elif ! grep -q "^AGREE_FUZZ:BOOL=ON" "$DIR/CMakeCache.txt" 2>/dev/null; then
  echo "fuzz: $DIR is not a tree configured with AGREE_FUZZ=ON (scripts/sanitize.sh asan makes build-asan one)" >&2
  exit 2
fi
cmake --build "$DIR" -j"$JOBS" --target "${TARGETS[@]/%/_fuzz}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0"
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "$DIR/corpus/$t"
  echo "fuzz: $t for ${SECONDS_PER_TARGET}s"
  # -close_fd_mask=1: the cli target prints --help text to stdout; keep stderr for findings.
  if ! "$DIR/${t}_fuzz" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -max_len=8192 -close_fd_mask=1 -print_final_stats=1 -artifact_prefix="$DIR/" \
        "$DIR/corpus/$t" "tests/fuzz-corpus/$t" 2>"$DIR/$t.log"; then
    status=1
    echo "fuzz: $t FOUND A PROBLEM; see $DIR/$t.log and $DIR/crash-*"
    tail -40 "$DIR/$t.log"
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$DIR/$t.log" | sed "s/^/fuzz: $t: /"
done
exit $status
