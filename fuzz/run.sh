#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# into build-fuzz/ and fuzzes each for a bounded time.
#   fuzz/run.sh [SECONDS per target, default 60] [target...]   targets: trace cli explore
# Seeds come from tests/fuzz-corpus/TARGET; new inputs go to build-fuzz/corpus/TARGET
# (not committed); a crash leaves build-fuzz/crash-* and fails the script.
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
# -O1 -g1 as in scripts/sanitize.sh: a faster build, file:line in every report.
cmake -S fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" -DCMAKE_CXX_COMPILER=clang++ \
  -DAGREE_SANITIZE=fuzzer-no-link,address,undefined >/dev/null
cmake --build build-fuzz -j"$JOBS" --target "${TARGETS[@]/%/_fuzz}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0"
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  echo "fuzz: $t for ${SECONDS_PER_TARGET}s"
  # -close_fd_mask=1: the cli target prints --help text to stdout; keep stderr for findings.
  if ! build-fuzz/"${t}_fuzz" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -max_len=8192 -close_fd_mask=1 -print_final_stats=1 -artifact_prefix=build-fuzz/ \
        "build-fuzz/corpus/$t" "tests/fuzz-corpus/$t" 2>"build-fuzz/$t.log"; then
    status=1
    echo "fuzz: $t FOUND A PROBLEM; see build-fuzz/$t.log and build-fuzz/crash-*"
    tail -40 "build-fuzz/$t.log"
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" "build-fuzz/$t.log" | sed "s/^/fuzz: $t: /"
done
exit $status
