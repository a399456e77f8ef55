// checker/distributed_exchange.hpp — how the ranks of the distributed search
// hand each other the successors they do not own, within a level (see "A
// level." at the top of checker/distributed.hpp). Included at the end of
// checker/distributed.hpp.
//
// A batch is one message to one peer: a kind byte (kData; kLast, the last of
// the level; kCutLast, the last of a rank cut short), then per successor its
// parent's index on the sender, its action's index (varints) and its
// encoding (its length first, as a varint, unless the codec's width is
// fixed). Messages between two ranks arrive in the order sent, so a rank that
// holds every peer's last batch holds every successor of the level it owns.
//
// On several threads (see "Threads inside a rank" in checker/distributed.hpp)
// only worker 0, the rank's own thread, sends and receives: the others hand it
// their full batches (handed_), and it puts each batch that arrives in the
// inbox, from which every thread takes batches to look up.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "agree/checker/distributed.hpp"

namespace agree::checker {

// Successor `bytes` of state h by action k: looked up here, or batched for its owner.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::route(Worker& w, std::string_view bytes, std::uint64_t h, std::uint32_t k) {
  const Fingerprint fp = Codec::key(bytes);
  if constexpr (kRecent)
    if (w.recent[fp & kRecentMask] == fp) return;  // known, or sent before
  const int to = detail::owner_of(fp, k_);
  if (to == me_) return discover(w, bytes, fp, static_cast<std::uint32_t>(me_), h, k);
  if constexpr (kRecent) w.recent[fp & kRecentMask] = fp;
  std::string& batch = w.out[static_cast<std::size_t>(to)];
  if (batch.empty()) {
    batch.reserve(kBatchBytes + 32);  // grown once, not doubled from nothing at every batch
    batch.push_back(kData);
  }
  detail::put_u64(batch, h);
  detail::put_u64(batch, k);
  if constexpr (Codec::kWidth == 0) detail::put_u64(batch, bytes.size());  // a packed word needs no length
  batch.append(bytes);
  if (batch.size() < kBatchBytes) return;
  if (w.id == 0) return send(to, kData);
  std::lock_guard lock(handed_m_);
  handed_.emplace_back(to, std::move(batch));
  batch = {};
}

// A successor this rank owns, from rank `from`'s state `parent` by action
// `choice`. Its lookup waits in a queue of kAhead whose slots are prefetched
// (a lookup in a table of millions is a cache miss): the queue is looked up
// in the order it was filled, so the states, their edges and the violations
// found are those of looking each up at once.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::discover(Worker& w, std::string_view bytes, Fingerprint fp, std::uint32_t from,
                                             std::uint64_t parent, std::uint32_t choice) {
  if constexpr (Store::kExact) {
    look_up(w, {fp, parent, from, choice, 0, 0}, bytes);
  } else {
    store_.prefetch(fp);
    w.queue.push_back({fp, parent, from, choice, w.queue_bytes.size(), bytes.size()});
    w.queue_bytes.append(bytes);
    if (w.queue.size() >= kAhead) drain(w);
  }
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::drain(Worker& w) {
  for (const Lookup& q : w.queue) look_up(w, q, std::string_view(w.queue_bytes).substr(q.at, q.size));
  w.queue.clear();
  w.queue_bytes.clear();
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::look_up(Worker& w, const Lookup& q, std::string_view bytes) {
  const bool fresh = store_.insert(q.fp, bytes, w.id);
  if constexpr (kRecent) w.recent[q.fp & kRecentMask] = q.fp;
  if (!fresh) return;
  // A state from another rank is checked where it is new (the others are
  // dropped unread): one that does not decode ends the run, as a lost rank
  // does. A varint encoding is checked by decoding it (once); a packed word
  // by the codec's check, which decoding alone does not make.
  const bool remote = q.from != static_cast<std::uint32_t>(me_);
  if constexpr (Codec::kWidth == 0) {
    try {
      w.codec.decode_into(bytes, w.found);
    } catch (const std::exception&) {
      if (!remote) throw;
      throw TransportError("distributed search: a state from another rank does not decode");
    }
  } else {
    if (remote && !w.codec.valid(bytes)) throw TransportError("distributed search: a state from another rank does not decode");
    w.codec.decode_into(bytes, w.found);
  }
  w.next.add(bytes);
  w.edges.push_back({q.from, q.choice, q.parent});
  const std::uint64_t index = (std::uint64_t{w.id} << kPartShift) + w.next.size() - 1;
  if (monitor_.on_discover(w.found, [&] { return Where{depth_ + 1, q.fp, depth_ + 1, index, static_cast<std::uint64_t>(me_)}; }))
    w.violated = true;
}

// Worker 0's batch for `to`, as a batch of `kind`.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::send(int to, char kind) {
  std::string& batch = workers_[0]->out[static_cast<std::size_t>(to)];
  if (batch.empty()) batch.push_back(kind);
  batch[0] = kind;
  sent_ += batch.size();
  t_.send(to, std::move(batch));
  batch = {};
}

// The batches the other threads handed over.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::send_handed() {
  std::vector<std::pair<int, std::string>> batches;
  {
    std::lock_guard lock(handed_m_);
    batches.swap(handed_);
  }
  for (auto& [to, bytes] : batches) {
    sent_ += bytes.size();
    t_.send(to, std::move(bytes));
  }
}

