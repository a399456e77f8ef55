// A counterexample says why, in words (Property::explain): every violated row
// of the suite gets an explanation, and on the walkthroughs' counterexamples it
// names what the trace shows (read off the trace by hand: who delivered or
// decided what, on which votes or numbers, what a stuck process waits for).
#include <catch2/catch.hpp>

#include "agree/cli/registry.hpp"
#include "agree/cli/suite.hpp"
#include "agree/counterexamples/trace.hpp"

using namespace agree;

namespace {

std::string explanation_of(const std::string& walkthrough) {
  const auto t = counterexamples::read_trace_file(std::string(AGREE_SOURCE_DIR) + "/docs/walkthroughs/" + walkthrough + ".trace");
  const auto r = cli::replay_trace(t, walkthrough, nullptr);
  REQUIRE(r.reproduced);
  return r.explanation;
}

}  // namespace

TEST_CASE("explain: every violation in the suite comes with a reason", "[explain]") {
  int violated = 0;
  for (const auto& row : cli::suite_rows()) {
    if (row.verdict != "violated") continue;
    INFO(row.protocol << " " << row.parameters);
    const cli::Entry* e = cli::find_protocol(row.protocol);
    REQUIRE(e);
    model::Params params(e->params);
    params.set_all(row.parameters);
    const auto r = e->check(params, checker::Options{});
    REQUIRE(r.explanations.size() == r.traces.size());
    REQUIRE(!r.explanations.empty());
    CHECK(!r.explanations[0].empty());
    ++violated;
  }
  CHECK(violated >= 10);
}

TEST_CASE("explain: the walkthroughs' counterexamples, in the protocols' terms", "[explain][walkthrough]") {
  CHECK(explanation_of("isis-open-group-no-tiebreak") ==
        "p0 delivered [m0], p1 delivered [m1]: m0 and m1 in different orders; m0 was agreed with 2 and m1 with 2: "
        "a tie, and each member keeps its own queue order");
  CHECK(explanation_of("sequencer-no-holdback") ==
        "p0 delivered [m0], p1 delivered [m1]: m0 and m1 in different orders; without the hold-back queue each "
        "member delivers in the order the Data arrive, whatever their tickets");
  CHECK(explanation_of("vote-crash-n-f") ==
        "p0 decided proceed, p1 decided abort; p0 counted {p0: proceed, p1: proceed}; p1 counted {p0: proceed, p2: abort}");
  CHECK(explanation_of("vote-crash-all") ==
        "nothing more can happen, and p0, p1 (alive) never decide: each waits for 3 votes, and 1 of the 3 crashed");
  CHECK(explanation_of("generals-traitor-lieutenant") ==
        "the loyal commander p0 ordered attack, but the loyal lieutenant p1 decided retreat; p1 decides retreat: "
        "majority of {p0: attack, p2: retreat} ties -> retreat");
}

TEST_CASE("explain: a stuck run says what it waits for", "[explain]") {
  // isis with one crash: the sender waits for the crashed process's proposal (protocols.md).
  const cli::Entry* e = cli::find_protocol("isis");
  model::Params params(e->params);
  params.set_all("procs=3 msgs=2 crash=1");
  auto r = e->check(params, checker::Options{});
  REQUIRE(r.explanations.size() == 1);
  CHECK(r.explanations[0].find("still waits for the proposal of") != std::string::npos);
  CHECK(r.explanations[0].find("(crashed)") != std::string::npos);
  // sequencer: a crashed s leaves a message without its ticket.
  const cli::Entry* s = cli::find_protocol("sequencer");
  model::Params sp(s->params);
  sp.set_all("procs=2 msgs=2 crash=1");
  r = s->check(sp, checker::Options{});
  REQUIRE(r.explanations.size() == 1);
  CHECK(r.explanations[0].find("never got a ticket: s crashed") != std::string::npos);
}
