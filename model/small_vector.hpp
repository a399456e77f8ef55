// model/small_vector.hpp — a vector with inline storage for small, bounded
// state components (per-process fields, in-flight sets), so copying a state to
// compute a successor allocates nothing. It has the std::vector operations the
// models use, compares with any range, and encodes like a vector.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ranges>
#include <stdexcept>

namespace agree::model {

template <class T, std::size_t N>
class SmallVector {
 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;
  using size_type = std::size_t;

  SmallVector() = default;
  SmallVector(std::initializer_list<T> xs) { assign(xs.begin(), xs.end()); }
  SmallVector(std::size_t n, const T& v) { assign(n, v); }
  SmallVector& operator=(std::initializer_list<T> xs) {
    assign(xs.begin(), xs.end());
    return *this;
  }

  void assign(std::size_t n, const T& v) {
    check(n);
    std::fill_n(data_.begin(), n, v);
    size_ = static_cast<std::uint8_t>(n);
  }
  template <class It>
  void assign(It first, It last) {
    clear();
    for (; first != last; ++first) push_back(*first);
  }
  void resize(std::size_t n) { resize(n, T{}); }
  void resize(std::size_t n, const T& v) {
    check(n);
    for (std::size_t i = size_; i < n; ++i) data_[i] = v;
    size_ = static_cast<std::uint8_t>(n);
  }
  void clear() { size_ = 0; }
  void push_back(const T& v) {
    check(size_ + 1u);
    data_[size_++] = v;
  }
  void pop_back() { --size_; }
  iterator insert(const_iterator pos, const T& v) {
    check(size_ + 1u);
    const auto i = static_cast<std::size_t>(pos - begin());
    std::move_backward(begin() + i, end(), end() + 1);
    data_[i] = v;
    ++size_;
    return begin() + i;
  }
  iterator erase(const_iterator pos) {
    const auto i = static_cast<std::size_t>(pos - begin());
    std::move(begin() + i + 1, end(), begin() + i);
    --size_;
    return begin() + i;
  }
  iterator erase(const_iterator first, const_iterator last) {
    const auto i = static_cast<std::size_t>(first - begin());
    const auto j = static_cast<std::size_t>(last - begin());
    std::move(begin() + j, end(), begin() + i);
    size_ = static_cast<std::uint8_t>(size_ - (j - i));
    return begin() + i;
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T& front() { return data_[0]; }
  const T& front() const { return data_[0]; }
  T& back() { return data_[size_ - 1u]; }
  const T& back() const { return data_[size_ - 1u]; }
  iterator begin() { return data_.data(); }
  iterator end() { return data_.data() + size_; }
  const_iterator begin() const { return data_.data(); }
  const_iterator end() const { return data_.data() + size_; }

  friend bool operator==(const SmallVector& a, const SmallVector& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
  template <std::ranges::range R>
    requires(!std::is_same_v<R, SmallVector>)
  friend bool operator==(const SmallVector& a, const R& b) {
    return std::equal(a.begin(), a.end(), std::ranges::begin(b), std::ranges::end(b));
  }
  friend auto operator<=>(const SmallVector& a, const SmallVector& b) {
    return std::lexicographical_compare_three_way(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  static void check(std::size_t n) {
    if (n > N) throw std::length_error("SmallVector capacity exceeded");
  }
  std::array<T, N> data_{};
  std::uint8_t size_ = 0;
  static_assert(N < 256);
};

}  // namespace agree::model
