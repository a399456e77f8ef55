#!/usr/bin/env bash
# Installs agree from build/ into a temporary prefix, then configures, builds
# and tests each project in examples/ from its own folder against that
# prefix alone (nothing from agree's build tree): what a user's project does.
#   scripts/test-examples.sh [example...]      (default: every folder in examples/)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d build ] || scripts/build.sh
if command -v ninja >/dev/null; then export CMAKE_GENERATOR="${CMAKE_GENERATOR:-Ninja}"; fi  # as scripts/build.sh
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
# FetchContent (and so add_subdirectory): agree built inside another project,
# with that project's build type and none of agree's tests.
mkdir -p "$WORK/fetch"
cat > "$WORK/fetch/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.22)
project(fetch_agree LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
include(FetchContent)
FetchContent_Declare(agree SOURCE_DIR "$PWD")
set(AGREE_PROVE OFF)
FetchContent_MakeAvailable(agree)
if(TARGET agree_tests OR TARGET agree_fuzz)
  message(FATAL_ERROR "agree built its own tests inside another project")
endif()
add_executable(token "$PWD/examples/token/main.cpp")
target_include_directories(token PRIVATE "$PWD/examples/token")
target_link_libraries(token PRIVATE agree::cli)
CMAKE
echo "examples: token through FetchContent"
if cmake -S "$WORK/fetch" -B "$WORK/build-fetch" -DCMAKE_BUILD_TYPE=Debug >/dev/null &&
   grep -q "CMAKE_BUILD_TYPE:STRING=Debug" "$WORK/build-fetch/CMakeCache.txt" &&
   cmake --build "$WORK/build-fetch" -j2 --target token >/dev/null &&
   "$WORK/build-fetch/token" suite >/dev/null; then
  echo "examples: FetchContent passed"
else
  echo "examples: FetchContent FAILED"
  status=1
fi
# pkg-config finds the installed library too.
PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig" pkg-config --cflags --libs agree >/dev/null || { echo "examples: agree.pc not usable"; status=1; }
exit "$status"
