// checker/bfs_level.hpp — one level of the breadth-first search
// (checker/bfs.hpp): what the whole run shares (BfsShared), and the expansion
// of a level by the worker threads (LevelRun), with the checkpoint taken at a
// pause in mid-level.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agree/checker/checkpoint.hpp"
#include "agree/checker/frontier.hpp"
#include "agree/checker/por.hpp"
#include "agree/checker/search_common.hpp"
#include "agree/checker/shared_store.hpp"
#include "agree/checker/trail.hpp"
#include "agree/checker/work_shares.hpp"

namespace agree::checker::detail {

// Where a violation was seen: state `index` of `level`, or, when
// `action` >= 0, its successor by that action, at `depth`.
struct Place {
  std::uint32_t depth = 0;
  Fingerprint fp = 0;
  std::size_t level = 0;
  std::uint64_t index = 0;
  std::int64_t action = -1;
};

// A worker's chunk in progress and its counters when it began it: a
// checkpoint counts only whole chunks as done.
struct alignas(64) Doing {  // (a line each, as the counters)
  static constexpr std::uint64_t kNoChunk = ~std::uint64_t{0};
  std::uint64_t chunk = kNoChunk, transitions = 0, terminals = 0;
  std::vector<std::uint64_t> fired;
};

inline constexpr std::uint64_t kChunk = 64;  // states a worker takes at a time
inline constexpr std::uint64_t kGroup = 8;   // states whose successors are looked up together

// What the whole run shares: the model, the table, the trail, the monitor,
// the counters of the levels done, the level to expand, the checkpoint.
template <model::Protocol P, bool Exact, class Codec>
struct BfsShared {
  using State = typename P::State;
  static constexpr std::uint32_t kWidth = Codec::kWidth;

  BfsShared(const P& model, const Options& options)
      : p(model),
        o(options),
        r(first_report()),
        monitor(p.properties(), o, r),
        budget(o),
        store(budget.memory_limit() / 10 * 6),  // the table may take 60% of the memory budget; the frontiers need the rest
        symmetry(uses_symmetry<P>(o)),
        threads(o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency())),
        fired(r.fired.size()),
        level(1, LevelSegment(kWidth)),
        checkpoint_path(o.checkpoint_path.empty() ? o.resume_path : o.checkpoint_path),
        checkpointing(!checkpoint_path.empty() && !Exact),
        identity{std::string(model::name_of<P>()), model::version_of<P>(), o.parameters, reduce_identity<P>(o.reduce), Exact,
                 Codec::kExactKeys, r.checked},
        next_save(o.checkpoint_every) {
    store.set_workers(threads);
    for (const auto& x : r.reachability) identity.properties.push_back("sometimes:" + x.name);
    if (checkpointing) check_checkpoint_writable(checkpoint_path);
  }

  static Report first_report() {
    Report r;
    r.exact = Exact || Codec::kExactKeys;
    r.store = Exact ? "exact (full states)" : Codec::kExactKeys ? "packed (64-bit words, exact)" : "fingerprints (64-bit)";
    r.fired = zero_fired<P>();
    return r;
  }

  void set_cut(Cut c) {
    int none = static_cast<int>(Cut::None);
    cut.compare_exchange_strong(none, static_cast<int>(c));
    stop.store(true);
  }
  // A model whose encoding loses part of its state (a member left out of
  // fields()) would merge states that differ: checked on the initial states
  // always, and on every successor with --exact; the search stops and throws.
  bool lossy(const State& s, std::string_view bytes, const Codec& codec) {
    if (codec.decode(bytes) == s) return false;
    std::lock_guard lock(error_m);
    model_error = std::string(model::name_of<P>()) +
                  ": two different states have one encoding: State::fields() leaves out a member (or pack() loses one)";
    stop.store(true);
    return true;
  }

  // Writes the whole search as it stands: `cur` being expanded, of which the
  // chunks in `pending` and every chunk from `from` on are still to do,
  // `next` as far as it got, and the counters of the work done. Only while
  // no thread inserts. A failure is a notice: the search goes on.
  void save(const std::vector<LevelSegment>& cur, std::vector<std::uint64_t> pending, std::uint64_t from,
            const std::vector<LevelSegment>& next, std::uint64_t done_transitions, std::uint64_t done_terminals,
            const std::vector<std::uint64_t>& done_fired) {
    const double t0 = budget.seconds();
    store.settle();
    try {
      CheckpointWriter w(checkpoint_path);
      w.identity(identity);
      w.u64(depth);
      w.u64(done_transitions);
      w.u64(done_terminals);
      w.u64(done_fired.size());
      for (const auto f : done_fired) w.u64(f);
      store.save(w);
      trail.save(w);
      monitor.save(w, [](CheckpointWriter& out, const Place& c) {
        for (const std::uint64_t v : {std::uint64_t{c.depth}, c.fp, std::uint64_t{c.level}, c.index, static_cast<std::uint64_t>(c.action)})
          out.u64(v);
      });
      FrontierRecord::save(w, cur, std::move(pending), from, next);
      w.commit();
      if (o.notice) {
        char figures[96];
        std::snprintf(figures, sizeof figures, "%llu states, %.1f MiB, %.2f s", static_cast<unsigned long long>(store.size()),
                      static_cast<double>(w.written()) / (1 << 20), budget.seconds() - t0);
        o.notice("checkpoint: " + checkpoint_path + " saved (" + figures + ")");
      }
    } catch (const std::exception& e) {
      if (o.notice) o.notice("warning: checkpoint " + checkpoint_path + " not saved: " + e.what());
    }
    next_save.store(budget.seconds() + o.checkpoint_every);
  }

