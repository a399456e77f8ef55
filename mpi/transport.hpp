// agree/mpi/transport.hpp — the distributed search's transport over MPI
// (checker/transport.hpp), in agree::mpi (built with -DAGREE_MPI=ON, on when
// CMake finds MPI). Each successor batch is one MPI_Isend; a receive probes
// for any source; the collectives are MPI_Iallreduce and MPI_Ibcast on a
// duplicate of MPI_COMM_WORLD, so a program's own MPI traffic never meets
// the search's. No call blocks: every wait polls, with the bounds of
// Transport::bound_waits (Options::peer_timeout, and a short grace once the
// run is interrupted), so a lost rank ends the search as incomplete.
//
//   agree::mpi::Session mpi(argc, argv);       // MPI_Init_thread ... MPI_Finalize
//   agree::Options o;
//   o.transport = &mpi.transport();            // every rank runs the same check
//   agree::Result r = agree::check(model, o);  // every rank gets the whole report
#pragma once

#include <memory>

#include "agree/checker/transport.hpp"

namespace agree::mpi {

// Whether this process was started by mpirun or mpiexec (Open MPI, MPICH,
// or any launcher that speaks PMI or PMIx).
bool launched();

// MPI, initialised for this process's lifetime (MPI_THREAD_FUNNELED: only the
// thread that made the Session calls MPI). One Session a process.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  [[nodiscard]] int rank() const;
  [[nodiscard]] int size() const;
  checker::Transport& transport();
  // Ends agree's part in MPI with exit code `code`, once every rank has come
  // here: after a clean run (0 or 1) it returns `code` and the destructor
  // finalises MPI; after an incomplete or failed run, or a wait cut short (a
  // lost rank, an interruption: Transport::bound_waits), MPI_Finalize could
  // hang, so the process flushes its output and ends here with `code`. A rank
  // that waits longer than `seconds` (at least the transport's patience and
  // 5 s more: a rank with an error of its own comes while the others still
  // wait on it) ends every rank with MPI_Abort(`code`, or 3 for 0).
  int finish(int code, double seconds = 10);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agree::mpi
