// main.cpp — single-decree Paxos on agree's command line.
#include <agree/cli/cli.hpp>
#ifdef PAXOS_WITH_MPI
#include <agree/mpi/run.hpp>  // under mpirun, the search runs on its ranks
#endif

#include "paxos.hpp"

int main(int argc, char** argv) {
  agree::cli::add_protocol<paxos::Paxos>();
  agree::cli::add_suite_row({"paxos", "acceptors=3 ballots=2 values=2", "holds", "", 3'921,
                             "count from paxos_count.py, written independently"});
  agree::cli::add_suite_row({"paxos", "acceptors=3 ballots=2 values=2 variant=forget-promise", "violated", "agreement", 0,
                             "an acceptor that forgets its promise lets two values be chosen"});
#ifdef PAXOS_WITH_MPI
  return agree::mpi::run(argc, argv, [](int n, char** args, agree::checker::Transport* ranks) {
    agree::cli::set_transport(ranks);
    return agree::cli::main(n, args);
  });
#else
  return agree::cli::main(argc, argv);
#endif
}