  const P& p;
  const Options& o;
  Report r;
  Monitor<State, Place> monitor;
  Budget budget;
  SharedStore<Exact> store;
  Trail trail;
  const bool symmetry;
  const unsigned threads;
  std::atomic<bool> stop{false};
  std::atomic<int> cut{static_cast<int>(Cut::None)};
  std::mutex error_m;
  std::string model_error;
  // The levels done: their counters; the level to expand; a resumed level's work.
  std::uint64_t transitions = 0, terminal_states = 0;
  std::vector<std::uint64_t> fired;
  std::size_t depth = 0, last_width = 0;
  std::vector<LevelSegment> level;
  // The segments of the level expanded before this one, emptied: the next
  // level is written into their memory (LevelSegment::recycle).
  std::vector<LevelSegment> spare;
  FrontierRecord resume;
  // Checkpoints.
  const std::string checkpoint_path;
  const bool checkpointing;
  CheckpointIdentity identity;
  std::atomic<double> next_save;
};

// One level's expansion: chunks of kChunk states, a contiguous share of them
// per worker (Shares); a resumed level first redoes the chunks its
// checkpoint had not finished.
template <model::Protocol P, bool Exact, class Codec>
class LevelRun {
  using Shared = BfsShared<P, Exact, Codec>;
  using State = typename P::State;
  using Action = typename P::Action;
  using Result = ConcurrentFingerprintSet::Result;
  static constexpr bool kPackedSteps = Codec::kExactKeys && model::PackedSuccessors<P>;
  static constexpr std::uint64_t kNoChunk = Doing::kNoChunk;

 public:
  LevelRun(Shared& b, FrontierRecord resumed, std::uint64_t width)
      : b_(b),
        width_(width),
        redo_(std::move(resumed.redo)),
        from_(std::min(resumed.from, width)),
        items_(redo_.size() + (width - from_ + kChunk - 1) / kChunk),
        workers_(static_cast<unsigned>(std::clamp<std::uint64_t>(items_, 1, b.threads))),
        shares_(items_, workers_),
        next_(std::move(resumed.next)),  // first what a checkpoint had of this level's successors
        own_(next_.size()),
        counters_(workers_),
        doing_(workers_),
        pauser_(static_cast<int>(workers_)) {
    base_.push_back(0);  // global index of each segment's first state
    for (const auto& seg : b.level) base_.push_back(base_.back() + seg.size());
    next_.resize(own_ + workers_, LevelSegment(Shared::kWidth));  // then one segment per worker
    for (unsigned wk = 0; wk < workers_ && !b.spare.empty(); ++wk) {  // written into the level before last's memory
      next_[own_ + wk] = std::move(b.spare.back());
      b.spare.pop_back();
    }
    b.spare.clear();
    // Room for the next level, reserved up front from the last growth ratio
    // (times 2): reserved pages cost nothing until written, while growing by
    // doubling would copy, and hold up to twice what it needs.
    const double ratio = std::clamp(b.last_width ? static_cast<double>(width) / static_cast<double>(b.last_width) : 16.0, 1.0, 16.0);
    const std::uint64_t room = std::min<std::uint64_t>(
        static_cast<std::uint64_t>(static_cast<double>(width) * ratio * 2) + 1024,
        b.budget.memory_limit() / 4 / (Shared::kWidth ? Shared::kWidth + sizeof(Trail::Edge) : 32) / workers_);
    std::uint64_t level_bytes = 0;
    for (const auto& seg : b.level) level_bytes += seg.bytes.size();
    const std::size_t state_bytes = width ? static_cast<std::size_t>(level_bytes / width * 5 / 4 + 1) : 16;
    for (unsigned wk = 0; wk < workers_; ++wk) next_[own_ + wk].reserve(static_cast<std::size_t>(room), state_bytes);
    for (auto& c : counters_) c.fired.assign(b.fired.size() + 8, 0);  // + 8: the heap blocks do not share a line either
    stored_before_ = b.store.size();
  }

