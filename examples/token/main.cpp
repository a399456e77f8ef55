// main.cpp — the token ring's own command line: every agree command for it.
#include <agree/cli/cli.hpp>

#include "token.hpp"

int main(int argc, char** argv) {
  agree::cli::add_protocol<token::Token>();
  agree::cli::add_suite_row({"token", "procs=4", "holds", "", 4, "one holder, the token at one of 4 places"});
  agree::cli::add_suite_row({"token", "procs=3 variant=duplicate", "violated", "mutual-exclusion", 0, "a copy kept"});
  return agree::cli::main(argc, argv);
}
