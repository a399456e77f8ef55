// checker/live_pass.hpp — the layered pass of the liveness check
// (live_levels.hpp) on K threads, without a graph.
//
// live_levels.hpp's argument needs no edges: in a layered graph every
// predecessor of a state of level d + 1 lies in level d, so the pending bits
// a state receives (bit i: it lies in property i's R) are final once level d
// is expanded. So this pass is the safety search's breadth-first loop, level
// by level with a join between levels, and each state u of level d, when a
// thread expands it:
//   1. reads its pending bits from its slot of the table and judges them as
//      live_levels.hpp does: in = (pending & ~holding(u)) | seeds(u);
//   2. looks up each successor v that is not a self-loop (next_state gave
//      nullopt, or a state with u's key) and ors `in` into v's slot (a read
//      first: most ors add nothing); a v that is new is put in level d + 1
//      with its property bits, and the safety properties judged on it;
//   3. gives up on a v of level d or lower (the graph is not layered: the
//      slot holds its level), on a terminal u with in != 0, and on a u with
//      in != 0 whose self-loops make a fair cycle (fair_scc.hpp's
//      fair_self_loops on u's successors) — both are targets, whose lasso
//      needs the graph — and on a safety violation.
// Giving up hands the run to the whole-graph search (liveness.hpp), as the
// one-thread pass does. What the graph's K-thread build pays and this pass
// does not: the buffered edges of a level (about 20 bytes each), the CSR
// arrays, dense node ids from a shared counter, and a join per phase. It
// scales as the safety search does.
//
// The table: open addressing with linear probing, a 16-byte slot per state
// (the key, codec.hpp; and a word: the state's level + 1 in the high half,
// its pending bits in the low), lock-free as live_graph.hpp's SharedNodeTable
// (a key is claimed by compare-and-swap, its word published after; a reader
// that meets a claimed key waits for the word). Growth stops the world: each
// thread holds a shared lock while it works on a chunk of 256 states and
// claims room for its inserts in blocks; a thread whose claim would fill the
// table past 3/4 lets go of its lock, takes it exclusively (every other
// thread is then between chunks or waiting too), doubles the table, and goes
// on.
//
// The same figures as the one-thread pass: states, transitions (self-loops
// counted), terminal states, depth, per-kind counts, the verdicts. Limits as
// live_build.hpp's K-thread build: checked by thread 0 once a state and at
// each level; --max-states against the states found so far.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "agree/checker/fair_scc.hpp"
#include "agree/checker/live_build.hpp"
#include "agree/checker/live_expand.hpp"
#include "agree/checker/live_levels.hpp"
#include "agree/checker/search_common.hpp"

namespace agree::checker::detail {

// Key -> (level, pending bits), lock-free; growth as the header says.
class LevelTable {
 public:
  enum class Met { New, Next, Earlier };

  LevelTable() { rehash(std::size_t{1} << 12); }

  void prefetch(Fingerprint key) const { __builtin_prefetch(&slots_[key & (slots_.size() - 1)]); }

  // Any thread, between claim() and its chunk's end: meets `key` from a
  // state of level - 1 that passes on `in`: New (put in at `level` with
  // pending `in`), Next (already at `level`: `in` or-ed in), or Earlier.
  Met meet(Fingerprint key, std::uint32_t level, std::uint32_t in) {
    const std::size_t mask = slots_.size() - 1;
    const std::uint64_t tag = std::uint64_t{level} + 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      std::atomic_ref<std::uint64_t> slot_key(slots_[i].key), word(slots_[i].word);
      std::uint64_t k = slot_key.load(std::memory_order_acquire);
      if (k == 0 && slot_key.compare_exchange_strong(k, key, std::memory_order_acq_rel)) {
        word.store(tag << 32 | in, std::memory_order_release);
        return Met::New;
      }
      if (k != key) continue;
      std::uint64_t w;
      while ((w = word.load(std::memory_order_acquire)) == 0) std::this_thread::yield();  // its inserter is writing
      if (w >> 32 != tag) return Met::Earlier;
      if ((w & in) != in) word.fetch_or(in, std::memory_order_relaxed);
      return Met::Next;
    }
  }
  // The pending bits of a state in the table (read after the level that
  // wrote them was joined).
  std::uint32_t pending(Fingerprint key) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = key & mask;  // the keys on the way may be claimed meanwhile: read atomically
    while (std::atomic_ref<std::uint64_t>(slots_[i].key).load(std::memory_order_relaxed) != key) i = (i + 1) & mask;
    return static_cast<std::uint32_t>(std::atomic_ref<std::uint64_t>(slots_[i].word).load(std::memory_order_relaxed));
  }

  // Room for `keys` more inserts by this thread; `left` is its unused room.
  // The caller holds `lock` shared and may lose it for a while (growth).
  void claim(std::uint64_t keys, std::uint64_t& left, std::shared_lock<std::shared_mutex>& lock) {
    if (left >= keys) return;
    const std::uint64_t block = std::max<std::uint64_t>(keys, 4096);
    for (;;) {
      const std::uint64_t limit = capacity_.load(std::memory_order_relaxed) / 4 * 3;
      if (claimed_.fetch_add(block) + block <= limit) return void(left += block);
      claimed_.fetch_sub(block);
      lock.unlock();
      {
        std::unique_lock grow(lock_);
        while (claimed_.load() + block > slots_.size() / 4 * 3) rehash(slots_.size() * 2);
      }
      lock.lock();
    }
  }
  // At a join: a thread's unused room goes back.
  void unclaim(std::uint64_t left) { claimed_.fetch_sub(left); }
  std::shared_mutex& lock() { return lock_; }
  [[nodiscard]] std::uint64_t bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t key;   // 0: empty
    std::uint64_t word;  // level + 1 << 32 | pending; 0 while its inserter writes it
  };
  void rehash(std::size_t capacity) {
    ZeroedArray<Slot> slots(capacity);
    move_slots(slots_, slots);
    slots_ = std::move(slots);
    capacity_.store(capacity, std::memory_order_relaxed);
  }

  ZeroedArray<Slot> slots_;
  std::atomic<std::uint64_t> capacity_{0}, claimed_{0};
  std::shared_mutex lock_;
};

