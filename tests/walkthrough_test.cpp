// docs/walkthroughs: the course notes' scenarios. Every trace replays to the
// outcome its walkthrough states, each shows what its text says it shows
// (read off the replay, the view a student gets from `agree replay`), and the
// SVG and HTML next to it are what `agree render` draws from it today
// (docs/walkthroughs/render.sh redraws them).
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include "agree/cli/registry.hpp"
#include "agree/cli/render.hpp"
#include "agree/counterexamples/chart.hpp"
#include "agree/counterexamples/trace.hpp"
#include "run_binary.hpp"

using namespace agree;

namespace {

const std::string kDir = std::string(AGREE_SOURCE_DIR) + "/docs/walkthroughs/";

struct Replayed {
  bool reproduced;
  std::string message, log;
};

Replayed replay(const std::string& name) {
  const auto t = counterexamples::read_trace_file(kDir + name + ".trace");
  std::ostringstream log;
  const auto r = cli::replay_trace(t, name, &log);
  return {r.reproduced, r.message, log.str()};
}

// The value of `field` after the last step that changed it, as replay prints it.
std::string last(const std::string& log, const std::string& field) {
  const std::string key = "      " + field + " = ";
  const auto at = log.rfind(key);
  if (at == std::string::npos) return "(never printed)";
  const auto from = at + key.size();
  return log.substr(from, log.find('\n', from) - from);
}

}  // namespace

TEST_CASE("walkthroughs: every trace reproduces what its walkthrough says", "[walkthrough][replay]") {
  const std::pair<const char*, const char*> table[] = {
      {"isis-open-group", "all-delivered is reached after step 14"},
      {"isis-open-group-no-tiebreak", "total-order is violated after step 12"},
      {"sequencer-tickets", "all-delivered is reached after step 10"},
      {"sequencer-no-holdback", "total-order is violated after step 8"},
      {"vote-majority", "some-decision is reached after step 12"},
      {"vote-crash-n-f", "agreement is violated after step 7"},
      {"vote-crash-all", "termination is violated after step 7"},
      {"generals-traitor-lieutenant", "IC2 is violated after step 2"},
      {"generals-traitor-commander", "agreed-retreat is reached after step 2"},
      {"generals-four", "agreed-attack is reached after step 3"},
      {"generals-signed", "agreed-retreat is reached after step 2"},
  };
  for (const auto& [name, outcome] : table) {
    INFO(name);
    const auto r = replay(name);
    CHECK(r.reproduced);
    CHECK(r.message == std::string("reproduced: ") + outcome);
  }
}

TEST_CASE("walkthroughs: ISIS in the open group, with and without the tie-break", "[walkthrough][isis]") {
  const auto ok = replay("isis-open-group");
  // p0 got m0 first and p1 got m1 first, so each proposed 1 for its first message, 2 for its second ...
  CHECK(ok.log.find("propose(p0, m0)\n      p0.P = 1") != std::string::npos);
  CHECK(ok.log.find("propose(p1, m1)\n      p1.P = 1") != std::string::npos);
  // ... the senders chose the largest proposals, which tie on the number 2 and differ in the process ...
  CHECK(last(ok.log, "m0.best") == "(2,p1)");
  CHECK(last(ok.log, "m1.best") == "(2,p0)");
  // ... so both members deliver m1 before m0.
  CHECK(last(ok.log, "p0.delivered") == "[m1, m0]");
  CHECK(last(ok.log, "p1.delivered") == "[m1, m0]");
  const auto tie = replay("isis-open-group-no-tiebreak");
  CHECK(last(tie.log, "m0.best") == "2");
  CHECK(last(tie.log, "m1.best") == "2");
  CHECK(last(tie.log, "p0.delivered") == "[m0]");
  CHECK(last(tie.log, "p1.delivered") == "[m1]");
}

TEST_CASE("walkthroughs: the sequencer's tickets and the hold-back queue", "[walkthrough][sequencer]") {
  const auto ok = replay("sequencer-tickets");
  CHECK(ok.log.find("receive(p0, m0, t1)\n      p0.holdback = {m0@t1}") != std::string::npos);  // t0 not yet in
  CHECK(last(ok.log, "p0.delivered") == "[m1, m0]");
  CHECK(last(ok.log, "p1.delivered") == "[m1, m0]");
  const auto broken = replay("sequencer-no-holdback");
  CHECK(last(broken.log, "p0.delivered") == "[m0]");
  CHECK(last(broken.log, "p1.delivered") == "[m1]");
}

TEST_CASE("walkthroughs: the vote, and what each quorum does with one crash", "[walkthrough][vote]") {
  const auto notes = replay("vote-majority");
  for (const char* p : {"p0", "p1", "p2"}) CHECK(last(notes.log, std::string(p) + ".decision") == "proceed");
  const auto nf = replay("vote-crash-n-f");
  CHECK(last(nf.log, "p0.decision") == "proceed");
  CHECK(last(nf.log, "p1.decision") == "abort");
  const auto all = replay("vote-crash-all");
  for (const char* p : {"p0", "p1", "p2"}) CHECK(last(all.log, std::string(p) + ".decision") == "none");  // nobody decides
}

TEST_CASE("walkthroughs: the loyal lieutenant cannot tell who the traitor is", "[walkthrough][om]") {
  const auto lieutenant = replay("generals-traitor-lieutenant");
  const auto commander = replay("generals-traitor-commander");
  // The same view, so the same decision: right when the commander lies,
  // wrong (IC2) when the lieutenant does. N = 3 <= 3f.
  CHECK(last(lieutenant.log, "p1") == "decides retreat: majority of {p0: attack, p2: retreat} ties -> retreat");
  CHECK(last(commander.log, "p1") == last(lieutenant.log, "p1"));
  const auto four = replay("generals-four");
  CHECK(last(four.log, "p1") == "decides attack: majority of {p0: attack, p2: attack, p3: retreat} -> attack");
  CHECK(last(four.log, "p2") == "decides attack: majority of {p0: attack, p1: attack, p3: retreat} -> attack");
  const auto sm = replay("generals-signed");
  CHECK(last(sm.log, "p1 received") == "attack:p0, retreat:p0:p2");  // two orders, both signed by p0
  CHECK(last(sm.log, "p1") == "decides retreat: V = {retreat, attack} is not one value -> retreat");
  CHECK(last(sm.log, "p2") == "decides retreat: V = {retreat, attack} is not one value -> retreat");
}

TEST_CASE("walkthroughs: the SVG and HTML beside each trace are today's drawing of it", "[walkthrough][render]") {
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    if (entry.path().extension() != ".trace") continue;
    const std::string stem = entry.path().stem().string();
    INFO(stem << " (redraw with docs/walkthroughs/render.sh)");
    const auto t = counterexamples::read_trace_file(entry.path().string());
    const cli::Entry& e = cli::trace_entry(t, stem);
    const auto chart = e.chart(cli::trace_params(e, t, stem), t, stem);
    CHECK(chart.reproduced);
    CHECK(runbin::slurp(kDir + stem + ".svg") == counterexamples::render(chart, "svg"));
    CHECK(runbin::slurp(kDir + stem + ".html") == counterexamples::render(chart, "html"));
  }
}
