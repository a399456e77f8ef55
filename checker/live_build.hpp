// checker/live_build.hpp — builds the liveness check's state graph
// (live_graph.hpp) breadth-first, checking the safety properties on the way
// as bfs.hpp does, on one thread or on K.
//
// One thread: each state of a level in id order, its successors in action
// order, each looked up in the NodeTable as it comes; a new state gets the
// next id. That fixes the graph: node ids in order of first discovery, edges
// in action order.
//
// K threads (--threads K > 1; not --exact over variable-length states, whose
// table compares encodings and stays on one thread): the same graph up to
// the numbering of the states inside each level. A level is cut into chunks
// of kChunk states that the threads take in turn, in three phases with a
// join between them:
//   1. successors: each chunk's states expanded into the chunk's buffer
//      (key, state, group per edge); terminal states judged;
//   2. links: each edge's key looked up in the SharedNodeTable
//      (live_graph.hpp), lock-free; the lookup that adds a state gives it the
//      next id from a shared counter; the edge's target and group are written
//      straight into the CSR arrays, at the place prefix sums over the
//      chunks gave it;
//   3. the new states: their property bits, the safety properties, and their
//      place in the next level, at their id.
// Between phases the calling thread does what is sequential and small: the
// prefix sums, the table's growth (lookups run in rounds of chunks whose keys
// fit in the table), the fairness groups' names in chunk order (so group
// numbers are the one-thread build's). The costs over one thread: a level's
// edges are buffered (about 20 bytes each with a packed state), and the
// shared counter.
//
// What K changes, and what it does not: the states, transitions, terminal
// states, depth, verdicts and every lasso's stem length (the shortest, found
// by a breadth-first search) are the one-thread build's for every K; the ids
// of the states inside a level follow the order the threads met them in, so
// with K > 1 a lasso is *a* shortest-stem lasso, which may vary between runs
// when there are several — as with the safety search (README, "Search").
// tests/liveness_parallel_test.cpp checks all of it against one thread.
//
// Limits: checked once a chunk; a cut or a safety violation in phase 1 drops
// the level's edges (its states stay in the graph without edges, as the
// one-thread build's unexpanded states do). --max-states is checked per
// chunk against the states of the finished levels, so with K threads a run
// cut by it may hold up to one level more.
//
// The layered judge (live_levels.hpp, judge_levels) runs on the one-thread
// build only: on K threads the layered pass keeps no graph (live_pass.hpp),
// and this build makes the whole graph, for the search that judges it whole.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "agree/checker/live_expand.hpp"
#include "agree/checker/live_graph.hpp"
#include "agree/checker/live_levels.hpp"
#include "agree/checker/search_common.hpp"

