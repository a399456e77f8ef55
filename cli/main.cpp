// cli/main.cpp — the agree binary: the built-in protocols, agree prove, and
// the command line every program built on agree::cli gets. Built with MPI
// (-DAGREE_MPI=ON), it notices when mpirun started it (or --distributed asks)
// and runs the check command's search on the MPI ranks; the ranks but 0 say
// nothing, rank 0 prints the report of the whole search.
#ifdef AGREE_WITH_MPI
#include <cstdio>
#include <cstring>
#include <memory>

#include "agree/mpi/transport.hpp"
#endif
#include "agree/cli/cli.hpp"
#include "agree/cli/command.hpp"

int main(int argc, char** argv) {
  agree::cli::add_builtin_protocols();
#ifdef AGREE_WITH_PROVE
  agree::cli::add_prove_command();
#endif
#ifdef AGREE_WITH_MPI
  bool distributed = agree::mpi::launched();
  for (int i = 1; i < argc; ++i) distributed = distributed || std::strcmp(argv[i], "--distributed") == 0;
  std::unique_ptr<agree::mpi::Session> mpi;
  if (distributed) {
    mpi = std::make_unique<agree::mpi::Session>(argc, argv);
    agree::cli::set_transport(&mpi->transport());
    if (mpi->rank() != 0 && (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr))) return 2;
  }
  const int code = agree::cli::main(argc, argv);
  return mpi ? mpi->finish(code) : code;  // an error on one rank alone must not leave the others waiting
#else
  return agree::cli::main(argc, argv);
#endif
}
