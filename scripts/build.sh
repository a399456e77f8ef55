#!/usr/bin/env bash
# Installs what is missing, then builds in Release into ./build.
#   scripts/build.sh                 everything: agree, the tests, the fuzz-free rest
#   scripts/build.sh agree           only the agree binary (what `agree suite` needs)
#   scripts/build.sh [-DOPTION=...]  extra cmake -D options, with or without targets
set -euo pipefail
cd "$(dirname "$0")/.."
defs=() targets=()
for a in "$@"; do
  case "$a" in
    -D*) defs+=("$a") ;;
    *) targets+=(--target "$a") ;;
  esac
done
scripts/install-deps.sh
# Ninja where it is installed (scripts/install-deps.sh installs it): it starts a
# target's files while the libraries it links are still compiling, where make
# waits for them. A build directory keeps the generator it was made with.
if command -v ninja >/dev/null; then export CMAKE_GENERATOR="${CMAKE_GENERATOR:-Ninja}"; fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${defs[@]+"${defs[@]}"} >/dev/null
cmake --build build -j"$(nproc)" ${targets[@]+"${targets[@]}"}
