// checker/bfs_worker.hpp — a worker thread of a breadth-first level
// (checker/bfs_level.hpp): it takes chunks of the level from its share and
// expands them a group of kGroup states at a time: first every successor's
// encoding and key, prefetching its slot in the table; then the lookups, in
// order, whose cache misses now overlap (a lookup is a miss into a table far
// larger than the caches). A new successor's properties are judged on the
// state built, kept until its lookup; only a model stepping on packed words
// decodes (unpacks) its new successors.
#pragma once

#include "agree/checker/bfs_level.hpp"

namespace agree::checker::detail {

template <model::Protocol P, bool Exact, class Codec>
class LevelRun<P, Exact, Codec>::Worker {
 public:
  Worker(LevelRun& run, unsigned w)
      : run_(run), b_(run.b_), p_(run.b_.p), level_(run.b_.level), depth_(run.b_.depth), w_(w), codec_(p_),
        recent_(kRecentMask + 1, 0), out_(run.next_[run.own_ + w]), my_(run.doing_[w]), count_(run.counters_[w]) {}

  void run() {
    const auto pause = [this] { run_.pause_action(); };
    while (!b_.stop.load(std::memory_order_relaxed)) {
      const std::uint64_t v = run_.shares_.take(w_);
      if (v == Shares::kNone) break;
      const std::uint64_t first = run_.chunk_start(v), end = std::min(first + kChunk, run_.width_);
      my_.chunk = first;
      my_.transitions = count_.transitions;
      my_.terminals = count_.terminals;
      my_.fired.assign(count_.fired.begin(), count_.fired.begin() + static_cast<std::ptrdiff_t>(b_.fired.size()));
      seg_ = static_cast<std::size_t>(std::upper_bound(run_.base_.begin(), run_.base_.end(), first) - run_.base_.begin() - 1);
      std::uint64_t g = first;
      while (g < end && !b_.stop.load(std::memory_order_relaxed)) {
        run_.pauser_.safe_point(pause);
        const std::uint64_t group_end = std::min(g + kGroup, end);
        if (!group(g, group_end)) break;  // a violation: the chunk stays unfinished
        g = group_end;
        count_.added.store(added_, std::memory_order_relaxed);
        limits();
      }
      if (g == end) my_.chunk = kNoChunk;
      else break;
    }
    run_.pauser_.leave(pause);
  }

 private:
  static constexpr std::size_t kRecentMask = (1u << 16) - 1;
  struct Pending {
    Fingerprint fp;
    std::uint64_t parent;
    std::uint32_t action, end;
    bool fresh = false;  // the lookup found it new
    bool held = false;   // the state itself is in held_ at the same index
  };

  // States [g, end): their successors, then the lookups. False on a violation that stops the search.
  bool group(std::uint64_t g, std::uint64_t end) {
    pending_.clear();
    pending_bytes_.clear();
    reduced_.clear();
    halt_ = false;
    for (std::uint64_t h = g; h < end && !halt_; ++h) {
      while (h >= run_.base_[seg_ + 1]) ++seg_;
      successors(h);
    }
    insert_pending(0);
    if constexpr (kNeedsProviso<P>) proviso();
    return !halt_;
  }

  // State h: its successors emitted (under a persistent set, the proviso's
  // candidates noted in reduced_).
  void successors(std::uint64_t h) {
    const std::string_view here = level_[seg_].state(h - run_.base_[seg_]);
    if constexpr (kPackedSteps) {
      // The model steps on the word itself: no State is built unless a
      // property needs one (a terminal state) or symmetry does.
      steps_.clear();
      p_.packed_successors(Codec::word(here), steps_);
      if (steps_.empty()) terminal(codec_.decode(here), here, h);
      for (std::uint32_t k = 0; k < steps_.size(); ++k) {
        ++count_.transitions;
        ++count_.fired[steps_[k].kind];
        if (steps_[k].self_loop) continue;
        std::uint64_t next_word = steps_[k].next;
        if (b_.symmetry) next_word = p_.pack(canonical(p_, p_.unpack(next_word), true));
        emit(std::string_view(reinterpret_cast<const char*>(&next_word), sizeof next_word), h, k);
      }
    } else {
      codec_.decode_into(here, parent_);
      const State& s = parent_;
      actions_.clear();
      const std::size_t first = checker::enabled(p_, s, actions_);
      if (actions_.empty()) terminal(s, here, h);
      const std::size_t lookup = pending_.size();
      const bool known = expand(s, h, 0, first);
      if constexpr (kNeedsProviso<P>)
        if (first < actions_.size()) {
          if (known) expand(s, h, first, actions_.size());  // closes a cycle or revisits: expand it all
          else reduced_.emplace_back(h, lookup);
        }
    }
  }

  // A state without successors: counted, and judged by the terminal properties.
  void terminal(const State& s, std::string_view here, std::uint64_t h) {
    ++count_.terminals;
    halt_ = b_.monitor.on_terminal(s, [&] { return Place{static_cast<std::uint32_t>(depth_), Codec::key(here), depth_, h, -1}; });
    if (halt_) b_.stop.store(true);
  }