namespace agree::checker::detail {

// Runs work(t) for t in [0, threads) on that many threads (the caller runs 0)
// and waits; an exception in any is rethrown here.
template <class F>
void on_threads(unsigned threads, F&& work) {
  std::exception_ptr error;
  std::mutex m;
  auto guarded = [&](unsigned t) {
    try {
      work(t);
    } catch (...) {
      std::lock_guard lock(m);
      if (!error) error = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(guarded, t);
    guarded(0);
  }
  if (error) std::rethrow_exception(error);
}

template <model::Protocol P, class Codec>
class LiveBuilder {
  using State = typename P::State;
  using Expander = LiveExpander<P, Codec>;
  using Item = typename Expander::Item;
  using Successor = typename Expander::Successor;

 public:
  LiveBuilder(const P& p, const Options& o, Report& r, Budget& budget, LiveGraph& g, Monitor<State, std::uint32_t>& monitor,
              const std::vector<properties::Property<State>>& live)
      : p_(p), o_(o), r_(r), budget_(budget), g_(g), monitor_(monitor), live_(live), table_(o.exact && !Codec::kExactKeys),
        threads_(o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency())) {
    if (table_.exact()) threads_ = 1;
  }

  void build() {
    std::vector<Expander> ex;
    for (unsigned t = 0; t < threads_; ++t) ex.emplace_back(p_);
    std::vector<Item> level;
    for (auto& s : p_.init_states()) {
      bool added = false;
      const std::uint32_t id = threads_ == 1 ? add(ex[0], ex[0].key(s), s, added) : add_init(ex[0], s, added);
      g_.inits.push_back(id);
      if (added) level.push_back(ex[0].item(std::move(s)));
    }
    if (threads_ == 1) expand_levels(ex[0], level);
    else expand_levels_parallel(ex, level);
    g_.offset.resize(static_cast<std::size_t>(g_.nodes()) + 1, g_.target.size());  // a cut leaves nodes without edges
    for (const auto& e : ex)
      for (std::size_t k = 0; k < e.fired().size(); ++k) r_.fired[k].second += e.fired()[k];
    if constexpr (model::NumberedFairness<P>) {
      std::uint32_t groups = 0;
      for (const auto& e : ex) groups = std::max(groups, e.groups());
      while (g_.group_names.size() < groups) g_.group_names.push_back(p_.fairness_group_name(static_cast<std::uint32_t>(g_.group_names.size())));
    } else if (threads_ == 1) {
      g_.group_names = ex[0].names();
    }
  }
  [[nodiscard]] unsigned threads() const { return threads_; }
  // From now on each level is judged by `judge` once built, and its edges
  // dropped (live_levels.hpp); the build stops when the judge gives up. One
  // thread only: on K threads the layered pass keeps no graph (live_pass.hpp).
  void judge_levels(LayeredJudge* judge) {
    if (threads_ != 1) throw std::logic_error("LiveBuilder::judge_levels: one thread only (K threads: live_pass.hpp)");
    layered_ = judge;
  }
  [[nodiscard]] std::uint64_t bytes() const { return threads_ == 1 ? table_.bytes() : shared_.bytes(); }
  [[nodiscard]] std::uint64_t collisions() const { return table_.collisions(); }

 private:
  // ---- One thread.
  void expand_levels(Expander& ex, std::vector<Item>& level) {
    std::vector<Item> next;
    std::vector<Successor> succ;
    for (std::uint64_t depth = 0; !level.empty(); ++depth) {
      r_.depth = depth;
      const bool last = o_.max_depth && depth >= o_.max_depth;  // as bfs.hpp: its states are not expanded
      const auto first = static_cast<std::uint32_t>(g_.offset.size() - 1), next_first = g_.nodes();
      for (auto& x : level) {
        if (const Cut c = budget_.check(g_.nodes(), depth, level.size()); c != Cut::None) {
          judged(first, static_cast<std::uint32_t>(g_.offset.size() - 1), next_first);  // the states expanded
          return void(r_.cut = c);
        }
        if (monitor_.stopped()) return;
        const auto u = static_cast<std::uint32_t>(g_.offset.size() - 1);
        succ.clear();
        ex.successors(x, succ, [&](Fingerprint k) { table_.prefetch(k); });  // every key first, each slot prefetched
        if (succ.empty()) {
          terminal(ex, x, u);
        } else if (last) {
          r_.cut = Cut::MaxDepth;
          g_.offset.push_back(g_.target.size());
          continue;
        }
        for (auto& y : succ) {  // then the lookups
          std::uint32_t v = u;
          if (y.key != 0) {
            bool added = false;
            v = add(ex, y.key, y.item, added);
            if (added) next.push_back(std::move(y.item));
          }
          g_.target.push_back(v);
          g_.group.push_back(y.group);  // named groups: the expander's numbering is the graph's
        }
        g_.offset.push_back(g_.target.size());
        ++g_.expanded;
      }
      if (!judged(first, next_first, next_first) || last) return;
      level.swap(next);
      next.clear();
    }
  }

  // Nodes [first, end) are expanded, their successors numbered from next:
  // the layered judge's turn, then their edges are dropped. False: stop.
  bool judged(std::uint32_t first, std::uint32_t end, std::uint32_t next) {
    if (!layered_) return true;
    if (!layered_->level(g_, first, end, next) || monitor_.found()) return false;
    g_.offset.release_below(next);  // the pass reads nothing below the next level again
    g_.bits.release_below(next);
    layered_->release_below(next);
    g_.dropped += g_.target.size();
    g_.target.resize_for_overwrite(0);  // push_back or link() writes each edge before it is read
    g_.group.resize_for_overwrite(0);
    g_.offset.back() = 0;
    return true;
  }

  // The node of a state with this key, added if new.
  template <class X>  // a State or a packed word
  std::uint32_t add(Expander& ex, Fingerprint key, const X& x, bool& added) {
    const std::string_view bytes = table_.exact() ? ex.encode(ex.as_state(x)) : std::string_view{};
    const std::uint32_t id = table_.find_or_add(key, bytes, g_.nodes(), added);
    if (added) discovered(ex, id, x);
    return id;
  }
  template <class X>
  void discovered(Expander& ex, std::uint32_t id, const X& x) {
    if (id >= kNoNode - 1) throw std::length_error("liveness: more than 2^32 - 2 states");
    decltype(auto) s = ex.as_state(x);
    if (g_.bits.size() <= id) g_.bits.resize(static_cast<std::size_t>(id) + 1);
    g_.bits[id] = live_bits(live_, s);
    monitor_.on_discover(s, [&] { return id; });
  }
  template <class X>
  void terminal(Expander& ex, const X& x, std::uint32_t u) {
    ++r_.terminal_states;
    g_.bits[u] |= LiveGraph::kTerminal;
    monitor_.on_terminal(ex.as_state(x), [&] { return u; });
  }

  // ---- K threads (see the header).
  static constexpr std::size_t kChunk = 256;
  struct Chunk {
    std::vector<std::uint32_t> count;  // per state: its edges
    std::vector<Fingerprint> key;      // per edge: 0 for a self-loop
    std::vector<std::uint32_t> group;  // per edge: local (named groups) or the model's number
    std::vector<Item> item;            // per edge
    std::vector<std::uint32_t> fresh;  // the edges whose lookup added their state
    std::vector<std::string> names;    // named groups met here, by local number
    std::vector<std::uint32_t> global;  // their graph numbers
    std::uint64_t first_edge = 0, edges = 0, keys = 0;
    void clear() {
      count.clear(), key.clear(), group.clear(), item.clear(), fresh.clear(), names.clear(), global.clear();
      edges = keys = 0;
    }
  };

  std::uint32_t add_init(Expander& ex, const State& s, bool& added) {
    const std::uint32_t id = g_.nodes();
    const auto f = shared_.find_or_insert(ex.key(s), [id] { return id; });
    added = f.inserted;
    if (!added) return f.id;
    shared_.added(1);
    discovered(ex, id, s);
    return id;
  }

  // Runs fn(chunk, thread) over chunks [first, last), the threads taking them in turn.
  template <class F>
  void each_chunk(std::size_t first, std::size_t last, F&& fn) {
    std::atomic<std::size_t> next{first};
    const auto threads = static_cast<unsigned>(std::min<std::size_t>(threads_, last - first));
    on_threads(std::max(1u, threads), [&](unsigned t) {
      for (std::size_t c; (c = next.fetch_add(1)) < last;) fn(chunks_[c], t);
    });
  }

  void expand_levels_parallel(std::vector<Expander>& ex, std::vector<Item>& level) {
    std::vector<Item> next;
    for (std::uint64_t depth = 0; !level.empty(); ++depth) {
      r_.depth = depth;
      if (const Cut c = budget_.check(g_.nodes(), depth, level.size(), true); c != Cut::None) return void(r_.cut = c);
      if (monitor_.stopped()) return;
      const bool last = o_.max_depth && depth >= o_.max_depth;
      const std::size_t n = (level.size() + kChunk - 1) / kChunk;
      if (chunks_.size() < n) chunks_.resize(n);
      const auto base = static_cast<std::uint32_t>(g_.offset.size() - 1);  // the level's first node
      const std::uint32_t first_new = g_.nodes();
      if (!successors(ex, level, base, n, depth, last)) return;
      if (last) return;
      const std::uint64_t t0 = g_.target.size(), edges = chunks_[n - 1].first_edge + chunks_[n - 1].edges;
      g_.target.resize_for_overwrite(t0 + edges);  // link() writes every one
      g_.group.resize_for_overwrite(t0 + edges);
      g_.offset.resize(static_cast<std::size_t>(base) + level.size() + 1);
      link(base, n, t0);
      discover(ex, level, next, n, first_new, t0);
      if (monitor_.stopped()) return;
      level.swap(next);
      next.clear();
    }
  }

  // Phase 1. False if the level is dropped (a cut, a violation).
  bool successors(std::vector<Expander>& ex, const std::vector<Item>& level, std::uint32_t base, std::size_t n,
                  std::uint64_t depth, bool last) {
    std::atomic<int> cut{0};
    std::atomic<std::uint64_t> expanded{0}, terminals{0};
    each_chunk(0, n, [&](Chunk& ch, unsigned t) {
      ch.clear();
      ex[t].reset_names();
      std::vector<Successor> succ;
      std::uint64_t done = 0, ends = 0;
      const std::size_t b = static_cast<std::size_t>(&ch - chunks_.data()) * kChunk, e = std::min(level.size(), b + kChunk);
      for (std::size_t i = b; i < e; ++i) {
        if (t == 0)
          if (const Cut c = budget_.check(g_.nodes(), depth, level.size()); c != Cut::None) cut.store(static_cast<int>(c));
        if (cut.load(std::memory_order_relaxed) || monitor_.stopped()) break;
        succ.clear();
        ex[t].successors(level[i], succ, [](Fingerprint) {});
        const auto u = static_cast<std::uint32_t>(base + i);
        if (succ.empty()) {
          ++ends;
          g_.bits[u] |= LiveGraph::kTerminal;
          monitor_.on_terminal(ex[t].as_state(level[i]), [&] { return u; });
        } else if (last) {
          cut.store(static_cast<int>(Cut::MaxDepth));
          succ.clear();
        }
        if (!last || succ.empty()) ++done;
        ch.count.push_back(static_cast<std::uint32_t>(succ.size()));
        for (auto& y : succ) {
          ch.key.push_back(y.key);
          ch.group.push_back(y.group);
          ch.item.push_back(std::move(y.item));
          ch.keys += y.key != 0;
        }
      }
      ch.edges = ch.key.size();
      ch.names = std::move(ex[t].names());
      expanded += done, terminals += ends;
    });
    r_.terminal_states += terminals.load();
    if (cut.load() == static_cast<int>(Cut::MaxDepth)) r_.cut = Cut::MaxDepth;
    else if (cut.load()) return void(r_.cut = static_cast<Cut>(cut.load())), false;
    if (monitor_.stopped()) return false;
    g_.expanded += expanded.load();
    std::uint64_t edges = 0;
    for (std::size_t c = 0; c < n; ++c) {
      if (edges + chunks_[c].edges >= kNoNode) throw std::length_error("liveness: a level of 2^32 transitions or more on K threads; use --threads 1");
      Chunk& ch = chunks_[c];
      ch.first_edge = edges;
      edges += ch.edges;
      if constexpr (!model::NumberedFairness<P>)
        for (const auto& name : ch.names) ch.global.push_back(names_.id(name, g_.group_names));
    }
    return true;
  }

  // Phase 2, in rounds of chunks whose keys fit in the table: every edge's
  // target, a new state numbered as its lookup adds it, and the CSR arrays.
  void link(std::uint32_t base, std::size_t n, std::uint64_t t0) {
    std::atomic<std::uint64_t> ids{g_.nodes()};
    auto fresh = [&ids] {
      const std::uint64_t id = ids.fetch_add(1, std::memory_order_relaxed);
      if (id >= kNoNode - 1) throw std::length_error("liveness: more than 2^32 - 2 states");
      return static_cast<std::uint32_t>(id);
    };
    for (std::size_t first = 0; first < n;) {
      const std::uint64_t room = shared_.room();
      std::uint64_t want = 0;
      std::size_t last = first;
      while (last < n && want + chunks_[last].keys <= room) want += chunks_[last++].keys;
      if (last == first) {
        shared_.grow();
        continue;
      }
      std::atomic<std::uint64_t> inserted{0};
      each_chunk(first, last, [&](Chunk& ch, unsigned) {
        constexpr std::size_t kAhead = 8;
        for (std::size_t j = 0; j < std::min<std::size_t>(kAhead, ch.edges); ++j) shared_.prefetch(ch.key[j]);
        const std::size_t b = static_cast<std::size_t>(&ch - chunks_.data()) * kChunk;
        std::uint64_t e = t0 + ch.first_edge;
        std::size_t j = 0;
        for (std::size_t i = 0; i < ch.count.size(); ++i) {
          const auto u = static_cast<std::uint32_t>(base + b + i);
          for (std::uint32_t k = 0; k < ch.count[i]; ++k, ++j, ++e) {
            if (j + kAhead < ch.edges) shared_.prefetch(ch.key[j + kAhead]);
            std::uint32_t v = u;
            if (ch.key[j] != 0) {
              const auto f = shared_.find_or_insert(ch.key[j], fresh);
              v = f.id;
              if (f.inserted) ch.fresh.push_back(static_cast<std::uint32_t>(j));
            }
            g_.target[e] = v;
            if constexpr (model::NumberedFairness<P>) g_.group[e] = ch.group[j];
            else g_.group[e] = ch.global[ch.group[j]];
          }
          g_.offset[u + 1] = e;
        }
        inserted += ch.fresh.size();
      });
      shared_.added(inserted.load());
      first = last;
    }
  }

  // Phase 3: the new states: their bits, their safety properties, the next level.
  void discover(std::vector<Expander>& ex, std::vector<Item>& level, std::vector<Item>& next, std::size_t n,
                std::uint32_t first_new, std::uint64_t t0) {
    std::uint64_t fresh = 0;
    for (std::size_t c = 0; c < n; ++c) fresh += chunks_[c].fresh.size();
    g_.bits.resize(first_new + fresh);
    next.resize(fresh);
    level.clear();  // its states' successors are in the chunks
    each_chunk(0, n, [&](Chunk& ch, unsigned t) {
      for (const std::uint32_t j : ch.fresh) {
        const std::uint32_t id = g_.target[t0 + ch.first_edge + j];
        decltype(auto) s = ex[t].as_state(ch.item[j]);
        g_.bits[id] = live_bits(live_, s);
        monitor_.on_discover(s, [&] { return id; });
        next[id - first_new] = std::move(ch.item[j]);
      }
    });
  }

  const P& p_;
  const Options& o_;
  Report& r_;
  Budget& budget_;
  LiveGraph& g_;
  Monitor<State, std::uint32_t>& monitor_;
  const std::vector<properties::Property<State>>& live_;
  NodeTable table_;         // one thread
  SharedNodeTable shared_;  // K threads
  unsigned threads_;
  GroupNames names_;
  std::vector<Chunk> chunks_;
  LayeredJudge* layered_ = nullptr;
};

}  // namespace agree::checker::detail
