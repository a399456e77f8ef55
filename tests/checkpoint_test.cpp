// Checkpoint and resume of the breadth-first search (checker/checkpoint.hpp):
// a search cut short and resumed, once or several times, on any thread count,
// ends with the same counts and verdict as one that ran through; checkpoints
// made for something else, truncated or damaged are refused; and a run killed
// with SIGKILL or SIGINT at a random moment resumes from what it left.
#include <catch2/catch.hpp>

#include <xxhash.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "agree/checker/explorer.hpp"
#include "agree/cli/registry.hpp"
#include "run_binary.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {

struct Run {
  std::string protocol, params, reduce = "none";
};

cli::CheckResult check(const Run& c, checker::Options o) {
  const cli::Entry* e = cli::find_protocol(c.protocol);
  REQUIRE(e != nullptr);
  model::Params p(e->params);
  p.set_all(c.params);
  o.parameters = p.to_string();
  o.reduce = checker::parse_reduce(c.reduce);
  return e->check(p, o);
}

// A search that stops at its first violation stops wherever the threads and
// the order of a level had got to: then only the verdict and the length of the
// (shortest) counterexample are the same.
void same_search(const checker::Report& a, const checker::Report& b, bool stops_at_violation = false) {
  CHECK(a.verdict == b.verdict);
  CHECK(a.cut == b.cut);
  REQUIRE(a.violations.size() == b.violations.size());
  for (std::size_t i = 0; i < a.violations.size(); ++i) {
    CHECK(a.violations[i].property == b.violations[i].property);
    CHECK(a.violations[i].path.actions.size() == b.violations[i].path.actions.size());  // shortest either way
  }
  if (stops_at_violation) return;
  CHECK(a.distinct_states == b.distinct_states);
  CHECK(a.transitions == b.transitions);
  CHECK(a.terminal_states == b.terminal_states);
  CHECK(a.depth == b.depth);
  CHECK(a.fired == b.fired);
  REQUIRE(a.reachability.size() == b.reachability.size());
  for (std::size_t i = 0; i < a.reachability.size(); ++i) CHECK(a.reachability[i].reached == b.reachability[i].reached);
}

// Runs `c` until it has `max_states` states, leaving a checkpoint at `path`.
void cut_short(const Run& c, checker::Options o, const std::string& path, std::uint64_t max_states) {
  o.checkpoint_path = path;
  o.max_states = max_states;
  REQUIRE(check(c, o).report.cut == checker::Cut::MaxStates);
}

std::string file_bytes(const std::string& path) { return runbin::slurp(path); }

// Rewrites the trailing checksum, so that a deliberate change gets past it.
std::string reseal(std::string bytes) {
  const std::uint64_t sum = XXH3_64bits(bytes.data(), bytes.size() - 8);
  std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
  return bytes;
}

}  // namespace