  // Actions [from, to) of state s (index h): their successors emitted.
  // Returns whether one of them was known without a lookup (or a self-loop).
  bool expand(const State& s, std::uint64_t h, std::size_t from, std::size_t to) {
    bool known = false;
    for (std::size_t k = from; k < to; ++k) {
      ++count_.transitions;
      ++count_.fired[model::kind_of<P>(actions_[k])];
      scratch_ = s;  // a copy into storage a successor left behind: no allocation
      auto t = p_.next_state(std::move(scratch_), actions_[k]);
      if (!t) {  // a self-loop
        known = true;
        continue;
      }
      if (b_.symmetry) *t = canonical(p_, std::move(*t), true);
      const std::string_view bytes = codec_.encode(*t);
      if constexpr (Exact)
        if (b_.lossy(*t, bytes, codec_)) return true;
      const std::size_t queued = pending_.size();
      known = emit(bytes, h, static_cast<std::uint32_t>(k)) || known;
      if (pending_.size() > queued) {  // to be looked up: kept, so that a new one needs no decoding
        if (held_.size() <= queued) held_.resize(queued + 1);
        std::swap(held_[queued], *t);  // *t gets the storage of a state held before
        pending_[queued].held = true;
      }
      scratch_ = std::move(*t);  // storage, for the next copy
    }
    return known;
  }

  // A successor (action k of state h): looked up after the group, unless
  // just met (a diamond). Returns whether it was known already.
  bool emit(std::string_view bytes, std::uint64_t h, std::uint32_t k) {
    const Fingerprint fp = Codec::key(bytes);
    if (recent_[fp & kRecentMask] == fp) return true;
    b_.store.prefetch(fp);
    pending_bytes_.append(bytes);
    pending_.push_back({fp, h, k, static_cast<std::uint32_t>(pending_bytes_.size())});
    return false;
  }

  // Looks up pending_[from..] in the table; the new ones join the next level.
  void insert_pending(std::size_t from) {
    const auto pause = [this] { run_.pause_action(); };
    for (std::size_t j = from; j < pending_.size() && !halt_; ++j) {
      const Pending& x = pending_[j];
      const std::size_t from_byte = j ? pending_[j - 1].end : 0;
      const std::string_view bytes = std::string_view(pending_bytes_).substr(from_byte, x.end - from_byte);
      Result res = b_.store.insert(x.fp, bytes, w_);
      while (res == Result::Full && !b_.stop.load()) {  // pause everyone, grow, retry
        run_.pauser_.request();
        run_.pauser_.safe_point(pause);
        res = b_.store.insert(x.fp, bytes, w_);
      }
      if (res == Result::New || res == Result::Old) recent_[x.fp & kRecentMask] = x.fp;
      if (res != Result::New) continue;
      pending_[j].fresh = true;
      if (b_.store.wants_growth(x.fp)) run_.pauser_.request();
      ++added_;
      out_.add(bytes, {static_cast<std::uint32_t>(x.parent), x.action});
      if (!x.held) codec_.decode_into(bytes, found_);
      halt_ = b_.monitor.on_discover(x.held ? held_[j] : found_, [&] {
        return Place{static_cast<std::uint32_t>(depth_ + 1), x.fp, depth_, x.parent, static_cast<std::int64_t>(x.action)};
      });
      if (halt_) b_.stop.store(true);
    }
  }

  // The cycle proviso (checker/por.hpp) for the states of the group whose
  // persistent successor was not new: their other actions too.
  void proviso() {
    const std::size_t more = pending_.size();
    for (const auto& [h, j] : reduced_) {
      if (halt_ || pending_[j].fresh) continue;
      while (h >= run_.base_[seg_ + 1]) ++seg_;
      while (h < run_.base_[seg_]) --seg_;
      codec_.decode_into(level_[seg_].state(h - run_.base_[seg_]), parent_);
      const State& s = parent_;
      actions_.clear();
      const std::size_t first = checker::enabled(p_, s, actions_);
      expand(s, h, first, actions_.size());
    }
    insert_pending(more);
  }

  // Worker 0 checks the limits every other group; every worker watches the clock for a checkpoint.
  void limits() {
    if (w_ == 0 && ++since_check_ >= 2) {
      since_check_ = 0;
      const std::uint64_t queue = std::min(run_.width_, run_.shares_.count_left() * kChunk);
      if (const Cut c = b_.budget.check(run_.stored_now(), depth_, queue); c != Cut::None) b_.set_cut(c);
    }
    if (b_.checkpointing && ++since_clock_ >= 32) {
      since_clock_ = 0;
      if (b_.budget.seconds() >= b_.next_save.load() && !run_.save_due_.exchange(true)) run_.pauser_.request();
    }
  }

  LevelRun& run_;
  Shared& b_;
  const P& p_;
  const std::vector<LevelSegment>& level_;
  const std::size_t depth_;
  const unsigned w_;
  Codec codec_;
  std::vector<Action> actions_;
  std::vector<model::PackedStep> steps_;
  // The state being expanded, a successor being built, a new one being
  // judged: kept between states so that their containers keep their storage.
  State parent_, scratch_, found_;
  // The successors queued in pending_ (where Pending::held), by index: a new
  // one's properties are judged on it, not on a decoding of its bytes. The
  // states trade storage with the successors built (swap), so that steady
  // state allocates nothing.
  std::vector<State> held_;
  // The keys this worker last met in the table, direct-mapped: a sibling's
  // successor is often one just met (a diamond), and a hit needs no lookup
  // in the table, a cache miss. A key is put here only once the table has it.
  std::vector<Fingerprint> recent_;
  std::vector<Pending> pending_;
  std::string pending_bytes_;
  // The states expanded only in their persistent action, each with the index
  // of that successor's lookup in pending_.
  std::vector<std::pair<std::uint64_t, std::size_t>> reduced_;
  LevelSegment& out_;
  Doing& my_;
  Counters& count_;
  std::size_t seg_ = 0;
  bool halt_ = false;
  std::uint64_t since_check_ = 0, since_clock_ = 0, added_ = 0;
};

template <model::Protocol P, bool Exact, class Codec>
void LevelRun<P, Exact, Codec>::work(unsigned w) {
  Worker(*this, w).run();
}

}  // namespace agree::checker::detail
