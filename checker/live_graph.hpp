// checker/live_graph.hpp — the state graph the liveness check runs on.
//
// Liveness is a question about cycles, so unlike the safety search (bfs.hpp,
// which keeps a fingerprint per state and a parent edge per state) this
// search keeps every edge: the graph in compressed sparse rows. Node ids are
// given in breadth-first order and nodes are expanded in id order, so node
// u's out-edges are edges [offset[u], offset[u+1]) and edge offset[u] + k is
// the k-th action enabled in u — a path through the graph is a checker::Path
// as it stands. Per edge: the target (4 bytes) and the fairness group
// (4 bytes); per node: the offset (8 bytes), a bit per liveness predicate and
// its slot in the visited table (16 bytes with its key, at most 3/4 full). A self-loop (next_state
// returns nullopt) is an edge u -> u: it is a step (TLA+'s stuttering
// actions, twophase's second receive), and fairness counts it.
//
// The visited table maps a state's key (codec.hpp: a fingerprint, or the
// packed word itself) to its node id; with --exact (and a variable-length
// encoding) it also keeps every state's encoding and compares it, so no two
// states can share a node.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "agree/checker/fingerprint.hpp"

namespace agree::checker::detail {

inline constexpr std::uint32_t kNoNode = 0xffffffffu;

struct LiveGraph {
  std::vector<std::uint64_t> offset{0};  // node u's edges: [offset[u], offset[u + 1])
  std::vector<std::uint32_t> target;     // per edge
  std::vector<std::uint32_t> group;      // per edge: its action's fairness group
  std::vector<std::uint64_t> bits;       // per node: bit 2i = property i's `holds`, 2i+1 its trigger, 63 terminal
  std::vector<std::uint32_t> inits;      // node of each initial state, in init_states() order
  std::vector<std::string> group_names;  // by group number
  std::uint64_t expanded = 0;            // nodes whose edges are all in (the others, cut short, have none)
  static constexpr std::uint64_t kTerminal = std::uint64_t{1} << 63;

  [[nodiscard]] std::uint32_t nodes() const { return static_cast<std::uint32_t>(bits.size()); }
  [[nodiscard]] std::uint64_t begin(std::uint32_t u) const { return offset[u]; }
  [[nodiscard]] std::uint64_t end(std::uint32_t u) const { return offset[u + 1]; }
  [[nodiscard]] bool terminal(std::uint32_t u) const { return bits[u] & kTerminal; }  // no action is enabled
  [[nodiscard]] bool holds(std::uint32_t u, std::size_t prop) const { return (bits[u] >> (2 * prop)) & 1u; }
  [[nodiscard]] bool trigger(std::uint32_t u, std::size_t prop) const { return (bits[u] >> (2 * prop + 1)) & 1u; }
  [[nodiscard]] std::uint64_t bytes() const {
    return offset.capacity() * 8 + target.capacity() * 4 + group.capacity() * 4 + bits.capacity() * 8;
  }
};

// Key -> node id, open addressing with linear probing, capacity a power of
// two kept under 3/4 full; key and id share a 16-byte slot, so a lookup costs
// one cache miss, and prefetch() lets the search start the misses of all of a
// state's successors before it waits for the first. `exact`: keys are
// compared by the encoding too.
class NodeTable {
 public:
  explicit NodeTable(bool exact) : exact_(exact) { grow(1u << 12); }

  void prefetch(Fingerprint key) const { __builtin_prefetch(&slots_[key & (slots_.size() - 1)]); }

  // The node of this encoding, or a new one numbered `fresh`; `added` says which.
  std::uint32_t find_or_add(Fingerprint key, std::string_view bytes, std::uint32_t fresh, bool& added) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow(slots_.size() * 2);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.key == 0) {
        slot = {key, fresh};
        if (exact_) {
          starts_.push_back(arena_.size());
          arena_.append(bytes);
        }
        ++size_;
        added = true;
        return fresh;
      }
      if (slot.key != key) continue;
      if (!exact_ || encoding(slot.id) == bytes) {
        added = false;
        return slot.id;
      }
      ++collisions_;
    }
  }
  [[nodiscard]] bool exact() const { return exact_; }
  [[nodiscard]] std::uint64_t collisions() const { return collisions_; }
  [[nodiscard]] std::uint64_t bytes() const { return slots_.capacity() * sizeof(Slot) + arena_.capacity() + starts_.capacity() * 8; }

 private:
  struct Slot {
    Fingerprint key = 0;
    std::uint32_t id = 0;
  };
  [[nodiscard]] std::string_view encoding(std::uint32_t id) const {
    const std::uint64_t b = starts_[id], e = id + 1 < starts_.size() ? starts_[id + 1] : arena_.size();
    return std::string_view(arena_).substr(b, e - b);
  }
  void grow(std::size_t capacity) {
    std::vector<Slot> slots(capacity);
    const std::size_t mask = capacity - 1;
    for (const Slot& old : slots_) {
      if (old.key == 0) continue;
      std::size_t i = old.key & mask;
      while (slots[i].key != 0) i = (i + 1) & mask;
      slots[i] = old;
    }
    slots_.swap(slots);
  }

  bool exact_;
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  std::string arena_;                  // exact: every encoding, in id order
  std::vector<std::uint64_t> starts_;  // exact: where each begins
  std::uint64_t collisions_ = 0;
};

// Fairness groups by name, numbered as first seen.
class GroupNames {
 public:
  std::uint32_t id(std::string name, std::vector<std::string>& names) {
    auto [it, added] = ids_.try_emplace(std::move(name), static_cast<std::uint32_t>(names.size()));
    if (added) names.push_back(it->first);
    return it->second;
  }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
};

}  // namespace agree::checker::detail
