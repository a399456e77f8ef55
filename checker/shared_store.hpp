// checker/shared_store.hpp — the visited set as the parallel search sees it:
// the lock-free fingerprint table (checker/fpset.hpp), or full states behind
// a lock with --exact; and the table's checkpoint record.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "agree/checker/checkpoint.hpp"
#include "agree/checker/fpset.hpp"
#include "agree/checker/store.hpp"

namespace agree::checker::detail {

// The visited set as the parallel search sees it: fingerprints, or full states.
template <bool Exact>
class SharedStore {
 public:
  explicit SharedStore(std::uint64_t budget) : fps_(budget) {}
  static constexpr bool kExact = Exact;
  ConcurrentFingerprintSet::Result insert(Fingerprint fp, std::string_view bytes, unsigned worker = 0) {
    if constexpr (Exact) {
      std::lock_guard lock(m_);
      const bool fresh = exact_.insert(fp, bytes);
      return fresh ? ConcurrentFingerprintSet::Result::New : ConcurrentFingerprintSet::Result::Old;
    } else {
      return fps_.insert(fp, worker);
    }
  }
  void prefetch(Fingerprint fp) const {
    if constexpr (!Exact) fps_.prefetch(fp);
  }
  [[nodiscard]] bool wants_growth(Fingerprint fp) const { return !Exact && fps_.wants_growth(fp); }
  bool grow() { return Exact || fps_.grow(); }
  void set_workers(unsigned n) {
    if constexpr (!Exact) fps_.set_workers(n);
  }
  void settle() {  // only while no insert() runs: see ConcurrentFingerprintSet
    if constexpr (!Exact) fps_.settle();
  }
  [[nodiscard]] std::uint64_t size() const { return Exact ? exact_.size() : fps_.size(); }
  [[nodiscard]] std::uint64_t bytes() const { return Exact ? exact_.bytes() : fps_.bytes(); }
  [[nodiscard]] std::uint64_t collisions() const { return Exact ? exact_.collisions() : 0; }

  // The checkpoint record: every fingerprint, per segment (not with Exact).
  void save(CheckpointWriter& w) {
    for (std::size_t s = 0; s < ConcurrentFingerprintSet::kSegments; ++s) {
      w.u64(fps_.segment_size(s));
      fps_.for_each_in_segment(s, [&](const Fingerprint* f, std::size_t n) { w.bytes(f, n * sizeof(Fingerprint)); });
    }
  }
  void load(CheckpointReader& in) {
    std::vector<Fingerprint> block;
    for (std::size_t s = 0; s < ConcurrentFingerprintSet::kSegments; ++s) {
      std::uint64_t n = in.count(sizeof(Fingerprint));
      if (!fps_.reserve_segment(s, n))
        throw std::runtime_error("checkpoint " + in.path() + ": the visited states do not fit in the memory limit");
      while (n > 0) {
        block.resize(static_cast<std::size_t>(std::min<std::uint64_t>(n, 1 << 16)));
        in.bytes(block.data(), block.size() * sizeof(Fingerprint));
        for (const Fingerprint f : block)
          if (f == 0 || (f >> (64 - ConcurrentFingerprintSet::kSegmentBits)) != s ||
              fps_.insert(f) != ConcurrentFingerprintSet::Result::New)
            in.corrupt("bad fingerprint table");
        n -= block.size();
      }
    }
  }

 private:
  ConcurrentFingerprintSet fps_;
  std::mutex m_;
  ExactStore exact_;
};

}  // namespace agree::checker::detail
