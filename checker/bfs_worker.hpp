// checker/bfs_worker.hpp — a worker thread of a breadth-first level
// (checker/bfs_level.hpp): it takes chunks of the level from its share and
// expands them a group of kGroup states at a time: first every successor's
// encoding and key, prefetching its slot in the table; then the lookups, in
// order, whose cache misses now overlap (a lookup is a miss into a table far
// larger than the caches). Only the new successors are decoded again, for
// their properties.
#pragma once

#include "agree/checker/bfs_level.hpp"

namespace agree::checker::detail {

template <model::Protocol P, bool Exact, class Codec>
void LevelRun<P, Exact, Codec>::work(unsigned w) {
  Shared& b = b_;
  const P& p = b.p;
  const std::vector<LevelSegment>& level = b.level;
  const std::size_t depth = b.depth;
  Codec codec(p);
  std::vector<Action> actions;
  std::vector<model::PackedStep> steps;
  // The keys this worker last met in the table, direct-mapped: a sibling's
  // successor is often one just met (a diamond), and a hit needs no lookup
  // in the table, a cache miss. A key is put here only once the table has it.
  constexpr std::size_t kRecentMask = (1u << 16) - 1;
  std::vector<Fingerprint> recent(kRecentMask + 1, 0);
  struct Pending {
    Fingerprint fp;
    std::uint64_t parent;
    std::uint32_t action, end;
    bool fresh = false;  // the lookup found it new
  };
  std::vector<Pending> pending;
  std::string pending_bytes;
  // The cycle proviso (checker/por.hpp): the states expanded only in their
  // persistent action, each with the index of that successor's lookup in
  // `pending` (a successor known without a lookup expands its state at once).
  std::vector<std::pair<std::uint64_t, std::size_t>> reduced;
  std::uint64_t since_check = 0, since_clock = 0, added = 0;
  LevelSegment& out = next_[own_ + w];
  Doing& my = doing_[w];
  Counters& count = counters_[w];
  const auto pause = [this] { pause_action(); };
  bool halt = false;
  std::size_t seg = 0;

  // A state without successors: counted, and judged by the terminal properties.
  auto terminal = [&](const State& s, std::string_view here, std::uint64_t h) {
    ++count.terminals;
    halt = b.monitor.on_terminal(s, [&] { return Place{static_cast<std::uint32_t>(depth), Codec::key(here), depth, h, -1}; });
    if (halt) b.stop.store(true);
  };
  // A successor (action k of state h): looked up after the group, unless just
  // met. Returns whether it was known already.
  auto emit = [&](std::string_view bytes, std::uint64_t h, std::uint32_t k) {
    const Fingerprint fp = Codec::key(bytes);
    if (recent[fp & kRecentMask] == fp) return true;
    b.store.prefetch(fp);
    pending_bytes.append(bytes);
    pending.push_back({fp, h, k, static_cast<std::uint32_t>(pending_bytes.size())});
    return false;
  };
  // Actions [from, to) of state s (index h): their successors emitted.
  // Returns whether one of them was known without a lookup (or a self-loop).
  auto expand = [&](const State& s, std::uint64_t h, std::size_t from, std::size_t to) {
    bool known = false;
    for (std::size_t k = from; k < to; ++k) {
      ++count.transitions;
      ++count.fired[model::kind_of<P>(actions[k])];
      auto t = p.next_state(s, actions[k]);
      if (!t) {  // a self-loop
        known = true;
        continue;
      }
      if (b.symmetry) *t = canonical(p, std::move(*t), true);
      const std::string_view bytes = codec.encode(*t);
      if constexpr (Exact)
        if (b.lossy(*t, bytes, codec)) return true;
      known = emit(bytes, h, static_cast<std::uint32_t>(k)) || known;
    }
    return known;
  };
  // State h: its successors emitted (under a persistent set, the proviso's
  // candidates noted in `reduced`).
  auto successors = [&](std::uint64_t h) {
    const std::string_view here = level[seg].state(h - base_[seg]);
    if constexpr (kPackedSteps) {
      // The model steps on the word itself: no State is built unless a
      // property needs one (a terminal state) or symmetry does.
      steps.clear();
      p.packed_successors(Codec::word(here), steps);
      if (steps.empty()) terminal(codec.decode(here), here, h);
      for (std::uint32_t k = 0; k < steps.size(); ++k) {
        ++count.transitions;
        ++count.fired[steps[k].kind];
        if (steps[k].self_loop) continue;
        std::uint64_t next_word = steps[k].next;
        if (b.symmetry) next_word = p.pack(canonical(p, p.unpack(next_word), true));
        emit(std::string_view(reinterpret_cast<const char*>(&next_word), sizeof next_word), h, k);
      }
    } else {
      const State s = codec.decode(here);
      actions.clear();
      const std::size_t first = checker::enabled(p, s, actions);
      if (actions.empty()) terminal(s, here, h);
      const std::size_t lookup = pending.size();
      const bool known = expand(s, h, 0, first);
      if constexpr (kNeedsProviso<P>)
        if (first < actions.size()) {
          if (known) expand(s, h, first, actions.size());  // closes a cycle or revisits: expand it all
          else reduced.emplace_back(h, lookup);
        }
    }
  };
  // Looks up pending[from..] in the table; the new ones join the next level.
  auto insert_pending = [&](std::size_t from) {
    for (std::size_t j = from; j < pending.size() && !halt; ++j) {
      const Pending& x = pending[j];
      const std::size_t from_byte = j ? pending[j - 1].end : 0;
      const std::string_view bytes = std::string_view(pending_bytes).substr(from_byte, x.end - from_byte);
      Result res = b.store.insert(x.fp, bytes, w);
      while (res == Result::Full && !b.stop.load()) {  // pause everyone, grow, retry
        pauser_.request();
        pauser_.safe_point(pause);
        res = b.store.insert(x.fp, bytes, w);
      }
      if (res == Result::New || res == Result::Old) recent[x.fp & kRecentMask] = x.fp;
      if (res != Result::New) continue;
      pending[j].fresh = true;
      if (b.store.wants_growth(x.fp)) pauser_.request();
      ++added;
      out.add(bytes, {static_cast<std::uint32_t>(x.parent), x.action});
      const State t = codec.decode(bytes);
      halt = b.monitor.on_discover(t, [&] {
        return Place{static_cast<std::uint32_t>(depth + 1), x.fp, depth, x.parent, static_cast<std::int64_t>(x.action)};
      });
      if (halt) b.stop.store(true);
    }
  };
  // The proviso for the states whose persistent successor was not new.
  auto proviso = [&] {
    const std::size_t more = pending.size();
    for (const auto& [h, j] : reduced) {
      if (halt || pending[j].fresh) continue;
      while (h >= base_[seg + 1]) ++seg;
      while (h < base_[seg]) --seg;
      const State s = codec.decode(level[seg].state(h - base_[seg]));
      actions.clear();
      const std::size_t first = checker::enabled(p, s, actions);
      expand(s, h, first, actions.size());
    }
    insert_pending(more);
  };

  while (!b.stop.load(std::memory_order_relaxed)) {
    const std::uint64_t v = shares_.take(w);
    if (v == Shares::kNone) break;
    const std::uint64_t first = chunk_start(v), end = std::min(first + kChunk, width_);
    my.chunk = first;
    my.transitions = count.transitions;
    my.terminals = count.terminals;
    my.fired.assign(count.fired.begin(), count.fired.begin() + static_cast<std::ptrdiff_t>(b.fired.size()));
    seg = static_cast<std::size_t>(std::upper_bound(base_.begin(), base_.end(), first) - base_.begin() - 1);
    std::uint64_t g = first;
    while (g < end && !b.stop.load(std::memory_order_relaxed)) {
      pauser_.safe_point(pause);
      const std::uint64_t group_end = std::min(g + kGroup, end);
      pending.clear();
      pending_bytes.clear();
      reduced.clear();
      halt = false;
      for (std::uint64_t h = g; h < group_end && !halt; ++h) {
        while (h >= base_[seg + 1]) ++seg;
        successors(h);
      }
      insert_pending(0);
      if constexpr (kNeedsProviso<P>) proviso();
      if (halt) break;  // the chunk stays unfinished
      g = group_end;
      count.added.store(added, std::memory_order_relaxed);
      if (w == 0 && ++since_check >= 2) {
        since_check = 0;
        if (const Cut c = b.budget.check(stored_now(), depth, std::min(width_, shares_.count_left() * kChunk)); c != Cut::None)
          b.set_cut(c);
      }
      if (b.checkpointing && ++since_clock >= 32) {
        since_clock = 0;
        if (b.budget.seconds() >= b.next_save.load() && !save_due_.exchange(true)) pauser_.request();
      }
    }
    if (g == end) my.chunk = kNoChunk;
    else break;
  }
  pauser_.leave(pause);
}

}  // namespace agree::checker::detail
