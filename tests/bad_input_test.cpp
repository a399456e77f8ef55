// Bad input in-process: every malformed trace gets one TraceError line
// "FILE:LINE: problem" (or "FILE: problem"), never a crash or another exception.
// The same table is in docs/bad-input.md.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "agree/cli/registry.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/params.hpp"
#include "run_binary.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {

// `agree check isis --procs 2 --msgs 2 --variant no-tiebreak` writes this.
const std::string kGood =
    "# agree counterexample trace\n"
    "agree-trace 1\n"
    "protocol isis\n"
    "model-version 1\n"
    "parameters procs=2 msgs=2 crash=0 variant=no-tiebreak\n"
    "property total-order\n"
    "steps 12\n"
    "init initial\n"
    "1 multicast(m0)\n"
    "2 multicast(m1)\n"
    "3 propose(p0, m0)\n"
    "4 propose(p0, m1)\n"
    "5 propose(p1, m1)\n"
    "6 propose(p1, m0)\n"
    "7 collect(m0, p0, 1)\n"
    "8 collect(m0, p1, 2)\n"
    "9 collect(m1, p0, 2)\n"
    "10 collect(m1, p1, 1)\n"
    "11 agree(p0, m0, 2)\n"
    "12 agree(p1, m1, 2)\n"
    "end\n";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