template <model::Protocol P, class Codec>
class LayeredPass {
  using State = typename P::State;
  using Expander = LiveExpander<P, Codec>;
  using Item = typename Expander::Item;
  using Successor = typename Expander::Successor;
  struct Entry {
    Item item;
    Fingerprint key;
    std::uint64_t bits;  // live_graph.hpp's per-node bits
  };
  using Level = std::vector<std::vector<Entry>>;  // one segment per thread

 public:
  LayeredPass(const P& p, const Options& o, Report& r, Budget& budget, Monitor<State, std::uint32_t>& monitor,
              const std::vector<properties::Property<State>>& live, const LayeredJudge& judge, unsigned threads)
      : p_(p), o_(o), r_(r), budget_(budget), monitor_(monitor), live_(live), judge_(judge), threads_(threads) {}

  // False if the pass gave up (see the header); else r holds its figures
  // (states, transitions, terminal states, depth, per-kind counts, a cut).
  bool run() {
    std::vector<Expander> ex;
    for (unsigned t = 0; t < threads_; ++t) ex.emplace_back(p_);
    Level level(threads_), next(threads_);
    {
      std::shared_lock lock(table_.lock());
      std::uint64_t left = 0;
      for (auto& s : p_.init_states()) {
        const Fingerprint key = ex[0].key(s);
        table_.claim(1, left, lock);
        if (table_.meet(key, 0, judge_.eventually()) == LevelTable::Met::New) {
          found(ex[0], level[0], key, ex[0].item(std::move(s)));
          ++states_;
        }
      }
      table_.unclaim(left);
    }
    for (std::uint64_t depth = 0; !gave_up_.load() && !empty(level); ++depth) {
      r_.depth = depth;
      if (const Cut c = budget_.check(states_.load(), depth, size(level), true); c != Cut::None) return cut(c);
      if (monitor_.found()) break;
      for (auto& s : next) s.clear();  // their storage is kept from level to level
      expand(ex, level, next, static_cast<std::uint32_t>(depth), o_.max_depth && depth >= o_.max_depth);
      if (const Cut c = static_cast<Cut>(cut_.load()); c != Cut::None && c != Cut::MaxDepth) return cut(c);
      if (cut_.load() == static_cast<int>(Cut::MaxDepth)) r_.cut = Cut::MaxDepth;
      level.swap(next);
    }
    for (const auto& e : ex)
      for (std::size_t k = 0; k < e.fired().size(); ++k) r_.fired[k].second += e.fired()[k];
    figures(ex);
    return !gave_up_.load() && !monitor_.found();
  }
  [[nodiscard]] std::uint64_t bytes() const { return table_.bytes(); }
  [[nodiscard]] std::size_t groups() const { return groups_; }

 private:
  static constexpr std::size_t kChunk = 256;
  static bool empty(const Level& l) {
    return std::all_of(l.begin(), l.end(), [](const auto& s) { return s.empty(); });
  }
  static std::uint64_t size(const Level& l) {
    std::uint64_t n = 0;
    for (const auto& s : l) n += s.size();
    return n;
  }
  bool cut(Cut c) {
    r_.cut = c;
    r_.distinct_states = states_.load();
    r_.transitions = transitions_.load();
    return !gave_up_.load() && !monitor_.found();
  }
  void figures(std::vector<Expander>& ex) {
    r_.distinct_states = states_.load();
    r_.transitions = transitions_.load();
    if constexpr (model::NumberedFairness<P>) {
      for (const auto& e : ex) groups_ = std::max<std::size_t>(groups_, e.groups());
    } else {
      std::unordered_set<std::string> names;
      for (auto& e : ex) names.insert(e.names().begin(), e.names().end());
      groups_ = names.size();
    }
  }

