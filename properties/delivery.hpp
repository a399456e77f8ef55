// properties/delivery.hpp — the properties of (total-order) multicast, defined
// once and shared by every protocol that delivers messages (sequencer, isis).
//
// Each takes the number of processes and of messages and small accessors, so a
// protocol passes views of its own state and nothing is copied.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace agree::properties {

// total-order (uniform): for every two processes p, q, crashed ones included,
// delivered_p is a prefix of delivered_q or the other way round.
template <class Log>
bool total_order(int procs, Log&& log) {
  for (int p = 0; p < procs; ++p)
    for (int q = p + 1; q < procs; ++q) {
      const auto& a = log(p);
      const auto& b = log(q);
      const std::size_t n = std::min(a.size(), b.size());
      if (!std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin())) return false;
    }
  return true;
}

// integrity: no process delivers a message twice, and every delivered message
// was multicast.
template <class Log, class WasMulticast>
bool integrity(int procs, int msgs, Log&& log, WasMulticast&& was_multicast) {
  std::vector<char> seen(static_cast<std::size_t>(msgs));
  for (int p = 0; p < procs; ++p) {
    std::fill(seen.begin(), seen.end(), 0);
    for (const int m : log(p)) {
      if (m < 0 || m >= msgs || seen[static_cast<std::size_t>(m)] || !was_multicast(m)) return false;
      seen[static_cast<std::size_t>(m)] = 1;
    }
  }
  return true;
}

template <class Log>
bool delivered_by(const Log& log, int p, int m) {
  const auto& l = log(p);
  return std::find(l.begin(), l.end(), m) != l.end();
}

// termination (judged in terminal states): for every message m, if some
// process delivered m or the sender of m is alive, every alive process
// delivered m.
template <class Log, class Alive, class Sender>
bool termination(int procs, int msgs, Log&& log, Alive&& alive, Sender&& sender_of) {
  for (int m = 0; m < msgs; ++m) {
    bool someone = alive(sender_of(m));
    for (int p = 0; p < procs && !someone; ++p) someone = delivered_by(log, p, m);
    if (!someone) continue;
    for (int p = 0; p < procs; ++p)
      if (alive(p) && !delivered_by(log, p, m)) return false;
  }
  return true;
}

// all-delivered (a reachability check): every process delivered every message.
template <class Log>
bool all_delivered(int procs, int msgs, Log&& log) {
  for (int p = 0; p < procs; ++p)
    if (static_cast<int>(log(p).size()) != msgs) return false;
  return true;
}

}  // namespace agree::properties
