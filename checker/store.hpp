// checker/store.hpp — the set of visited states, as a policy type.
//
//   FingerprintStore — 8 bytes a state: an open-addressing table of 64-bit
//                      fingerprints (TLC's FPSet). Two distinct states with one
//                      fingerprint would merge; the report estimates the odds.
//   ExactStore       — keeps every state's full encoding (--exact), so nothing
//                      merges, and counts the fingerprint collisions it sees.
//
// Both answer insert(fp, bytes) -> "was new". The explorer is a template over
// the store, so neither pays for the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "agree/checker/fingerprint.hpp"

namespace agree::checker {

// Linear probing over a power-of-two table, grown at 70% load. Written here
// rather than taken from a library: none of the allowed packages has a flat
// set of 64-bit keys with a reserved empty value, and this one is 40 lines.
class FingerprintSet {
 public:
  explicit FingerprintSet(std::size_t capacity_log2 = 16) : slots_(std::size_t{1} << capacity_log2) {}

  bool insert(Fingerprint fp) {
    if ((size_ + 1) * 10 > slots_.size() * 7) grow();
    return place(slots_, fp);
  }
  [[nodiscard]] bool contains(Fingerprint fp) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = fp & mask;; i = (i + 1) & mask) {
      if (slots_[i] == fp) return true;
      if (slots_[i] == 0) return false;
    }
  }
  // Brings fp's first slot toward the cache, for an insert soon after.
  void prefetch(Fingerprint fp) const { __builtin_prefetch(&slots_[fp & (slots_.size() - 1)]); }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t bytes() const { return slots_.size() * sizeof(Fingerprint); }
  // Every fingerprint in the set, in table order (a checkpoint writes them).
  template <class F>
  void for_each(F&& f) const {
    for (const Fingerprint fp : slots_)
      if (fp != 0) f(fp);
  }

 private:
  bool place(std::vector<Fingerprint>& table, Fingerprint fp) {
    const std::size_t mask = table.size() - 1;
    for (std::size_t i = fp & mask;; i = (i + 1) & mask) {
      if (table[i] == fp) return false;
      if (table[i] == 0) {
        table[i] = fp;
        if (&table == &slots_) ++size_;
        return true;
      }
    }
  }
  void grow() {
    std::vector<Fingerprint> bigger(slots_.size() * 2);
    for (const Fingerprint fp : slots_)
      if (fp != 0) place(bigger, fp);
    slots_.swap(bigger);
  }

  std::vector<Fingerprint> slots_;
  std::size_t size_ = 0;
};

class FingerprintStore {
 public:
  static constexpr bool kExact = false;
  bool insert(Fingerprint fp, std::string_view /*bytes*/) { return set_.insert(fp); }
  void prefetch(Fingerprint fp) const { set_.prefetch(fp); }
  [[nodiscard]] std::size_t size() const { return set_.size(); }
  [[nodiscard]] std::size_t bytes() const { return set_.bytes(); }
  [[nodiscard]] std::uint64_t collisions() const { return 0; }
  template <class F>
  void for_each(F&& f) const {
    set_.for_each(std::forward<F>(f));
  }

 private:
  FingerprintSet set_;
};

class ExactStore {
 public:
  static constexpr bool kExact = true;
  explicit ExactStore(std::size_t capacity_log2 = 16) : fps_(capacity_log2) {}
  bool insert(Fingerprint fp, std::string_view bytes) {
    const bool fresh = states_.emplace(bytes).second;
    const bool fresh_fp = fps_.insert(fp);
    if (fresh && !fresh_fp) ++collisions_;  // a new state whose fingerprint was taken
    if (fresh) bytes_ += bytes.size() + 48;  // node and bucket overhead, roughly
    return fresh;
  }
  [[nodiscard]] std::size_t size() const { return states_.size(); }
  [[nodiscard]] std::size_t bytes() const { return bytes_ + fps_.bytes(); }
  [[nodiscard]] std::uint64_t collisions() const { return collisions_; }

 private:
  std::unordered_set<std::string> states_;
  FingerprintSet fps_;
  std::uint64_t collisions_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace agree::checker
