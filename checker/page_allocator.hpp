// checker/page_allocator.hpp — an allocator whose large blocks are mappings
// of their own, handed back to the kernel when freed: the frontier's levels
// and the trail's parts, which are made and dropped every level.
//
// From malloc such a block would stay in the process after it is freed.
// glibc maps a block of 128 KiB or more on its own only until the first such
// block is freed; it then raises its threshold to that block's size (up to
// 32 MiB), and the next blocks of a level come from an arena, where a freed
// block keeps its pages for the next allocation rather than returning them.
// The levels of a search grow and shrink, and every thread has its arena:
// twophase --rms 10 on two threads held 1,069 MB at its peak, 760 MB with a
// fixed threshold of 1 MiB (GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576;
// the table 614 MB of it; bench/mem_sample.py, bench/RESULTS.md, 0.5.10).
// A library cannot set the threshold for the program that links it, so the
// blocks that matter are mapped here; small ones still come from the heap.
// A mapping is zeroed by the kernel, page by page as first touched: a
// reserve() costs nothing until it is written.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace agree::checker {

template <class T>
struct PageAllocator {
  using value_type = T;
  static constexpr std::size_t kMapFrom = std::size_t{1} << 20;  // bytes: mapped from here on

  PageAllocator() noexcept = default;
  template <class U>
  PageAllocator(const PageAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor): rebinding

  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
    if (n * sizeof(T) < kMapFrom) return std::allocator<T>().allocate(n);
    void* p = mmap(nullptr, n * sizeof(T), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kMapFrom) return std::allocator<T>().deallocate(p, n);
    munmap(p, n * sizeof(T));
  }
  template <class U>
  bool operator==(const PageAllocator<U>&) const noexcept {
    return true;
  }
};

using PageString = std::basic_string<char, std::char_traits<char>, PageAllocator<char>>;
template <class T>
using PageVector = std::vector<T, PageAllocator<T>>;

}  // namespace agree::checker
