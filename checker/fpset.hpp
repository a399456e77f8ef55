// checker/fpset.hpp — the visited set shared by the search threads: 64-bit
// fingerprints, 8 bytes a slot, lock-free.
//
// The table is split into 256 segments by the fingerprint's top byte. Each
// segment is an open-addressing array with linear probing; a slot is 0 (empty)
// or a fingerprint, claimed with one compare-and-swap (TLC's FPSet, SPIN's hash
// store, Stateright's DashMap, in the flattest form). The home slot is the
// fingerprint scaled to the capacity (Lemire's fast range), so capacities need
// not be powers of two and a table can fill its memory budget exactly.
//
// Growing is not lock-free: the search pauses every thread at a safe point
// (between two states) and the segments grow in that pause (see grow()).
// Within the memory budget a segment doubles (by half, once the table is
// large: see grown()); when the budget would be
// exceeded it grows to what fits, and a segment over 95% load that cannot
// grow makes the search stop as incomplete (memory-limit) instead of slowing
// to a crawl or being killed.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "agree/checker/fingerprint.hpp"
#include "agree/checker/hugepages.hpp"

namespace agree::checker {

class ConcurrentFingerprintSet {
 public:
  static constexpr int kSegmentBits = 8;
  static constexpr std::size_t kSegments = std::size_t{1} << kSegmentBits;

  // budget_bytes: what the table may use at most, all segments together.
  explicit ConcurrentFingerprintSet(std::uint64_t budget_bytes, std::size_t initial_slots_per_segment = 1024)
      : max_slots_per_segment_(std::max<std::uint64_t>(budget_bytes / sizeof(Fingerprint) / kSegments, 64)) {
    for (auto& s : segments_) s.allocate(std::min<std::size_t>(initial_slots_per_segment, max_slots_per_segment_));
  }

  enum class Result { New, Old, Full };

  // For `workers` threads, numbered 0.. (only while no insert() runs).
  void set_workers(unsigned workers) {
    settle();
    credits_.assign(std::max(1u, workers), {});
  }

  // Thread-safe against other insert() calls with other worker numbers, not
  // against grow(). A lookup that finds its fingerprint reads only the
  // segment's pointer and capacity and the slots. A new fingerprint needs a
  // credit: the worker takes them from the segment's count a block at a time,
  // so that the count, a line every thread writes, is touched once per block
  // rather than once per new state (one atomic add per new state was a third
  // of the insert time with two threads).
  Result insert(Fingerprint fp, unsigned worker = 0) {
    const std::size_t si = fp >> (64 - kSegmentBits);
    Segment& seg = segments_[si];
    std::uint32_t& credit = credits_[worker].left[si];
    const std::size_t cap = seg.capacity;
    std::size_t i = home(fp, cap);
    for (;;) {
      std::atomic_ref<Fingerprint> slot(seg.slots[i]);
      Fingerprint cur = slot.load(std::memory_order_relaxed);
      if (cur == fp) return Result::Old;
      if (cur == 0) {
        if (credit == 0) {
          // Over 95% load the segment gives no more: the caller must grow it (or stop) first.
          const std::uint32_t block = credit_block(cap);
          if (seg.count.fetch_add(block, std::memory_order_relaxed) * 20 >= cap * 19) {
            seg.count.fetch_sub(block, std::memory_order_relaxed);
            return Result::Full;
          }
          credit = block;
        }
        if (slot.compare_exchange_strong(cur, fp, std::memory_order_relaxed)) {
          --credit;
          return Result::New;
        }
        if (cur == fp) return Result::Old;
      }
      if (++i == cap) i = 0;
    }
  }

  // Gives back the credits not used, so that every count is exact again. Only
  // while no insert() runs; grow() and the checkpoint call it.
  void settle() {
    for (auto& c : credits_)
      for (std::size_t si = 0; si < kSegments; ++si) {
        segments_[si].count.fetch_sub(c.left[si], std::memory_order_relaxed);
        c.left[si] = 0;
      }
  }

