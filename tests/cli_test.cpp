// The built binary on bad command lines and bad files: one line on stderr,
// "agree: error: ...", and exit 2; limits end a run as incomplete (exit 3)
// with the figures so far. The table is in docs/bad-input.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
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
  expect_usage_error({}, "agree needs one of: list, check, replay, suite, render, prove, shrink, simulate, explore (see agree --help)");
  // The known lists grow as commands and protocols are added: pin the start.
  for (const auto& [args, start] :
       {std::pair<std::vector<std::string>, std::string>{{"frob"}, "unknown command 'frob' (known: list, check, replay, suite"},
        {{"check", "paxos"}, "unknown protocol 'paxos' (known: sequencer, isis"},
        {{"check"}, "agree check needs one of: sequencer, isis"}}) {
    const auto r = runbin::run(args);
    CHECK(r.code == 2);
    CHECK(r.err.rfind("agree: error: " + start, 0) == 0);
    CHECK(lines(r.err) == 1);
    CHECK(r.out.empty());
  }
  const std::string help = " (see agree check sequencer --help)";
  expect_usage_error({"check", "sequencer", "--bogus"}, "unknown option '--bogus'" + help);
  expect_usage_error({"check", "sequencer", "--procs", "99"}, "--procs: 99 is out of range 1..16" + help);
  expect_usage_error({"check", "sequencer", "--procs", "abc"}, "--procs: 'abc' is not a whole number" + help);
  expect_usage_error({"check", "sequencer", "--procs", "99999999999999999999999"},
                     "--procs: 99999999999999999999999 is out of range 1..16" + help);
  expect_usage_error({"check", "sequencer", "--variant", "fast"}, "--variant: 'fast' is not one of correct, no-holdback" + help);
  expect_usage_error({"check", "sequencer", "--procs"}, "--procs needs a value" + help);
  expect_usage_error({"check", "sequencer", "--max-states", "99999999999999999999999"},
                     "--max-states: 99999999999999999999999 is out of range 0..18446744073709551615" + help);
  expect_usage_error({"check", "sequencer", "--max-states", "-1"}, "--max-states: '-1' is not a whole number" + help);
  expect_usage_error({"check", "sequencer", "--max-depth", "0x10"}, "--max-depth: '0x10' is not a whole number" + help);
  expect_usage_error({"check", "sequencer", "--max-depth", "1e3"}, "--max-depth: '1e3' is not a whole number" + help);
  expect_usage_error({"check", "sequencer", "--time-limit", "nan"}, "--time-limit: 'nan' is not a number of seconds" + help);
  expect_usage_error({"check", "sequencer", "--time-limit", "1e400"}, "--time-limit: '1e400' is not a number of seconds" + help);
  expect_usage_error({"check", "sequencer", "--time-limit", "-1"}, "--time-limit: -1 is out of range 0..1000000000" + help);
  expect_usage_error({"check", "sequencer", "--memory-limit", "0"}, "--memory-limit: 0 is out of range 1..1099511627776" + help);
  expect_usage_error({"check", "sequencer", "--memory-limit", "18446744073709551616"},
                     "--memory-limit: 18446744073709551616 is out of range 1..1099511627776" + help);
  expect_usage_error({"check", "sequencer", "--threads", "-1"}, "--threads: '-1' is not a whole number" + help);
  expect_usage_error({"check", "sequencer", "--threads", "4294967297"}, "--threads: 4294967297 is out of range 1..1024" + help);
  expect_usage_error({"check", "sequencer", "--search", "astar"}, "--search: astar not in {bfs,dfs,tree}" + help);
  expect_usage_error({"check", "sequencer", "--property", "liveness"},
                     "unknown property 'liveness' (known: total-order, integrity, termination, all-delivered, delivery)" + help);
  expect_usage_error({"check", "sequencer", "--crash", "5"}, "--crash: 5 is more than the 3 processes" + help);
  expect_usage_error({"replay"}, "file is required (see agree replay --help)");
  expect_usage_error({"replay", "/nonexistent/x.trace"}, "/nonexistent/x.trace: no such file");
  expect_usage_error({"replay", "/dev/zero"}, "/dev/zero: file larger than 64 MiB, not a trace");
  expect_usage_error({"replay", "/dev/null"}, "/dev/null: empty file, not a trace");
}