// The batches that have arrived (with `wait`, at least one); returns how many
// were last ones. On one thread each is looked up at once; else it goes to the inbox.
template <model::Protocol P, class Store, class Codec>
int DistributedBfs<P, Store, Codec>::take_in(bool wait) {
  int last = 0;
  while (auto m = t_.receive(wait)) {
    wait = false;
    received_ += m->bytes.size();
    const std::string_view in = m->bytes;
    if (in.empty() || (in[0] != kData && in[0] != kLast && in[0] != kCutLast))
      throw TransportError("distributed search: a malformed message from another rank");
    last += in[0] != kData;
    if (in[0] == kCutLast) {
      peer_cut_ = true;
      stop_claims_.store(true, std::memory_order_relaxed);
    }
    if (in.size() == 1) continue;  // an empty batch: a sign of life, or a last one
    if (threads_ == 1) {
      process(*workers_[0], *m);
      continue;
    }
    {
      std::lock_guard lock(inbox_m_);
      inbox_.push_back(std::move(*m));
    }
    inbox_ready_.notify_one();
  }
  return last;
}

// The successors of one batch from a peer, looked up.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::process(Worker& w, const Transport::Message& m) {
  const std::string_view in = m.bytes;
  for (std::size_t at = 1; at < in.size();) {
    const std::uint64_t parent = detail::get_u64(in, at);
    const auto choice = static_cast<std::uint32_t>(detail::get_u64(in, at));
    const std::uint64_t len = Codec::kWidth ? Codec::kWidth : detail::get_u64(in, at);
    if (len > in.size() - at) throw TransportError("distributed search: a malformed message from another rank");
    const std::string_view bytes = in.substr(at, len);
    at += len;
    const Fingerprint fp = Codec::key(bytes);
    if constexpr (kRecent)
      if (w.recent[fp & kRecentMask] == fp) continue;  // met lately: in this rank's table (an arrival from another peer, or from this rank)
    discover(w, bytes, fp, static_cast<std::uint32_t>(m.from), parent, choice);
  }
}

// One batch from the inbox looked up, if there is one.
template <model::Protocol P, class Store, class Codec>
bool DistributedBfs<P, Store, Codec>::serve_one(Worker& w) {
  Transport::Message m;
  {
    std::lock_guard lock(inbox_m_);
    if (inbox_.empty()) return false;
    m = std::move(inbox_.front());
    inbox_.pop_front();
  }
  process(w, m);
  return true;
}

// A helper done expanding: waits for a batch and looks it up; false once no
// more will come (or a thread failed).
template <model::Protocol P, class Store, class Codec>
bool DistributedBfs<P, Store, Codec>::serve_waiting(Worker& w) {
  Transport::Message m;
  {
    std::unique_lock lock(inbox_m_);
    inbox_ready_.wait(lock, [&] { return !inbox_.empty() || inputs_done_ || failed_.load(); });
    if (inbox_.empty() || failed_.load()) return false;
    m = std::move(inbox_.front());
    inbox_.pop_front();
  }
  process(w, m);
  return true;
}

// No more batches this level: the helpers take what is left and stop.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::close_inbox() {
  {
    std::lock_guard lock(inbox_m_);
    inputs_done_ = true;
  }
  inbox_ready_.notify_all();
}

// Every peer gets this rank's last batch of the level, after every other one
// of its threads; this rank takes in until it has every peer's.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::end_level() {
  send_handed();
  for (int to = 0; to < k_; ++to)
    if (to != me_) send(to, cut_ != Cut::None ? kCutLast : kLast);
  const auto t0 = std::chrono::steady_clock::now();
  while (lasts_ < k_ - 1) lasts_ += take_in(true);
  t_.flush();
  waiting_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  close_inbox();
  while (serve_one(*workers_[0])) {
  }
  drain(*workers_[0]);  // every successor of the level is in: the last lookups
}

}  // namespace agree::checker
