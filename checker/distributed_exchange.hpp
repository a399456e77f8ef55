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
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "agree/checker/distributed.hpp"

namespace agree::checker {

// Successor `bytes` of state h by action k: looked up here, or batched for its owner.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::route(std::string_view bytes, std::uint64_t h, std::uint32_t k) {
  const Fingerprint fp = Codec::key(bytes);
  const int to = detail::owner_of(fp, k_);
  if (to == me_) return discover(bytes, fp, static_cast<std::uint32_t>(me_), h, k);
  std::string& batch = out_[static_cast<std::size_t>(to)];
  if (batch.empty()) batch.push_back(kData);
  detail::put_u64(batch, h);
  detail::put_u64(batch, k);
  if constexpr (Codec::kWidth == 0) detail::put_u64(batch, bytes.size());  // a packed word needs no length
  batch.append(bytes);
  if (batch.size() >= kBatchBytes) send(to, kData);
}

// A successor this rank owns, from rank `from`'s state `parent` by action
// `choice`. Its lookup waits in a queue of kAhead whose slots are prefetched
// (a lookup in a table of millions is a cache miss): the queue is looked up
// in the order it was filled, so the states, their edges and the violations
// found are those of looking each up at once.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::discover(std::string_view bytes, Fingerprint fp, std::uint32_t from, std::uint64_t parent,
                                             std::uint32_t choice) {
  if constexpr (Store::kExact) {
    look_up({fp, parent, from, choice, 0, 0}, bytes);
  } else {
    store_.prefetch(fp);
    queue_.push_back({fp, parent, from, choice, queue_bytes_.size(), bytes.size()});
    queue_bytes_.append(bytes);
    if (queue_.size() >= kAhead) drain();
  }
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::drain() {
  for (const Lookup& q : queue_) look_up(q, std::string_view(queue_bytes_).substr(q.at, q.size));
  queue_.clear();
  queue_bytes_.clear();
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::look_up(const Lookup& q, std::string_view bytes) {
  if (!store_.insert(q.fp, bytes)) return;
  detail::RankLevel& next = next_;
  next.add(bytes);
  edges_.back().push_back({q.from, q.choice, q.parent});
  codec_.decode_into(bytes, found_);
  if (monitor_.on_discover(found_, [&] { return Where{depth_ + 1, q.fp, depth_ + 1, next.size() - 1, static_cast<std::uint64_t>(me_)}; }))
    violated_ = true;
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::send(int to, char kind) {
  std::string& batch = out_[static_cast<std::size_t>(to)];
  if (batch.empty()) batch.push_back(kind);
  batch[0] = kind;
  sent_ += batch.size();
  t_.send(to, std::move(batch));
  batch = {};
}

// The batches that have arrived (with `wait`, at least one); returns how many were last ones.
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
    peer_cut_ = peer_cut_ || in[0] == kCutLast;
    for (std::size_t at = 1; at < in.size();) {
      const std::uint64_t parent = detail::get_u64(in, at);
      const auto choice = static_cast<std::uint32_t>(detail::get_u64(in, at));
      const std::uint64_t len = Codec::kWidth ? Codec::kWidth : detail::get_u64(in, at);
      if (len > in.size() - at) throw TransportError("distributed search: a malformed message from another rank");
      const std::string_view bytes = in.substr(at, len);
      at += len;
      if (!codec_.valid(bytes)) throw TransportError("distributed search: a state from another rank does not decode");
      discover(bytes, Codec::key(bytes), static_cast<std::uint32_t>(m->from), parent, choice);
    }
  }
  return last;
}

// Every peer gets its last batch of the level; this rank takes in until it has every peer's.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::end_level() {
  for (int to = 0; to < k_; ++to)
    if (to != me_) send(to, cut_ != Cut::None ? kCutLast : kLast);
  const auto t0 = std::chrono::steady_clock::now();
  while (lasts_ < k_ - 1) lasts_ += take_in(true);
  t_.flush();
  waiting_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  drain();  // every successor of the level is in: the last lookups
}

}  // namespace agree::checker