TEST_CASE("checkpoint: a search cut short twice and resumed ends as one that ran through", "[checkpoint][parallel]") {
  const Run runs[] = {
      {"isis", "procs=3 msgs=2"},                  // 5,780 states
      {"sequencer", "procs=3 msgs=3"},             // 5,462 states
      {"isis", "procs=2 msgs=3", "symmetry"},
      {"vote", "procs=3 rule=majority crash=1"},   // violated: stops at the first counterexample
      {"twophase", "rms=5"},                       // 8,832 states, packed in words (checker/codec.hpp)
      {"twophase", "rms=6", "symmetry"},           // packed, with symmetry
  };
  for (const auto& c : runs)
    for (const unsigned threads : {1u, 2u}) {
      CAPTURE(c.protocol, c.params, c.reduce, threads);
      runbin::TempDir dir;
      checker::Options o;
      o.threads = threads;
      const auto full = check(c, o).report;
      REQUIRE(full.distinct_states > 100);
      o.checkpoint_path = dir / "search.ckpt";
      o.max_states = full.distinct_states / 3;
      const auto first = check(c, o).report;
      CHECK(first.cut == checker::Cut::MaxStates);
      CHECK(first.distinct_states < full.distinct_states);
      REQUIRE(std::filesystem::exists(o.checkpoint_path));
      // Resumed on the other thread count, cut again, then to the end.
      o.checkpoint_path.clear();
      o.resume_path = dir / "search.ckpt";
      o.threads = 3 - threads;
      o.max_states = full.distinct_states / 3 * 2;
      const auto second = check(c, o).report;
      CHECK((second.cut == checker::Cut::MaxStates || second.verdict == checker::Verdict::Violated));
      CHECK(second.distinct_states > first.distinct_states);
      o.threads = threads;
      o.max_states = 0;
      const auto r = check(c, o);
      same_search(r.report, full, full.verdict == checker::Verdict::Violated);
      if (c.protocol == "isis" && c.reduce == "none") CHECK(r.report.distinct_states == 5'780);
      if (c.protocol == "sequencer") CHECK(r.report.distinct_states == 5'462);
      for (const auto& t : r.traces) CHECK(cli::replay_trace(t, "resumed", nullptr).reproduced);
    }
}

TEST_CASE("checkpoint: an interrupted search saves where it stopped and resumes exactly", "[checkpoint]") {
  const Run c{"isis", "procs=2 msgs=3"};
  checker::Options o;
  o.threads = 2;
  const auto full = check(c, o).report;
  CHECK(full.distinct_states == 35'288);
  runbin::TempDir dir;
  std::atomic<bool> stop{true};  // seen at the first check of the budget
  o.interrupt = &stop;
  o.checkpoint_path = dir / "i.ckpt";
  const auto cut = check(c, o).report;
  CHECK(cut.cut == checker::Cut::Interrupted);
  CHECK(cut.distinct_states < full.distinct_states);
  stop = false;
  o.checkpoint_path.clear();
  o.resume_path = dir / "i.ckpt";
  same_search(check(c, o).report, full);
}

TEST_CASE("checkpoint: a periodic checkpoint taken at a pause in mid-level resumes exactly", "[checkpoint][parallel]") {
  const Run c{"isis", "procs=2 msgs=3"};
  checker::Options o;
  o.threads = 2;
  const auto full = check(c, o).report;
  runbin::TempDir dir;
  o.checkpoint_path = dir / "p.ckpt";
  o.checkpoint_every = 0;  // every 256 states a thread expands: many saves, most of them mid-level
  // Keep the first checkpoint the run writes: the rename makes it whole.
  std::atomic<bool> done{false};
  std::thread keeper([&] {
    while (!done && !std::filesystem::exists(o.checkpoint_path)) std::this_thread::yield();
    std::error_code ec;
    std::filesystem::copy_file(o.checkpoint_path, dir / "first.ckpt", ec);
  });
  const auto through = check(c, o).report;
  done = true;
  keeper.join();
  same_search(through, full);  // saving changes nothing
  REQUIRE(std::filesystem::exists(dir / "first.ckpt"));
  o.checkpoint_path.clear();
  o.checkpoint_every = 600;
  o.resume_path = dir / "first.ckpt";
  same_search(check(c, o).report, full);
}

TEST_CASE("checkpoint: keep-going keeps the violations found before the checkpoint", "[checkpoint]") {
  const Run c{"sequencer", "procs=3 msgs=2 variant=no-holdback"};
  checker::Options o;
  o.keep_going = true;
  const auto full = check(c, o);
  REQUIRE(full.report.verdict == checker::Verdict::Violated);
  runbin::TempDir dir;
  cut_short(c, o, dir / "k.ckpt", full.report.distinct_states / 2);
  o.resume_path = dir / "k.ckpt";
  const auto r = check(c, o);
  same_search(r.report, full.report);
  for (const auto& t : r.traces) CHECK(cli::replay_trace(t, "resumed", nullptr).reproduced);
}

TEST_CASE("checkpoint: one made for another protocol, parameters, reduction, store, version or format is refused",
          "[checkpoint]") {
  runbin::TempDir dir;
  const std::string file = dir / "c.ckpt";
  const Run base{"isis", "procs=3 msgs=2"};
  cut_short(base, {}, file, 1'000);
  checker::Options r;
  r.resume_path = file;
  auto refused = [&](const Run& c, const checker::Options& opts, const std::string& why) {
    CAPTURE(why);
    try {
      check(c, opts);
      FAIL("resumed");
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains(why));
    }
  };
  refused({"sequencer", "procs=3 msgs=2"}, r, "is for protocol isis, not sequencer");
  refused({"isis", "procs=3 msgs=1"}, r, "has parameters \"procs=3 msgs=2");
  refused({"isis", "procs=3 msgs=2", "symmetry"}, r, "was made with --reduce none, not --reduce symmetry");
  checker::Options prop = r;
  prop.properties = {"total-order"};
  refused(base, prop, "checks the properties");
  checker::Options exact = r;
  exact.exact = true;
  refused(base, exact, "--exact");
  checker::Options dfs = r;
  dfs.search = checker::Search::Dfs;
  dfs.search_chosen = true;
  refused(base, dfs, "breadth-first search only");
  checker::Options missing = r;
  missing.resume_path = dir / "absent.ckpt";
  refused(base, missing, "cannot open checkpoint");
  // Packed states against fingerprints, both ways.
  {
    const Run twophase{"twophase", "rms=5"};
    cut_short(twophase, {}, dir / "p.ckpt", 1'000);
    checker::Options unpacked = r;
    unpacked.resume_path = dir / "p.ckpt";
    unpacked.packed = false;
    refused(twophase, unpacked, "holds packed states, not fingerprints");
    unpacked.resume_path.clear();
    cut_short(twophase, unpacked, dir / "u.ckpt", 1'000);
    checker::Options repacked = r;
    repacked.resume_path = dir / "u.ckpt";
    refused(twophase, repacked, "holds fingerprints, not packed states");
  }

  const std::string good = file_bytes(file);
  // The model version, just after the protocol name.
  std::string other = good;
  const std::size_t version_at = 8 + 4 + 8 + std::strlen("isis");
  other[version_at] = static_cast<char>(other[version_at] + 1);
  runbin::spit(file, reseal(other));
  refused(base, r, "model version");
  // The format version.
  other = good;
  other[8] = 99;
  runbin::spit(file, other);
  refused(base, r, "format version 99");
  // Not a checkpoint at all.
  runbin::spit(file, "agree trace v1\nprotocol: isis\n");
  refused(base, r, "not an agree checkpoint");
  // The original still resumes.
  runbin::spit(file, good);
  CHECK(check(base, r).report.distinct_states == 5'780);
}

TEST_CASE("checkpoint: a truncated or damaged checkpoint is refused, never half-loaded", "[checkpoint]") {
  runbin::TempDir dir;
  const std::string file = dir / "t.ckpt";
  const Run base{"sequencer", "procs=3 msgs=3"};
  cut_short(base, {}, file, 2'000);
  const std::string good = file_bytes(file);
  REQUIRE(good.size() > 10'000);
  checker::Options r;
  r.resume_path = file;
  auto refused = [&](const std::string& bytes) {
    runbin::spit(file, bytes);
    CHECK_THROWS_AS(check(base, r), std::invalid_argument);
  };
  for (const std::size_t n : {std::size_t{0}, std::size_t{5}, std::size_t{12}, std::size_t{20}, std::size_t{100},
                              good.size() / 2, good.size() - 9, good.size() - 1})
    refused(good.substr(0, n));
  refused(good + "x");
  std::mt19937 rng(8);
  for (int i = 0; i < 20; ++i) {  // a flipped bit anywhere
    std::string bad = good;
    const auto at = std::uniform_int_distribution<std::size_t>(12, good.size() - 1)(rng);
    bad[at] = static_cast<char>(bad[at] ^ (1 << (i % 8)));
    refused(bad);
  }
  // Past the checksum, the structure is still checked: a depth the trail does not have.
  std::string deep = good;
  const std::size_t ids = 8 + 4;
  std::size_t at = ids;
  auto skip_str = [&] {
    std::uint64_t n = 0;
    std::memcpy(&n, deep.data() + at, 8);
    at += 8 + n;
  };
  skip_str();  // protocol
  at += 8;     // version
  skip_str();  // parameters
  skip_str();  // reduce
  at += 8;     // exact
  std::uint64_t props = 0;
  std::memcpy(&props, deep.data() + at, 8);
  at += 8;
  for (std::uint64_t i = 0; i < props; ++i) skip_str();
  const std::uint64_t depth = 1'000'000'000'000ULL;
  std::memcpy(deep.data() + at, &depth, 8);
  refused(reseal(deep));
  // The original is still good.
  runbin::spit(file, good);
  CHECK(check(base, r).report.distinct_states == 5'462);
}

TEST_CASE("checkpoint: the command line refuses a wrong checkpoint with one line and exit 2", "[checkpoint][cli]") {
  runbin::TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    runbin::Child c(dir, args);
    runbin::Result r;
    r.code = c.wait();
    r.out = c.out();
    r.err = c.err();
    return r;
  };
  const auto made = run({"check", "isis", "--procs", "3", "--msgs", "2", "--reduce", "none", "--threads", "1",
                         "--max-states", "1000", "--checkpoint", "c.ckpt"});
  CHECK(made.code == 3);
  CHECK_THAT(made.err, Catch::Contains("checkpoint: c.ckpt saved"));
  const auto other = run({"check", "isis", "--procs", "3", "--msgs", "1", "--reduce", "none", "--resume", "c.ckpt"});
  CHECK(other.code == 2);
  CHECK(other.err == "agree: error: checkpoint c.ckpt has parameters \"procs=3 msgs=2 crash=0 variant=correct\", not "
                     "\"procs=3 msgs=1 crash=0 variant=correct\"\n");
  const auto dfs = run({"check", "isis", "--search", "dfs", "--checkpoint", "d.ckpt"});
  CHECK(dfs.code == 2);
  CHECK(dfs.err == "agree: error: --checkpoint works with the breadth-first search only, not --search dfs\n");
  const auto nowhere = run({"check", "isis", "--checkpoint", "no/such/dir/x.ckpt"});
  CHECK(nowhere.code == 2);
  CHECK_THAT(nowhere.err, Catch::StartsWith("agree: error: --checkpoint no/such/dir/x.ckpt: cannot create"));
  runbin::spit(dir / "c.ckpt", runbin::slurp(dir / "c.ckpt").substr(0, 3'000));
  const auto cut = run({"check", "isis", "--procs", "3", "--msgs", "2", "--reduce", "none", "--resume", "c.ckpt"});
  CHECK(cut.code == 2);
  CHECK(cut.err == "agree: error: checkpoint c.ckpt is corrupt: checksum mismatch (truncated or damaged)\n");
}

// A run writing a checkpoint every 3 s, killed by SIGKILL (no chance to
// save) or SIGINT (saves as it stops) at a random moment after its first
// save, then resumed. The run is sequencer 3x5 (about 20 s on 2 threads);
// under the sanitizers (AGREE_SANITIZED), which run ~10x slower, sequencer
// 3x4 saving every 0.3 s. (A timed kill alone was flaky: as the engine got
// faster, the run ended before the kill.)
namespace {
struct KillRun {
  const char *procs, *msgs, *every;
  int max_ms;  // after the first save
  long long states, transitions;
};
// The counts are SPIN's (../shared/peers/spin/RESULTS.md, noreduce). SPIN's
// transitions are agree's + 1 + one self-loop per terminal state (its
// termination monitor, NOTES.md), and the terminal states are the msgs! orders
// the sequencer can give: 4! = 24, 5! = 120.
#ifdef AGREE_SANITIZED
constexpr KillRun kKill{"3", "4", "0.005", 1'000, 196'648, 1'116'793 - 1 - 24};
#else
constexpr KillRun kKill{"3", "5", "0.05", 2'000, 8'849'192, 63'036'961 - 1 - 120};
#endif
}  // namespace

TEST_CASE("checkpoint: a run killed at a random moment resumes to the uninterrupted count", "[checkpoint][long]") {
  const std::vector<std::string> args{"check", "sequencer", "--procs", kKill.procs, "--msgs", kKill.msgs,
                                      "--reduce", "none", "--threads", "2", "--json"};
  std::random_device seed;
  std::mt19937 rng(seed());
  for (const int sig : {SIGKILL, SIGINT}) {
    runbin::TempDir dir;
    auto a = args;
    for (const char* x : {"--checkpoint", "s.ckpt", "--checkpoint-every", kKill.every}) a.emplace_back(x);
    const int ms = std::uniform_int_distribution<int>(0, kKill.max_ms)(rng);
    CAPTURE(sig, ms);
    {
      runbin::Child c(dir, a);
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
      while (!std::filesystem::exists(dir / "s.ckpt") && c.running() && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      c.signal(sig);
      const int code = c.wait();
      if (sig == SIGKILL) CHECK((code == 128 + SIGKILL || code == 0));
      else CHECK((code == 3 || code == 0));
      INFO(c.err());
      REQUIRE(std::filesystem::exists(dir / "s.ckpt"));  // the first periodic one, at least
    }
    auto b = args;
    for (const char* x : {"--resume", "s.ckpt"}) b.emplace_back(x);
    runbin::Child c(dir, b);
    const int code = c.wait();
    INFO(c.err());
    CHECK(code == 0);
    const auto j = nlohmann::json::parse(c.out());
    CHECK(j["distinct_states"] == kKill.states);  // as without the interruption
    CHECK(j["transitions"] == kKill.transitions);
    CHECK(j["verdict"] == "holds");
  }
}
