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
// its slot in the visited table (16 bytes with its key, at most 3/4 full).
// The arrays grow in place (mapped_array.hpp), the tables on 2 MiB pages
// (hugepages.hpp). A self-loop (next_state returns nullopt) is an edge
// u -> u: it is a step (TLA+'s stuttering actions, twophase's second
// receive), and fairness counts it.
//
// The visited table maps a state's key (codec.hpp: a fingerprint, or the
// packed word itself) to its node id; with --exact (and a variable-length
// encoding) it also keeps every state's encoding and compares it, so no two
// states can share a node.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "agree/checker/fingerprint.hpp"
#include "agree/checker/hugepages.hpp"
#include "agree/checker/mapped_array.hpp"

namespace agree::checker::detail {

inline constexpr std::uint32_t kNoNode = 0xffffffffu;

struct LiveGraph {
  LiveGraph() { offset.push_back(0); }
  MappedArray<std::uint64_t> offset;  // node u's edges: [offset[u], offset[u + 1])
  MappedArray<std::uint32_t> target;  // per edge
  MappedArray<std::uint32_t> group;   // per edge: its action's fairness group
  MappedArray<std::uint64_t> bits;    // per node: bit 2i = property i's `holds`, 2i+1 its trigger, 63 terminal
  std::vector<std::uint32_t> inits;      // node of each initial state, in init_states() order
  std::vector<std::string> group_names;  // by group number
  std::uint64_t expanded = 0;            // nodes whose edges are all in (the others, cut short, have none)
  std::uint64_t dropped = 0;             // edges judged and dropped level by level (live_levels.hpp)
  static constexpr std::uint64_t kTerminal = std::uint64_t{1} << 63;

  [[nodiscard]] std::uint32_t nodes() const { return static_cast<std::uint32_t>(bits.size()); }
  [[nodiscard]] std::uint64_t edges() const { return dropped + target.size(); }  // transitions met
  [[nodiscard]] std::uint64_t begin(std::uint32_t u) const { return offset[u]; }
  [[nodiscard]] std::uint64_t end(std::uint32_t u) const { return offset[u + 1]; }
  [[nodiscard]] bool terminal(std::uint32_t u) const { return bits[u] & kTerminal; }  // no action is enabled
  [[nodiscard]] bool holds(std::uint32_t u, std::size_t prop) const { return (bits[u] >> (2 * prop)) & 1u; }
  [[nodiscard]] bool trigger(std::uint32_t u, std::size_t prop) const { return (bits[u] >> (2 * prop + 1)) & 1u; }
  [[nodiscard]] std::uint64_t bytes() const {
    return offset.bytes() + target.bytes() + group.bytes() + bits.bytes();
  }
};

// Moves every slot of `from` into `to` (larger, empty), both tables of
// linear probing from key & (size - 1). Taken in the old table's order from
// just past an empty slot, the slots land in runs that move forward through
// `to`, so the move streams through memory instead of jumping at random:
// NodeTable::find_or_add, its growth included, fell from 48% to 14% of the
// samples of `perf record agree check twophase --rms 9 --liveness
// --threads 1` (with the tables on 2 MiB pages too).
template <class Slot>
void move_slots(const ZeroedArray<Slot>& from, ZeroedArray<Slot>& to) {
  const std::size_t n = from.size(), mask = to.size() - 1;
  std::size_t start = 0;
  while (start < n && from[start].key != 0) ++start;  // a table at most 3/4 full has an empty slot
  for (std::size_t k = 1; k <= n; ++k) {
    const Slot& old = from[(start + k) & (n - 1)];
    if (old.key == 0) continue;
    std::size_t i = old.key & mask;
    while (to[i].key != 0) i = (i + 1) & mask;
    to[i] = old;
  }
}

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
  [[nodiscard]] std::uint64_t bytes() const { return slots_.size() * sizeof(Slot) + arena_.capacity() + starts_.capacity() * 8; }

 private:
  struct Slot {
    Fingerprint key;
    std::uint32_t id;
  };
  [[nodiscard]] std::string_view encoding(std::uint32_t id) const {
    const std::uint64_t b = starts_[id], e = id + 1 < starts_.size() ? starts_[id + 1] : arena_.size();
    return std::string_view(arena_).substr(b, e - b);
  }
  void grow(std::size_t capacity) {  // 2 MiB pages once large (hugepages.hpp): a lookup seldom misses the TLB
    ZeroedArray<Slot> slots(capacity);
    move_slots(slots_, slots);
    slots_ = std::move(slots);
  }

  bool exact_;
  ZeroedArray<Slot> slots_;
  std::size_t size_ = 0;
  std::string arena_;                  // exact: every encoding, in id order
  std::vector<std::uint64_t> starts_;  // exact: where each begins
  std::uint64_t collisions_ = 0;
};

// Key -> node id for the K-thread build (live_build.hpp), lock-free: the
// first thread to put a key in takes the next id from a shared counter and
// publishes it; a thread that meets the key meanwhile waits the few
// instructions that takes. Slots are plain words read through atomic_ref, so
// they can be zeroed pages (hugepages.hpp): a value is id + 1, 0 while its
// inserter writes it. Growth: between rounds of lookups, on one thread.
class SharedNodeTable {
 public:
  struct Found {
    std::uint32_t id;
    bool inserted;  // this call put the key in
  };

  SharedNodeTable() { rehash(std::size_t{1} << 12); }

  // One thread, no lookup running: room for this many more keys.
  [[nodiscard]] std::uint64_t room() const { return slots_.size() / 4 * 3 - size_; }
  void grow() { rehash(slots_.size() * 2); }
  void added(std::uint64_t keys) { size_ += keys; }  // what the lookups since the last call inserted

  void prefetch(Fingerprint key) const { __builtin_prefetch(&slots_[key & (slots_.size() - 1)]); }

  // Any thread: the id of `key`, inserted with id fresh() if absent.
  template <class Fresh>
  Found find_or_insert(Fingerprint key, Fresh&& fresh) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      std::atomic_ref<std::uint64_t> slot_key(slots_[i].key), value(slots_[i].value);
      std::uint64_t k = slot_key.load(std::memory_order_acquire);
      if (k == 0 && slot_key.compare_exchange_strong(k, key, std::memory_order_acq_rel)) {
        const std::uint32_t id = fresh();
        value.store(std::uint64_t{id} + 1, std::memory_order_release);
        return {id, true};
      }
      if (k != key) continue;
      std::uint64_t v;
      while ((v = value.load(std::memory_order_acquire)) == 0) std::this_thread::yield();  // its inserter is writing
      return {static_cast<std::uint32_t>(v - 1), false};
    }
  }
  [[nodiscard]] std::uint64_t bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t key;    // 0: empty
    std::uint64_t value;  // id + 1; 0 while its inserter writes it
  };
  void rehash(std::size_t capacity) {
    ZeroedArray<Slot> slots(capacity);
    move_slots(slots_, slots);
    slots_ = std::move(slots);
  }

  ZeroedArray<Slot> slots_;
  std::uint64_t size_ = 0;
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
