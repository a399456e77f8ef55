// cli/main.cpp — the agree binary: the built-in protocols, agree prove, and
// the command line every program built on agree::cli gets. Built with MPI
// (-DAGREE_MPI=ON), it notices when mpirun started it (or --distributed asks)
// and runs the check command's search on the MPI ranks (agree::mpi::run):
// rank 0 prints the report of the whole search, the others print nothing on
// stdout and their errors on stderr, each line marked "[rank K]".
#ifdef AGREE_WITH_MPI
#include "agree/mpi/run.hpp"
#endif
#include "agree/cli/cli.hpp"
#include "agree/cli/command.hpp"

int main(int argc, char** argv) {
  agree::cli::add_builtin_protocols();
#ifdef AGREE_WITH_PROVE
  agree::cli::add_prove_command();
#endif
#ifdef AGREE_WITH_MPI
  return agree::mpi::run(argc, argv, [](int n, char** args, agree::checker::Transport* ranks) {
    agree::cli::set_transport(ranks);
    return agree::cli::main(n, args);
  });
#else
  return agree::cli::main(argc, argv);
#endif
}
