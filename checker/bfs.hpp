// checker/bfs.hpp — breadth-first search, level by level, on K threads.
//
// Every counterexample is a shortest one: the levels are synchronous (all
// threads expand level d before any expands d+1), so a violation found while
// expanding level d is at depth d+1 (or d, for a terminal state), and the
// search reports the smallest depth among those found. With one thread the
// counterexample is also the same on every run; with K > 1 it is a shortest
// one, but which of several shortest ones may vary from run to run.
//
// Memory, per state: 8 bytes in the shared fingerprint set (checker/fpset.hpp,
// or the full state with --exact); the frontier holds states packed in their
// canonical encoding (model/encode.hpp), never as heap objects, and only two
// levels at a time; the next level's parent edges are kept encoded (about 2
// bytes an edge) and go to the trail on disk when the level is done
// (checker/trail.hpp). Counterexample states are rebuilt by re-execution.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agree/checker/checkpoint.hpp"
#include "agree/checker/codec.hpp"
#include "agree/checker/fpset.hpp"
#include "agree/checker/hugepages.hpp"
#include "agree/checker/por.hpp"
#include "agree/checker/search_common.hpp"
#include "agree/checker/store.hpp"
#include "agree/checker/trail.hpp"

namespace agree::checker {

namespace detail {

// States of one level, as one thread produced them: packed encodings back to
// back, where each starts, and how each was reached.
// With a fixed-width encoding (width > 0, checker/codec.hpp) there are no
// offsets: state i is at i * width.
struct alignas(64) LevelSegment {  // (a line each: two workers append to adjacent segments)
  explicit LevelSegment(std::uint32_t w = 0) : width(w) {}
  std::uint32_t width;
  std::string bytes;
  std::vector<std::uint32_t> starts;
  Trail::Part edges;  // how each was reached, encoded for the trail as they come
  [[nodiscard]] std::size_t size() const { return width ? bytes.size() / width : starts.size(); }
  [[nodiscard]] std::string_view state(std::size_t i) const {
    if (width) return std::string_view(bytes).substr(i * width, width);
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : bytes.size();
    return std::string_view(bytes).substr(starts[i], end - starts[i]);
  }
  void reserve(std::size_t states) try {
    bytes.reserve(states * (width ? width : 16));
    if (!width) starts.reserve(states);
    edges.reserve(states);
    advise_huge_pages(bytes.data(), bytes.capacity());
    advise_huge_pages(edges.bytes.data(), edges.bytes.capacity());
  } catch (const std::bad_alloc&) {  // then it grows as it goes
  }
  void add(std::string_view state, Trail::Edge e) {
    if (!width) starts.push_back(static_cast<std::uint32_t>(bytes.size()));
    bytes.append(state);
    edges.add(e);
  }
};

// Stops every worker at a safe point so that one of them can grow the table.
class Pauser {
 public:
  explicit Pauser(int workers) : active_(workers) {}
  void request() { requested_.store(true, std::memory_order_relaxed); }
  [[nodiscard]] bool requested() const { return requested_.load(std::memory_order_relaxed); }
  template <class F>
  void safe_point(F&& action) {
    if (!requested()) return;
    std::unique_lock lock(m_);
    if (!requested_) return;
    if (++waiting_ == active_) return run(action);
    const auto gen = generation_;
    cv_.wait(lock, [&] { return generation_ != gen; });
  }
  template <class F>
  void leave(F&& action) {
    std::unique_lock lock(m_);
    --active_;
    if (requested_ && waiting_ == active_) run(action);
  }

 private:
  template <class F>
  void run(F& action) {  // with m_ held
    action();
    requested_ = false;
    waiting_ = 0;
    ++generation_;
    cv_.notify_all();
  }
  std::mutex m_;
  std::condition_variable cv_;
  std::atomic<bool> requested_{false};
  int active_, waiting_ = 0;
  std::uint64_t generation_ = 0;
};

// The chunks of a level (items 0..n-1), split into one contiguous share per
// worker. A worker takes its own chunks from the front, in order; when its
// share is done it takes chunks from the back of the largest share left.
//
// Why contiguous: the successors of nearby states often coincide (a diamond:
// a then b, b then a), and a worker's cache of recently met keys saves the
// table lookup only if that worker expanded both. Handed out round-robin,
// every other chunk went to the other worker: twophase --rms 10 made 247
// million table lookups with one thread, 374 million with two.
class Shares {
 public:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  Shares(std::uint64_t items, unsigned workers) : shares_(workers) {
    if (items >= (std::uint64_t{1} << 32)) throw std::length_error("a level of more than 2^32 chunks");
    for (unsigned w = 0; w < workers; ++w) shares_[w].span.store(pack(items * w / workers, items * (w + 1) / workers));
  }
  // The next item for worker `w`, or kNone when every item is taken.
  std::uint64_t take(unsigned w) {
    for (std::uint64_t s = shares_[w].span.load(std::memory_order_relaxed); front(s) < back(s);)
      if (shares_[w].span.compare_exchange_weak(s, pack(front(s) + 1, back(s)))) return front(s);
    for (;;) {  // steal from the back of the largest share
      std::size_t victim = 0;
      std::uint64_t most = 0;
      for (std::size_t k = 0; k < shares_.size(); ++k)
        if (const std::uint64_t n = size(shares_[k].span.load()); n > most) {
          most = n;
          victim = k;
        }
      if (most == 0) return kNone;
      std::uint64_t s = shares_[victim].span.load();
      if (front(s) < back(s) && shares_[victim].span.compare_exchange_strong(s, pack(front(s), back(s) - 1))) return back(s) - 1;
    }
  }
  // The items not taken yet, in order (only while no worker takes any).
  [[nodiscard]] std::vector<std::uint64_t> left() const {
    std::vector<std::uint64_t> out;
    for (const auto& share : shares_)
      for (std::uint64_t s = share.span.load(), v = front(s); v < back(s); ++v) out.push_back(v);
    return out;
  }
  [[nodiscard]] std::uint64_t count_left() const {
    std::uint64_t n = 0;
    for (const auto& share : shares_) n += size(share.span.load(std::memory_order_relaxed));
    return n;
  }

