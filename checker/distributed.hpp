// checker/distributed.hpp — the breadth-first search on K ranks, partitioned
// by hash as in LTSmin's pins2lts-dist, DiVinE and PReach. The ranks talk
// through a checker::Transport (checker/transport.hpp): MPI processes, or
// threads of one process in the tests.
//
// Ownership. Rank owner(fp) owns the states of fingerprint fp: the high bits
// of the fingerprint pick it, so each rank's own table, indexed by the low
// bits, stays uniform. A rank keeps its part of the visited table, of each
// level and of the parent edges; nothing is shared.
//
// A level. A rank expands the states it owns of level d. A successor it owns
// is looked up at once; one another rank owns is appended to that rank's
// batch with its parent's index and its action's (varints, then the state's
// encoding: about 11 bytes a packed state), and a batch leaves (without
// waiting) when it reaches kBatchBytes. After every few states the rank takes
// in the batches that have reached it and looks their states up. When its
// states are done it sends every peer its last batch, flagged, and takes in
// batches until it has one flagged batch from every peer: messages between two
// ranks arrive in the order sent, so it then holds every successor of level d
// that it owns. One reduction over every rank then gives the next level's
// width, whether a property failed and whether a limit cut the search, so the
// ranks stop, or go on, together; no rank starts level d+1 before every rank
// has ended level d.
//
// The same answers for every K: distinct states, transitions (per kind),
// terminal states and depth are sums and maxima of what the ranks did, and
// every rank sees each state once. A level in which a property fails is
// finished on every rank; each rank keeps, per property, its least violating
// state by (depth, fingerprint), and the violation reported is the least by
// (depth, property, fingerprint) over every rank: a shortest counterexample,
// ending in the same state for every K (the path to it is the first one its
// owner met, which may differ with K). With --keep-going it is the least one
// of each property. Its path is rebuilt back to an initial state by asking
// the owner of each parent in turn (a broadcast a step; a trace has tens of
// steps). One process stops
// at the first violation it meets instead of finishing the level, so on a
// violation its figures are those of a part of that level.
//
// Reductions: symmetry and the partial-order reduction apply per state, as in
// one process (agree::check wraps the model in the POR layer before it comes
// here). A model with cycles needs the reduction's cycle proviso
// (checker/por.hpp), which one process decides by asking whether the
// persistent action's successor was new: here its owner may be another rank,
// and the answer would depend on the order in which states arrive, so on K.
// The search applies a *static* proviso instead, decided from the state and
// its successor alone: a state whose persistent successor's encoding is not
// greater than its own (bytes compared in lexicographic order; a self-loop
// included) is expanded fully. Sound: the encoding is one-to-one, so along a
// cycle of the reduced graph the encodings cannot rise at every step, and
// every cycle has a state expanded fully — condition C3 of ample sets in its
// cycle form (Clarke, Grumberg and Peled, Model Checking, 1999, ch. 10), with
// which por.hpp's argument goes through unchanged. (Kurshan, Levin, Minea,
// Peled and Yenigün's static partial-order reduction, 1998, breaks every
// cycle the same way, by a rule known before the search.) Any order of the
// states would be sound; that of the encodings is chosen because a model's
// progress mostly raises it (a counter or a log's length grows, a flag is
// set), so that a persistent action which makes progress keeps its
// reduction; fingerprints, in random order, cost it at about every other
// state (tests/distributed_proviso_test.cpp's five walkers of four steps:
// 22 states of 6,250 in this order, as in one process; 4,348 in the order of
// fingerprints, measured when this order was chosen). Under
// symmetry the encodings are those of the canonical states, and the argument
// holds on the quotient graph. The reduced graph depends on the states alone,
// so it is the same for every K and every thread count (one process's
// proviso decides by another rule, so a cyclic model's reduced count may
// differ between one process and K ranks; its verdicts do not). An acyclic
// model (kAcyclic) needs neither.
//
// Limits are per rank (--memory-limit, --time-limit, an interrupt; without
// --memory-limit, 90% of the machine's memory divided among the ranks on
// it, Transport::local_size()), checked as the rank expands; a cut rank
// stops expanding and ends its level as the others do, its last batches
// flagged (kCutLast) so that they stop expanding too, and the reduction ends
// the search everywhere as incomplete. --max-states and --max-depth count the
// whole search, at level ends.
//
// Faults. No wait is unbounded (Transport::bound_waits): a rank that hears
// nothing from its peers for Options::peer_timeout seconds, or that is
// interrupted and cannot finish with the others within 0.3 s, gets
// TransportError, and its search ends as incomplete (Cut::LostRank) with the
// figures of the last level every rank finished (states, transitions,
// terminal states, depth: the level-end reduction carries them). A rank that
// expands sends each peer a batch, empty if need be, at least once a second
// (a quarter of the timeout, if that is less), so silence means a rank
// stopped, not a long level; a collective that does not end within the
// timeout means the same. Open MPI reports no error for a dead peer: mpirun
// sends the others SIGTERM (the interrupt here) a second after the death,
// and SIGKILL a second later.
//
// Checkpoints: one file per rank, saved together or not at all
// (distributed_checkpoint.hpp).
//
// Threads inside a rank (Options::threads; the command line's default is the
// machine's cores shared among the ranks on it). The rank's threads take the
// level in chunks of kChunk states and look their successors up in one table
// (checker/striped_store.hpp); each keeps its own batches for the peers and
// its own part of the next level and of its parent edges, joined in thread
// order at the level's end. Only the rank's first thread talks to the peers
// (MPI_THREAD_FUNNELED): it sends the batches the others hand it, and puts
// the batches that arrive in an inbox that every thread takes from. Its last
// batch of a level leaves after every batch of the others. A claimed chunk is
// always finished, so the states expanded when a rank is cut are still the
// level's first ones, as a checkpoint needs.
//
// Not here yet: the liveness check, and the parent edges on disk (they are in
// memory, 16 bytes a state).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "agree/checker/checkpoint.hpp"
#include "agree/checker/codec.hpp"
#include "agree/checker/page_allocator.hpp"
#include "agree/checker/por.hpp"
#include "agree/checker/search_common.hpp"
#include "agree/checker/store.hpp"
#include "agree/checker/striped_store.hpp"
#include "agree/checker/transport.hpp"
#include "agree/checker/varint.hpp"

