// checker/striped_store.hpp — a rank's visited set in the distributed search
// (checker/distributed.hpp), which the rank's threads share, grown by any of
// them without stopping the others.
//
// Fingerprints (FingerprintStore): 64 stripes picked by bits 32..37 of the
// fingerprint, each an open-addressing table of 64-bit slots with linear
// probing, grown (doubled) at 70% load. On several threads a lookup takes no
// lock: it probes the stripe's current table, reading slots atomically, and
// claims an empty slot by compare-and-swap, as the one-process table does
// (fpset.hpp). 0.5.12 claimed it under the stripe's lock: a lock's line
// written at every new state and passed between the cores was 12% of the
// samples of a rank of two threads (bench/RESULTS.md, 0.5.13). The stripe's
// count is taken in blocks of credits per thread (as fpset.hpp's), so that
// its line too is written once a block.
//
// Growth, without stopping the other threads: the thread whose credits would
// pass 70% load takes the stripe's lock and, slot by slot, closes the empty
// slots of the old table (compare-and-swap from 0 to kMoved) and copies the
// full ones into a new one twice as large, then publishes it. Why no
// fingerprint is lost or added twice: a slot goes from empty to one value,
// never back, so a probe that meets its fingerprint is right; a claim that
// succeeds in the old table came before the copy reached that slot, which
// then copies it; a claim that fails meets the fingerprint (another thread
// added it) or kMoved, and a probe that meets kMoved waits for the new table
// and starts again there. A probe in a table being copied that meets an empty
// slot before the copy closes it may claim it: the copy then takes it along.
// A replaced table is not freed while the rank's threads may still read it:
// it is kept (retired) until reclaim(), which the search calls when no
// thread looks up (the level's end); on one thread it is freed at once. The
// retired tables of a stripe hold less than its current one (each is half
// the next), so the transient memory is at most the table's size again.
//
// kMoved = 2^64 - 1 is no key: a packed state's key (packed_key, a bijection
// of pack() + 1 < 2^63 + 1) is never that value (its preimage is
// 0x89a5850e63c5f8a9 + 1 > 2^63), and a hashed fingerprint that is (one in
// 2^64) is taken as 2^64 - 2, a collision as likely as any other.
//
// Full states (ExactStore, --exact): each stripe behind its lock for every
// lookup, as the full states are not read without one.
//
// The stripe is picked by bits 32..37: the rank that owns a state is picked
// by the fingerprint's top bits (every state of a rank shares them) and a
// home slot by its low bits, so the stripes fill evenly and a stripe's slots
// do too.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "agree/checker/fingerprint.hpp"
#include "agree/checker/hugepages.hpp"
#include "agree/checker/store.hpp"

namespace agree::checker::detail {

// A stripe of fingerprints: lookups and additions without a lock, growth under it.
class FingerprintStripe {
 public:
  static constexpr Fingerprint kMoved = ~Fingerprint{0};

  FingerprintStripe() { current_.store(make(1024)); }
  FingerprintStripe(const FingerprintStripe&) = delete;
  FingerprintStripe& operator=(const FingerprintStripe&) = delete;
  ~FingerprintStripe() { delete current_.load(); }

  // With `shared` (several threads look up): `credit` is the calling
  // thread's own, and the thread may run beside others.
  bool insert(Fingerprint fp, bool shared, std::atomic<std::uint32_t>& credit) {
    if (fp == kMoved) fp = kMoved - 1;
    if (!shared) return insert_alone(fp);
    for (;;) {
      Table* t = current_.load(std::memory_order_acquire);
      switch (claim(*t, fp, credit)) {
        case Claim::Old: return false;
        case Claim::New: return true;
        case Claim::Moving:
          while (current_.load(std::memory_order_acquire) == t) std::this_thread::yield();
          break;
        case Claim::Full: grow_shared(t); break;
      }
    }
  }
  void prefetch(Fingerprint fp) const {
    const Table* t = current_.load(std::memory_order_acquire);
    __builtin_prefetch(&t->slots[fp & t->mask]);
  }
  // The slots claimed, and the credits taken but not used yet (StripedStore::size).
  [[nodiscard]] std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
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
  static bool over(std::uint64_t count, const Table& t) { return count * 10 > (t.mask + 1) * 7; }
  static std::uint32_t credit_block(const Table& t) { return static_cast<std::uint32_t>(std::clamp<std::size_t>((t.mask + 1) >> 8, 1, 1024)); }

  // One thread: no atomics but the count's, which other threads may read.
  bool insert_alone(Fingerprint fp) {
    Table* t = current_.load(std::memory_order_relaxed);
    std::size_t i = fp & t->mask;
    for (; t->slots[i] != 0; i = (i + 1) & t->mask)
      if (t->slots[i] == fp) return false;
    const std::uint64_t n = count_.load(std::memory_order_relaxed) + 1;
    if (over(n, *t)) {
      Table* bigger = grown(*t);  // (should it throw, the table stands as it was)
      current_.store(bigger, std::memory_order_release);
      delete t;
      place(*bigger, fp);
    } else {
      t->slots[i] = fp;
    }
    count_.store(n, std::memory_order_relaxed);
    return true;
  }

