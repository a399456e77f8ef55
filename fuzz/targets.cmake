# fuzz/targets.cmake — the libFuzzer targets. Included by fuzz/CMakeLists.txt
# (a project of its own around agree) and by agree's own CMakeLists.txt when
# AGREE_FUZZ is on: scripts/sanitize.sh builds its AddressSanitizer tree with
# -DAGREE_SANITIZE=fuzzer-no-link,address,undefined -DAGREE_FUZZ=ON, so the
# fuzz targets link the objects that tree's tests already use and fuzz/run.sh
# (FUZZ_BUILD_DIR=build-asan) builds three files, not the library again.
# Either way: clang, and agree's libraries compiled with fuzzer-no-link.

# The library's compile options stay in its directory: the targets here say theirs.
set(FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

add_executable(trace_fuzz ${CMAKE_CURRENT_LIST_DIR}/trace_fuzz.cpp)
target_link_libraries(trace_fuzz PRIVATE agree_cli)

add_executable(cli_fuzz ${CMAKE_CURRENT_LIST_DIR}/cli_fuzz.cpp)
target_link_libraries(cli_fuzz PRIVATE agree_cli agree_prove_cli)

add_executable(explore_fuzz ${CMAKE_CURRENT_LIST_DIR}/explore_fuzz.cpp)
target_link_libraries(explore_fuzz PRIVATE agree_cli)

foreach(t trace_fuzz cli_fuzz explore_fuzz)
  target_compile_options(${t} PRIVATE -Wall -Wextra ${FUZZ_FLAGS})
  target_link_options(${t} PRIVATE ${FUZZ_FLAGS})
endforeach()
