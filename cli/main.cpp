// cli/main.cpp — the agree binary: the built-in protocols, agree prove, and
// the command line every program built on agree::cli gets.
#include "agree/cli/cli.hpp"
#include "agree/cli/command.hpp"

int main(int argc, char** argv) {
  agree::cli::add_builtin_protocols();
#ifdef AGREE_WITH_PROVE
  agree::cli::add_prove_command();
#endif
  return agree::cli::main(argc, argv);
}
