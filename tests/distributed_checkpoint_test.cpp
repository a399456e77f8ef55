// tests/distributed_checkpoint_test.cpp — checkpoints of the distributed
// search (checker/distributed_checkpoint.hpp) on K ranks that are threads of
// this process: a run cut short (an interruption, --max-states) and resumed
// on as many ranks ends with the figures of one uninterrupted process, also
// from a set whose ranks did not all publish the last save; another number
// of ranks, a checkpoint of one process, another model and a missing file are
// refused on every rank with one message.
// ThreadSanitizer runs this file ([parallel]).
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "agree/agree.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/twophase.hpp"
#include "distributed_util.hpp"
#include "run_binary.hpp"

using namespace agree;
using namespace agree::testing;

namespace {

// One process, breadth-first, the whole search: what a resume must end with.
template <class M>
Report whole(const M& p) {
  Options o;
  o.search = Search::Bfs;
  o.search_chosen = true;
  return agree::check(p, o).report;
}

void same_as(const std::vector<Result>& got, const Report& one) {
  for (const Result& r : got) {
    CHECK(r.report.distinct_states == one.distinct_states);
    CHECK(r.report.transitions == one.transitions);
    CHECK(r.report.terminal_states == one.terminal_states);
    CHECK(r.report.depth == one.depth);
    CHECK(r.report.fired == one.fired);
    CHECK(r.report.verdict == one.verdict);
    CHECK(r.report.cut == Cut::None);
  }
}

// Every rank threw, each message holding `words`.
template <class M>
void refused_everywhere(const M& p, const Options& o, int k, const std::string& words) {
  for (const auto& outcome : outcomes_on_ranks(p, o, k)) {
    REQUIRE(std::holds_alternative<std::string>(outcome));
    CHECK_THAT(std::get<std::string>(outcome), Catch::Contains(words));
  }
}

}  // namespace

TEST_CASE("distributed checkpoint: interrupted on K ranks, resumed on K, as one whole run", "[parallel][distributed][checkpoint]") {
  const auto p = made<model::isis::Isis>("procs=3 msgs=2").first;
  const Report one = whole(p);
  // Threads in each rank when saved, and when resumed: a file holds no thread count.
  const auto [saved_on, resumed_on] = GENERATE(std::pair{1u, 1u}, std::pair{2u, 2u}, std::pair{2u, 1u}, std::pair{1u, 3u});
  for (const int k : {1, 2, 3}) {
    INFO(k << " ranks, " << saved_on << " then " << resumed_on << " threads in each");
    runbin::TempDir dir;
    // Set from the start: a rank of one thread reads it every 1024 states it
    // expands, so the ranks stop within a level, and save it half done; with
    // helpers, after its first chunk of 64 (the first level's end here).
    std::atomic<bool> stop{true};
    Options o;
    o.interrupt = &stop;
    o.checkpoint_path = dir / "i.ckpt";
    o.threads = saved_on;
    for (const Result& r : on_ranks(p, o, k)) {
      CHECK(r.report.cut == Cut::Interrupted);
      CHECK(r.report.distinct_states < one.distinct_states);
    }
    for (int r = 0; r < k; ++r) CHECK(std::filesystem::exists(checker::rank_checkpoint_path(dir / "i.ckpt", r, k)));
    stop = false;
    o.threads = resumed_on;
    o.checkpoint_path.clear();
    o.resume_path = dir / "i.ckpt";
    same_as(on_ranks(p, o, k), one);
  }
}

TEST_CASE("distributed checkpoint: cut by --max-states, saved there, resumed without the limit", "[parallel][distributed][checkpoint]") {
  const auto p = made<model::twophase::TwoPhase>("rms=3").first;
  const Report one = whole(p);
  runbin::TempDir dir;
  Options o;
  o.max_states = one.distinct_states / 2;
  o.checkpoint_path = dir / "m.ckpt";  // no periodic save within the run: only the one at the cut
  for (const Result& r : on_ranks(p, o, 3)) CHECK(r.report.cut == Cut::MaxStates);
  REQUIRE(std::filesystem::exists(checker::rank_checkpoint_path(dir / "m.ckpt", 2, 3)));
  o.max_states = 0;
  o.checkpoint_path.clear();
  o.resume_path = dir / "m.ckpt";
  same_as(on_ranks(p, o, 3), one);
}

TEST_CASE("distributed checkpoint: a set whose ranks did not all publish the last save resumes from the one before", "[parallel][distributed][checkpoint]") {
  const auto p = made<model::isis::Isis>("procs=3 msgs=2").first;
  const Report one = whole(p);
  runbin::TempDir dir;
  const std::string base = dir / "c.ckpt";
  Options o;
  o.max_depth = 4;
  o.checkpoint_path = base;
  o.checkpoint_every = 1e-9;
  on_ranks(p, o, 3);
  // As if rank 1 had died between the others' renames and its own.
  const std::string mine = checker::rank_checkpoint_path(base, 1, 3);
  REQUIRE(std::filesystem::exists(mine + ".prev"));
  std::filesystem::rename(mine + ".prev", mine);
  o.max_depth = 0;
  o.checkpoint_path.clear();
  o.resume_path = base;
  same_as(on_ranks(p, o, 3), one);
}

