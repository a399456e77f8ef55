// checker/distributed_checkpoint.hpp — the distributed search saved to files,
// one per rank, and resumed on as many ranks (--checkpoint, --resume under
// mpirun). Included at the end of checker/distributed.hpp.
//
// Where. Rank R of K writes PATH.rank-R-of-K, a checkpoint file as one
// process writes (checker/checkpoint.hpp: magic, format, identity, XXH3
// checksum), whose records are the rank's own: K, R, the run's id and the
// save's number and id; the counters of the work done (depth, transitions, terminal
// states, actions fired); its visited fingerprints; its parent edges per
// level; its property monitor; the level being expanded, the index of its
// first state not expanded yet, and the part of the next level found so far.
//
// When. At a level's start, once --checkpoint-every minutes
// (Options::checkpoint_every seconds) have passed since the last save (rank 0's clock, broadcast through a reduction, so every rank
// saves at the same level), and at a level's end when a limit or an
// interruption cut a rank short: every rank has then taken in every batch of
// the level (end_level), so what each has is consistent — the states it
// stored are in the levels saved or in the next one, and the states of its
// level from `from` on are still to expand. A lost rank cannot be saved from:
// the last save stands.
//
// All or nothing. A set of files is only usable if every one of them comes
// from the same save, yet K renames cannot be atomic together. So a save
// goes in two steps: every rank writes and fsyncs its new file beside the
// old (CheckpointWriter::prepare); a reduction tells whether every rank
// succeeded, and only then does each rank keep its previous file as
// PATH.rank-R-of-K.prev (a hard link) and rename the new one over it
// (publish). If any rank failed, none publishes: the previous set stands. A
// crash between the renames leaves some ranks with save n and the others with
// save n-1; a resume finds the least number over the ranks, and the ranks
// that hold a newer file read their .prev, which is save n-1 of the same run.
// Each save has a random id, in every rank's file, and a resume takes only
// files of one id: two runs resumed from one checkpoint into one path number
// their saves alike, and a crash of one must not mix its files with the
// other's. The waits of a save are bounded by kSavePatience (600 s), not
// --peer-timeout: they wait for the slowest rank's write and fsync.
//
// Refused on every rank with the reason of the lowest rank that has one
// (std::invalid_argument, exit 2; the command line prints rank 0's): another number
// of ranks than wrote the files (it says how many did: "mpirun -np K"); a
// checkpoint of one process (PATH itself, without .rank- files); files of two
// runs or two saves, or of saves too far apart; and, as for one process, another model,
// parameters, reduction or properties, --exact, and a corrupt file.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <algorithm>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "agree/checker/checkpoint.hpp"
#include "agree/checker/distributed.hpp"

