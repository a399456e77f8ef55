// checker/work_shares.hpp — how the threads of a level-synchronous search
// share a level's work (Shares) and stop together at a safe point so that one
// of them can grow the table or save a checkpoint (Pauser).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace agree::checker::detail {

// Stops every worker at a safe point so that one of them can grow the table.
class Pauser {
 public:
  explicit Pauser(int workers) : active_(workers) {}
  void request() { requested_.store(true, std::memory_order_relaxed); }
  [[nodiscard]] bool requested() const { return requested_.load(std::memory_order_relaxed); }
  template <class F>
  void safe_point(F&& action) {
    if (!requested()) return;
    std::unique_lock lock(m_);
    if (!requested_) return;
    if (++waiting_ == active_) return run(action);
    const auto gen = generation_;
    cv_.wait(lock, [&] { return generation_ != gen; });
  }
  template <class F>
  void leave(F&& action) {
    std::unique_lock lock(m_);
    --active_;
    if (requested_ && waiting_ == active_) run(action);
  }

 private:
  template <class F>
  void run(F& action) {  // with m_ held
    action();
    requested_ = false;
    waiting_ = 0;
    ++generation_;
    cv_.notify_all();
  }
  std::mutex m_;
  std::condition_variable cv_;
  std::atomic<bool> requested_{false};
  int active_, waiting_ = 0;
  std::uint64_t generation_ = 0;
};

// The chunks of a level (items 0..n-1), split into one contiguous share per
// worker. A worker takes its own chunks from the front, in order; when its
// share is done it takes chunks from the back of the largest share left.
//
// Why contiguous: the successors of nearby states often coincide (a diamond:
// a then b, b then a), and a worker's cache of recently met keys saves the
// table lookup only if that worker expanded both. Handed out round-robin,
// every other chunk went to the other worker: twophase --rms 10 made 247
// million table lookups with one thread, 374 million with two.
class Shares {
 public:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  Shares(std::uint64_t items, unsigned workers) : shares_(workers) {
    if (items >= (std::uint64_t{1} << 32)) throw std::length_error("a level of more than 2^32 chunks");
    for (unsigned w = 0; w < workers; ++w) shares_[w].span.store(pack(items * w / workers, items * (w + 1) / workers));
  }
  // The next item for worker `w`, or kNone when every item is taken.
  std::uint64_t take(unsigned w) {
    for (std::uint64_t s = shares_[w].span.load(std::memory_order_relaxed); front(s) < back(s);)
      if (shares_[w].span.compare_exchange_weak(s, pack(front(s) + 1, back(s)))) return front(s);
    for (;;) {  // steal from the back of the largest share
      std::size_t victim = 0;
      std::uint64_t most = 0;
      for (std::size_t k = 0; k < shares_.size(); ++k)
        if (const std::uint64_t n = size(shares_[k].span.load()); n > most) {
          most = n;
          victim = k;
        }
      if (most == 0) return kNone;
      std::uint64_t s = shares_[victim].span.load();
      if (front(s) < back(s) && shares_[victim].span.compare_exchange_strong(s, pack(front(s), back(s) - 1))) return back(s) - 1;
    }
  }
  // The items not taken yet, in order (only while no worker takes any).
  [[nodiscard]] std::vector<std::uint64_t> left() const {
    std::vector<std::uint64_t> out;
    for (const auto& share : shares_)
      for (std::uint64_t s = share.span.load(), v = front(s); v < back(s); ++v) out.push_back(v);
    return out;
  }
  [[nodiscard]] std::uint64_t count_left() const {
    std::uint64_t n = 0;
    for (const auto& share : shares_) n += size(share.span.load(std::memory_order_relaxed));
    return n;
  }

 private:
  static std::uint64_t pack(std::uint64_t front, std::uint64_t back) { return front << 32 | back; }
  static std::uint64_t front(std::uint64_t s) { return s >> 32; }
  static std::uint64_t back(std::uint64_t s) { return s & 0xffffffffu; }
  static std::uint64_t size(std::uint64_t s) { return back(s) - std::min(front(s), back(s)); }
  struct alignas(64) Share {  // a line each: the owner writes its own at every chunk
    std::atomic<std::uint64_t> span{0};
  };
  std::vector<Share> shares_;
};

}  // namespace agree::checker::detail