 private:
  static std::uint64_t pack(std::uint64_t front, std::uint64_t back) { return front << 32 | back; }
  static std::uint64_t front(std::uint64_t s) { return s >> 32; }
  static std::uint64_t back(std::uint64_t s) { return s & 0xffffffffu; }
  static std::uint64_t size(std::uint64_t s) { return back(s) - std::min(front(s), back(s)); }
  struct alignas(64) Share {  // a line each: the owner writes its own at every chunk
    std::atomic<std::uint64_t> span{0};
  };
  std::vector<Share> shares_;
};

// The visited set as the parallel search sees it: fingerprints, or full states.
template <bool Exact>
class SharedStore {
 public:
  explicit SharedStore(std::uint64_t budget) : fps_(budget) {}
  static constexpr bool kExact = Exact;
  ConcurrentFingerprintSet::Result insert(Fingerprint fp, std::string_view bytes, unsigned worker = 0) {
    if constexpr (Exact) {
      std::lock_guard lock(m_);
      const bool fresh = exact_.insert(fp, bytes);
      return fresh ? ConcurrentFingerprintSet::Result::New : ConcurrentFingerprintSet::Result::Old;
    } else {
      return fps_.insert(fp, worker);
    }
  }
  void prefetch(Fingerprint fp) const {
    if constexpr (!Exact) fps_.prefetch(fp);
  }
  [[nodiscard]] bool wants_growth(Fingerprint fp) const { return !Exact && fps_.wants_growth(fp); }
  bool grow() { return Exact || fps_.grow(); }
  void set_workers(unsigned n) {
    if constexpr (!Exact) fps_.set_workers(n);
  }
  void settle() {  // only while no insert() runs: see ConcurrentFingerprintSet
    if constexpr (!Exact) fps_.settle();
  }
  [[nodiscard]] std::uint64_t size() const { return Exact ? exact_.size() : fps_.size(); }
  [[nodiscard]] std::uint64_t bytes() const { return Exact ? exact_.bytes() : fps_.bytes(); }
  [[nodiscard]] std::uint64_t collisions() const { return Exact ? exact_.collisions() : 0; }
  ConcurrentFingerprintSet& fingerprints() { return fps_; }  // for a checkpoint (not with Exact)

