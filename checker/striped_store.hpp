// checker/striped_store.hpp — a rank's visited set in the distributed search
// (checker/distributed.hpp), which the rank's threads share, grown by any of
// them without stopping the others.
//
// Fingerprints (FingerprintStore): 64 stripes picked by bits 32..37 of the
// fingerprint, each an open-addressing table of 64-bit slots with linear
// probing, grown (doubled) at 70% load. A lookup first probes the stripe's
// current table without a lock, reading slots atomically: most lookups find
// a state seen before, and only read — the lines they touch stay shared
// between the cores. Only a fingerprint not found takes the stripe's lock,
// probes again in the table then current, and claims the empty slot (or
// grows the table first). A lock at every lookup would write the lock's line
// at every lookup, and pass it between the cores. Measured on 120 million
// lookups of 10 million random keys, 32 prefetched ahead (bench/RESULTS.md,
// "Threads inside a rank"): 4.31 s on one thread, 3.03 s on two.
//
// Why a lookup without the lock is right: slots only go from empty to a
// fingerprint, never back, so a probe that meets its fingerprint is right,
// and one that meets an empty slot first (the fingerprint is new, or being
// added, or added to a table grown since) is settled under the lock. A table
// replaced by a larger one is not freed while the rank's threads may still
// read it: it is kept (retired) until reclaim(), which the search calls when
// no thread looks up (the level's end); on one thread it is freed at once.
// The retired tables of a stripe hold less than its current one (each is
// half the next), so the transient memory is at most the table's size again.
//
// Full states (ExactStore, --exact): each stripe behind its lock for every
// lookup, as the full states are not read without one.
//
// The stripe is picked by bits 32..37: the rank that owns a state is picked
// by the fingerprint's top bits (every state of a rank shares them) and a
// home slot by its low bits, so the stripes fill evenly and a stripe's slots
// do too.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "agree/checker/fingerprint.hpp"
#include "agree/checker/hugepages.hpp"
#include "agree/checker/store.hpp"

namespace agree::checker::detail {

// A stripe of fingerprints: lookups without a lock, additions under it.
class FingerprintStripe {
 public:
  FingerprintStripe() { current_.store(make(1024)); }
  FingerprintStripe(const FingerprintStripe&) = delete;
  FingerprintStripe& operator=(const FingerprintStripe&) = delete;
  ~FingerprintStripe() { delete current_.load(); }

