// tests/main.cpp — Catch2's runner, with agree's protocols registered first
// (the tests reach them through the command line's registry, as `agree` does).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "agree/cli/cli.hpp"

int main(int argc, char** argv) {
  agree::cli::add_builtin_protocols();
  return Catch::Session().run(argc, argv);
}