namespace agree::checker {

namespace detail {

inline int owner_of(Fingerprint fp, int ranks) {
  return static_cast<int>((static_cast<unsigned __int128>(fp) * static_cast<unsigned>(ranks)) >> 64);
}

inline void put_u64(std::string& out, std::uint64_t v) { varint::put(out, v); }

inline std::uint64_t get_u64(std::string_view in, std::size_t& at) {
  if (const auto v = varint::get(in, at)) return *v;
  throw TransportError("distributed search: a malformed message from another rank");
}

// The states of one level on one rank, encoded back to back.
struct RankLevel {
  PageString bytes;  // (mapped when large, as the one-process frontier: checker/page_allocator.hpp)
  PageVector<std::uint64_t> starts;
  [[nodiscard]] std::size_t size() const { return starts.size(); }
  [[nodiscard]] std::string_view state(std::size_t i) const {
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : bytes.size();
    return std::string_view(bytes).substr(starts[i], end - starts[i]);
  }
  void add(std::string_view s) {
    starts.push_back(bytes.size());
    bytes.append(s);
  }
  // Level o's states after this one's (the caller reserves the room).
  void append(const RankLevel& o) {
    const std::uint64_t base = bytes.size();
    for (const std::uint64_t s : o.starts) starts.push_back(base + s);
    bytes.append(o.bytes);
  }
};

}  // namespace detail

template <model::Protocol P, class Store, class Codec>
class DistributedBfs {
  using State = typename P::State;
  using Action = typename P::Action;
  // How a state was first reached: its parent (the rank that owns it, its
  // index in the previous level) and the action, or kRoot and the initial
  // state's index.
  struct Edge {
    std::uint32_t from = 0, choice = 0;
    std::uint64_t parent = 0;
  };
  struct Where {
    std::uint64_t depth = 0;
    Fingerprint fp = 0;
    std::uint64_t level = 0, index = 0;  // the violating state, on the rank that found it
    std::uint64_t rank = 0;
  };
  static constexpr std::uint64_t kRoot = ~std::uint64_t{0};
  static constexpr std::size_t kBatchBytes = 1 << 16;
  static constexpr char kData = 'd', kLast = 'l', kCutLast = 'c';  // a batch, the last of a level, the last of a cut rank
  static constexpr bool kPackedSteps = Codec::kExactKeys && model::PackedSuccessors<P>;
  struct Lookup {  // a successor's lookup, queued (discover)
    Fingerprint fp;
    std::uint64_t parent;
    std::uint32_t from, choice;
    std::size_t at, size;  // its bytes in Worker::queue_bytes
  };
  static constexpr std::size_t kAhead = 32;
  static constexpr std::uint64_t kChunk = 64;  // states a thread claims at a time
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  // A state found by thread w > 0 is numbered (w << kPartShift) + its index in
  // w's part of the next level until the parts are joined (join_parts).
  static constexpr int kPartShift = 48;
  // Each thread's fingerprints met lately (as the one-process search's
  // bfs_worker.hpp): in this rank's table, or sent to their owner before. A
  // successor met there again is known to its owner, or will be by the time
  // it could arrive there (a peer takes one rank's batches in the order sent,
  // and every batch is sent before the level ends): neither looked up nor
  // sent again. Its transition is counted all the same. Fingerprints only: a
  // store of full states (--exact) must compare the states.
  static constexpr bool kRecent = !Store::kExact;
  static constexpr std::size_t kRecentMask = (std::size_t{1} << 16) - 1;

