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
//
// The layers, each in its own file with its own checkpoint record: the work
// shares and the pauses (work_shares.hpp), the frontier (frontier.hpp), the
// visited table (shared_store.hpp), the trail (trail.hpp), the property
// monitor every search shares (monitor.hpp). This file is the search itself:
// a level's expansion (bfs_level.hpp: the worker) and the run around it.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agree/checker/bfs_level.hpp"
#include "agree/checker/checkpoint.hpp"
#include "agree/checker/codec.hpp"
#include "agree/checker/frontier.hpp"
#include "agree/checker/search_common.hpp"
#include "agree/checker/shared_store.hpp"
#include "agree/checker/trail.hpp"

namespace agree::checker {

template <model::Protocol P, bool Exact, class Codec>
class Bfs : public detail::BfsShared<P, Exact, Codec> {
  using Base = detail::BfsShared<P, Exact, Codec>;
  using State = typename P::State;
  using Action = typename P::Action;
  using Place = detail::Place;
  using Base::kWidth;

 public:
  Bfs(const P& p, const Options& o) : Base(p, o) {}

  Report run() {
    auto& b = *this;
    if (!b.o.resume_path.empty()) load();
    else start();
    b.store.settle();  // the credits taken for level 0 or by load(): size() is exact from here
    while (!b.stop.load() && !b.level.empty()) {
      const std::uint64_t width = level_width();
      if (width == 0) break;
      b.r.depth = b.depth;
      if (b.o.max_depth && b.depth >= b.o.max_depth) {
        last_level_terminals();
        break;
      }
      detail::LevelRun<P, Exact, Codec> level(b, std::move(b.resume), width);
      b.resume = {};
      level.expand();
      level.merge_into(b);
      ++b.depth;
      if (std::all_of(b.level.begin(), b.level.end(), [](const detail::LevelSegment& s) { return s.size() == 0; })) break;
    }
    return finish();
  }

 private:
  std::uint64_t level_width() const {
    std::uint64_t n = 0;
    for (const auto& seg : this->level) n += seg.size();
    return n;
  }

  // Level 0: the initial states.
  void start() {
    auto& b = *this;
    Codec codec(b.p);
    auto inits = b.p.init_states();
    for (std::uint32_t i = 0; i < inits.size(); ++i) {
      inits[i] = canonical(b.p, std::move(inits[i]), b.symmetry);
      const std::string_view bytes = codec.encode(inits[i]);
      if (b.lossy(inits[i], bytes, codec)) throw std::logic_error(b.model_error);
      const Fingerprint fp = Codec::key(bytes);
      if (b.store.insert(fp, bytes) != ConcurrentFingerprintSet::Result::New) continue;
      b.level[0].add(bytes, {Trail::kRoot, i});
      const std::uint64_t index = b.level[0].size() - 1;
      if (b.monitor.on_discover(inits[i], [&] { return Place{0, fp, 0, index, -1}; })) b.stop.store(true);
    }
    b.trail.append_level(std::move(b.level[0].edges));
    b.level[0].edges = {};
  }

  // At --max-depth: expand nothing further; the states that have successors
  // make the run incomplete, the others are terminal.
  void last_level_terminals() {
    auto& b = *this;
    bool any = false;
    std::vector<Action> actions;
    Codec codec(b.p);
    std::uint64_t base = 0;
    for (const auto& seg : b.level) {
      for (std::size_t i = 0; i < seg.size(); ++i) {
        const State s = codec.decode(seg.state(i));
        actions.clear();
        b.p.actions(s, actions);
        any = any || !actions.empty();
        if (!actions.empty()) continue;
        ++b.terminal_states;
        const Place here{static_cast<std::uint32_t>(b.depth), Codec::key(seg.state(i)), b.depth, base + i, -1};
        b.monitor.on_terminal(s, [&] { return here; });
      }
      base += seg.size();
    }
    if (any) b.r.cut = Cut::MaxDepth;
  }

  // Reads a checkpoint back: refuses one made for anything else.
  void load() {
    auto& b = *this;
    std::error_code ec;
    if (const int k = checkpoint_ranks(b.o.resume_path); k > 0 && !std::filesystem::exists(b.o.resume_path, ec))
      throw std::invalid_argument("--resume " + b.o.resume_path + ": the checkpoint was written by " + std::to_string(k) +
                                  " ranks: resume it with mpirun -np " + std::to_string(k));
    CheckpointReader in(b.o.resume_path);
    in.expect_identity(b.identity);
    b.depth = static_cast<std::size_t>(in.u64());
    b.transitions = in.u64();
    b.terminal_states = in.u64();
    if (in.u64() != b.fired.size()) in.corrupt("wrong number of action kinds");
    for (auto& f : b.fired) f = in.u64();
    b.store.load(in);
    const std::vector<std::uint64_t> sizes = b.trail.load(in);
    if (sizes.size() != b.depth + 1) in.corrupt("the trail does not match the depth");
    b.monitor.load(in, [&](CheckpointReader& r) {
      Place c;
      c.depth = static_cast<std::uint32_t>(r.u64());
      c.fp = r.u64();
      c.level = static_cast<std::size_t>(r.u64());
      c.index = r.u64();
      c.action = static_cast<std::int64_t>(r.u64());
      if (c.level > b.depth || c.index >= sizes[c.level]) r.corrupt("bad violation record");
      return c;
    });
    b.resume.load(in, kWidth, sizes.back(), detail::kChunk);
    in.finish();
    // Every state must decode here, where a failure is one line, not in a worker thread.
    const Codec codec(b.p);
    for (const auto* segs : {&b.resume.level, &b.resume.next})
      for (const auto& seg : *segs)
        for (std::size_t i = 0; i < seg.size(); ++i)
          if (!codec.valid(seg.state(i))) in.corrupt("a saved state does not decode");
    b.level = std::move(b.resume.level);
    b.r.depth = b.depth;
    if (b.monitor.stopped()) b.stop.store(true);
  }

  // The report: per property the violation of the smallest (depth, fingerprint).
  Report finish() {
    auto& b = *this;
    Report& r = b.r;
    if (r.cut == Cut::None) r.cut = static_cast<Cut>(b.cut.load());
    using Found = typename decltype(b.monitor)::Found;
    const auto chosen = b.monitor.chosen([](const Found& x, const Found& y) {
      return std::tie(x.where.depth, x.slot, x.where.fp) < std::tie(y.where.depth, y.slot, y.where.fp);
    });
    for (const auto& c : chosen) {
      Path path = b.trail.path_to(c.where.level, c.where.index);
      if (c.where.action >= 0) path.actions.push_back(static_cast<std::uint32_t>(c.where.action));
      r.violations.push_back({b.monitor.name(c.slot), std::move(path)});
    }
    b.monitor.report(r);
    for (std::size_t k = 0; k < b.fired.size(); ++k) r.fired[k].second = b.fired[k];
    r.transitions = b.transitions;
    r.terminal_states = b.terminal_states;
    r.distinct_states = b.store.size();
    r.collisions = b.store.collisions();
    r.store_bytes = b.store.bytes();
    r.seconds = b.budget.seconds();
    r.peak_rss_bytes = b.budget.peak_rss();
    r.verdict = final_verdict(r);
    if (!b.model_error.empty()) throw std::logic_error(b.model_error);
    return std::move(r);
  }
};

template <model::Protocol P, bool Exact, class Codec>
Report bfs_with(const P& p, const Options& o) {
  check_checkpoint_options(o, "bfs");
  return Bfs<P, Exact, Codec>(p, o).run();
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