 private:
  ConcurrentFingerprintSet fps_;
  std::mutex m_;
  ExactStore exact_;
};

// A violation seen by some thread: the state is `index` of `level`, or, when
// `action` >= 0, the successor by that action.
struct Candidate {
  std::uint32_t depth;
  int expectation;  // 0 always, 1 terminal
  int property;
  Fingerprint fp;
  std::size_t level;
  std::uint64_t index;
  std::int64_t action;
  auto key() const { return std::tie(depth, expectation, property, fp); }
};

// The search state a checkpoint holds beyond the counters: see save() and
// load() in bfs() below, and checker/checkpoint.hpp for the file.
struct Resume {
  std::vector<LevelSegment> level;   // the level being expanded
  std::vector<std::uint64_t> redo;   // chunk starts in it still to expand (partly done ones included)
  std::uint64_t from = 0;            // and every chunk from here on
  std::vector<LevelSegment> next;    // the next level, as far as it got
};

// A worker's chunk in progress and its counters when it began it: a
// checkpoint counts only whole chunks as done.
struct alignas(64) Doing {  // (a line each, as the counters)
  static constexpr std::uint64_t kNoChunk = ~std::uint64_t{0};
  std::uint64_t chunk = kNoChunk, transitions = 0, terminals = 0;
  std::vector<std::uint64_t> fired;
};

// The file always holds the offsets, whatever the width, so that one format serves both.
inline void write_segment(CheckpointWriter& w, const LevelSegment& s, bool edges) {
  w.str(s.bytes);
  w.u64(s.size());
  if (s.width) {
    std::vector<std::uint32_t> block;
    for (std::size_t i = 0; i < s.size(); i += block.size()) {
      block.resize(std::min<std::size_t>(s.size() - i, 1 << 16));
      for (std::size_t j = 0; j < block.size(); ++j) block[j] = static_cast<std::uint32_t>((i + j) * s.width);
      w.bytes(block.data(), block.size() * sizeof(std::uint32_t));
    }
  } else
    w.bytes(s.starts.data(), s.starts.size() * sizeof(std::uint32_t));
  if (edges) {
    const std::vector<Trail::Edge> raw = Trail::decode(s.edges);
    w.bytes(raw.data(), raw.size() * sizeof(Trail::Edge));
  }
}

inline LevelSegment read_segment(CheckpointReader& in, bool edges, std::uint32_t width) {
  LevelSegment s;
  s.bytes = in.str();
  s.starts.resize(static_cast<std::size_t>(in.count(sizeof(std::uint32_t))));
  in.bytes(s.starts.data(), s.starts.size() * sizeof(std::uint32_t));
  for (std::size_t i = 0; i < s.starts.size(); ++i)
    if (s.starts[i] > s.bytes.size() || (i ? s.starts[i] < s.starts[i - 1] : s.starts[i] != 0))
      in.corrupt("bad state offsets");
  if (edges) {
    std::vector<Trail::Edge> raw(s.starts.size());
    in.bytes(raw.data(), raw.size() * sizeof(Trail::Edge));
    s.edges = Trail::encode(raw);
  }
  if (width) {
    if (s.bytes.size() != s.starts.size() * width) in.corrupt("bad state offsets");
    for (std::size_t i = 0; i < s.starts.size(); ++i)
      if (s.starts[i] != i * width) in.corrupt("bad state offsets");
    s.starts = {};
    s.width = width;
  }
  return s;
}

}  // namespace detail

template <model::Protocol P, bool Exact, class Codec>
Report bfs_with(const P& p, const Options& o) {
  using State = typename P::State;
  using Action = typename P::Action;
  using detail::Candidate;
  using detail::LevelSegment;
  using Result = ConcurrentFingerprintSet::Result;

  check_checkpoint_options(o, "bfs");
  Report r;
  r.exact = Exact || Codec::kExactKeys;
  r.store = Exact ? "exact (full states)" : Codec::kExactKeys ? "packed (64-bit words, exact)" : "fingerprints (64-bit)";
  constexpr std::uint32_t kWidth = Codec::kWidth;
  constexpr bool kPackedSteps = Codec::kExactKeys && model::PackedSuccessors<P>;
  r.fired = zero_fired<P>();
  const PropertySet<State> props(p.properties(), o, r);
  Budget budget(o);
  // The table may take 60% of the memory budget; the frontiers need the rest.
  detail::SharedStore<Exact> store(budget.memory_limit() / 10 * 6);
  Trail trail;
  const bool symmetry = uses_symmetry<P>(o);
  const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  store.set_workers(threads);

  std::mutex found_m;
  std::vector<Candidate> found;
  std::atomic<bool> stop{false};
  std::atomic<int> cut{static_cast<int>(Cut::None)};
  std::vector<std::atomic<bool>> reached(props.sometimes.size());
  std::vector<std::atomic<bool>> violated(props.always.size() + props.terminal.size());

  // Records a violation; returns true if the search must stop.
  auto record = [&](Candidate c) {
    auto& flag = violated[static_cast<std::size_t>(c.expectation ? static_cast<int>(props.always.size()) + c.property : c.property)];
    if (flag.exchange(true) && o.keep_going) return false;
    std::lock_guard lock(found_m);
    found.push_back(c);
    if (!o.keep_going) stop.store(true);
    return !o.keep_going;
  };
  // A model whose encoding loses part of its state (a member left out of
  // fields()) would merge states that differ: checked on the initial states
  // always, and on every successor with --exact; the search stops and throws.
  std::string model_error;
  auto lossy = [&](const State& s, std::string_view bytes, const Codec& codec) {
    if (codec.decode(bytes) == s) return false;
    std::lock_guard lock(found_m);
    model_error = std::string(model::name_of<P>()) +
                  ": two different states have one encoding: State::fields() leaves out a member (or pack() loses one)";
    stop.store(true);
    return true;
  };
  auto set_cut = [&](Cut c) {
    int none = static_cast<int>(Cut::None);
    cut.compare_exchange_strong(none, static_cast<int>(c));
    stop.store(true);
  };
  auto note_reached = [&](const State& s) {
    for (std::size_t i = 0; i < props.sometimes.size(); ++i)
      if (!reached[i].load(std::memory_order_relaxed) && props.sometimes[i].holds(s)) reached[i].store(true);
  };

  std::uint64_t transitions = 0, terminal_states = 0;
  std::vector<std::uint64_t> fired(r.fired.size());
  std::size_t depth = 0, last_width = 0;
  std::vector<LevelSegment> level(1, LevelSegment(kWidth));
  detail::Resume resume;  // the first level's work, when resuming mid-level

  // ---- checkpoints ----
  const std::string checkpoint_path = o.checkpoint_path.empty() ? o.resume_path : o.checkpoint_path;
  const bool checkpointing = !checkpoint_path.empty() && !Exact;
  CheckpointIdentity identity{std::string(model::name_of<P>()), model::version_of<P>(), o.parameters, to_string(o.reduce), Exact, Codec::kExactKeys, r.checked};
  for (const auto& x : r.reachability) identity.properties.push_back("sometimes:" + x.name);
  std::atomic<double> next_save{o.checkpoint_every};
  if (checkpointing) check_checkpoint_writable(checkpoint_path);

  // Writes the whole search as it stands: `level` being expanded, of which the
  // chunks in `pending` and every chunk from `from` on are still to do, `next`
  // as far as it got, and the counters of the work done. Only while no thread
  // inserts. A failure is a warning: the search goes on.
  auto save = [&](const std::vector<LevelSegment>& cur, std::vector<std::uint64_t> pending, std::uint64_t from,
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
      w.u64(reached.size());
      for (const auto& x : reached) w.u64(x.load() ? 1 : 0);
      w.u64(violated.size());
      for (const auto& x : violated) w.u64(x.load() ? 1 : 0);
      {
        std::lock_guard lock(found_m);
        w.u64(found.size());
        for (const auto& c : found)
          for (const std::uint64_t v : {std::uint64_t{c.depth}, static_cast<std::uint64_t>(c.expectation),
                                        static_cast<std::uint64_t>(c.property), c.fp, std::uint64_t{c.level}, c.index,
                                        static_cast<std::uint64_t>(c.action)})
            w.u64(v);
      }
      auto& fps = store.fingerprints();
      for (std::size_t s = 0; s < ConcurrentFingerprintSet::kSegments; ++s) {
        w.u64(fps.segment_size(s));
        fps.for_each_in_segment(s, [&](const Fingerprint* f, std::size_t n) { w.bytes(f, n * sizeof(Fingerprint)); });
      }
      w.u64(trail.levels());
      for (std::size_t l = 0; l < trail.levels(); ++l) w.u64(trail.level_size(l));
      trail.for_each_block([&](const Trail::Edge* e, std::size_t n) { w.bytes(e, n * sizeof(Trail::Edge)); });
      w.u64(cur.size());
      for (const auto& seg : cur) detail::write_segment(w, seg, false);
      std::sort(pending.begin(), pending.end());
      w.u64(pending.size());
      w.bytes(pending.data(), pending.size() * sizeof(std::uint64_t));
      w.u64(from);
      w.u64(next.size());
      for (const auto& seg : next) detail::write_segment(w, seg, true);
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
  };

  // Reads a checkpoint back: refuses one made for anything else.
  auto load = [&] {
    CheckpointReader in(o.resume_path);
    in.expect_identity(identity);
    depth = static_cast<std::size_t>(in.u64());
    transitions = in.u64();
    terminal_states = in.u64();
    if (in.u64() != fired.size()) in.corrupt("wrong number of action kinds");
    for (auto& f : fired) f = in.u64();
    if (in.u64() != reached.size()) in.corrupt("wrong number of reachability properties");
    for (auto& x : reached) x.store(in.u64() != 0);
    if (in.u64() != violated.size()) in.corrupt("wrong number of properties");
    for (auto& x : violated) x.store(in.u64() != 0);
    found.resize(static_cast<std::size_t>(in.count(7 * sizeof(std::uint64_t))));
    for (auto& c : found) {
      c.depth = static_cast<std::uint32_t>(in.u64());
      c.expectation = static_cast<int>(in.u64());
      c.property = static_cast<int>(in.u64());
      c.fp = in.u64();
      c.level = static_cast<std::size_t>(in.u64());
      c.index = in.u64();
      c.action = static_cast<std::int64_t>(in.u64());
      const std::size_t n = c.expectation ? props.terminal.size() : props.always.size();
      if (c.expectation < 0 || c.expectation > 1 || c.property < 0 || static_cast<std::size_t>(c.property) >= n || c.level > depth)
        in.corrupt("bad violation record");
    }
    auto& fps = store.fingerprints();
    std::vector<Fingerprint> block;
    for (std::size_t s = 0; s < ConcurrentFingerprintSet::kSegments; ++s) {
      std::uint64_t n = in.count(sizeof(Fingerprint));
      if (!fps.reserve_segment(s, n))
        throw std::runtime_error("checkpoint " + o.resume_path + ": the visited states do not fit in the memory limit");
      while (n > 0) {
        block.resize(static_cast<std::size_t>(std::min<std::uint64_t>(n, 1 << 16)));
        in.bytes(block.data(), block.size() * sizeof(Fingerprint));
        for (const Fingerprint f : block)
          if (f == 0 || (f >> (64 - ConcurrentFingerprintSet::kSegmentBits)) != s || fps.insert(f) != Result::New)
            in.corrupt("bad fingerprint table");
        n -= block.size();
      }
    }
    const std::uint64_t levels = in.count(sizeof(std::uint64_t));
    if (levels != depth + 1) in.corrupt("the trail does not match the depth");
    std::vector<std::uint64_t> sizes(static_cast<std::size_t>(levels));
    for (auto& s : sizes) s = in.count(sizeof(Trail::Edge));
    std::vector<Trail::Edge> edges;
    for (const auto s : sizes) {
      edges.resize(static_cast<std::size_t>(s));
      in.bytes(edges.data(), edges.size() * sizeof(Trail::Edge));
      trail.append_level(edges);
    }
    resume.level.resize(static_cast<std::size_t>(in.count(sizeof(std::uint64_t) * 2)));
    std::uint64_t width = 0;
    for (auto& seg : resume.level) {
      seg = detail::read_segment(in, false, kWidth);
      width += seg.size();
    }
    if (width != sizes.back()) in.corrupt("the current level does not match the trail");
    resume.redo.resize(static_cast<std::size_t>(in.count(sizeof(std::uint64_t))));
    in.bytes(resume.redo.data(), resume.redo.size() * sizeof(std::uint64_t));
    resume.from = in.u64();
    for (const auto c : resume.redo)
      if (c % 64 != 0 || c >= width) in.corrupt("bad chunk list");
    if (resume.from % 64 != 0 && resume.from != width) in.corrupt("bad chunk list");
    resume.next.resize(static_cast<std::size_t>(in.count(sizeof(std::uint64_t) * 2)));
    for (auto& seg : resume.next) {
      seg = detail::read_segment(in, true, kWidth);
      for (const auto& e : Trail::decode(seg.edges))
        if (e.parent >= width) in.corrupt("bad parent edge");
    }
    for (const auto& c : found)
      if (c.index >= sizes[c.level]) in.corrupt("bad violation record");
    in.finish();
    // Every state must decode here, where a failure is one line, not in a worker thread.
    const Codec codec(p);
    for (const auto* segs : {&resume.level, &resume.next})
      for (const auto& seg : *segs)
        for (std::size_t i = 0; i < seg.size(); ++i)
          if (!codec.valid(seg.state(i))) in.corrupt("a saved state does not decode");
    if (!o.keep_going && !found.empty()) stop.store(true);
    level = std::move(resume.level);
    r.depth = depth;
  };

  if (!o.resume_path.empty()) {
    load();
  } else {
    // Level 0: the initial states.
    Codec codec(p);
    auto inits = p.init_states();
    for (std::uint32_t i = 0; i < inits.size(); ++i) {
      inits[i] = canonical(p, std::move(inits[i]), symmetry);
      const std::string_view bytes = codec.encode(inits[i]);
      if (lossy(inits[i], bytes, codec)) throw std::logic_error(model_error);
      const Fingerprint fp = Codec::key(bytes);
      if (store.insert(fp, bytes) != Result::New) continue;
      level[0].add(bytes, {Trail::kRoot, i});
      note_reached(inits[i]);
      if (const int k = PropertySet<State>::first_failing(props.always, inits[i]); k >= 0)
        record({0, 0, k, fp, 0, level[0].size() - 1, -1});
    }
    trail.append_level(std::move(level[0].edges));
    level[0].edges = {};
  }

  store.settle();  // the credits taken for level 0 or by load(): size() is exact from here
  while (!stop.load() && !level.empty()) {
    std::vector<std::uint64_t> base{0};  // global index of each segment's first state
    for (const auto& seg : level) base.push_back(base.back() + seg.size());
    const std::uint64_t width = base.back();
    if (width == 0) break;
    r.depth = depth;
    if (o.max_depth && depth >= o.max_depth) {
      // Expand nothing further; the states that have successors make the run incomplete.
      bool any = false;
      std::vector<Action> actions;
      Codec codec(p);
      for (std::size_t si = 0; si < level.size(); ++si)
        for (std::size_t i = 0; i < level[si].size(); ++i) {
          const State s = codec.decode(level[si].state(i));
          actions.clear();
          p.actions(s, actions);
          any = any || !actions.empty();
          if (!actions.empty()) continue;
          ++terminal_states;
          if (const int k = PropertySet<State>::first_failing(props.terminal, s); k >= 0)
            record({static_cast<std::uint32_t>(depth), 1, k, Codec::key(level[si].state(i)), depth, base[si] + i, -1});
        }
      if (any) r.cut = Cut::MaxDepth;
      break;
    }

    // The work: chunks of 64 states, a contiguous share of them per worker
    // (detail::Shares); a resumed level first redoes the chunks its
    // checkpoint had not finished.
    constexpr std::uint64_t kChunk = 64;
    const std::vector<std::uint64_t> redo = std::move(resume.redo);
    const std::uint64_t from = std::min(resume.from, width);
    resume.redo = {};
    resume.from = 0;
    const std::uint64_t items = redo.size() + (width - from + kChunk - 1) / kChunk;
    auto chunk_start = [&](std::uint64_t v) { return v < redo.size() ? redo[v] : from + (v - redo.size()) * kChunk; };
    const unsigned workers = static_cast<unsigned>(std::clamp<std::uint64_t>(items, 1, threads));
    detail::Shares shares(items, workers);
    // First what a checkpoint had of this level's successors, then one segment per worker.
    std::vector<LevelSegment> next = std::move(resume.next);
    resume.next = {};
    const std::size_t own = next.size();
    next.resize(own + workers, LevelSegment(kWidth));
    // Room for the next level, reserved up front from the last growth ratio
    // (times 2): reserved pages cost nothing until written, while growing by
    // doubling would copy, and hold up to twice what it needs.
    {
      const double ratio = std::clamp(last_width ? static_cast<double>(width) / static_cast<double>(last_width) : 16.0, 1.0, 16.0);
      const std::uint64_t room = std::min<std::uint64_t>(static_cast<std::uint64_t>(static_cast<double>(width) * ratio * 2) + 1024,
                                                         budget.memory_limit() / 4 / (kWidth ? kWidth + sizeof(Trail::Edge) : 32) / workers);
      for (unsigned wk = 0; wk < workers; ++wk) next[own + wk].reserve(static_cast<std::size_t>(room));
    }
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
    std::vector<Counters> counters(workers);
    const std::uint64_t stored_before = store.size();
    auto stored_now = [&] {
      std::uint64_t n = stored_before;
      for (const auto& c : counters) n += c.added.load(std::memory_order_relaxed);
      return n;
    };
    for (auto& c : counters) c.fired.assign(fired.size() + 8, 0);  // + 8: the heap blocks do not share a line either
    constexpr std::uint64_t kNoChunk = detail::Doing::kNoChunk;
    std::vector<detail::Doing> doing(workers);
    std::atomic<bool> save_due{false};
    auto save_level = [&] {
      std::vector<std::uint64_t> pending;
      std::uint64_t done_t = transitions, done_term = terminal_states;
      std::vector<std::uint64_t> done_f = fired;
      for (unsigned w = 0; w < workers; ++w) {
        const bool partial = doing[w].chunk != kNoChunk;
        if (partial) pending.push_back(doing[w].chunk);
        done_t += partial ? doing[w].transitions : counters[w].transitions;
        done_term += partial ? doing[w].terminals : counters[w].terminals;
        for (std::size_t k = 0; k < fired.size(); ++k) done_f[k] += partial ? doing[w].fired[k] : counters[w].fired[k];
      }
      // The chunks not taken: one by one, but for the run of them that ends
      // the level (and is past the redone ones), saved as where it starts.
      const std::vector<std::uint64_t> left = shares.left();
      std::size_t tail = left.size();
      while (tail > 0 && left[tail - 1] >= redo.size() && left[tail - 1] + (left.size() - tail) + 1 == items) --tail;
      for (std::size_t i = 0; i < tail; ++i) pending.push_back(chunk_start(left[i]));
      const std::uint64_t rest = tail < left.size() ? chunk_start(left[tail]) : width;
      save(level, std::move(pending), rest, next, done_t, done_term, done_f);
    };
    detail::Pauser pauser(static_cast<int>(workers));
    // At a pause: grow the table if it needs it, save if a checkpoint is due.
    auto pause_action = [&] {
      if (!store.grow()) set_cut(Cut::MemoryLimit);
      if (save_due.exchange(false) && !stop.load()) save_level();
    };

    // A worker expands its chunks a group of kGroup states at a time: first
    // every successor's encoding and key, prefetching its slot in the table;
    // then the lookups, in order, whose cache misses now overlap (a lookup is a
    // miss into a table far larger than the caches). Only the new successors
    // are decoded again, for their properties.
    constexpr std::uint64_t kGroup = 8;
    auto work = [&](unsigned w) {
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
      // The cycle proviso (checker/por.hpp): the states expanded only in their
      // persistent action, each with the index of that successor's lookup in
      // `pending` (a successor known without a lookup expands its state at once).
      std::vector<std::pair<std::uint64_t, std::size_t>> reduced;
      std::string pending_bytes;
      std::uint64_t since_check = 0, since_clock = 0, added = 0;
      LevelSegment& out = next[own + w];
      detail::Doing& my = doing[w];
      while (!stop.load(std::memory_order_relaxed)) {
        const std::uint64_t v = shares.take(w);
        if (v == detail::Shares::kNone) break;
        const std::uint64_t first = chunk_start(v), end = std::min(first + kChunk, width);
        my.chunk = first;
        my.transitions = counters[w].transitions;
        my.terminals = counters[w].terminals;
        my.fired.assign(counters[w].fired.begin(), counters[w].fired.begin() + static_cast<std::ptrdiff_t>(fired.size()));
        std::size_t seg = static_cast<std::size_t>(std::upper_bound(base.begin(), base.end(), first) - base.begin() - 1);
        std::uint64_t g = first;
        while (g < end && !stop.load(std::memory_order_relaxed)) {
          pauser.safe_point(pause_action);
          const std::uint64_t group_end = std::min(g + kGroup, end);
          pending.clear();
          pending_bytes.clear();
          reduced.clear();
          bool halt = false;
          // A state without successors: counted, and judged by the terminal properties.
          auto terminal = [&](const State& s, std::string_view here, std::uint64_t h) {
            ++counters[w].terminals;
            if (const int k = PropertySet<State>::first_failing(props.terminal, s); k >= 0)
              halt = record({static_cast<std::uint32_t>(depth), 1, k, Codec::key(here), depth, h, -1});
          };
          // A successor (action k of state h): looked up after the group, unless just met.
          // Returns whether it was known already.
          auto emit = [&](std::string_view bytes, std::uint64_t h, std::uint32_t k) {
            const Fingerprint fp = Codec::key(bytes);
            if (recent[fp & kRecentMask] == fp) return true;  // known: no lookup
            store.prefetch(fp);
            pending_bytes.append(bytes);
            pending.push_back({fp, h, k, static_cast<std::uint32_t>(pending_bytes.size())});
            return false;
          };
          // Actions [from, to) of state s (index h): their successors emitted.
          auto expand = [&](const State& s, std::uint64_t h, std::size_t from, std::size_t to) {
            bool known = false;
            for (std::size_t k = from; k < to; ++k) {
              ++counters[w].transitions;
              ++counters[w].fired[model::kind_of<P>(actions[k])];
              auto t = p.next_state(s, actions[k]);
              if (!t) {  // a self-loop
                known = true;
                continue;
              }
              if (symmetry) *t = canonical(p, std::move(*t), true);
              const std::string_view bytes = codec.encode(*t);
              if constexpr (Exact)
                if (lossy(*t, bytes, codec)) return true;
              known = emit(bytes, h, static_cast<std::uint32_t>(k)) || known;
            }
            return known;
          };
          for (std::uint64_t h = g; h < group_end && !halt; ++h) {
            while (h >= base[seg + 1]) ++seg;
            const std::string_view here = level[seg].state(h - base[seg]);
            if constexpr (kPackedSteps) {
              // The model steps on the word itself: no State is built unless a
              // property needs one (a terminal state) or symmetry does.
              steps.clear();
              p.packed_successors(Codec::word(here), steps);
              if (steps.empty()) terminal(codec.decode(here), here, h);
              for (std::uint32_t k = 0; k < steps.size(); ++k) {
                ++counters[w].transitions;
                ++counters[w].fired[steps[k].kind];
                if (steps[k].self_loop) continue;
                std::uint64_t next_word = steps[k].next;
                if (symmetry) next_word = p.pack(canonical(p, p.unpack(next_word), true));
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
          }
          // Looks up pending[from..] in the table; the new ones join the next level.
          auto insert_pending = [&](std::size_t from) {
            for (std::size_t j = from; j < pending.size() && !halt; ++j) {
              const Pending& x = pending[j];
              const std::size_t from_byte = j ? pending[j - 1].end : 0;
              const std::string_view bytes = std::string_view(pending_bytes).substr(from_byte, x.end - from_byte);
              Result res = store.insert(x.fp, bytes, w);
              while (res == Result::Full && !stop.load()) {  // pause everyone, grow, retry
                pauser.request();
                pauser.safe_point(pause_action);
                res = store.insert(x.fp, bytes, w);
              }
              if (res == Result::New || res == Result::Old) recent[x.fp & kRecentMask] = x.fp;
              if (res != Result::New) continue;
              pending[j].fresh = true;
              if (store.wants_growth(x.fp)) pauser.request();
              ++added;
              out.add(bytes, {static_cast<std::uint32_t>(x.parent), x.action});
              const State t = codec.decode(bytes);
              note_reached(t);
              if (const int bad = PropertySet<State>::first_failing(props.always, t); bad >= 0)
                halt = record({static_cast<std::uint32_t>(depth + 1), 0, bad, x.fp, depth, x.parent, x.action});
            }
          };
          insert_pending(0);
          if constexpr (kNeedsProviso<P>) {
            // The proviso for the states whose persistent successor was not new.
            const std::size_t more = pending.size();
            for (const auto& [h, j] : reduced) {
              if (halt || pending[j].fresh) continue;
              while (h >= base[seg + 1]) ++seg;
              while (h < base[seg]) --seg;
              const State s = codec.decode(level[seg].state(h - base[seg]));
              actions.clear();
              const std::size_t first = checker::enabled(p, s, actions);
              expand(s, h, first, actions.size());
            }
            insert_pending(more);
          }
          if (halt) break;  // the chunk stays unfinished
          g = group_end;
          counters[w].added.store(added, std::memory_order_relaxed);
          if (w == 0 && ++since_check >= 2) {
            since_check = 0;
            if (const Cut c = budget.check(stored_now(), depth, std::min(width, shares.count_left() * kChunk)); c != Cut::None)
              set_cut(c);
          }
          if (checkpointing && ++since_clock >= 32) {
            since_clock = 0;
            if (budget.seconds() >= next_save.load() && !save_due.exchange(true)) pauser.request();
          }
        }
        if (g == end) my.chunk = kNoChunk;
        else break;
      }
      pauser.leave(pause_action);
    };
    if (workers <= 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
      work(0);
      for (auto& t : pool) t.join();
    }
    store.settle();
    if (!stop.load())
      if (const Cut c = budget.check(store.size(), depth, 0, true); c != Cut::None) set_cut(c);
    // Cut short (and not by a violation that ends the search), or a save due: checkpoint.
    if (checkpointing) {
      const Cut c = static_cast<Cut>(cut.load());
      const bool resumable = c == Cut::Interrupted || c == Cut::TimeLimit || c == Cut::MemoryLimit || c == Cut::MaxStates;
      std::unique_lock lock(found_m);
      const bool violation_stop = !o.keep_going && !found.empty();
      lock.unlock();
      if (!violation_stop && (stop.load() ? resumable : (save_due.load() || budget.seconds() >= next_save.load())))
        save_level();
    }
    for (unsigned w = 0; w < workers; ++w) {
      transitions += counters[w].transitions;
      terminal_states += counters[w].terminals;
      for (std::size_t k = 0; k < fired.size(); ++k) fired[k] += counters[w].fired[k];
    }
    // The next level: its edges go to the trail, its states stay packed.
    std::vector<Trail::Part> parts;
    std::uint64_t next_width = 0;
    for (auto& seg : next) {
      parts.push_back(std::move(seg.edges));
      next_width += seg.size();
      seg.edges = {};
    }
    if (next_width > 0) trail.append_level(std::move(parts));
    last_width = width;
    level = std::move(next);
    ++depth;
    if (std::all_of(level.begin(), level.end(), [](const LevelSegment& s) { return s.size() == 0; })) break;
  }
  if (r.cut == Cut::None) r.cut = static_cast<Cut>(cut.load());

  // Report the violations: per property the smallest (depth, fingerprint), in property order.
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) { return a.key() < b.key(); });
  std::vector<bool> reported(props.always.size() + props.terminal.size());
  std::vector<Candidate> chosen;
  for (const auto& c : found) {
    const auto slot = static_cast<std::size_t>(c.expectation ? static_cast<int>(props.always.size()) + c.property : c.property);
    if (reported[slot]) continue;
    reported[slot] = true;
    chosen.push_back(c);
    if (!o.keep_going) break;
  }
  for (const auto& c : chosen) {
    Path path = trail.path_to(c.level, c.index);
    if (c.action >= 0) path.actions.push_back(static_cast<std::uint32_t>(c.action));
    const auto& list = c.expectation ? props.terminal : props.always;
    r.violations.push_back({list[static_cast<std::size_t>(c.property)].name, std::move(path)});
  }
  for (std::size_t i = 0; i < reached.size(); ++i) r.reachability[i].reached = reached[i].load();
  for (std::size_t k = 0; k < fired.size(); ++k) r.fired[k].second = fired[k];
  r.transitions = transitions;
  r.terminal_states = terminal_states;
  r.distinct_states = store.size();
  r.collisions = store.collisions();
  r.store_bytes = store.bytes();
  r.seconds = budget.seconds();
  r.peak_rss_bytes = budget.peak_rss();
  r.verdict = final_verdict(r);
  if (!model_error.empty()) throw std::logic_error(model_error);
  return r;
}

// The search, with each state packed into one word when the protocol can
// (model::Packable) and the options allow, else in its variable encoding.
template <model::Protocol P, bool Exact>
Report bfs(const P& p, const Options& o) {
  if constexpr (model::Packable<P> && !Exact)
    if (o.packed && p.packed_bits() > 0) return bfs_with<P, false, PackedCodec<P>>(p, o);
  return bfs_with<P, Exact, VarCodec<P>>(p, o);
}

}  // namespace agree::checker