  // What one thread of the rank keeps while it expands a level: its codec and
  // the states it builds (their containers keep their storage between
  // states), its batch for each peer, its queue of lookups, its counters, and
  // its part of the next level and of that level's parent edges.
  struct alignas(64) Worker {
    Worker(const P& p, int peers, unsigned n, std::size_t kinds)
        : codec(p), out(static_cast<std::size_t>(peers)), recent(kRecent ? kRecentMask + 1 : 0), fired(kinds), id(n) {}
    Codec codec;
    std::vector<std::string> out;  // a batch for each peer
    std::vector<Lookup> queue;     // lookups to do, their slots prefetched
    std::string queue_bytes;
    std::vector<Action> actions;
    std::vector<model::PackedStep> steps;
    State parent, scratch, found;  // the state expanded, a successor being built, a new one being judged
    detail::RankLevel next;
    PageVector<Edge> edges;
    std::vector<Fingerprint> recent;  // (kRecent)
    std::vector<std::uint64_t> fired;
    std::uint64_t transitions = 0, terminal_states = 0;
    bool violated = false;
    const unsigned id;
  };

 public:
  DistributedBfs(const P& p, const Options& o, Transport& t)
      : p_(p), o_(o), t_(t), k_(t.size()), me_(t.rank()), codec_(p), r_(first_report()), monitor_(p.properties(), o, r_),
        budget_(o, t.local_size()), symmetry_(uses_symmetry<P>(o)), threads_(std::max(1u, o.threads)), fired_(r_.fired.size()) {
    store_.set_threads(threads_);
    for (unsigned w = 0; w < threads_; ++w) workers_.push_back(std::make_unique<Worker>(p_, k_, w, fired_.size()));
    // A level is finished after a violation: keep one per property, the least,
    // so that neither the order of arrival nor K changes which one.
    monitor_.keep_least([](const Where& a, const Where& b) { return std::tie(a.depth, a.fp) < std::tie(b.depth, b.fp); });
    t_.bound_waits(o.peer_timeout, kGrace, o.interrupt);
  }

  Report run() {
    try {
      return search();
    } catch (const TransportError& e) {
      return lost(e.what());
    }
  }

 private:
  // Seconds to stop together once interrupted: mpirun sends SIGKILL a second
  // after its SIGTERM, and rank 0 must have reported by then.
  static constexpr double kGrace = 0.3;
  // The waits of a save, even once interrupted: the slowest rank's write and
  // fsync of its file. (Under mpirun, Ctrl-C's SIGKILL may come first, a
  // second after its SIGTERM; the previous save then stands. SIGUSR1 has no
  // SIGKILL after it.)
  static constexpr double kSavePatience = 600;
  using Clock = std::chrono::steady_clock;

  Report search() {
    begin_checkpoints();
    bool resumed = !o_.resume_path.empty();
    if (resumed) resume();
    else start();
    for (;; resumed = false) {
      if (!resumed) {  // a resume goes on with the level it saved
        if (collect({next_.size()}, Transport::Op::Sum)[0] == 0) break;
        before_ = cur_.size();
        cur_ = std::move(next_);
        next_ = {};
        from_ = 0;
        if (stop_levels()) {
          // --max-states, which every rank sees here: a level's start, saved
          // as such; not after a violation, where the search ends anyway.
          if (checkpointing_ && r_.cut == Cut::MaxStates && !violation_stop_) save();
          break;
        }
      }
      r_.depth = depth_;
      if (o_.max_depth && depth_ >= o_.max_depth) {
        last_level_terminals();
        break;
      }
      if (!resumed && save_due()) save();
      expand_level();
      // A rank cut short (or stopped by one that was) may have left part of
      // its level: saved with the rest, the search can go on from there.
      // (The next stop_levels() then ends the search with that cut, never MaxStates.)
      if (checkpointing_ && collect({cut_ != Cut::None || peer_cut_ ? 1u : 0u}, Transport::Op::Max)[0] != 0) save();
      ++depth_;
    }
    return finish();
  }