  void expand() {
    if (workers_ <= 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned w = 1; w < workers_; ++w) pool.emplace_back([this, w] { work(w); });
      work(0);
      for (auto& t : pool) t.join();
    }
    b_.store.settle();
    if (!b_.stop.load())
      if (const Cut c = b_.budget.check(b_.store.size(), b_.depth, 0, true); c != Cut::None) b_.set_cut(c);
    // Cut short (and not by a violation that ends the search), or a save due: checkpoint.
    if (b_.checkpointing) {
      const Cut c = static_cast<Cut>(b_.cut.load());
      const bool resumable = c == Cut::Interrupted || c == Cut::TimeLimit || c == Cut::MemoryLimit || c == Cut::MaxStates;
      if (!b_.monitor.stopped() && (b_.stop.load() ? resumable : (save_due_.load() || b_.budget.seconds() >= b_.next_save.load())))
        save_level();
    }
  }

  // The level's counters into the run's; the next level becomes the level,
  // its edges go to the trail.
  void merge_into(Shared& b) {
    for (const auto& c : counters_) {
      b.transitions += c.transitions;
      b.terminal_states += c.terminals;
      for (std::size_t k = 0; k < b.fired.size(); ++k) b.fired[k] += c.fired[k];
    }
    std::vector<Trail::Part> parts;
    std::uint64_t next_width = 0;
    for (auto& seg : next_) {
      parts.push_back(std::move(seg.edges));
      next_width += seg.size();
      seg.edges = {};
    }
    if (next_width > 0) b.trail.append_level(std::move(parts));
    b.last_width = width_;
    b.spare = std::move(b.level);  // expanded: its memory takes the level after the next
    for (auto& seg : b.spare) seg.recycle();
    b.level = std::move(next_);
  }

 private:
  // Per-worker counters, one cache line each: adjacent counters written by
  // two threads at every transition would share a line (false sharing).
  // `added` (new states so far) is read by worker 0 for the limits and the
  // progress line, so that it need not sum the table's 256 segment counts;
  // it has a line of its own, else each of those reads would take the line
  // of the counters the worker writes at every transition away from it.
  struct alignas(64) Counters {
    std::uint64_t transitions = 0, terminals = 0;
    std::vector<std::uint64_t> fired;
    alignas(64) std::atomic<std::uint64_t> added{0};
  };

  std::uint64_t chunk_start(std::uint64_t v) const { return v < redo_.size() ? redo_[v] : from_ + (v - redo_.size()) * kChunk; }
  std::uint64_t stored_now() const {
    std::uint64_t n = stored_before_;
    for (const auto& c : counters_) n += c.added.load(std::memory_order_relaxed);
    return n;
  }
  // At a pause: grow the table if it needs it, save if a checkpoint is due.
  void pause_action() {
    if (!b_.store.grow()) b_.set_cut(Cut::MemoryLimit);
    if (save_due_.exchange(false) && !b_.stop.load()) save_level();
  }
  // The level as it stands (only at a pause, or after the workers): the
  // chunks in progress count as not done.
  void save_level() {
    std::vector<std::uint64_t> pending;
    std::uint64_t done_t = b_.transitions, done_term = b_.terminal_states;
    std::vector<std::uint64_t> done_f = b_.fired;
    for (unsigned w = 0; w < workers_; ++w) {
      const bool partial = doing_[w].chunk != kNoChunk;
      if (partial) pending.push_back(doing_[w].chunk);
      done_t += partial ? doing_[w].transitions : counters_[w].transitions;
      done_term += partial ? doing_[w].terminals : counters_[w].terminals;
      for (std::size_t k = 0; k < done_f.size(); ++k) done_f[k] += partial ? doing_[w].fired[k] : counters_[w].fired[k];
    }
    // The chunks not taken: one by one, but for the run of them that ends
    // the level (and is past the redone ones), saved as where it starts.
    const std::vector<std::uint64_t> left = shares_.left();
    std::size_t tail = left.size();
    while (tail > 0 && left[tail - 1] >= redo_.size() && left[tail - 1] + (left.size() - tail) + 1 == items_) --tail;
    for (std::size_t i = 0; i < tail; ++i) pending.push_back(chunk_start(left[i]));
    const std::uint64_t rest = tail < left.size() ? chunk_start(left[tail]) : width_;
    b_.save(b_.level, std::move(pending), rest, next_, done_t, done_term, done_f);
  }

  class Worker;  // checker/bfs_worker.hpp
  void work(unsigned w);

  Shared& b_;
  std::vector<std::uint64_t> base_;
  const std::uint64_t width_;
  const std::vector<std::uint64_t> redo_;
  const std::uint64_t from_, items_;
  const unsigned workers_;
  Shares shares_;
  std::vector<LevelSegment> next_;
  const std::size_t own_;
  std::vector<Counters> counters_;
  std::vector<Doing> doing_;
  Pauser pauser_;
  std::atomic<bool> save_due_{false};
  std::uint64_t stored_before_ = 0;
};

}  // namespace agree::checker::detail

#include "agree/checker/bfs_worker.hpp"
