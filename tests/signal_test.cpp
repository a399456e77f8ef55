// Interrupting a running `agree check`: SIGINT/SIGTERM/SIGUSR1 print the figures so
// far and exit 3 (1 if a violation was already found, its trace written);
// SIGKILL at any point leaves only complete traces, or none, in the trace dir.
// Delays are random (seeded from Catch's --rng-seed) but every outcome they
// can produce is checked.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "agree/cli/registry.hpp"
#include "agree/counterexamples/trace.hpp"
#include "run_binary.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {

std::mt19937& rng() {
  static std::mt19937 r(Catch::rngSeed());
  return r;
}

int random_ms(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng()); }

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

long long distinct_states(const std::string& out) { return runbin::number_after(out, "distinct states"); }

// Every file in dir is a complete trace that replays; returns how many.
int complete_traces_only(const std::string& dir) {
  int n = 0;
  if (!std::filesystem::exists(dir)) return 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    const std::string path = f.path().string();
    INFO("file in the trace dir: " << path);
    CHECK(f.path().extension() == ".trace");
    const auto t = counterexamples::read_trace_file(path);  // throws if partial
    CHECK(cli::replay_trace(t, path, nullptr).reproduced);
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("signal: SIGINT, SIGTERM and SIGUSR1 (what mpirun forwards as it is) stop a check with its figures, exit 3", "[signal]") {
  for (const int sig : {SIGINT, SIGTERM, SIGUSR1}) {
    const runbin::TempDir dir;
    // Runs for minutes uninterrupted; holds, so nothing is written.
    runbin::Child c(dir, {"check", "isis", "--procs", "4", "--msgs", "3", "--trace-dir", dir / "traces"});
    const int delay = random_ms(200, 1200);
    INFO("signal " << sig << " after " << delay << " ms");
    sleep_ms(delay);
    c.signal(sig);
    CHECK(c.wait() == 3);
    const std::string out = c.out();
    CHECK(out.find("verdict: incomplete — the search was cut short by interrupted; nothing is proved\n") !=
          std::string::npos);
    CHECK(distinct_states(out) > 0);
    CHECK(c.err().empty());
    CHECK(complete_traces_only(dir / "traces") == 0);
  }
}

TEST_CASE("signal: SIGINT after a violation was found writes its trace, exit 1", "[signal]") {
  const runbin::TempDir dir;
  // --keep-going: the total-order violation (8 steps) is found at once, then
  // the search goes on exploring for minutes.
  runbin::Child c(dir, {"check", "sequencer", "--procs", "4", "--msgs", "4", "--variant", "no-holdback",
                        "--reduce", "none", "--keep-going", "--trace-dir", dir / "traces"});
  const int delay = random_ms(500, 1200);
  INFO("SIGINT after " << delay << " ms");
  sleep_ms(delay);
  c.signal(SIGINT);
  CHECK(c.wait() == 1);
  const std::string out = c.out();
  CHECK(out.find("verdict: violated (total-order) (the search was also cut short by interrupted)\n") !=
        std::string::npos);
  CHECK(out.find("counterexample: total-order violated after 8 steps (a shortest run)\n") != std::string::npos);
  CHECK(distinct_states(out) > 0);
  CHECK(complete_traces_only(dir / "traces") >= 1);
  CHECK(std::filesystem::exists(dir / "traces/sequencer-procs4-msgs4-crash0-no-holdback-total-order.trace"));
}

TEST_CASE("signal: SIGKILL at random points leaves no partial trace", "[signal]") {
  const runbin::TempDir dir;
  const std::string traces = dir / "traces";
  // A run that finds a violation in a few milliseconds and writes its trace:
  // kill it at random points of its short life, many times over.
  int written = 0;
  for (int i = 0; i < 40; ++i) {
    runbin::Child c(dir, {"check", "isis", "--procs", "2", "--msgs", "2", "--variant", "no-tiebreak",
                          "--keep-going", "--trace-dir", traces});
    sleep_ms(random_ms(0, 40));
    c.signal(SIGKILL);
    const int code = c.wait();
    CHECK((code == 128 + SIGKILL || code == 1));
    written += code == 1;
  }
  // Traces pile up as isis-...-total-order.trace, -2, -3: all whole.
  CHECK(complete_traces_only(traces) >= written);
}
