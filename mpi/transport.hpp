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
  // Ends agree's part in MPI with exit code `code`: when every rank gets here
  // within `seconds`, returns `code` (the destructor then finalises MPI);
  // otherwise some rank is still in the search, waiting for this one (an
  // error met on this rank alone), or is gone, and MPI_Abort ends every rank
  // with `code` (3 for 0). Without it, this rank's MPI_Finalize would wait
  // for ranks that wait for it. After a wait of the search was cut short (a
  // lost rank, an interruption; Transport::bound_waits), MPI_Finalize could
  // hang as well: the process then flushes its output and ends here, with
  // `code` (3 for 0), once every rank has come or MPI_Abort has ended them.
  int finish(int code, double seconds = 10);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agree::mpi
