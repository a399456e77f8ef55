// cli/stop.hpp — how signals stop the check command's search (cli/app.cpp).
//
// While a Stopping lives, the first SIGINT, SIGTERM or SIGUSR1 sets the
// search's interrupt (Options::interrupt): it stops at once and cleanly,
// saving its checkpoint if it keeps one; a second signal ends the process as
// the signal would (trace files are written atomically, so none is torn).
//
// Under mpirun the signals differ in what follows them. mpirun turns Ctrl-C
// into SIGTERM to every rank, and sends the surviving ranks SIGTERM when one
// dies; SIGKILL comes a second later. SIGUSR1 it forwards to every rank as it
// is, with nothing after it: it is how a user stops a distributed search that
// must save a checkpoint, however long that takes. So the ranks' waits on
// each other (Transport::bound_waits) are cut to the search's short grace
// only after SIGINT or SIGTERM; after SIGUSR1 they keep their patience
// (--peer-timeout), wherever the signal finds the search: loading a
// checkpoint, ending a level on a loaded machine, or saving.
#pragma once

#include <atomic>
#include <memory>

#include "agree/checker/transport.hpp"

namespace agree::cli {

class Stopping {
 public:
  Stopping();   // catches SIGINT, SIGTERM and SIGUSR1
  ~Stopping();  // and leaves them to their default actions again
  Stopping(const Stopping&) = delete;
  Stopping& operator=(const Stopping&) = delete;
  // Set by the first of those signals: Options::interrupt.
  static const std::atomic<bool>* interrupt();
};

// `ranks` as the search is to see them: every call passed on, except that a
// wait bounded by Stopping::interrupt() is cut short only once a signal that
// mpirun follows with SIGKILL (SIGINT, SIGTERM) has come.
std::unique_ptr<checker::Transport> stopping_ranks(checker::Transport& ranks);

}  // namespace agree::cli