TEST_CASE("cli: a misspelt name gets a suggestion", "[cli][bad-input]") {
  expect_usage_error({"check", "isiss"},
                     "unknown protocol 'isiss' (did you mean isis? known: sequencer, isis, om, sm, vote, floodset, twophase, tokenring, abp) "
                     "(see agree check --help)");
  const auto chek = runbin::run({"chek", "isis"});
  CHECK(chek.code == 2);
  CHECK(chek.err.rfind("agree: error: unknown command 'chek' (did you mean check? known: list, check,", 0) == 0);
  expect_usage_error({"check", "isis", "--procz", "3"}, "unknown option '--procz' (did you mean --procs?) (see agree check isis --help)");
  expect_usage_error({"check", "isis", "--variant", "no-tie-break"},
                     "--variant: 'no-tie-break' is not one of correct, no-tiebreak, eager-delivery (did you mean no-tiebreak?) "
                     "(see agree check isis --help)");
  expect_usage_error({"check", "isis", "--property", "total_order"},
                     "unknown property 'total_order' (did you mean total-order? known: total-order, integrity, termination, "
                     "all-delivered, delivery) (see agree check isis --help)");
  expect_usage_error({"simulate", "isis", "--seed", "-1"}, "--seed: '-1' is not a whole number (see agree simulate isis --help)");
  expect_usage_error({"list", "isiss"},
                     "unknown protocol 'isiss' (did you mean isis? known: sequencer, isis, om, sm, vote, floodset, twophase, tokenring, abp) "
                     "(see agree list --help)");
}

TEST_CASE("cli: no silent pass", "[cli][bad-input]") {
  // A memory limit below what the process already uses would "hold" having checked nothing.
  const auto mem = runbin::run({"check", "isis", "--memory-limit", "1"});
  CHECK(mem.code == 2);
  CHECK(mem.err.rfind("agree: error: --memory-limit: 1 MiB is not above the ", 0) == 0);
  CHECK(mem.out.empty());
  // A filter that selects no row is an error, and words match whole names, not substrings.
  const auto none = runbin::run({"suite", "--filter", "xyz"});
  CHECK(none.code == 2);
  CHECK(none.err.rfind("agree: error: --filter 'xyz' matches no row", 0) == 0);
  const auto om = runbin::run({"suite", "--filter", "om"});
  CHECK(om.code == 0);
  CHECK(om.out.find("twophase") == std::string::npos);  // "rms" holds "om"'s letters no more
  CHECK(om.out.find("generals=3 traitors=1") != std::string::npos);
  // A crash bound of every process makes termination vacuous: said, and still checked.
  const auto all = runbin::run({"check", "isis", "--procs", "2", "--msgs", "1", "--crash", "2"});
  CHECK(all.code == 0);
  CHECK(all.err.rfind("agree: warning: crash 2: every one of the 2 processes may crash", 0) == 0);
  // A violation found at once: the figures are marked as covering part of the space.
  const auto early = runbin::run({"check", "isis", "--procs", "3", "--msgs", "2", "--variant", "no-tiebreak", "--trace-dir", "t"});
  CHECK(early.code == 1);
  CHECK(early.out.find("the figures are for the part explored so far") != std::string::npos);
  CHECK(early.out.find("all-delivered: not reached so far") != std::string::npos);
  const auto all_of_it = runbin::run(
      {"check", "isis", "--procs", "3", "--msgs", "2", "--variant", "no-tiebreak", "--keep-going", "--trace-dir", "t"});
  CHECK(all_of_it.out.find("part explored so far") == std::string::npos);
}

TEST_CASE("cli: the counterexample is printed once, the step list with --verbose", "[cli]") {
  const std::vector<std::string> args{"check", "isis", "--procs", "3", "--msgs", "2", "--variant", "no-tiebreak",
                                      "--threads", "1", "--trace-dir", "t"};
  const auto plain = runbin::run(args);
  CHECK(plain.out.find("action path") == std::string::npos);
  CHECK(plain.out.find("     init initial\n") == std::string::npos);
  CHECK(plain.out.find("multicast(m0)") != std::string::npos);  // in the chart
  auto verbose_args = args;
  verbose_args.push_back("--verbose");
  const auto verbose = runbin::run(verbose_args);
  CHECK(verbose.out.find("action path") != std::string::npos);
  CHECK(verbose.out.find("     init initial\n") != std::string::npos);
}

