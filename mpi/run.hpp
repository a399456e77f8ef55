// agree/mpi/run.hpp — a command-line program that runs on the ranks of
// mpirun when mpirun starts it, and as one process otherwise: what the agree
// binary does (cli/main.cpp), for a program with protocols of its own.
//
//   int main(int argc, char** argv) {
//     agree::cli::add_protocol<MyModel>();
//     return agree::mpi::run(argc, argv, [](int n, char** args, agree::checker::Transport* ranks) {
//       agree::cli::set_transport(ranks);  // nullptr: one process
//       return agree::cli::main(n, args);
//     });
//   }
//
// When mpirun (or mpiexec) started the process, or an argument is
// --distributed, run() initialises MPI (Session), calls `body` with the
// ranks' transport and ends with Session::finish, so that an error on one
// rank alone, a lost rank or an interruption cannot leave the others waiting.
// Rank 0 keeps its stdout; the others send theirs to /dev/null and mark each
// line they write to std::cerr "[rank K] ". Otherwise it calls body with
// nullptr and returns what it returns. `body` should not throw
// (agree::cli::main does not). If MPI cannot start, or gives less than
// MPI_THREAD_FUNNELED, run() writes one line "PROGRAM: error: ..." to stderr
// and returns 2 without calling body.
#pragma once

#include <functional>

#include "agree/checker/transport.hpp"

namespace agree::mpi {

int run(int argc, char** argv, const std::function<int(int, char**, checker::Transport*)>& body);

}  // namespace agree::mpi