  // A new state of the next level: its bits, its safety properties, its place.
  void found(Expander& ex, std::vector<Entry>& into, Fingerprint key, Item item) {
    decltype(auto) s = ex.as_state(item);
    const std::uint64_t bits = live_bits(live_, s);
    monitor_.on_discover(s, [] { return std::uint32_t{0}; });  // a violation ends the pass: no path is asked for
    into.push_back({std::move(item), key, bits});
  }

  // One level on the threads, chunk by chunk.
  void expand(std::vector<Expander>& ex, Level& level, Level& next, std::uint32_t depth, bool last) {
    std::vector<std::pair<std::size_t, std::size_t>> chunks;  // (segment, first)
    for (std::size_t s = 0; s < level.size(); ++s)
      for (std::size_t b = 0; b < level[s].size(); b += kChunk) chunks.emplace_back(s, b);
    const std::uint64_t width = size(level);
    std::atomic<std::size_t> taken{0};
    on_threads(threads_, [&](unsigned t) {
      Worker w{ex[t], next[t], depth, last, {}, 0, 0, 0, 0, std::shared_lock(table_.lock(), std::defer_lock)};
      for (std::size_t c; (c = taken.fetch_add(1)) < chunks.size() && !stopping() && !monitor_.found();) {  // found() takes a lock: once a chunk
        const auto& seg = level[chunks[c].first];
        const std::size_t b = chunks[c].second, e = std::min(seg.size(), b + kChunk);
        w.lock.lock();
        for (std::size_t i = b; i < e && !stopping(); ++i) {
          if (t == 0)
            if (const Cut x = budget_.check(states_.load(std::memory_order_relaxed), depth, width); x != Cut::None) cut_.store(static_cast<int>(x));
          if (i + 8 < e) table_.prefetch(seg[i + 8].key);
          w.successors(seg[i], table_);
          judge(w, seg[i], w.succ);
        }
        w.lock.unlock();
        states_.fetch_add(w.added, std::memory_order_relaxed);
        w.added = 0;
      }
      table_.unclaim(w.left);
      transitions_ += w.transitions;
      terminals_ += w.terminals;
    });
    r_.terminal_states += terminals_.exchange(0);
  }
  // One thread's part of a level.
  struct Worker {
    Expander& ex;
    std::vector<Entry>& next;
    std::uint32_t depth;
    bool last;
    std::vector<Successor> succ;
    std::uint64_t left, transitions, terminals, added;
    std::shared_lock<std::shared_mutex> lock;  // held while a chunk is worked on (LevelTable::claim)
    void successors(const Entry& u, LevelTable& table) {
      succ.clear();
      ex.successors(u.item, succ, [&](Fingerprint key) { table.prefetch(key); });
    }
  };

  // State u of the level, with its successors: judged, its successors met.
  void judge(Worker& w, const Entry& u, std::vector<Successor>& succ) {
    const std::uint32_t in = (table_.pending(u.key) & ~judge_.holding(u.bits)) | judge_.seeds(u.bits);
    if (!w.last) w.transitions += succ.size();  // as live_build.hpp: the last level's edges are not in
    if (succ.empty()) {
      ++w.terminals;
      monitor_.on_terminal(w.ex.as_state(u.item), [] { return std::uint32_t{0}; });
      if (in != 0) give_up();  // a terminal state of R: a target
      return;
    }
    if (w.last) {  // as live_build.hpp: not expanded; a time or memory cut already taken stays
      int none = 0;
      cut_.compare_exchange_strong(none, static_cast<int>(Cut::MaxDepth));
      return;
    }
    const auto loop = [&](std::size_t k) { return succ[k].key == 0 || succ[k].key == u.key; };
    table_.claim(succ.size(), w.left, w.lock);
    for (std::size_t k = 0; k < succ.size(); ++k) {
      if (loop(k)) continue;
      switch (table_.meet(succ[k].key, w.depth + 1, in)) {
        case LevelTable::Met::New:
          --w.left, ++w.added;
          found(w.ex, w.next, succ[k].key, std::move(succ[k].item));
          break;
        case LevelTable::Met::Earlier: give_up(); break;  // a step within or below this level
        case LevelTable::Met::Next: break;
      }
    }
    if (in != 0 && fair_self_loops(succ.size(), loop, [&](std::size_t k) { return succ[k].group; }, judge_.fairness()))
      give_up();  // a fair component of R: a target
  }

  bool stopping() const {  // a cut other than --max-depth's, a give-up
    const int c = cut_.load(std::memory_order_relaxed);
    return gave_up_.load(std::memory_order_relaxed) || (c != 0 && c != static_cast<int>(Cut::MaxDepth));
  }
  void give_up() { gave_up_.store(true, std::memory_order_relaxed); }

  const P& p_;
  const Options& o_;
  Report& r_;
  Budget& budget_;
  Monitor<State, std::uint32_t>& monitor_;
  const std::vector<properties::Property<State>>& live_;
  const LayeredJudge& judge_;
  unsigned threads_;
  LevelTable table_;
  std::atomic<std::uint64_t> states_{0}, transitions_{0}, terminals_{0};
  std::atomic<int> cut_{0};
  std::atomic<bool> gave_up_{false};
  std::size_t groups_ = 0;
};

}  // namespace agree::checker::detail