namespace agree::checker {

namespace detail {
// A save's id: 64 random bits.
inline std::uint64_t random_id() {
  std::random_device bits;
  return (static_cast<std::uint64_t>(bits()) << 32) ^ bits();
}
}  // namespace detail

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::begin_checkpoints() {
  if (!checkpointing_) return;
  check_checkpoint_options(o_, "bfs");
  identity_ = {std::string(model::name_of<P>()), model::version_of<P>(), o_.parameters, reduce_identity<P>(o_.reduce),
               Store::kExact, Codec::kExactKeys, r_.checked};
  for (const auto& x : r_.reachability) identity_.properties.push_back("sometimes:" + x.name);
  std::string why;
  try {
    check_checkpoint_writable(rank_checkpoint_path(save_path_, me_, k_));
  } catch (const std::exception& e) {
    why = e.what();
  }
  together(why);
  // The run's id: rank 0's, the same on every rank (a resume keeps it).
  run_id_ = collect({me_ == 0 ? static_cast<std::uint64_t>(::getpid()) ^ (static_cast<std::uint64_t>(std::time(nullptr)) << 20) : 0},
                    Transport::Op::Max)[0];
  next_save_ = o_.checkpoint_every;
}

// The reason of the lowest rank whose `why` is not empty, on every rank ("":
// none has one). A collective.
template <model::Protocol P, class Store, class Codec>
std::string DistributedBfs<P, Store, Codec>::first_reason(const std::string& why) {
  const std::uint64_t first = collect({why.empty() ? 0u : static_cast<std::uint64_t>(k_ - me_)}, Transport::Op::Max)[0];
  if (first == 0) return {};
  const int root = k_ - static_cast<int>(first);
  return t_.broadcast(root, me_ == root ? why : std::string());
}

// The least and the most of each value over the ranks, in one reduction
// (the least is ~max(~v)).
template <model::Protocol P, class Store, class Codec>
std::vector<std::pair<std::uint64_t, std::uint64_t>> DistributedBfs<P, Store, Codec>::spread(const std::vector<std::uint64_t>& v) {
  std::vector<std::uint64_t> both = v;
  for (const std::uint64_t x : v) both.push_back(~x);
  both = collect(std::move(both), Transport::Op::Max);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (std::size_t i = 0; i < v.size(); ++i) out.emplace_back(~both[v.size() + i], both[i]);
  return out;
}

// Every rank refuses together, with the first failing rank's reason, if one
// cannot go on (`why` not empty).
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::together(const std::string& why) {
  if (std::string reason = first_reason(why); !reason.empty()) throw std::invalid_argument(reason);
}

// Whether every rank saves now, at a level's start: rank 0's clock decides.
template <model::Protocol P, class Store, class Codec>
bool DistributedBfs<P, Store, Codec>::save_due() {
  if (!checkpointing_) return false;
  const std::uint64_t due = me_ == 0 && budget_.seconds() >= next_save_ ? 1 : 0;
  return collect({due}, Transport::Op::Max)[0] != 0;
}

template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::save() {
  if (!checkpointing_) return;
  const std::string path = rank_checkpoint_path(save_path_, me_, k_);
  const double t0 = budget_.seconds();
  // The waits here outlast a level's end: they wait for the slowest rank's write.
  struct Restore {
    DistributedBfs& b;
    ~Restore() { b.t_.bound_waits(b.o_.peer_timeout, kGrace, b.o_.interrupt); }
  } restore{*this};
  const double patience = std::max(o_.peer_timeout, kSavePatience);
  t_.bound_waits(patience, patience, o_.interrupt);
  // This save's id, in every rank's file: a resume takes only files of one save.
  const std::uint64_t id = collect({me_ == 0 ? detail::random_id() : 0}, Transport::Op::Max)[0];
  std::unique_ptr<CheckpointWriter> w;
  std::string failed;
  try {
    w = std::make_unique<CheckpointWriter>(path);
    w->identity(identity_);
    for (const std::uint64_t v : {static_cast<std::uint64_t>(k_), static_cast<std::uint64_t>(me_), run_id_, save_number_ + 1, id})
      w->u64(v);
    for (const std::uint64_t v : {depth_, transitions_, terminal_states_}) w->u64(v);
    w->u64(fired_.size());
    for (const auto f : fired_) w->u64(f);
    if constexpr (!Store::kExact) {  // --exact is refused (begin_checkpoints)
      w->u64(store_.size());
      store_.for_each([&](Fingerprint fp) { w->u64(fp); });
    }
    w->u64(edges_.size());
    for (const auto& level : edges_) {
      w->u64(level.size());
      for (const Edge& e : level)
        for (const std::uint64_t v : {std::uint64_t{e.from}, std::uint64_t{e.choice}, e.parent}) w->u64(v);
    }
    monitor_.save(*w, [](CheckpointWriter& out, const Where& c) {
      for (const std::uint64_t v : {c.depth, c.fp, c.level, c.index, c.rank}) out.u64(v);
    });
    w->u64(from_);
    for (const detail::RankLevel* level : {&cur_, &next_}) {
      w->str(level->bytes);
      w->u64(level->starts.size());
      for (const auto at : level->starts) w->u64(at);
    }
    w->prepare();
  } catch (const std::exception& e) {
    failed = e.what();
  }
  // Every rank's new file is whole on disk, or none replaces the old ones.
  if (const std::string reason = first_reason(failed); !reason.empty()) {
    if (o_.notice) o_.notice("warning: checkpoint: not saved: " + reason + "; the previous one stands");
    next_save_ = budget_.seconds() + o_.checkpoint_every;
    return;
  }
  // Every rank's file now holds save number save_number_ + 1, published or
  // not: the numbers advance together, so that a resume never takes a later
  // save of one rank for the same one of another.
  ++save_number_;
  std::string unpublished;
  try {
    const std::string prev = path + ".prev";
    std::remove(prev.c_str());
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      std::filesystem::create_hard_link(path, prev, ec);
      if (ec) std::filesystem::copy_file(path, prev, std::filesystem::copy_options::overwrite_existing, ec);  // no hard links there
      if (ec) throw std::runtime_error("cannot keep " + path + " as " + prev + ": " + ec.message());
    }
    w->publish();
  } catch (const std::exception& e) {
    unpublished = e.what();
  }
  if (const std::string reason = first_reason(unpublished); !reason.empty()) {
    if (o_.notice) o_.notice("warning: checkpoint: " + reason);
    next_save_ = budget_.seconds() + o_.checkpoint_every;
    return;
  }
  next_save_ = budget_.seconds() + o_.checkpoint_every;
  if (o_.notice && me_ == 0) {
    char figures[96];
    std::snprintf(figures, sizeof figures, "%zu ranks, rank 0: %llu states, %.1f MiB, %.2f s", static_cast<std::size_t>(k_),
                  static_cast<unsigned long long>(store_.size()), static_cast<double>(w->written()) / (1 << 20), budget_.seconds() - t0);
    o_.notice("checkpoint: " + rank_checkpoint_path(save_path_, 0, k_) + " and the other ranks' saved (" + figures + ")");
  }
}