TEST_CASE("distributed checkpoint: another number of ranks, one process's file, another model, no file: refused on every rank", "[parallel][distributed][checkpoint]") {
  const auto [p, params] = made<model::isis::Isis>("procs=3 msgs=2");
  runbin::TempDir dir;
  std::atomic<bool> stop{true};
  Options o;
  o.parameters = params;  // part of what a checkpoint is for, as the command line gives it
  o.interrupt = &stop;
  o.checkpoint_path = dir / "k.ckpt";
  on_ranks(p, o, 2);
  stop = false;
  Options again;
  again.parameters = params;
  again.resume_path = dir / "k.ckpt";
  refused_everywhere(p, again, 3, "mpirun -np 2");
  // One process cannot take it either, and says how.
  Options alone = again;
  alone.search = Search::Bfs;
  alone.search_chosen = true;
  CHECK_THROWS_WITH(agree::check(p, alone), Catch::Contains("mpirun -np 2"));
  // Another configuration of the model.
  const auto [other, other_params] = made<model::isis::Isis>("procs=2 msgs=2");
  Options elsewhere = again;
  elsewhere.parameters = other_params;
  refused_everywhere(other, elsewhere, 2, "has parameters");
  // A checkpoint of one process, on ranks.
  Options single;
  single.parameters = params;
  single.interrupt = &stop;
  stop = true;
  single.checkpoint_path = dir / "one.ckpt";
  single.search = Search::Bfs;
  single.search_chosen = true;
  CHECK(agree::check(p, single).report.cut == Cut::Interrupted);
  again.resume_path = dir / "one.ckpt";
  refused_everywhere(p, again, 2, "without mpirun");
  again.resume_path = dir / "none.ckpt";
  refused_everywhere(p, again, 2, "no checkpoint file");
}

TEST_CASE("distributed checkpoint: a violation and --max-states at one level end the search; a resume ends as the run did", "[parallel][distributed][checkpoint]") {
  // No tie-break: total order fails; the search stops at the level where it does.
  const auto p = made<model::isis::Isis>("procs=3 msgs=2 variant=no-tiebreak").first;
  const Report violated = on_ranks(p, Options{}, 2)[0].report;
  REQUIRE(violated.verdict == Verdict::Violated);
  runbin::TempDir dir;
  Options o;
  // Reached at the violation's level end and not before (the states grow every level):
  // both stop the search there.
  o.max_states = violated.distinct_states;
  o.checkpoint_path = dir / "v.ckpt";
  o.checkpoint_every = 1e-9;  // a save at every level's start
  for (const Result& r : on_ranks(p, o, 2)) CHECK(r.report.distinct_states == violated.distinct_states);
  o.max_states = 0;
  o.checkpoint_path.clear();
  o.resume_path = dir / "v.ckpt";
  for (const Result& r : on_ranks(p, o, 2)) {
    CHECK(r.report.verdict == Verdict::Violated);
    CHECK(r.report.distinct_states == violated.distinct_states);
    CHECK(r.report.transitions == violated.transitions);
    CHECK(r.report.depth == violated.depth);
  }
}

TEST_CASE("distributed checkpoint: two runs resumed from one save write files that do not mix", "[parallel][distributed][checkpoint]") {
  const auto p = made<model::isis::Isis>("procs=3 msgs=2").first;
  runbin::TempDir dir;
  Options o;
  o.max_depth = 3;
  o.checkpoint_path = dir / "p.ckpt";
  o.checkpoint_every = 1e-9;
  on_ranks(p, o, 2);
  // Two continuations of that save, each into a path of its own: the same run, the same save numbers.
  o.max_depth = 5;
  o.resume_path = dir / "p.ckpt";
  for (const char* q : {"a.ckpt", "b.ckpt"}) {
    o.checkpoint_path = dir / q;
    on_ranks(p, o, 2);
  }
  std::filesystem::copy_file(checker::rank_checkpoint_path(dir / "a.ckpt", 0, 2), checker::rank_checkpoint_path(dir / "m.ckpt", 0, 2));
  std::filesystem::copy_file(checker::rank_checkpoint_path(dir / "b.ckpt", 1, 2), checker::rank_checkpoint_path(dir / "m.ckpt", 1, 2));
  Options again;
  again.resume_path = dir / "m.ckpt";
  refused_everywhere(p, again, 2, "different saves");
  // Each set alone resumes.
  again.resume_path = dir / "a.ckpt";
  same_as(on_ranks(p, again, 2), whole(p));
}