  bool insert(Fingerprint fp, bool locking) {
    if (locking && seen(*current_.load(std::memory_order_acquire), fp)) return false;
    std::unique_lock lock(m_, std::defer_lock);
    if (locking) lock.lock();
    Table* t = current_.load(std::memory_order_relaxed);
    std::size_t i = fp & t->mask;
    for (;; i = (i + 1) & t->mask) {
      const Fingerprint cur = std::atomic_ref<Fingerprint>(t->slots[i]).load(std::memory_order_relaxed);
      if (cur == fp) return false;
      if (cur == 0) break;
    }
    if ((count_.load(std::memory_order_relaxed) + 1) * 10 > (t->mask + 1) * 7) {
      t = grow(t, locking);
      for (i = fp & t->mask; t->slots[i] != 0; i = (i + 1) & t->mask) {
      }
    }
    std::atomic_ref<Fingerprint>(t->slots[i]).store(fp, std::memory_order_relaxed);
    count_.store(count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // one writer: the lock's holder
    return true;
  }
  void prefetch(Fingerprint fp) const {
    const Table* t = current_.load(std::memory_order_acquire);
    __builtin_prefetch(&t->slots[fp & t->mask]);
  }
  [[nodiscard]] std::uint64_t size() const { return count_.load(std::memory_order_relaxed); }
  // Only while no thread looks up.
  [[nodiscard]] std::uint64_t bytes() const { return (current_.load()->mask + 1) * sizeof(Fingerprint); }
  void reclaim() { retired_.clear(); }
  template <class F>
  void for_each(F&& f) const {
    const Table* t = current_.load();
    for (std::size_t i = 0; i <= t->mask; ++i)
      if (t->slots[i] != 0) f(t->slots[i]);
  }

 private:
  // A stripe's slots are zeroed pages, 2 MiB ones once the stripe is that
  // large (hugepages.hpp): a lookup seldom misses the TLB.
  struct Table {
    explicit Table(std::size_t capacity) : mask(capacity - 1), slots(capacity) {}
    std::size_t mask;
    ZeroedArray<Fingerprint> slots;
  };
  static Table* make(std::size_t capacity) { return new Table(capacity); }

  static bool seen(Table& t, Fingerprint fp) {
    for (std::size_t i = fp & t.mask;; i = (i + 1) & t.mask) {
      const Fingerprint cur = std::atomic_ref<Fingerprint>(t.slots[i]).load(std::memory_order_relaxed);
      if (cur == fp) return true;
      if (cur == 0) return false;
    }
  }
  // Under the lock: a table twice as large, published; the old one retired
  // (freed at once when no other thread reads).
  Table* grow(Table* old, bool locking) {
    std::unique_ptr<Table> bigger(make((old->mask + 1) * 2));
    for (std::size_t j = 0; j <= old->mask; ++j) {
      const Fingerprint fp = old->slots[j];
      if (fp == 0) continue;
      std::size_t i = fp & bigger->mask;
      while (bigger->slots[i] != 0) i = (i + 1) & bigger->mask;
      bigger->slots[i] = fp;
    }
    Table* t = bigger.release();
    current_.store(t, std::memory_order_release);
    if (locking) retired_.emplace_back(old);
    else delete old;
    return t;
  }

  std::atomic<Table*> current_{nullptr};  // read by every lookup: a line of its own
  alignas(64) std::mutex m_;              // written by additions only
  std::atomic<std::uint64_t> count_{0};
  std::vector<std::unique_ptr<Table>> retired_;
};

// A stripe of full states, behind its lock.
class ExactStripe {
 public:
  bool insert(Fingerprint fp, std::string_view bytes, bool locking) {
    std::unique_lock lock(m_, std::defer_lock);
    if (locking) lock.lock();
    const bool fresh = store_.insert(fp, bytes);
    if (fresh) count_.store(count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return fresh;
  }
  [[nodiscard]] std::uint64_t size() const { return count_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t bytes() const { return store_.bytes(); }
  [[nodiscard]] std::uint64_t collisions() const { return store_.collisions(); }

 private:
  std::mutex m_;
  ExactStore store_{10};
  std::atomic<std::uint64_t> count_{0};
};

template <class Store>
class StripedStore {
 public:
  static constexpr bool kExact = Store::kExact;
  static constexpr std::size_t kStripes = 64;

  // Whether more than one thread looks up (only while none does).
  // One thread looks up in a single stripe: no lock is taken then, and the
  // stripes would only add a line to read before each lookup.
  void set_threads(unsigned n) {
    locking_ = n > 1;
    stripe_mask_ = locking_ ? kStripes - 1 : 0;
  }

  // Thread-safe after set_threads(n > 1).
  bool insert(Fingerprint fp, std::string_view bytes) {
    if constexpr (kExact) return stripes_[stripe(fp)].s.insert(fp, bytes, locking_);
    else return stripes_[stripe(fp)].s.insert(fp, locking_);
  }
  void prefetch(Fingerprint fp) const {
    if constexpr (!kExact) stripes_[stripe(fp)].s.prefetch(fp);
  }
  // Thread-safe, and exact when no thread inserts.
  [[nodiscard]] std::uint64_t size() const {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i <= stripe_mask_; ++i) n += stripes_[i].s.size();
    return n;
  }
  // Only while no thread inserts.
  [[nodiscard]] std::uint64_t bytes() const {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i <= stripe_mask_; ++i) n += stripes_[i].s.bytes();
    return n;
  }
  [[nodiscard]] std::uint64_t collisions() const {
    std::uint64_t n = 0;
    if constexpr (kExact)
      for (std::size_t i = 0; i <= stripe_mask_; ++i) n += stripes_[i].s.collisions();
    return n;
  }
  // The tables replaced while threads looked up, freed (only while none does).
  void reclaim() {
    if constexpr (!kExact)
      for (std::size_t i = 0; i <= stripe_mask_; ++i) stripes_[i].s.reclaim();
  }
  // Every fingerprint, stripe by stripe (only while no thread inserts).
  template <class F>
  void for_each(F&& f) const {
    if constexpr (!kExact)
      for (std::size_t i = 0; i <= stripe_mask_; ++i) stripes_[i].s.for_each(f);
  }

 private:
  std::size_t stripe(Fingerprint fp) const { return static_cast<std::size_t>(fp >> 32) & stripe_mask_; }
  struct alignas(64) Stripe {
    std::conditional_t<kExact, ExactStripe, FingerprintStripe> s;
  };
  std::unique_ptr<Stripe[]> stripes_ = std::make_unique<Stripe[]>(kStripes);
  bool locking_ = false;
  std::size_t stripe_mask_ = 0;
};

}  // namespace agree::checker::detail