  enum class Claim { Old, New, Moving, Full };
  Claim claim(Table& t, Fingerprint fp, std::atomic<std::uint32_t>& credit) {
    for (std::size_t i = fp & t.mask;; i = (i + 1) & t.mask) {
      std::atomic_ref<Fingerprint> slot(t.slots[i]);
      Fingerprint cur = slot.load(std::memory_order_acquire);
      for (;;) {
        if (cur == fp) return Claim::Old;
        if (cur == kMoved) return Claim::Moving;
        if (cur != 0) break;  // another's: probe on
        std::uint32_t left = credit.load(std::memory_order_relaxed);
        if (left == 0) {
          const std::uint32_t block = credit_block(t);
          if (over(count_.fetch_add(block, std::memory_order_relaxed) + block, t)) {
            count_.fetch_sub(block, std::memory_order_relaxed);
            return Claim::Full;
          }
          left = block;
        }
        if (slot.compare_exchange_strong(cur, fp, std::memory_order_acq_rel)) {
          credit.store(left - 1, std::memory_order_relaxed);
          return Claim::New;
        }
        credit.store(left, std::memory_order_relaxed);  // cur: what another thread put there
      }
    }
  }

  // A table twice as large with old's fingerprints, old read as it stands.
  static Table* grown(const Table& old) {
    auto bigger = std::make_unique<Table>((old.mask + 1) * 2);
    for (std::size_t j = 0; j <= old.mask; ++j)
      if (const Fingerprint fp = old.slots[j]; fp != 0) place(*bigger, fp);
    return bigger.release();
  }
  static void place(Table& t, Fingerprint fp) {
    std::size_t i = fp & t.mask;
    while (t.slots[i] != 0) i = (i + 1) & t.mask;
    t.slots[i] = fp;
  }
  // Several threads: old's empty slots closed and its fingerprints copied,
  // slot by slot, into a table twice as large, published; old retired. (The
  // lock: one copy at a time; a thread that finds the table grown already
  // goes back to its probe.)
  void grow_shared(Table* old) {
    std::lock_guard lock(m_);
    if (current_.load(std::memory_order_relaxed) != old) return;
    auto bigger = std::make_unique<Table>((old->mask + 1) * 2);
    for (std::size_t j = 0; j <= old->mask; ++j) {
      Fingerprint fp = 0;
      if (std::atomic_ref<Fingerprint>(old->slots[j]).compare_exchange_strong(fp, kMoved, std::memory_order_acq_rel)) continue;
      place(*bigger, fp);  // (fp: the slot's fingerprint, never kMoved: only this copy writes that)
    }
    current_.store(bigger.release(), std::memory_order_release);
    retired_.emplace_back(old);
  }

  std::atomic<Table*> current_{nullptr};  // read by every lookup: a line of its own
  alignas(64) std::atomic<std::uint64_t> count_{0};  // written once a block of credits
  std::mutex m_;                                     // taken to grow
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
    threads_ = std::max(1u, n);
    credits_ = std::make_unique<Credits[]>(threads_);
  }

  // Thread-safe after set_threads(n > 1), each thread with its own number
  // `thread` < n.
  bool insert(Fingerprint fp, std::string_view bytes, unsigned thread = 0) {
    if constexpr (kExact) return stripes_[stripe(fp)].s.insert(fp, bytes, locking_);
    else return stripes_[stripe(fp)].s.insert(fp, locking_, credits_[thread].left[stripe(fp)]);
  }
  void prefetch(Fingerprint fp) const {
    if constexpr (!kExact) stripes_[stripe(fp)].s.prefetch(fp);
  }
  // Thread-safe, and exact when no thread inserts.
  [[nodiscard]] std::uint64_t size() const {
    std::uint64_t n = 0;
    if constexpr (kExact) {
      for (std::size_t i = 0; i <= stripe_mask_; ++i) n += stripes_[i].s.size();
    } else {  // the slots claimed and the credits not used yet, less those
      for (std::size_t i = 0; i <= stripe_mask_; ++i) n += stripes_[i].s.count();
      for (std::size_t t = 0; t < threads_; ++t)
        for (std::size_t i = 0; i <= stripe_mask_; ++i) n -= credits_[t].left[i].load(std::memory_order_relaxed);
    }
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
  // Each thread's credits in each stripe: slots it may claim without
  // counting them (a line of its own).
  struct alignas(64) Credits {
    std::atomic<std::uint32_t> left[kStripes];
  };
  std::unique_ptr<Stripe[]> stripes_ = std::make_unique<Stripe[]>(kStripes);
  std::unique_ptr<Credits[]> credits_ = std::make_unique<Credits[]>(1);
  unsigned threads_ = 1;
  bool locking_ = false;
  std::size_t stripe_mask_ = 0;
};

}  // namespace agree::checker::detail