  // The run ends without the others: the figures of the last level every
  // rank finished, which each rank has from the level-end reduction.
  Report lost(const std::string& why) {
    r_.cut = Cut::LostRank;
    r_.seconds = budget_.seconds();
    r_.peak_rss_bytes = budget_.peak_rss();
    r_.verdict = final_verdict(r_);
    if (o_.notice) o_.notice("warning: distributed search: " + why + "; the figures are those of the last level every rank finished");
    return std::move(r_);
  }

  static Report first_report() {
    Report r;
    r.exact = Store::kExact || Codec::kExactKeys;
    r.store = Store::kExact ? "exact (full states)" : Codec::kExactKeys ? "packed (64-bit words, exact)" : "fingerprints (64-bit)";
    r.fired = zero_fired<P>();
    return r;
  }

  // Level 0: the initial states this rank owns.
  void start() {
    auto inits = p_.init_states();
    edges_.emplace_back();
    for (std::uint32_t i = 0; i < inits.size(); ++i) {
      const State s = canonical(p_, std::move(inits[i]), symmetry_);
      const std::string_view bytes = codec_.encode(s);
      if (codec_.decode(bytes) != s)
        throw std::logic_error(std::string(model::name_of<P>()) +
                               ": two different states have one encoding: State::fields() leaves out a member (or pack() loses one)");
      const Fingerprint fp = Codec::key(bytes);
      if (detail::owner_of(fp, k_) != me_ || !store_.insert(fp, bytes)) continue;
      next_.add(bytes);
      edges_[0].push_back({static_cast<std::uint32_t>(me_), i, kRoot});
      if (monitor_.on_discover(s, [&] { return Where{0, fp, 0, next_.size() - 1, static_cast<std::uint64_t>(me_)}; }))
        violated_ = true;
    }
  }

  // Whether the search ends here: a violation (without --keep-going), a cut
  // on some rank, or --max-states reached.
  bool stop_levels() {
    const auto v = collect({violated_ && !o_.keep_going ? 1u : 0u, static_cast<std::uint64_t>(cut_)}, Transport::Op::Max);
    const auto sums = collect(figures(), Transport::Op::Sum);
    fill(sums, r_);  // the figures so far, should a rank be lost later (lost())
    r_.depth = depth_;
    if (v[1] != 0) r_.cut = static_cast<Cut>(v[1]);
    else if (o_.max_states && sums[0] >= o_.max_states) r_.cut = Cut::MaxStates;
    violation_stop_ = v[0] != 0;
    return violation_stop_ || r_.cut != Cut::None;
  }

  // This rank's running figures, in the order fill() reads their sums.
  [[nodiscard]] std::vector<std::uint64_t> figures() const {
    std::vector<std::uint64_t> v{store_.size(), transitions_, terminal_states_, store_.collisions(), store_.bytes()};
    v.insert(v.end(), fired_.begin(), fired_.end());
    return v;
  }
  // The sums over every rank of figures() into `r`; returns where they end in `sums`.
  std::size_t fill(const std::vector<std::uint64_t>& sums, Report& r) const {
    r.distinct_states = sums[0];
    r.transitions = sums[1];
    r.terminal_states = sums[2];
    r.collisions = sums[3];
    r.store_bytes = sums[4];
    for (std::size_t k = 0; k < fired_.size(); ++k) r.fired[k].second = sums[5 + k];
    return 5 + fired_.size();
  }

  // The states of cur_ from from_ on; from_ ends at the first one left (a cut).
  // The states of cur_ from from_ on, on the rank's threads; from_ ends at
  // the first one left (a cut). Worker 0 is this thread, the one that talks
  // to the peers.
  void expand_level();
  void reserve_parts();
  void expand_mine(Worker& w);
  void help(Worker& w);
  void expand(Worker& w, std::uint64_t h);
  std::uint64_t claim();
  void communicate(Worker& w, Clock::time_point& beat);
  void join_parts();
  void take_counters();
  void fail(std::exception_ptr e);

  // The successors of a state (distributed_threads.hpp).
  void terminal(Worker& w, const State& s, std::string_view bytes, std::uint64_t h);
  void packed_successors(Worker& w, std::string_view here, std::uint64_t h);
  bool successor(Worker& w, const State& s, const Action& a, std::uint64_t h, std::uint32_t k);