// Continues from a checkpoint: load(), then the figures a lost rank would
// report (lost()) until the next level's end gives newer ones.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::resume() {
  load();
  if (o_.max_depth && depth_ >= o_.max_depth)  // every rank has the same depth_ (check_parents) and options
    throw std::invalid_argument("--max-depth " + std::to_string(o_.max_depth) + ": the checkpoint " + o_.resume_path +
                                " is at depth " + std::to_string(depth_) + " already");
  fill(collect(figures(), Transport::Op::Sum), r_);
  r_.depth = depth_;
}

// Opens this rank's file of the set to resume (the .prev one if the other
// ranks did not all publish the last save), and reads it back.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::load() {
  const std::string& base = o_.resume_path;
  const std::string path = rank_checkpoint_path(base, me_, k_);
  std::string refusal;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    const int wrote = checkpoint_ranks(base);
    if (wrote > 0 && wrote != k_)
      refusal = "--resume " + base + ": the checkpoint was written by " + std::to_string(wrote) + " ranks, not " + std::to_string(k_) +
                ": resume it with mpirun -np " + std::to_string(wrote);
    else if (std::filesystem::exists(base, ec))
      refusal = "--resume " + base + ": a checkpoint of one process: resume it without mpirun";
    else
      refusal = "--resume " + base + ": no checkpoint file " + path;
  }
  const auto agree_on = [&](const std::string& why) { together(why); };
  agree_on(refusal);
  std::uint64_t number = 0, run = 0, id = 0;
  const auto header = [&](CheckpointReader& in) {
    in.expect_identity(identity_);
    if (in.u64() != static_cast<std::uint64_t>(k_) || in.u64() != static_cast<std::uint64_t>(me_))
      in.corrupt("written for another rank");
    run = in.u64();
    number = in.u64();
    id = in.u64();
  };
  std::unique_ptr<CheckpointReader> in;
  try {
    in = std::make_unique<CheckpointReader>(path);
    header(*in);
  } catch (const std::exception& e) {
    refusal = e.what();
  }
  agree_on(refusal);
  const auto spreads = spread({number, run});
  const std::uint64_t oldest = spreads[0].first, newest = spreads[0].second, run_low = spreads[1].first;
  if (run_low != spreads[1].second) refusal = "--resume " + base + ": the files of the ranks come from different runs";
  else if (newest > oldest + 1) refusal = "--resume " + base + ": the files of the ranks are from saves too far apart";
  agree_on(refusal);
  const bool fell_back = number != oldest;
  if (fell_back) {  // this rank published a save the others did not: its previous file is theirs
    try {
      in = std::make_unique<CheckpointReader>(path + ".prev");
      header(*in);
      if (number != oldest || run != run_low) in->corrupt("not the previous save of the others");
    } catch (const std::exception& e) {
      refusal = e.what();
    }
  }
  agree_on(refusal);  // every rank, whether it fell back or not: a collective
  // Two runs resumed from one save number the same saves: only one save's id tells them apart.
  if (const auto ids = spread({id})[0]; ids.first != ids.second)
    refusal = "--resume " + base + ": the files of the ranks come from different saves";
  agree_on(refusal);
  try {
    read(*in);
  } catch (const std::exception& e) {
    refusal = e.what();
  }
  agree_on(refusal);
  check_parents();
  run_id_ = run;
  save_number_ = number;
  // The newer file, which no other rank has, must not pass for a later save
  // of the same number: the previous one takes its place again.
  if (fell_back) {
    std::filesystem::rename(path + ".prev", path, ec);
    if (ec && o_.notice) o_.notice("warning: checkpoint: cannot rename " + path + ".prev back to " + path + ": " + ec.message());
  }
}