TEST_CASE("cli: list one protocol, aligned", "[cli][list]") {
  const auto r = runbin::run({"list", "isis"});
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("isis — ", 0) == 0);
  CHECK(r.out.find("sequencer") == std::string::npos);
  // Every parameter row has its "default" in the same column.
  std::size_t col = std::string::npos;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("    --", 0) != 0) continue;
    const auto at = line.find(" default ");
    REQUIRE(at != std::string::npos);
    if (col == std::string::npos) col = at;
    CHECK(at == col);
  }
  CHECK(col != std::string::npos);
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

  // The limit must be above what the process uses before it searches (a limit
  // below is refused): the peak of a tiny check, plus 40 MiB. (Under
  // AddressSanitizer that baseline alone is above 60 MiB.)
  const auto tiny = runbin::run({"check", "isis", "--procs", "2", "--msgs", "1", "--json"});
  const long long base = runbin::number_after(tiny.out, "\"peak_rss_bytes\":") >> 20;
  REQUIRE(base > 0);
  const long long limit = base + 40;
  r = runbin::run({"check", "isis", "--procs", "4", "--msgs", "3", "--memory-limit", std::to_string(limit), "--json"});
  CHECK(r.code == 3);
  CHECK(r.err.empty());
  CHECK(r.out.find("\"cut\":\"memory-limit\"") != std::string::npos);
  CHECK(r.out.find("\"verdict\":\"incomplete\"") != std::string::npos);
  const double mib = static_cast<double>(runbin::number_after(r.out, "\"peak_rss_bytes\":")) / (1 << 20);
  CHECK(mib >= static_cast<double>(limit));
  CHECK(mib < static_cast<double>(limit) + 340);  // stopped near the limit (a table doubling can overshoot it), not long after
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

TEST_CASE("cli: check --liveness writes a lasso that replay reproduces; unsound options are refused", "[cli][liveness]") {
  const runbin::TempDir dir;
  auto r = runbin::run({"check", "twophase", "--rms", "2", "--liveness", "--fairness", "none", "--trace-dir", dir.str()});
  CHECK(r.code == 1);
  CHECK(r.out.find("counterexample: termination violated by a lasso: 2 steps, then a cycle of 1 repeated forever") !=
        std::string::npos);
  const std::string trace = dir / "twophase-rms2-correct-termination.trace";
  const std::string text = runbin::slurp(trace);
  CHECK(text.find("agree-trace 2\n") != std::string::npos);
  CHECK(text.find("\ncycle 2\n") != std::string::npos);
  r = runbin::run({"replay", "--quiet", trace});
  CHECK(r.code == 0);
  CHECK(r.out.find("reproduced: termination is violated: step 3 goes round forever from the state after step 2") !=
        std::string::npos);
  // Weak fairness (twophase's default): it holds.
  r = runbin::run({"check", "twophase", "--rms", "2", "--liveness", "--trace-dir", dir.str()});
  CHECK(r.code == 0);
  // A reduction asked for by name is refused, not dropped.
  r = runbin::run({"check", "twophase", "--rms", "2", "--liveness", "--reduce", "symmetry"});
  CHECK(r.code == 2);
  CHECK(r.err.find("agree: error: liveness: --reduce symmetry: symmetry is not known to preserve") == 0);
  r = runbin::run({"check", "twophase", "--liveness", "--fairness", "sometimes"});
  CHECK(r.code == 2);
  // agree list says which properties are liveness ones.
  r = runbin::run({"list", "twophase"});
  CHECK(r.out.find("termination     eventually") != std::string::npos);
  CHECK(r.out.find("default fairness weak") != std::string::npos);
  // simulate --liveness: a walk of the greedy ring closes a weakly fair cycle
  // (model/tokenring.hpp), written as a lasso that replay reproduces.
  const runbin::TempDir walks;
  r = runbin::run({"simulate", "tokenring", "--variant", "greedy", "--liveness", "--trace-dir", walks.str()});
  CHECK(r.code == 1);
  const std::string walked = walks / "tokenring-procs3-greedy-token-reaches-all.trace";
  CHECK(runbin::slurp(walked).find("\ncycle ") != std::string::npos);
  r = runbin::run({"replay", "--quiet", walked});
  CHECK(r.code == 0);
  r = runbin::run({"simulate", "tokenring", "--liveness", "--fairness", "strong", "--trace-dir", walks.str()});
  CHECK(r.code == 0);  // the correct ring: no walk finds one
  r = runbin::run({"simulate", "tokenring", "--liveness", "--fairness", "often"});
  CHECK(r.code == 2);
}