// Parses and replays text; returns the error message, or "" when it replays.
std::string error_of(const std::string& text) {
  try {
    const auto t = counterexamples::parse_trace(text, "t.trace");
    const auto r = cli::replay_trace(t, "t.trace", nullptr);
    return r.reproduced ? "" : r.message;
  } catch (const counterexamples::TraceError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("bad input: the reference trace replays", "[bad-input][trace]") {
  const auto t = counterexamples::parse_trace(kGood, "t.trace");
  CHECK(t.steps.size() == 12);
  CHECK(t.step_lines.front() == 9);
  const auto r = cli::replay_trace(t, "t.trace", nullptr);
  CHECK(r.reproduced);
  CHECK(r.message == "reproduced: total-order is violated after step 12");
}

TEST_CASE("bad input: each malformed trace gets its own one-line message", "[bad-input][trace]") {
  const std::string g = kGood;
  const std::pair<std::string, std::string> cases[] = {
      {"", "t.trace: empty file, not a trace"},
      {"\n\n# only comments\n", "t.trace:3: no 'agree-trace' header, not a trace"},
      {g.substr(0, g.find("5 propose")), "t.trace:12: truncated: no 'end' line (4 of 12 steps read)"},
      {g.substr(0, g.find("steps 12")), "t.trace:6: truncated: the header is incomplete"},
      {replace(g, "5 propose(p1, m1)", "5 frobnicate(p1)"),
       "t.trace:13: step 5 'frobnicate(p1)' is not enabled here (enabled: propose(p1, m0); propose(p1, m1); "
       "collect(m0, p0, 1); collect(m1, p0, 2))"},
      {replace(g, "12 agree(p1, m1, 2)", "12 multicast(m0)"),
       "t.trace:20: step 12 'multicast(m0)' is not enabled here (enabled: agree(p1, m0, 2); agree(p0, m1, 2); "
       "agree(p1, m1, 2))"},
      {replace(g, "procs=2", "procs=99"), "t.trace:5: procs: 99 is out of range 1..16"},
      {replace(g, "procs=2", "procs=1"), "t.trace:5: procs: 1 is out of range 2..16 for a closed group (senders 0)"},
      {replace(g, "procs=2", "procs=two"), "t.trace:5: procs: 'two' is not a whole number"},
      {replace(g, "procs=2", "procs=99999999999999999999999"),
       "t.trace:5: procs: 99999999999999999999999 is out of range 1..16"},
      {replace(g, "procs=2", "bogus=2"), "t.trace:5: unknown parameter 'bogus' (known: procs, msgs, crash, variant, senders)"},
      {replace(g, "procs=2 ", ""), "t.trace:5: parameter 'procs' is missing"},
      {replace(g, "procs=2", "procs=2 procs=3"), "t.trace:5: parameter 'procs' is given twice"},
      {replace(g, "procs=2", "procs"), "t.trace:5: parameter 'procs' is not of the form name=value"},
      {replace(g, "variant=no-tiebreak", "variant=fast"),
       "t.trace:5: variant: 'fast' is not one of correct, no-tiebreak, eager-delivery"},
      {replace(g, "protocol isis", "protocol sequencer"),
       "t.trace:5: variant: 'no-tiebreak' is not one of correct, no-holdback"},
      {replace(g, "protocol isis", "protocol paxos"), "t.trace:3: unknown protocol 'paxos' (known: " +
                                                          cli::protocol_names() + ")"},
      {replace(g, "model-version 1", "model-version 7"),
       "t.trace:4: trace is for isis model version 7, this agree has version 1"},
      {replace(g, "model-version 1", "model-version 99999999999999999999999"),
       "t.trace:4: bad model version '99999999999999999999999'"},
      {replace(g, "agree-trace 1", "agree-trace 3"),
       "t.trace:2: trace format version 3 is not supported (this agree reads versions 1 and 2)"},
      {replace(g, "property total-order\n", "property total-order\nfairness weak\n"),
       "t.trace:7: 'fairness' needs trace format version 2 (the header says 1)"},
      {replace(g, "steps 12\n", "steps 12\ncycle 3\n"),
       "t.trace:8: 'cycle' needs trace format version 2 (the header says 1)"},
      {replace(replace(g, "agree-trace 1", "agree-trace 2"), "steps 12\n", "steps 12\ncycle 12\n"),
       "t.trace:8: bad cycle start '12' (a step number from 0 to 11, the state the run returns to)"},
      {replace(replace(g, "agree-trace 1", "agree-trace 2"), "steps 12\n", "steps 12\ncycle 3\n"),
       "t.trace:8: a cycle, but total-order is not a liveness property (eventually or leads-to): a lasso says nothing of it"},
      {replace(replace(g, "agree-trace 1", "agree-trace 2"), "property total-order\n", "property total-order\nfairness often\n"),
       "t.trace:7: bad fairness 'often' (none, weak or strong)"},
      {replace(g, "agree-trace 1", "spin-trail 1"), "t.trace:2: not an agree trace (first line must be 'agree-trace 1')"},
      {replace(g, "property total-order", "property nope"), "t.trace:6: 'nope' is not a property of isis"},
      // A reachability property makes the trace a witness; this run does not reach it.
      {replace(g, "property total-order", "property all-delivered"),
       "not reproduced: all-delivered is not reached at the end of the trace"},
      {replace(g, "init initial", "init elsewhere"), "t.trace:8: 'elsewhere' is not an initial state of isis"},
      {replace(g, "steps 12", "steps 13"), "t.trace:21: the header says 13 steps, the trace has 12"},
      {replace(g, "steps 12", "steps 11"), "t.trace:20: more steps than the header's 'steps 11'"},
      {replace(g, "steps 12", "steps -1"), "t.trace:7: bad step count '-1'"},
      {replace(g, "steps 12", "steps 99999999999999999999999"), "t.trace:7: bad step count '99999999999999999999999'"},
      {replace(g, "3 propose(p0, m0)", "4 propose(p0, m0)"), "t.trace:11: step 4 out of order (expected 3)"},
      {replace(g, "3 propose(p0, m0)", "3"), "t.trace:11: step 3 has no action"},
      {replace(g, "3 propose(p0, m0)", "3 "), "t.trace:11: step 3 has no action"},
      {g + "1 multicast(m0)\n", "t.trace:22: text after 'end'"},
      {replace(g, "protocol isis", "protocol isis\x01"), "t.trace:3: binary data (control character 1), not a trace"},
      {std::string("\x7f" "ELF\x02\x01\x01", 7), "t.trace:1: binary data (control character 127), not a trace"},
      {"agree-trace 1\n" + std::string(70'000, 'x') + "\n", "t.trace:2: line longer than 65536 characters"},
      {"\xef\xbb\xbf" + g, "t.trace:1: not an agree trace (first line must be 'agree-trace 1')"},
  };
  for (const auto& [text, message] : cases) {
    INFO(text.substr(0, 200));
    CHECK(error_of(text) == message);
  }
}

TEST_CASE("bad input: a trace that replays but does not reproduce is not an input error", "[bad-input][trace]") {
  // Cut after step 11: still a well-formed trace, the property just holds there.
  std::string t = replace(kGood, "steps 12", "steps 11");
  t = replace(t, "12 agree(p1, m1, 2)\n", "");
  CHECK(error_of(t) == "not reproduced: total-order holds at the end of the trace");
}

TEST_CASE("bad input: CRLF line ends are accepted", "[bad-input][trace]") {
  std::string crlf;
  for (const char c : kGood) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(error_of(crlf).empty());
}

TEST_CASE("bad input: files that are not traces", "[bad-input][trace]") {
  const runbin::TempDir dir;
  const auto message = [](const std::string& path) -> std::string {
    try {
      (void)counterexamples::read_trace_file(path);
      return "";
    } catch (const counterexamples::TraceError& e) {
      return e.what();
    }
  };
  CHECK(message(dir / "missing.trace") == dir / "missing.trace: no such file");
  CHECK(message(dir.str()) == dir.str() + ": is a directory, not a trace");
  runbin::spit(dir / "empty.trace", "");
  CHECK(message(dir / "empty.trace") == dir / "empty.trace: empty file, not a trace");
  // A device has no size to check first: the read itself must stop.
  CHECK(message("/dev/zero") == "/dev/zero: file larger than 64 MiB, not a trace");
  {
    std::ofstream big(dir / "big.trace", std::ios::binary);
    big.seekp(65 << 20);
    big.put('\n');
  }
  CHECK(message(dir / "big.trace") == dir / "big.trace: file larger than 64 MiB, not a trace");
}

TEST_CASE("bad input: parameters from the command line and from traces share one check", "[bad-input][params]") {
  const auto* e = cli::find_protocol("sequencer");
  REQUIRE(e);
  model::Params p(e->params);
  const auto message = [&](const std::string& name, const std::string& value) -> std::string {
    try {
      p.set(name, value);
      return "";
    } catch (const model::ParamError& err) {
      return err.what();
    }
  };
  CHECK(message("procs", "3").empty());
  CHECK(message("procs", "0") == "procs: 0 is out of range 1..16");
  CHECK(message("procs", "-5") == "procs: -5 is out of range 1..16");
  CHECK(message("procs", "") == "procs: '' is not a whole number");
  CHECK(message("procs", "3x") == "procs: '3x' is not a whole number");
  CHECK(message("procs", " 3") == "procs: ' 3' is not a whole number");
  CHECK(message("procs", "9223372036854775808") == "procs: 9223372036854775808 is out of range 1..16");
  CHECK(message("variant", "nope") == "variant: 'nope' is not one of correct, no-holdback");
  CHECK(message("rounds", "1") == "unknown parameter 'rounds' (known: procs, msgs, crash, variant, senders)");
  CHECK(p.to_string() == "procs=3 msgs=2 crash=0 variant=correct");  // failed sets changed nothing
}

TEST_CASE("bad input: write_new_file never overwrites and leaves no temporary file", "[bad-input][trace]") {
  const runbin::TempDir dir;
  const auto a = counterexamples::write_new_file(dir.str(), "x", ".trace", "one\n");
  const auto b = counterexamples::write_new_file(dir.str(), "x", ".trace", "two\n");
  CHECK(a == dir / "x.trace");
  CHECK(b == dir / "x-2.trace");
  CHECK(runbin::slurp(a) == "one\n");
  CHECK(runbin::slurp(b) == "two\n");
  std::size_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir.path)) {
    (void)f;
    ++files;
  }
  CHECK(files == 2);
}
