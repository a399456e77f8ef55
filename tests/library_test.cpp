// The library as a user's project sees it: a model written with the public
// headers alone, checked with agree::check, its trace replayed with
// agree::replay, the testing helpers, and agree::cli::main over it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "agree/agree.hpp"
#include "agree/cli/cli.hpp"
#include "agree/testing.hpp"
#include "agree/testing/catch2.hpp"

namespace ring {

// The README's toy graph: four nodes in a ring, "never node 3".
struct Ring {
  struct State { int n = 0; bool operator==(const State&) const = default; auto fields() const { return std::tie(n); } };
  struct Step {};
  using Action = std::variant<Step>;
  std::vector<State> init_states() const { return {State{}}; }
  void actions(const State&, std::vector<Action>& out) const { out.push_back(Step{}); }
  std::optional<State> next_state(State s, const Action&) const { s.n = (s.n + 1) % 4; return s; }
  std::string format_action(const Action&) const { return "step"; }
  std::vector<agree::Property<State>> properties() const {
    return {agree::always<State>("never-3", [](const State& s) { return s.n != 3; })};
  }
};

}  // namespace ring

TEST_CASE("library: a model of the core alone is checked, and its trace replays", "[library]") {
  // By inspection: node 3 is three steps from node 0, and the ring has 4 nodes.
  const ring::Ring m;
  agree::Options o;
  o.threads = 1;
  o.keep_going = true;
  const agree::Result r = agree::check(m, o);
  REQUIRE(r.report.verdict == agree::Verdict::Violated);
  CHECK(r.report.distinct_states == 4);
  REQUIRE(r.traces.size() == 1);
  const agree::Trace& t = r.traces[0];
  CHECK(t.protocol == "ring");
  CHECK(t.model_version == 1);
  CHECK(t.steps == std::vector<std::string>{"step", "step", "step"});
  // Through the text, as a file would carry it.
  const agree::Trace back = agree::parse_trace(agree::to_text(t), "ring.trace");
  CHECK(agree::replay(m, back).reproduced);
}

TEST_CASE("library: replay refuses a trace of another model, version or parameters, naming the line", "[library]") {
  const ring::Ring m;
  agree::Options o;
  o.threads = 1;
  o.parameters = "size=4";
  agree::Trace t = agree::check(m, o).traces.at(0);
  CHECK(t.parameters == "size=4");
  CHECK(agree::replay(m, t, "size=4").reproduced);
  CHECK_THROWS_WITH(agree::replay(m, t, "size=5", "r.trace"), Catch::Contains("trace is for parameters 'size=4', not 'size=5'"));
  t.protocol_line = 3;
  t.protocol = "token";
  CHECK_THROWS_WITH(agree::replay(m, t, "", "r.trace"), Catch::Contains("r.trace:3: trace is for protocol 'token', not ring"));
  t.protocol = "ring";
  t.model_version = 2;
  CHECK_THROWS_WITH(agree::replay(m, t), Catch::Contains("model version 2"));
}

TEST_CASE("library: the testing helpers pass and fail as they should", "[library][testing]") {
  const ring::Ring m;
  CHECK_FALSE(agree::testing::holds(m).ok);
  CHECK(agree::testing::holds(m).message.find("step") != std::string::npos);  // the trace is in the message
  AGREE_CHECK(agree::testing::violated_within(m, "never-3", 3));
  CHECK_FALSE(agree::testing::violated_within(m, "never-3", 2).ok);
  AGREE_CHECK(agree::testing::discovers(m, "never-3", {"step", "step", "step"}));
  CHECK_FALSE(agree::testing::discovers(m, "never-3", {"step", "step"}).ok);
  CHECK_FALSE(agree::testing::discovers(m, "never-4", {"step"}).ok);
  AGREE_CHECK(agree::testing::counts(m, 4));
  CHECK_FALSE(agree::testing::counts(m, 5).ok);
  agree::Options cut;
  cut.max_states = 2;
  CHECK_FALSE(agree::testing::counts(m, 4, cut).ok);  // a search cut short proves no count
}

TEST_CASE("library: agree::cli::main runs a user's protocol with agree's commands and exit codes", "[library][cli]") {
  static const bool added = (agree::cli::add_protocol<ring::Ring>(), true);
  (void)added;
  const auto dir = std::filesystem::temp_directory_path() / "agree-library-test";
  std::filesystem::remove_all(dir);
  std::vector<std::string> args{"agree", "check", "ring", "--threads", "1", "--trace-dir", dir.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  CHECK(agree::cli::main(static_cast<int>(argv.size()), argv.data()) == 1);  // violated
  const auto trace = (dir / "ring-never-3.trace").string();
  REQUIRE(std::filesystem::exists(trace));
  std::vector<std::string> replay{"agree", "replay", "--quiet", trace};
  std::vector<char*> rargv;
  for (auto& a : replay) rargv.push_back(a.data());
  CHECK(agree::cli::main(static_cast<int>(rargv.size()), rargv.data()) == 0);  // reproduced
  std::vector<std::string> bad{"agree", "check", "ring", "--procs", "3"};
  std::vector<char*> bargv;
  for (auto& a : bad) bargv.push_back(a.data());
  CHECK(agree::cli::main(static_cast<int>(bargv.size()), bargv.data()) == 2);  // ring has no parameters
  std::filesystem::remove_all(dir);
}
