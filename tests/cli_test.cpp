// The built binary on bad command lines and bad files: one line on stderr,
// "agree: error: ...", and exit 2; limits end a run as incomplete (exit 3)
// with the figures so far. The table is in docs/bad-input.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "run_binary.hpp"

namespace {

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// Runs agree with args and expects exactly one error line on stderr, nothing
// on stdout, exit 2.
void expect_usage_error(const std::vector<std::string>& args, const std::string& message) {
  std::string cmd;
  for (const auto& a : args) cmd += " " + a;
  INFO("agree" << cmd);
  const auto r = runbin::run(args);
  CHECK(r.code == 2);
  CHECK(r.err == "agree: error: " + message + "\n");
  CHECK(lines(r.err) == 1);
  CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("cli: bad command lines get one line and exit 2", "[cli][bad-input]") {
  expect_usage_error({}, "A subcommand is required (see agree --help)");
  expect_usage_error({"check"}, "A subcommand is required (see agree --help)");
  // The known lists grow as commands and protocols are added: pin the start.
  for (const auto& [args, start] :
       {std::pair<std::vector<std::string>, std::string>{{"frob"}, "unknown command 'frob' (known: list, check, replay, suite"},
        {{"check", "paxos"}, "unknown protocol 'paxos' (known: sequencer, isis"}}) {
    const auto r = runbin::run(args);
    CHECK(r.code == 2);
    CHECK(r.err.rfind("agree: error: " + start, 0) == 0);
    CHECK(lines(r.err) == 1);
    CHECK(r.out.empty());
  }
  expect_usage_error({"check", "sequencer", "--bogus"},
                     "The following argument was not expected: --bogus (see agree --help)");
  expect_usage_error({"check", "sequencer", "--procs", "99"}, "procs: 99 is out of range 1..16");
  expect_usage_error({"check", "sequencer", "--procs", "abc"}, "procs: 'abc' is not a whole number");
  expect_usage_error({"check", "sequencer", "--procs", "99999999999999999999999"},
                     "procs: 99999999999999999999999 is out of range 1..16");
  expect_usage_error({"check", "sequencer", "--variant", "fast"},
                     "variant: 'fast' is not one of correct, no-holdback");
  expect_usage_error({"check", "sequencer", "--procs"}, "--procs: 1 required TEXT missing (see agree --help)");
  expect_usage_error({"check", "sequencer", "--max-states", "99999999999999999999999"},
                     "--max-states: 99999999999999999999999 is too large (at most 18446744073709551615) (see agree --help)");
  expect_usage_error({"check", "sequencer", "--max-states", "-1"},
                     "--max-states: '-1' is not a whole number (see agree --help)");
  expect_usage_error({"check", "sequencer", "--max-depth", "0x10"},
                     "--max-depth: '0x10' is not a whole number (see agree --help)");
  expect_usage_error({"check", "sequencer", "--max-depth", "1e3"},
                     "--max-depth: '1e3' is not a whole number (see agree --help)");
  expect_usage_error({"check", "sequencer", "--time-limit", "nan"},
                     "--time-limit: 'nan' is not a number of seconds (see agree --help)");
  expect_usage_error({"check", "sequencer", "--time-limit", "1e400"},
                     "--time-limit: '1e400' is not a number of seconds (see agree --help)");
  expect_usage_error({"check", "sequencer", "--time-limit", "-1"},
                     "--time-limit: Value -1 not in range 0.000000 to 1000000000.000000 (see agree --help)");
  expect_usage_error({"check", "sequencer", "--memory-limit", "0"},
                     "--memory-limit: Value 0 not in range 1 to 1099511627776 (see agree --help)");
  expect_usage_error({"check", "sequencer", "--memory-limit", "18446744073709551616"},
                     "--memory-limit: 18446744073709551616 is too large (at most 18446744073709551615) (see agree --help)");
  expect_usage_error({"check", "sequencer", "--threads", "-1"},
                     "--threads: '-1' is not a whole number (see agree --help)");
  expect_usage_error({"check", "sequencer", "--threads", "4294967297"},
                     "--threads: Value 4294967297 not in range 1 to 1024 (see agree --help)");
  expect_usage_error({"check", "sequencer", "--search", "astar"},
                     "--search: astar not in {bfs,dfs,tree} (see agree --help)");
  expect_usage_error({"check", "sequencer", "--property", "liveness"}, "unknown property 'liveness'");
  expect_usage_error({"replay"}, "file is required (see agree --help)");
  expect_usage_error({"replay", "/nonexistent/x.trace"}, "/nonexistent/x.trace: no such file");
  expect_usage_error({"replay", "/dev/zero"}, "/dev/zero: file larger than 64 MiB, not a trace");
  expect_usage_error({"replay", "/dev/null"}, "/dev/null: empty file, not a trace");
}

TEST_CASE("cli: a bad trace file gets file:line and exit 2", "[cli][bad-input]") {
  const runbin::TempDir dir;
  runbin::spit(dir / "bad.trace", "agree-trace 1\nprotocol isis\nmodel-version 1\nparameters procs=2\n");
  auto r = runbin::run({"replay", "--quiet", dir / "bad.trace"});
  CHECK(r.code == 2);
  CHECK(r.err == "agree: error: " + dir / "bad.trace" + ":4: truncated: the header is incomplete\n");
  runbin::spit(dir / "garbage.trace", std::string("\x00\x01\x02garbage", 10));
  r = runbin::run({"replay", dir / "garbage.trace"});
  CHECK(r.code == 2);
  CHECK(r.err == "agree: error: " + dir / "garbage.trace" + ":1: binary data (control character 0), not a trace\n");
}

TEST_CASE("cli: --time-limit and --memory-limit end a run as incomplete with its figures", "[cli][limits]") {
  auto r = runbin::run({"check", "isis", "--procs", "4", "--msgs", "3", "--time-limit", "0.3"});
  CHECK(r.code == 3);
  CHECK(r.err.empty());
  CHECK(r.out.find("verdict: incomplete — the search was cut short by time-limit; nothing is proved\n") !=
        std::string::npos);
  CHECK(runbin::number_after(r.out, "distinct states") > 0);

  r = runbin::run({"check", "isis", "--procs", "4", "--msgs", "3", "--memory-limit", "60", "--json"});
  CHECK(r.code == 3);
  CHECK(r.err.empty());
  CHECK(r.out.find("\"cut\":\"memory-limit\"") != std::string::npos);
  CHECK(r.out.find("\"verdict\":\"incomplete\"") != std::string::npos);
  const double mib = static_cast<double>(runbin::number_after(r.out, "\"peak_rss_bytes\":")) / (1 << 20);
  CHECK(mib >= 60);
  CHECK(mib < 400);  // stopped near the limit (a table doubling can overshoot it), not long after
}

TEST_CASE("cli: a trace dir that cannot be written does not cost the report", "[cli][bad-input]") {
  const auto r = runbin::run({"check", "isis", "--procs", "2", "--msgs", "2", "--variant", "no-tiebreak", "--trace-dir",
                              "/dev/null/traces"});
  CHECK(r.code == 1);
  CHECK(r.out.find("verdict: violated (total-order)\n") != std::string::npos);
  CHECK(r.out.find("counterexample: total-order violated after 12 steps (a shortest run)\n") != std::string::npos);
  CHECK(r.out.find("trace written to") == std::string::npos);
  CHECK(r.err == "agree: error: trace not written: cannot create directory /dev/null/traces: Not a directory\n");
}
