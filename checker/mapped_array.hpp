// checker/mapped_array.hpp — a growable array that never moves: the state
// graph's arrays (live_graph.hpp), which reach gigabytes.
//
// A std::vector that doubles copies everything it holds at each growth, and
// every page of the new block faults in at first touch. On this 2-core VM,
// building the liveness graph of twophase --rms 8 (18.5 million edges) spent
// 17% of its time in memmove and 23% in the kernel's page-fault path
// (`perf record -g agree check twophase --rms 8 --liveness --threads 1`).
// Here one mapping reserves address space for the most the array may ever
// hold (MAP_NORESERVE: no memory is taken until a page is touched), asks for
// 2 MiB pages (hugepages.hpp), and the array grows in place: no copy, and a
// fault per 2 MiB instead of per 4 KiB where the kernel gives huge pages.
// The reservation is the machine's memory: the search's memory budget stops
// the run before an array could pass it. Elements are integers and start as
// zero.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace agree::checker {

std::uint64_t physical_memory_bytes();

template <class T>
class MappedArray {
  static_assert(std::is_integral_v<T>);

 public:
  MappedArray() : reserved_(reservation()) {
    void* p = mmap(nullptr, reserved_ * sizeof(T), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, reserved_ * sizeof(T), MADV_HUGEPAGE);  // advice: where refused, 4 KiB pages
    data_ = static_cast<T*>(p);
  }
  MappedArray(const MappedArray&) = delete;
  MappedArray& operator=(const MappedArray&) = delete;
  ~MappedArray() { munmap(data_, reserved_ * sizeof(T)); }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& back() { return data_[size_ - 1]; }

  void push_back(const T& x) {
    room(size_ + 1);
    data_[size_++] = x;
  }
  // New elements are `fill`; elements cut off are zeroed again, so growing
  // back gives zeroes as a fresh mapping does.
  void resize(std::size_t n, T fill = 0) {
    const std::size_t clean = high_;  // from here on, never touched: zero
    room(n);
    for (std::size_t i = size_; i < n && (i < clean || fill != 0); ++i) data_[i] = fill;
    for (std::size_t i = n; i < size_; ++i) data_[i] = 0;
    size_ = n;
  }
  // n elements, whatever they held: for a caller that writes each before it
  // reads it (the liveness check's per-level edges, live_levels.hpp), so
  // neither the shrink nor the growth writes the array.
  void resize_for_overwrite(std::size_t n) {
    room(n);
    size_ = n;
  }
  // Gives back to the system the 2 MiB blocks that lie wholly below element
  // n; the size stays, and an element there reads as zero if read again. For
  // a caller done with a prefix for good: the liveness check's layered pass
  // with the nodes of the levels it has judged (live_levels.hpp).
  void release_below(std::size_t n) {
    constexpr std::size_t kBlock = std::size_t{2} << 20;
    const std::size_t upto = std::min(n, size_) * sizeof(T) / kBlock * kBlock;
    if (upto <= released_) return;
    madvise(reinterpret_cast<char*>(data_) + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
  }
  // The bytes touched so far (pages the array holds or has held).
  [[nodiscard]] std::uint64_t bytes() const { return std::uint64_t{high_} * sizeof(T); }

 private:
  static std::size_t reservation() { return static_cast<std::size_t>(physical_memory_bytes() / sizeof(T)) + 1; }
  void room(std::size_t n) {
    if (n > reserved_) throw std::length_error("state graph: an array would pass the machine's memory");
    if (n > high_) high_ = n;
  }

  T* data_ = nullptr;
  std::size_t reserved_;
  std::size_t size_ = 0;
  std::size_t high_ = 0;
  std::size_t released_ = 0;  // bytes given back by release_below
};

}  // namespace agree::checker
