// checker/distributed_paths.hpp — the end of a distributed search
// (checker/distributed.hpp): the figures summed over every rank, the
// violations chosen over every rank, and each counterexample's path rebuilt
// by asking, step by step back to an initial state, the rank that owns the
// parent. Every rank runs this and returns the same Report.
#pragma once

#include "agree/checker/distributed.hpp"

namespace agree::checker {

template <model::Protocol P, class Store, class Codec>
Report DistributedBfs<P, Store, Codec>::finish() {
  using Op = Transport::Op;
  // Built aside: should a rank be lost before the end, r_ keeps the figures
  // of the last complete level (lost()).
  Report out = r_;
  if (const auto c = static_cast<Cut>(collect({static_cast<std::uint64_t>(cut_)}, Op::Max)[0]); out.cut == Cut::None) out.cut = c;
  auto sums = figures();
  // Each rank's own figures, in its own slots of a sum.
  const std::size_t mine = sums.size() + 4 * static_cast<std::size_t>(me_);
  sums.resize(sums.size() + 4 * static_cast<std::size_t>(k_), 0);
  sums[mine] = store_.size();
  sums[mine + 1] = sent_;
  sums[mine + 2] = received_;
  sums[mine + 3] = static_cast<std::uint64_t>(waiting_ * 1e6);
  sums = collect(std::move(sums), Op::Sum);
  const std::size_t ranks = fill(sums, out);
  for (int k = 0; k < k_; ++k) {
    const std::size_t at = ranks + 4 * static_cast<std::size_t>(k);
    out.ranks.push_back({sums[at], sums[at + 1], sums[at + 2], static_cast<double>(sums[at + 3]) / 1e6});
  }
  monitor_.report(out);
  std::vector<std::uint64_t> reached;
  for (const auto& x : out.reachability) reached.push_back(x.reached ? 1 : 0);
  reached.push_back(budget_.peak_rss());
  reached = collect(std::move(reached), Op::Max);
  for (std::size_t i = 0; i < out.reachability.size(); ++i) out.reachability[i].reached = reached[i] != 0;
  out.peak_rss_bytes = reached.back();
  for (const auto& [slot, where] : violations()) out.violations.push_back({monitor_.name(slot), path_to(where)});
  out.seconds = budget_.seconds();
  out.verdict = final_verdict(out);
  return out;
}

// The violations to report, chosen over every rank: per property the least
// by (depth, property, fingerprint); only the least of all without --keep-going.
template <model::Protocol P, class Store, class Codec>
auto DistributedBfs<P, Store, Codec>::violations() -> std::vector<std::pair<std::size_t, Where>> {
  using Found = typename Monitor<State, Where>::Found;
  const auto less = [](const Found& x, const Found& y) {
    return std::tie(x.where.depth, x.slot, x.where.fp) < std::tie(y.where.depth, y.slot, y.where.fp);
  };
  std::vector<Found> all;
  for (int r = 0; r < k_; ++r) {
    std::string bytes;
    if (r == me_)
      for (const Found& f : monitor_.chosen(less))
        for (const std::uint64_t v : {std::uint64_t{f.slot}, f.where.depth, f.where.fp, f.where.level, f.where.index, f.where.rank})
          detail::put_u64(bytes, v);
    const std::string got = t_.broadcast(r, std::move(bytes));
    for (std::size_t at = 0; at < got.size();) {
      Found f;
      f.slot = static_cast<std::size_t>(detail::get_u64(got, at));
      f.where.depth = detail::get_u64(got, at);
      f.where.fp = detail::get_u64(got, at);
      f.where.level = detail::get_u64(got, at);
      f.where.index = detail::get_u64(got, at);
      f.where.rank = detail::get_u64(got, at);
      all.push_back(f);
    }
  }
  std::stable_sort(all.begin(), all.end(), less);
  std::vector<std::pair<std::size_t, Where>> out;
  std::vector<std::size_t> seen;
  for (const Found& f : all) {
    if (std::find(seen.begin(), seen.end(), f.slot) != seen.end()) continue;
    seen.push_back(f.slot);
    out.emplace_back(f.slot, f.where);
    if (!o_.keep_going) break;
  }
  return out;
}

// The path to a state, from its parent edges: each step back asks the rank
// that owns the state for its edge (a broadcast from that rank).
template <model::Protocol P, class Store, class Codec>
Path DistributedBfs<P, Store, Codec>::path_to(Where w) {
  Path path;
  std::uint64_t rank = w.rank, level = w.level, index = w.index;
  for (;;) {
    std::string bytes;
    if (rank == static_cast<std::uint64_t>(me_)) {
      const Edge& e = edges_.at(level).at(index);
      for (const std::uint64_t v : {std::uint64_t{e.from}, std::uint64_t{e.choice}, e.parent}) detail::put_u64(bytes, v);
    }
    const std::string got = t_.broadcast(static_cast<int>(rank), std::move(bytes));
    std::size_t at = 0;
    const std::uint64_t from = detail::get_u64(got, at), choice = detail::get_u64(got, at), parent = detail::get_u64(got, at);
    if (level == 0) {
      path.init = static_cast<std::uint32_t>(choice);
      break;
    }
    path.actions.push_back(static_cast<std::uint32_t>(choice));
    rank = from;
    index = parent;
    --level;
  }
  std::reverse(path.actions.begin(), path.actions.end());
  return path;
}

// The search on the ranks of o.transport, each state packed into one word
// when the protocol can (model::Packable) and the options allow.
template <model::Protocol P>
Report distributed_bfs(const P& p, const Options& o) {
  check_checkpoint_options(o, "bfs");
  if (o.exact) return DistributedBfs<P, ExactStore, VarCodec<P>>(p, o, *o.transport).run();
  if constexpr (model::Packable<P>)
    if (o.packed && p.packed_bits() > 0) return DistributedBfs<P, FingerprintStore, PackedCodec<P>>(p, o, *o.transport).run();
  return DistributedBfs<P, FingerprintStore, VarCodec<P>>(p, o, *o.transport).run();
}

}  // namespace agree::checker
