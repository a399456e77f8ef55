// checker/hugepages.hpp — asks the kernel to back a large block with 2 MiB
// pages (transparent huge pages), where it allows it only on request
// (/sys/kernel/mm/transparent_hugepage/enabled = madvise, Debian's default).
//
// The visited table is read at random, one slot per successor, and a block
// of 4 KiB pages makes nearly every lookup a TLB miss, and every first touch
// a page fault: 131,072 of them for a 512 MiB table. With 2 MiB pages the
// kernel takes 512 faults and zeroes whole pages at a time. Measured on
// `agree check twophase --rms 10 --reduce none --memory-limit 1024 --threads 1`,
// two runs each: 26.1 and 32.2 s against 34.9 and 36.1 s with 4 KiB pages
// (system time 2.8 against 4.3 s). Advice only: where the kernel says no,
// nothing changes.
#pragma once

#include <sys/mman.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

namespace agree::checker {

// Advice for a block already allocated: the 2 MiB pages inside it.
inline void advise_huge_pages(const void* p, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  // Under two huge pages, a block from malloc (not aligned) seldom holds a
  // whole aligned one, and the advice would only split its mapping.
  if (!p || bytes < 2 * kHuge) return;
  const auto start = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (end > start) madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
}

// `bytes` of zeroes: from calloc when small, else mapped at a 2 MiB boundary
// and advised, so that a block of exactly 2 MiB (a table segment) gets one
// huge page. Release with release_zeroed(p, bytes). (Mapping the blocks from
// 64 KiB on, to give them back to the kernel when freed, cost twophase --rms 9
// 36,000 more page faults and 0.6 s of its 3.9; the table calls
// release_free_heap() after it grows instead.)
inline std::size_t mapped_length(std::size_t bytes) { return (bytes + 4095) & ~std::size_t{4095}; }
inline constexpr std::size_t kZeroedMapFrom = std::size_t{2} << 20;

// Gives the pages of the heap's free blocks back to the kernel (glibc's
// malloc_trim, which a library may call: it changes no setting of the
// program's allocator). A table whose segments grew from calloc's blocks to
// mappings of their own left them free in the heap: at twophase --rms 10's
// peak on two threads the heap held 57 MB without the trim and 6.5 MB with it
// (peak 809 -> 744 MB; bench/mem_sample.py, bench/RESULTS.md, 0.5.10).
inline void release_free_heap() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

inline void* allocate_zeroed(std::size_t bytes) {
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  if (bytes < kZeroedMapFrom) {
    void* p = std::calloc(bytes ? bytes : 1, 1);
    if (!p) throw std::bad_alloc();
    return p;
  }
  const std::size_t length = mapped_length(bytes);
  void* raw = mmap(nullptr, length + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto base = reinterpret_cast<std::uintptr_t>(raw);
  const auto start = (base + kHuge - 1) & ~std::uintptr_t{kHuge - 1};
  if (start > base) munmap(raw, start - base);
  munmap(reinterpret_cast<void*>(start + length), base + length + kHuge - (start + length));
  // Only whole 2 MiB pages: a tail in a huge page would cost the whole page.
  madvise(reinterpret_cast<void*>(start), bytes & ~(kHuge - 1), MADV_HUGEPAGE);
  return reinterpret_cast<void*>(start);
}

inline void release_zeroed(void* p, std::size_t bytes) {
  if (!p) return;
  if (bytes < kZeroedMapFrom) return std::free(p);
  munmap(p, mapped_length(bytes));
}

// `n` zeroed elements of a trivial type, allocated as above and released
// with the array: the state graph's visited tables (live_graph.hpp).
template <class T>
class ZeroedArray {
  static_assert(std::is_trivial_v<T>);

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t n) : p_(static_cast<T*>(allocate_zeroed(n * sizeof(T)))), n_(n) {}
  ZeroedArray(ZeroedArray&& o) noexcept : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)) {}
  ZeroedArray& operator=(ZeroedArray&& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    return *this;
  }
  ~ZeroedArray() { release_zeroed(p_, n_ * sizeof(T)); }
  [[nodiscard]] std::size_t size() const { return n_; }
  T& operator[](std::size_t i) { return p_[i]; }
  const T& operator[](std::size_t i) const { return p_[i]; }
  T* begin() { return p_; }
  T* end() { return p_ + n_; }
  const T* begin() const { return p_; }
  const T* end() const { return p_ + n_; }

 private:
  T* p_ = nullptr;
  std::size_t n_ = 0;
};

}  // namespace agree::checker