  void prefetch(Fingerprint fp) const {
    const Segment& seg = segments_[fp >> (64 - kSegmentBits)];
    __builtin_prefetch(&seg.slots[home(fp, seg.capacity)]);
  }

  // Is any segment over 75% load (time to grow at the next pause)?
  [[nodiscard]] bool wants_growth(Fingerprint fp) const {
    const Segment& seg = segments_[fp >> (64 - kSegmentBits)];
    return seg.count.load(std::memory_order_relaxed) * 4 >= seg.capacity * 3 && seg.capacity < max_slots_per_segment_;
  }

  // Only while no insert() runs. Returns false when some segment is full and
  // cannot grow within the budget.
  //
  // A pause is called when one segment passes 75% load; every segment over
  // 50% grows in it too. The fingerprints spread evenly, so the segments fill
  // together, and one pause serves them all instead of one pause per segment
  // (256 pauses a doubling, each stopping every thread). The segments are
  // rehashed by as many threads as the search has workers (they are all
  // waiting anyway). The two together took twophase --rms 9 on two threads
  // from 4.2 to 3.1 s. The transient extra memory is one old segment per
  // rehashing thread.
  bool grow() {
    settle();
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < kSegments; ++i) {
      const Segment& seg = segments_[i];
      if (seg.count.load() * 2 >= seg.capacity && seg.capacity < max_slots_per_segment_) todo.push_back(i);
    }
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t k; (k = next.fetch_add(1)) < todo.size();) {
        Segment& seg = segments_[todo[k]];
        seg.rehash(std::min<std::size_t>(grown(seg.capacity), max_slots_per_segment_));
      }
    };
    std::size_t slots = 0;
    for (const std::size_t i : todo) slots += segments_[i].capacity;
    const std::size_t helpers = slots >= (std::size_t{1} << 20) ? credits_.size() - 1 : 0;
    std::exception_ptr failed;
    std::mutex failed_m;
    auto guarded_work = [&] {
      try {
        work();
      } catch (...) {  // (bad_alloc) handed to the caller
        std::lock_guard lock(failed_m);
        failed = std::current_exception();
      }
    };
    std::vector<std::thread> pool;
    for (std::size_t h = 0; h < helpers; ++h) pool.emplace_back(guarded_work);
    guarded_work();
    for (auto& t : pool) t.join();
    if (failed) std::rethrow_exception(failed);
    if (!todo.empty()) release_free_heap();  // the old segments from calloc (checker/hugepages.hpp)
    bool ok = true;
    for (const auto& seg : segments_)
      if (seg.count.load() * 20 >= seg.capacity * 19) ok = false;
    return ok;
  }

  // For a checkpoint: the fingerprints of segment `i`, in blocks. Only while no insert() runs.
  template <class F>
  void for_each_in_segment(std::size_t i, F&& f) const {
    const Segment& seg = segments_[i];
    std::vector<Fingerprint> block;
    block.reserve(4096);
    for (std::size_t j = 0; j < seg.capacity; ++j) {
      if (seg.slots[j] == 0) continue;
      block.push_back(seg.slots[j]);
      if (block.size() == 4096) {
        f(block.data(), block.size());
        block.clear();
      }
    }
    if (!block.empty()) f(block.data(), block.size());
  }
  [[nodiscard]] std::uint64_t segment_size(std::size_t i) const { return segments_[i].count.load(); }
  // Before restoring `n` fingerprints into segment `i` (empty): room for them at
  // under 75% load, or false if that does not fit the budget.
  bool reserve_segment(std::size_t i, std::uint64_t n) {
    Segment& seg = segments_[i];
    std::uint64_t cap = std::max<std::uint64_t>(seg.capacity, n * 2);
    if (n * 4 >= cap * 3 || cap > max_slots_per_segment_) cap = max_slots_per_segment_;
    if (n * 20 >= cap * 19) return false;
    if (cap != seg.capacity) seg.rehash(static_cast<std::size_t>(cap));
    return true;
  }

  [[nodiscard]] std::uint64_t size() const {
    std::uint64_t n = 0;
    for (const auto& s : segments_) n += s.count.load(std::memory_order_relaxed);
    return n;
  }
  [[nodiscard]] std::uint64_t bytes() const {
    std::uint64_t n = 0;
    for (const auto& s : segments_) n += s.capacity * sizeof(Fingerprint);
    return n;
  }

 private:
  // A segment's next capacity: double while the table is small, then half as
  // much again, so the last growth of a large table overshoots by at most
  // half, not by all of it. twophase --rms 10 (61.5 million states, 240,000
  // a segment) passes 75% load at 2^18 slots a segment: doubling made the
  // table 1 GiB at 46% load, growing by half makes it 768 MiB at 61%.
  static constexpr std::size_t kDoubleBelow = std::size_t{1} << 17;  // slots a segment: a table of 256 MiB
  static std::size_t grown(std::size_t cap) { return cap < kDoubleBelow ? cap * 2 : cap + cap / 2; }

  static std::size_t home(Fingerprint fp, std::size_t cap) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(fp << kSegmentBits) * cap) >> 64);
  }

  struct Free {
    Free() noexcept : bytes(0) {}
    explicit Free(std::size_t b) noexcept : bytes(b) {}
    std::size_t bytes;
    void operator()(Fingerprint* p) const { release_zeroed(p, bytes); }
  };
  // Two cache lines each: the pointer and capacity, read at every lookup,
  // never share a line with a count that another thread is writing. The count
  // includes the credits handed out (see insert()) until settle().
  struct alignas(64) Segment {
    std::unique_ptr<Fingerprint[], Free> slots;
    std::size_t capacity = 0;
    alignas(64) std::atomic<std::uint64_t> count{0};

    void allocate(std::size_t cap) {
      // Zeroed by the kernel, a page as it is first touched; 2 MiB pages for a
      // segment of 2 MiB or more (see checker/hugepages.hpp).
      auto* p = static_cast<Fingerprint*>(allocate_zeroed(cap * sizeof(Fingerprint)));
      slots = std::unique_ptr<Fingerprint[], Free>(p, Free{cap * sizeof(Fingerprint)});
      capacity = cap;
    }
    [[nodiscard]] bool contains(Fingerprint fp) const {
      for (std::size_t i = home(fp, capacity), probes = 0; probes < capacity; ++probes) {
        const Fingerprint cur = std::atomic_ref<Fingerprint>(slots[i]).load(std::memory_order_relaxed);
        if (cur == fp) return true;
        if (cur == 0) return false;
        if (++i == capacity) i = 0;
      }
      return false;
    }
    void rehash(std::size_t cap) {
      std::unique_ptr<Fingerprint[], Free> old = std::move(slots);
      const std::size_t old_cap = capacity;
      allocate(cap);
      for (std::size_t j = 0; j < old_cap; ++j) {
        const Fingerprint fp = old[j];
        if (fp == 0) continue;
        std::size_t i = home(fp, capacity);
        while (slots[i] != 0)
          if (++i == capacity) i = 0;
        slots[i] = fp;
      }
    }
  };

  // A block is under 1/256 of the segment: with a few threads holding one
  // each, a segment still never fills (95% + a few blocks < 100%).
  static std::uint32_t credit_block(std::size_t cap) { return static_cast<std::uint32_t>(std::clamp<std::size_t>(cap / 256, 1, 4096)); }

  std::uint64_t max_slots_per_segment_;
  Segment segments_[kSegments];
  // A worker's credits, one per segment, on lines of their own: each new state
  // writes one, and a line shared by two workers' credits would bounce.
  struct alignas(64) Credits {
    std::array<std::uint32_t, kSegments> left{};
  };
  std::vector<Credits> credits_ = std::vector<Credits>(1);
};

}  // namespace agree::checker
