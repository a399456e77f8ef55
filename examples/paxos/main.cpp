// main.cpp — single-decree Paxos on agree's command line.
#include <agree/cli/cli.hpp>

#include "paxos.hpp"

int main(int argc, char** argv) {
  agree::cli::add_protocol<paxos::Paxos>();
  agree::cli::add_suite_row({"paxos", "acceptors=3 ballots=2 values=2", "holds", "", 3'921,
                             "count from paxos_count.py, written independently"});
  agree::cli::add_suite_row({"paxos", "acceptors=3 ballots=2 values=2 variant=forget-promise", "violated", "agreement", 0,
                             "an acceptor that forgets its promise lets two values be chosen"});
  return agree::cli::main(argc, argv);
}
