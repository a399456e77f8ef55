#!/usr/bin/env bash
# The test suite under sanitizers:
#   1. AddressSanitizer + UndefinedBehaviorSanitizer: build-asan/, every test
#      but the browser one ([long] ones included); any report fails the run
#      (-fno-sanitize-recover=all, halt_on_error). SANITIZE_SKIP_LONG=1 (.ci/run)
#      leaves out the [long] tests and the two independent comparisons: CI has
#      run them in the release tree already, they repeat the unit tests' code on
#      bigger configurations, and they are ~3 of the ~6.5 minutes under ASan.
#   2. ThreadSanitizer: build-tsan/, only the tests tagged [parallel], built from
#      the files that hold them (agree_parallel_tests); skipped,
#      with a message, while no test carries that tag.
#   Both build without MPI (-DAGREE_MPI=OFF): Open MPI's own allocations would
#   be leak reports; the distributed search itself is tested here on ranks
#   that are threads (tests/distributed_test.cpp, [parallel]).
#   scripts/sanitize.sh [asan|tsan]...      (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
WHAT=("$@")
[ "${#WHAT[@]}" -gt 0 ] || WHAT=(asan tsan)
JOBS="${SANITIZE_BUILD_JOBS:-2}"
# -O1 -g1 (line tables): the optimisation AddressSanitizer's manual suggests,
# and file:line in every report. It compiles tests/liveness_test.cpp in 258 s
# where RelWithDebInfo's -O2 -g took 656 s (g++ 12, ASan+UBSan, one TU).
SAN_FLAGS="-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
# AddressSanitizer + UndefinedBehaviorSanitizer with clang, ThreadSanitizer with
# g++: the faster compiler of each. g++ 12 compiles tests/proviso_test.cpp in
# 80 s under address,undefined (35 s under address alone: its UBSan
# instrumentation of templates is what costs), clang 14 in 41 s; under thread
# g++ takes 23 s, clang 37 s (-O1 -g1, one TU, this 2-core machine).
scripts/install-deps.sh >/dev/null
if command -v ninja >/dev/null; then export CMAKE_GENERATOR="${CMAKE_GENERATOR:-Ninja}"; fi  # as scripts/build.sh

for w in "${WHAT[@]}"; do
  case "$w" in
    asan)
      # fuzzer-no-link (coverage counters, no libFuzzer) and AGREE_FUZZ: the
      # fuzz targets are built here too, from the objects the tests use, so
      # fuzz/run.sh (FUZZ_BUILD_DIR=build-asan, as .ci/run) compiles three
      # files, not the library a fourth time.
      cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo "$SAN_FLAGS" -DCMAKE_CXX_COMPILER=clang++ \
        -DAGREE_SANITIZE=fuzzer-no-link,address,undefined -DAGREE_FUZZ=ON -DAGREE_MPI=OFF >/dev/null
      cmake --build build-asan -j"$JOBS"
      export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
      export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
      skip=(-LE browser)
      [ "${SANITIZE_SKIP_LONG:-0}" = 1 ] && skip=(-LE "browser|long" -E "^independent: ")
      ctest --test-dir build-asan --output-on-failure -j2 --timeout 1800 "${skip[@]}"
      echo "sanitize: asan+ubsan: every test passed"
      ;;
    tsan)
      if ! grep -lq '\[parallel\]' tests/*_test.cpp 2>/dev/null; then
        echo "sanitize: tsan: no test is tagged [parallel] yet; nothing to run"
        continue
      fi
      cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo "$SAN_FLAGS" -DAGREE_SANITIZE=thread -DAGREE_MPI=OFF >/dev/null
      # agree_parallel_tests: only the test files that hold a [parallel] test.
      cmake --build build-tsan -j"$JOBS" --target agree_parallel_tests agree
      export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
      build-tsan/tests/agree_parallel_tests "[parallel]"
      echo "sanitize: tsan: every [parallel] test passed"
      ;;
    *) echo "sanitize: unknown '$w' (asan or tsan)" >&2; exit 2 ;;
  esac
done