// The records after the header: see the top of this file.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::read(CheckpointReader& in) {
  depth_ = in.u64();
  transitions_ = in.u64();
  terminal_states_ = in.u64();
  if (in.u64() != fired_.size()) in.corrupt("wrong number of action kinds");
  for (auto& f : fired_) f = in.u64();
  if constexpr (!Store::kExact) {
    for (std::uint64_t n = in.count(sizeof(Fingerprint)); n > 0; --n) {
      const Fingerprint fp = in.u64();
      if (fp == 0 || detail::owner_of(fp, k_) != me_) in.corrupt("a fingerprint this rank does not own");
      if (!store_.insert(fp, {})) in.corrupt("a fingerprint twice");
    }
  }
  edges_.resize(static_cast<std::size_t>(in.count(sizeof(std::uint64_t))));
  if (edges_.size() != depth_ + 1 && edges_.size() != depth_ + 2) in.corrupt("the parent edges do not match the depth");
  for (auto& level : edges_) {
    level.resize(static_cast<std::size_t>(in.count(3 * sizeof(std::uint64_t))));
    for (Edge& e : level) {
      e.from = static_cast<std::uint32_t>(in.u64());
      e.choice = static_cast<std::uint32_t>(in.u64());
      e.parent = in.u64();
      if (e.from >= static_cast<std::uint64_t>(k_)) in.corrupt("a parent on a rank that does not exist");
    }
  }
  monitor_.load(in, [&](CheckpointReader& r) {
    Where c;
    c.depth = r.u64();
    c.fp = r.u64();
    c.level = r.u64();
    c.index = r.u64();
    c.rank = r.u64();
    if (c.level >= edges_.size() || c.index >= edges_[c.level].size() || c.rank != static_cast<std::uint64_t>(me_))
      r.corrupt("bad violation record");
    return c;
  });
  from_ = in.u64();
  for (detail::RankLevel* level : {&cur_, &next_}) {
    level->bytes = PageString(in.str());
    level->starts.resize(static_cast<std::size_t>(in.count(sizeof(std::uint64_t))));
    std::uint64_t last = 0;
    for (auto& at : level->starts) {
      at = in.u64();
      if (at < last || at > level->bytes.size()) in.corrupt("a level's states out of order");
      last = at;
    }
    for (std::size_t i = 0; i < level->size(); ++i)
      if (!codec_.valid(level->state(i))) in.corrupt("a saved state does not decode");
  }
  in.finish();
  // The level being expanded and the next: as many states as parent edges.
  if (cur_.size() != edges_[depth_].size() || from_ > cur_.size()) in.corrupt("the level does not match its parent edges");
  const std::size_t next_edges = edges_.size() == depth_ + 2 ? edges_.back().size() : 0;
  if (next_.size() != next_edges) in.corrupt("the next level does not match its parent edges");
  violated_ = monitor_.stopped();
}

// Each parent edge of a level of this rank names a state of the previous
// level on its rank: the sizes of every rank's levels, summed, tell. A
// collective: every rank calls it, having read its file.
template <model::Protocol P, class Store, class Codec>
void DistributedBfs<P, Store, Codec>::check_parents() {
  const auto s = spread({edges_.size(), depth_});
  if (s[0].first != s[0].second || s[1].first != s[1].second)
    throw std::invalid_argument("--resume " + o_.resume_path + ": the ranks' files end at different levels");
  std::string refusal;
  std::vector<std::uint64_t> sizes(edges_.size() * static_cast<std::size_t>(k_), 0);
  for (std::size_t d = 0; d < edges_.size(); ++d) sizes[d * static_cast<std::size_t>(k_) + static_cast<std::size_t>(me_)] = edges_[d].size();
  sizes = collect(std::move(sizes), Transport::Op::Sum);
  for (std::size_t d = 1; d < edges_.size() && refusal.empty(); ++d)
    for (const Edge& e : edges_[d])
      if (e.parent >= sizes[(d - 1) * static_cast<std::size_t>(k_) + e.from]) {
        refusal = "--resume " + o_.resume_path + ": a parent edge of " + rank_checkpoint_path(o_.resume_path, me_, k_) + " names no state";
        break;
      }
  together(refusal);
}

}  // namespace agree::checker
