// properties/delivery.hpp — the properties of (total-order) multicast, defined
// once and shared by every protocol that delivers messages (sequencer, isis).
//
// Each takes the number of processes and of messages and small accessors, so a
// protocol passes views of its own state and nothing is copied.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
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

// delivery's predicate (the liveness form of termination, judged on every
// run: not delivered everywhere ~> delivered everywhere): for every message m
// that some process delivered, or that a live sender has multicast, every
// live process delivered m. It is a conjunction of A -> B with A and B stable
// (multicast, delivered, crashed are for good; "live sender" moves into B as
// "or the sender crashed"), so "from some point on it fails forever" is
// exactly "some live process never delivers a message it must": the leads-to
// form says every message multicast by a live process is eventually
// delivered by every live process. In a terminal state every live sender has
// multicast (its multicast is enabled until it has), so there it is termination.
template <class Log, class Alive, class Sender, class Multicast>
bool delivered_everywhere(int procs, int msgs, Log&& log, Alive&& alive, Sender&& sender_of, Multicast&& multicast) {
  for (int m = 0; m < msgs; ++m) {
    bool someone = multicast(m) && alive(sender_of(m));
    for (int p = 0; p < procs && !someone; ++p) someone = delivered_by(log, p, m);
    if (!someone) continue;
    for (int p = 0; p < procs; ++p)
      if (alive(p) && !delivered_by(log, p, m)) return false;
  }
  return true;
}

// termination (judged in terminal states): for every message m, if some
// process delivered m or the sender of m is alive, every alive process
// delivered m.
template <class Log, class Alive, class Sender>
bool termination(int procs, int msgs, Log&& log, Alive&& alive, Sender&& sender_of) {
  return delivered_everywhere(procs, msgs, log, alive, sender_of, [](int) { return true; });
}

// ---- Why a property fails, in words (Property::explain). Each returns "" where
// the property holds. `name(p)` names a process, `msg(m)` a message.

template <class Log, class Msg>
std::string sequence_text(const Log& log, int p, Msg&& msg) {
  std::string out;
  for (const int m : log(p)) out += (out.empty() ? "" : ", ") + msg(m);
  return "[" + out + "]";
}

// The first pair of processes whose sequences are not prefixes of one another,
// and the first position where they differ. Sets a, b to the two messages there.
template <class Log, class Name, class Msg>
std::string total_order_why(int procs, Log&& log, Name&& name, Msg&& msg, int* a = nullptr, int* b = nullptr) {
  for (int p = 0; p < procs; ++p)
    for (int q = p + 1; q < procs; ++q) {
      const auto& x = log(p);
      const auto& y = log(q);
      const std::size_t n = std::min(x.size(), y.size());
      const auto at = std::mismatch(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n), y.begin());
      if (at.first == x.begin() + static_cast<std::ptrdiff_t>(n)) continue;
      if (a) *a = *at.first;
      if (b) *b = *at.second;
      return name(p) + " delivered " + sequence_text(log, p, msg) + ", " + name(q) + " delivered " +
             sequence_text(log, q, msg) + ": " + msg(*at.first) + " and " + msg(*at.second) + " in different orders";
    }
  return "";
}

template <class Log, class WasMulticast, class Name, class Msg>
std::string integrity_why(int procs, int msgs, Log&& log, WasMulticast&& was_multicast, Name&& name, Msg&& msg) {
  for (int p = 0; p < procs; ++p) {
    std::vector<char> seen(static_cast<std::size_t>(msgs));
    for (const int m : log(p)) {
      if (m < 0 || m >= msgs) return name(p) + " delivered an unknown message";
      if (seen[static_cast<std::size_t>(m)]) return name(p) + " delivered " + msg(m) + " twice";
      if (!was_multicast(m)) return name(p) + " delivered " + msg(m) + ", which was never multicast";
      seen[static_cast<std::size_t>(m)] = 1;
    }
  }
  return "";
}

// The first (message, process) that breaks termination: sets m_out, p_out.
template <class Log, class Alive, class Sender, class Name, class Msg>
std::string termination_why(int procs, int msgs, Log&& log, Alive&& alive, Sender&& sender_of, Name&& name, Msg&& msg,
                            int* m_out = nullptr, int* p_out = nullptr) {
  for (int m = 0; m < msgs; ++m) {
    int by = -1;
    for (int p = 0; p < procs && by < 0; ++p)
      if (delivered_by(log, p, m)) by = p;
    if (by < 0 && !alive(sender_of(m))) continue;
    for (int p = 0; p < procs; ++p)
      if (alive(p) && !delivered_by(log, p, m)) {
        if (m_out) *m_out = m;
        if (p_out) *p_out = p;
        return "nothing more can happen, and " + name(p) + " (alive) never delivers " + msg(m) + ", " +
               (by >= 0 ? "which " + name(by) + " delivered" : "whose sender " + name(sender_of(m)) + " is alive");
      }
  }
  return "";
}

// all-delivered (a reachability check): every process delivered every message.
template <class Log>
bool all_delivered(int procs, int msgs, Log&& log) {
  for (int p = 0; p < procs; ++p)
    if (static_cast<int>(log(p).size()) != msgs) return false;
  return true;
}

}  // namespace agree::properties
