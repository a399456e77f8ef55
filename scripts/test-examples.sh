#!/usr/bin/env bash
# Installs agree from build/ into a temporary prefix, then configures, builds
# and tests each project in examples/ from its own folder against that
# prefix alone (nothing from agree's build tree): what a user's project does.
#   scripts/test-examples.sh [example...]      (default: every folder in examples/)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d build ] || scripts/build.sh
EXAMPLES=("$@")
if [ "${#EXAMPLES[@]}" -eq 0 ]; then
  for d in examples/*/; do [ -f "$d/CMakeLists.txt" ] && EXAMPLES+=("$(basename "$d")"); done
fi
WORK="$(mktemp -d /tmp/agree-examples.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cmake --install build --prefix "$WORK/prefix" >/dev/null
status=0
for e in "${EXAMPLES[@]}"; do
  echo "examples: $e against $WORK/prefix"
  if cmake -S "examples/$e" -B "$WORK/build-$e" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$WORK/prefix" >/dev/null &&
     cmake --build "$WORK/build-$e" -j2 >/dev/null &&
     ctest --test-dir "$WORK/build-$e" --output-on-failure --timeout 600; then
    echo "examples: $e passed"
  else
    echo "examples: $e FAILED"
    status=1
  fi
done
# pkg-config finds the installed library too.
PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig" pkg-config --cflags --libs agree >/dev/null || { echo "examples: agree.pc not usable"; status=1; }
exit "$status"
