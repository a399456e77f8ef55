// checker/distributed_threads.hpp — a level of the distributed search on
// the rank's threads (see "Threads inside a rank" at the top of
// checker/distributed.hpp), and the successors of a state. Included at the
// end of checker/distributed.hpp.
//
// This thread (worker 0) claims chunks of the level as the helpers do, and
// between its states talks to the peers: it takes in their batches, sends
// the batches the helpers handed over, and every second sends each peer a
// sign of life. A helper done with its chunks hands over its last batches,
// says so (expanded_), and looks up batches from the inbox until this thread
// closes it: once every helper has said so, this thread sends its last batch
// of the level to each peer (end_level), and closes the inbox when it has
// every peer's last batch. Then the threads' parts of the next level are
// joined in thread order, with their parent edges and counters.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "agree/checker/distributed.hpp"

namespace agree::checker {

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::expand_level() {
  if (edges_.size() == depth_ + 1) edges_.emplace_back();  // else resumed: the next level's edges so far
  lasts_ = 0;
  Worker& mine = *workers_[0];
  mine.next = std::move(next_);  // a resume's part of the next level, else empty
  mine.edges = std::move(edges_.back());
  next_ = {};
  reserve_parts();
  claimed_.store(from_);
  stop_claims_.store(cut_ != Cut::None || peer_cut_);
  expanded_.store(0);
  inputs_done_ = false;
  states_seen_ = store_.size();
  std::vector<std::thread> helpers;
  const auto stop_helpers = [&] {
    stop_claims_.store(true);
    close_inbox();
    for (auto& t : helpers) t.join();
  };
  try {
    for (unsigned i = 1; i < threads_; ++i) helpers.emplace_back([this, i] { help(*workers_[i]); });
    expand_mine(mine);
    if (!failed_.load()) end_level();
  } catch (...) {
    stop_helpers();
    throw;
  }
  stop_helpers();
  store_.reclaim();  // no thread looks up now
  if (failure_) std::rethrow_exception(failure_);
  from_ = std::min<std::uint64_t>(claimed_.load(), cur_.size());
  join_parts();
}

// Room for each thread's part of the next level and its parent edges, from
// the growth of the last level: a part that outgrows its vector copies it
// into one twice as large, and the new pages fault in (a third of the time
// of the queued lookups went to that copy: bench/RESULTS.md, 0.5.12). The
// room is taken from mappings of its own (page_allocator.hpp): the pages
// never written are never given memory. The first thread's part gets room
// for the whole level: the others' parts are joined to it (join_parts).
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::reserve_parts() {
  if (cur_.size() == 0) return;
  const double growth = std::clamp(before_ ? static_cast<double>(cur_.size()) / static_cast<double>(before_) : 1.0, 1.0, 4.0);
  const auto share = static_cast<std::size_t>(1.25 * growth * static_cast<double>(cur_.size()) / threads_) + 64;
  const std::size_t state_bytes = cur_.bytes.size() / cur_.size() + 1;
  for (auto& w : workers_) {
    const std::size_t states = w->id == 0 ? share * threads_ : share;
    w->edges.reserve(w->edges.size() + states);
    w->next.starts.reserve(w->next.starts.size() + states);
    w->next.bytes.reserve(w->next.bytes.size() + states * state_bytes);
  }
}

// The next chunk's first state, or kNone: the level is done, or the rank stops.
template <model::Protocol P, class Store, class Codec>
std::uint64_t DistributedBfs<P, Store, Codec>::claim() {
  if (stop_claims_.load(std::memory_order_relaxed)) return kNone;
  const std::uint64_t first = claimed_.fetch_add(kChunk, std::memory_order_relaxed);
  return first < cur_.size() ? first : kNone;  // a chunk claimed is finished: the states done stay a prefix
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::expand(Worker& w, std::uint64_t h) {
  if constexpr (kPackedSteps) {
    packed_successors(w, cur_.state(h), h);
  } else {
    w.codec.decode_into(cur_.state(h), w.parent);
    const State& s = w.parent;
    w.actions.clear();
    std::size_t n = enabled(p_, s, w.actions);
    if (w.actions.empty()) terminal(w, s, cur_.state(h), h);
    for (std::size_t k = 0; k < n; ++k) {
      const bool rises = successor(w, s, w.actions[k], h, static_cast<std::uint32_t>(k));
      // The static cycle proviso (distributed.hpp): a persistent action that
      // does not rise in the order of encodings may close a cycle, so the
      // state is expanded fully.
      if constexpr (kNeedsProviso<P>)
        if (n < w.actions.size() && !rises) n = w.actions.size();
    }
  }
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::terminal(Worker& w, const State& s, std::string_view bytes, std::uint64_t h) {
  ++w.terminal_states;
  if (monitor_.on_terminal(s, [&] { return Where{depth_, Codec::key(bytes), depth_, h, static_cast<std::uint64_t>(me_)}; }))
    w.violated = true;
}

// A model that steps on its packed word (twophase): no State is built but
// for a terminal state or under symmetry, as in one process (bfs_worker.hpp).
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::packed_successors(Worker& w, std::string_view here, std::uint64_t h) {
  if constexpr (kPackedSteps) {
    w.steps.clear();
    p_.packed_successors(Codec::word(here), w.steps);
    if (w.steps.empty()) terminal(w, w.codec.decode(here), here, h);
    for (std::uint32_t k = 0; k < w.steps.size(); ++k) {
      ++w.transitions;
      ++w.fired[w.steps[k].kind];
      if (w.steps[k].self_loop) continue;
      std::uint64_t word = w.steps[k].next;
      if (symmetry_) word = p_.pack(canonical(p_, p_.unpack(word), true));
      route(w, std::string_view(reinterpret_cast<const char*>(&word), sizeof word), h, k);
    }
  }
}

// Returns whether the successor's encoding is greater than the state's (the
// static cycle proviso's order; a self-loop's is not).
template <model::Protocol P, class Store, class Codec>
bool DistributedBfs<P, Store, Codec>::successor(Worker& w, const State& s, const Action& a, std::uint64_t h, std::uint32_t k) {
  ++w.transitions;
  ++w.fired[model::kind_of<P>(a)];
  w.scratch = s;  // a copy into storage the last successor left behind: no allocation
  auto next = p_.next_state(std::move(w.scratch), a);
  if (!next) return false;  // a self-loop
  if (symmetry_) *next = canonical(p_, std::move(*next), true);
  const std::string_view bytes = w.codec.encode(*next);
  if constexpr (Store::kExact)
    if (w.codec.decode(bytes) != *next)
      throw std::logic_error(std::string(model::name_of<P>()) + ": two different states have one encoding: State::fields() leaves out a member");
  bool rises = false;
  if constexpr (kNeedsProviso<P>) rises = bytes > cur_.state(h);
  route(w, bytes, h, k);
  w.scratch = std::move(*next);
  return rises;
}

// At --max-depth: the states with successors make the run incomplete, the others are terminal.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::last_level_terminals() {
  const detail::RankLevel& level = cur_;
  std::vector<Action> actions;
  std::uint64_t any = 0;
  for (std::uint64_t h = 0; h < level.size(); ++h) {
    const State s = codec_.decode(level.state(h));
    actions.clear();
    p_.actions(s, actions);
    if (actions.empty()) terminal(*workers_[0], s, level.state(h), h);
    else any = 1;
  }
  take_counters();
  if (collect({any}, Transport::Op::Max)[0] != 0) r_.cut = Cut::MaxDepth;
}

// This thread's chunks, then, while helpers are still expanding, the peers' batches.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::expand_mine(Worker& w) {
  auto beat = Clock::now();  // when this rank last sent every peer a batch
  std::uint64_t done = 0;
  for (std::uint64_t first; (first = claim()) != kNone;) {
    const std::uint64_t end = std::min(first + kChunk, cur_.size());
    for (std::uint64_t h = first; h < end; ++h) {
      expand(w, h);
      if (++done % 16 == 0) communicate(w, beat);
      if (done % 1024 == 0) states_seen_ = store_.size();  // (the stripes' counts: 64 lines the other threads write)
      if (cut_ == Cut::None) cut_ = budget_.check(states_seen_, depth_, cur_.size() - h);
    }
    // With helpers, an interruption is seen at every chunk of this thread,
    // not only every 1024 states as the budget reads it: this thread may
    // expand fewer than 1024 states of a small search.
    if (threads_ > 1 && cut_ == Cut::None && o_.interrupt && o_.interrupt->load(std::memory_order_relaxed)) cut_ = Cut::Interrupted;
    if (cut_ != Cut::None || failed_.load(std::memory_order_relaxed)) stop_claims_.store(true);
  }
  while (expanded_.load(std::memory_order_acquire) + 1 < threads_ && !failed_.load()) {
    const std::uint64_t before = received_;
    communicate(w, beat);
    if (received_ == before && !serve_one(w)) std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

// Between two states of this thread: the peers' batches taken in (a peer done
// with the level may have sent its last one already), the helpers' batches
// sent, one batch of the inbox looked up, a sign of life for waiting peers.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::communicate(Worker& w, Clock::time_point& beat) {
  lasts_ += take_in(false);
  if (threads_ > 1) {
    send_handed();
    serve_one(w);
  }
  if (const auto now = Clock::now(); now - beat > beat_every_) {
    for (int to = 0; to < k_; ++to)
      if (to != me_) send(to, kData);
    beat = now;
  }
}

// A helper thread's level: its chunks, a batch of the inbox after each, its
// last batches handed over, then the inbox until it is closed.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::help(Worker& w) {
  try {
    for (std::uint64_t first; (first = claim()) != kNone;) {
      const std::uint64_t end = std::min(first + kChunk, cur_.size());
      for (std::uint64_t h = first; h < end; ++h) expand(w, h);
      serve_one(w);
    }
    {
      std::lock_guard lock(handed_m_);
      for (int to = 0; to < k_; ++to)
        if (std::string& batch = w.out[static_cast<std::size_t>(to)]; !batch.empty()) {
          handed_.emplace_back(to, std::move(batch));
          batch = {};
        }
    }
    expanded_.fetch_add(1, std::memory_order_release);
    while (serve_waiting(w)) {
    }
    drain(w);
  } catch (...) {
    fail(std::current_exception());
  }
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::fail(std::exception_ptr e) {
  {
    std::lock_guard lock(inbox_m_);
    if (!failure_) failure_ = std::move(e);
    failed_.store(true);
  }
  stop_claims_.store(true);
  inbox_ready_.notify_all();
}

// The threads' parts of the next level joined in thread order; a violation
// found in part w > 0 renumbered; the threads' counters added to the rank's.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::join_parts() {
  Worker& first = *workers_[0];
  next_ = std::move(first.next);
  edges_.back() = std::move(first.edges);
  first.next = {};
  first.edges = {};
  std::vector<std::uint64_t> offset(threads_, 0);
  std::size_t states = next_.size(), bytes = next_.bytes.size();
  for (unsigned i = 1; i < threads_; ++i) {
    states += workers_[i]->next.size();
    bytes += workers_[i]->next.bytes.size();
  }
  next_.starts.reserve(states);  // (room reserved already, unless the level grew more than reserve_parts guessed)
  next_.bytes.reserve(bytes);
  edges_.back().reserve(states);
  for (unsigned i = 1; i < threads_; ++i) {
    Worker& w = *workers_[i];
    offset[i] = next_.size();
    next_.append(w.next);
    edges_.back().insert(edges_.back().end(), w.edges.begin(), w.edges.end());
    w.next = {};
    w.edges = {};
  }
  if (threads_ > 1) {
    const std::uint64_t level = depth_ + 1, mask = (std::uint64_t{1} << kPartShift) - 1;
    monitor_.update([&](Where& x) {
      if (x.level == level && (x.index >> kPartShift) != 0) x.index = offset[x.index >> kPartShift] + (x.index & mask);
    });
  }
  take_counters();
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::take_counters() {
  for (auto& w : workers_) {
    transitions_ += std::exchange(w->transitions, 0);
    terminal_states_ += std::exchange(w->terminal_states, 0);
    for (std::size_t k = 0; k < fired_.size(); ++k) fired_[k] += std::exchange(w->fired[k], 0);
    violated_ = violated_ || std::exchange(w->violated, false);
  }
}

}  // namespace agree::checker
