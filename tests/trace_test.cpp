// Traces: the text format round-trips, files are never overwritten, every
// known counterexample replays, every emitted counterexample replays.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <filesystem>
#include <fstream>

#include "agree/cli/registry.hpp"
#include "agree/counterexamples/trace.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace fs = std::filesystem;
using counterexamples::Trace;

namespace {
Trace sample() {
  Trace t;
  t.protocol = "isis";
  t.model_version = 1;
  t.parameters = "procs=3 msgs=2 crash=0 variant=no-tiebreak";
  t.property = "total-order";
  t.init = "initial";
  t.steps = {"multicast(m0)", "propose(p0, m0)"};
  return t;
}
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST_CASE("trace: text round-trips", "[trace]") {
  const Trace t = sample();
  const Trace back = counterexamples::parse_trace(counterexamples::to_text(t), "x");
  CHECK(back.protocol == t.protocol);
  CHECK(back.model_version == 1);
  CHECK(back.parameters == t.parameters);
  CHECK(back.property == t.property);
  CHECK(back.init == t.init);
  CHECK(back.steps == t.steps);
  CHECK(back.step_lines == std::vector<std::size_t>{9, 10});
}

TEST_CASE("trace: writing then reading gives the trace back", "[trace][rc]") {
  rc::prop("round trip", [](const std::vector<std::string>& raw) {
    Trace t = sample();
    t.steps.clear();
    for (auto s : raw) {  // a step is one printable line with no leading/trailing blank
      std::erase_if(s, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
      while (!s.empty() && s.front() == ' ') s.erase(s.begin());
      if (s.empty()) s = "x";
      t.steps.push_back(s);
    }
    const Trace back = counterexamples::parse_trace(counterexamples::to_text(t), "x");
    RC_ASSERT(back.steps == t.steps);
  });
}

TEST_CASE("trace: a truncated or altered trace is refused with its line", "[trace]") {
  const std::string text = counterexamples::to_text(sample());
  const std::string cut = text.substr(0, text.find("end"));
  CHECK_THROWS_WITH(counterexamples::parse_trace(cut, "f.trace"), Catch::Contains("truncated"));
  CHECK_THROWS_WITH(counterexamples::parse_trace("", "f.trace"), Catch::Contains("empty"));
  CHECK_THROWS_WITH(counterexamples::parse_trace(std::string("agree-trace 1\n\x01\x02", 16), "f.trace"),
                    Catch::Contains("f.trace:2: binary"));
  std::string wrong = text;
  wrong.replace(wrong.find("\n2 propose") + 1, 1, "3");
  CHECK_THROWS_WITH(counterexamples::parse_trace(wrong, "f.trace"), Catch::Contains("f.trace:10: step 3 out of order"));
}

TEST_CASE("trace: replay refuses an action that is not enabled, naming the line", "[trace][replay]") {
  Trace t = sample();
  t.steps = {"multicast(m0)", "propose(p2, m1)"};
  const auto parsed = counterexamples::parse_trace(counterexamples::to_text(t), "f.trace");
  CHECK_THROWS_WITH(cli::replay_trace(parsed, "f.trace", nullptr), Catch::Contains("f.trace:10: step 2 'propose(p2, m1)' is not enabled"));
  t.protocol = "paxos";
  CHECK_THROWS_WITH(cli::replay_trace(counterexamples::parse_trace(counterexamples::to_text(t), "f"), "f", nullptr),
                    Catch::Contains("unknown protocol 'paxos'"));
  t = sample();
  t.model_version = 7;
  CHECK_THROWS_WITH(cli::replay_trace(counterexamples::parse_trace(counterexamples::to_text(t), "f"), "f", nullptr),
                    Catch::Contains("model version 7"));
  t = sample();
  t.parameters = "procs=99";
  CHECK_THROWS_WITH(cli::replay_trace(counterexamples::parse_trace(counterexamples::to_text(t), "f"), "f", nullptr),
                    Catch::Contains("f:5: procs: 99 is out of range"));
}

TEST_CASE("trace: a trace whose property holds at the end is not reproduced", "[trace][replay]") {
  const auto parsed = counterexamples::parse_trace(counterexamples::to_text(sample()), "f");
  const auto r = cli::replay_trace(parsed, "f", nullptr);
  CHECK_FALSE(r.reproduced);
}

TEST_CASE("trace: files are never overwritten and appear whole", "[trace][files]") {
  const fs::path dir = fs::temp_directory_path() / ("agree-trace-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const auto a = counterexamples::write_new_file(dir.string(), "t", ".trace", "first\n");
  const auto b = counterexamples::write_new_file(dir.string(), "t", ".trace", "second\n");
  CHECK(a != b);
  CHECK(slurp(a) == "first\n");
  CHECK(slurp(b) == "second\n");
  CHECK(fs::path(b).filename() == "t-2.trace");
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  CHECK(files == 2);  // no temporary left behind
  fs::remove_all(dir);
}

TEST_CASE("trace: every known counterexample replays and fails its property", "[trace][known]") {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(AGREE_SOURCE_DIR) / "counterexamples" / "known")) {
    if (e.path().extension() != ".trace") continue;
    INFO(e.path().string());
    const auto t = counterexamples::read_trace_file(e.path().string());
    const auto r = cli::replay_trace(t, e.path().string(), nullptr);
    CHECK(r.reproduced);
    ++n;
  }
  CHECK(n >= 5);
}

TEST_CASE("trace: every counterexample the explorer emits replays from its text", "[trace][rc]") {
  rc::prop("broken configurations", [] {
    const auto variant = *rc::gen::element<std::string>("no-tiebreak", "eager-delivery");
    const auto procs = *rc::gen::inRange(2, 4);
    const auto msgs = *rc::gen::inRange(1, 3);
    const cli::Entry* e = cli::find_protocol("isis");
    model::Params params(e->params);
    params.set_all("procs=" + std::to_string(procs) + " msgs=" + std::to_string(msgs) + " variant=" + variant);
    const auto r = e->check(params, {});
    for (const auto& t : r.traces) {
      const auto parsed = counterexamples::parse_trace(counterexamples::to_text(t), "t");
      RC_ASSERT(cli::replay_trace(parsed, "t", nullptr).reproduced);
    }
  });
}