  // The exchange of successors between ranks (distributed_exchange.hpp).
  void route(Worker& w, std::string_view bytes, std::uint64_t h, std::uint32_t k);
  void discover(Worker& w, std::string_view bytes, Fingerprint fp, std::uint32_t from, std::uint64_t parent, std::uint32_t choice);
  void drain(Worker& w);
  void look_up(Worker& w, const Lookup& q, std::string_view bytes);
  void send(int to, char kind);
  void send_handed();
  int take_in(bool wait);
  void process(Worker& w, const Transport::Message& m);
  bool serve_one(Worker& w);
  bool serve_waiting(Worker& w);
  void close_inbox();
  void end_level();

  std::vector<std::uint64_t> collect(std::vector<std::uint64_t> v, Transport::Op op) {
    const auto t0 = std::chrono::steady_clock::now();
    auto out = t_.reduce(std::move(v), op);
    waiting_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
  }

  // At --max-depth: the states with successors make the run incomplete, the others are terminal.
  void last_level_terminals();

  Report finish();
  // Checkpoints (distributed_checkpoint.hpp).
  void begin_checkpoints();
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spread(const std::vector<std::uint64_t>& v);
  std::string first_reason(const std::string& why);
  void together(const std::string& why);
  bool save_due();
  void save();
  void resume();
  void load();
  void read(CheckpointReader& in);
  void check_parents();
  std::vector<std::pair<std::size_t, Where>> violations();
  Path path_to(Where w);

  const P& p_;
  const Options& o_;
  Transport& t_;
  const int k_, me_;
  Codec codec_;
  Report r_;
  Monitor<State, Where> monitor_;
  // Lines apart: this thread writes the budget's tick at every state, and
  // every thread reads the store's pointer at every lookup.
  alignas(64) Budget budget_;
  alignas(64) detail::StripedStore<Store> store_;
  const bool symmetry_;
  const unsigned threads_;
  detail::RankLevel cur_, next_;       // the level being expanded, the next one
  std::uint64_t before_ = 0;           // the size of the level before cur_ (reserve_parts)
  std::vector<PageVector<Edge>> edges_;  // per level, how each of its states was reached
  std::vector<std::uint64_t> fired_;
  std::vector<std::unique_ptr<Worker>> workers_;  // workers_[0]: this thread
  // Within a level: the next chunk to claim, whether to claim no more, how
  // many helper threads are done expanding; the batches they hand this
  // thread to send; the batches from the peers, and whether more will come;
  // a helper's failure (rethrown here).
  // (Each written in a level on a line of its own, apart from what the threads read at every state.)
  alignas(64) std::atomic<std::uint64_t> claimed_{0};
  alignas(64) std::atomic<bool> stop_claims_{false}, failed_{false};
  std::atomic<unsigned> expanded_{0};
  alignas(64) std::mutex handed_m_;
  std::vector<std::pair<int, std::string>> handed_;
  alignas(64) std::mutex inbox_m_;
  std::condition_variable inbox_ready_;
  std::deque<Transport::Message> inbox_;
  bool inputs_done_ = false;  // (under inbox_m_)
  std::exception_ptr failure_;  // (under inbox_m_)
  alignas(64) std::uint64_t states_seen_ = 0;  // store_.size() when last read
  std::uint64_t sent_ = 0, received_ = 0;
  double waiting_ = 0;
  int lasts_ = 0;  // the peers whose last batch of this level has come
  alignas(64) std::uint64_t depth_ = 0, transitions_ = 0, terminal_states_ = 0;
  bool violated_ = false;
  bool violation_stop_ = false;  // the last stop_levels(): every rank saw a violation (without --keep-going)
  bool peer_cut_ = false;  // a peer was cut: stop expanding, the search ends at this level's end
  // How often a rank that expands sends each peer a batch: well within their patience.
  const std::chrono::duration<double> beat_every_{std::min(1.0, o_.peer_timeout / 4)};
  Cut cut_ = Cut::None;
  std::uint64_t from_ = 0;  // the first state of cur_ not expanded yet
  // Checkpoints: whether this run saves or resumes, what for, this run's id,
  // the number of the last save published, when the next is due.
  const bool checkpointing_ = !o_.checkpoint_path.empty() || !o_.resume_path.empty();
  const std::string save_path_ = o_.checkpoint_path.empty() ? o_.resume_path : o_.checkpoint_path;
  CheckpointIdentity identity_;
  std::uint64_t run_id_ = 0, save_number_ = 0;
  double next_save_ = 0;
};

}  // namespace agree::checker

#include "agree/checker/distributed_checkpoint.hpp"
#include "agree/checker/distributed_exchange.hpp"
#include "agree/checker/distributed_paths.hpp"
#include "agree/checker/distributed_threads.hpp"
