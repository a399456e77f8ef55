// agree prove: the Z3 encodings against the theorem, against the explicit
// om / sm models (verdicts and witness replay), the impossibility synthesis,
// and the command line's exit-code contract.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <rapidcheck/catch.h>

#include "agree/cli/registry.hpp"
#include "agree/counterexamples/trace.hpp"
#include "agree/model/params.hpp"
#include "agree/prove/impossible.hpp"
#include "agree/prove/om_smt.hpp"
#include "agree/prove/sm_smt.hpp"
#include "agree/prove/table.hpp"
#include "agree/prove/trace.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {

using prove::Answer;

// The explicit model's verdict through the registry, as `agree check` computes it.
checker::Verdict explicit_verdict(const std::string& protocol, int n, int t, int m) {
  const cli::Entry* e = cli::find_protocol(protocol);
  REQUIRE(e != nullptr);
  model::Params params(e->params);
  params.set("generals", std::to_string(n));
  params.set("traitors", std::to_string(t));
  params.set("rounds", std::to_string(m));
  return e->check(params, checker::Options{}).report.verdict;
}

// Replays a witness trace through the explicit model (after a round trip
// through the file format): it must be accepted and reproduce the violation.
void require_replays(const counterexamples::Trace& t) {
  const auto text = counterexamples::to_text(t);
  const auto parsed = counterexamples::parse_trace(text, "witness");
  const auto r = cli::replay_trace(parsed, "witness", nullptr);
  INFO(text);
  REQUIRE(r.reproduced);
}

struct Run {
  int code = -1;
  std::string out;
};

// Runs a shell command in `dir`; stdout only.
Run shell(const std::string& dir, const std::string& command) {
  const std::string cmd = "cd '" + dir + "' && " + command + " 2>/dev/null";
  FILE* f = ::popen(cmd.c_str(), "r");
  REQUIRE(f != nullptr);
  Run r;
  char buf[4096];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) r.out.append(buf, got);
  const int status = ::pclose(f);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs the agree binary in `dir`.
Run run_agree(const std::string& dir, const std::string& args) { return shell(dir, "'" AGREE_BINARY "' " + args); }

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "agree-prove-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

std::size_t count_files(const std::string& dir) {
  if (!std::filesystem::exists(dir)) return 0;
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("prove: OM verdicts agree with the theorem on small cells", "[prove][om]") {
  for (int t = 0; t <= 2; ++t)
    for (int n = t + 1; n <= 7; ++n) {
      if (n < 2) continue;
      const auto r = prove::om::prove({n, t, t}, {});
      INFO("OM(" << t << ") N=" << n);
      REQUIRE(r.outcome.answer != Answer::Unknown);
      CHECK((r.outcome.answer == Answer::Unsat) == prove::table::om_expected(n, t));
      CHECK(r.witness.has_value() == (r.outcome.answer == Answer::Sat));
    }
  // The theorem's boundary, by hand: three generals lose to one traitor, four do not.
  CHECK(prove::om::prove({3, 1, 1}, {}).outcome.answer == Answer::Sat);
  CHECK(prove::om::prove({4, 1, 1}, {}).outcome.answer == Answer::Unsat);
  CHECK(prove::om::prove({6, 2, 2}, {}).outcome.answer == Answer::Sat);
  CHECK(prove::om::prove({7, 2, 2}, {}).outcome.answer == Answer::Unsat);
  // Too few rounds: OM(1) with 7 generals cannot beat 2 traitors; OM(0) not even 1.
  CHECK(prove::om::prove({7, 2, 1}, {}).outcome.answer == Answer::Sat);
  CHECK(prove::om::prove({4, 1, 0}, {}).outcome.answer == Answer::Sat);
  // Vacuous: one loyal general has nobody to disagree with.
  CHECK(prove::om::prove({2, 1, 1}, {}).outcome.answer == Answer::Unsat);
  CHECK(prove::om::prove({3, 2, 2}, {}).outcome.answer == Answer::Unsat);
  // The tree sizes protocols.md §om quotes.
  CHECK(prove::om::prove({4, 1, 1}, {}).messages == 9);
  CHECK(prove::om::prove({7, 2, 2}, {}).messages == 156);
}

TEST_CASE("prove: SM(T) holds for every N; too few rounds break it", "[prove][sm]") {
  for (int t = 0; t <= 2; ++t)
    for (int n = std::max(2, t + 1); n <= 7; ++n) {
      INFO("SM(" << t << ") N=" << n);
      CHECK(prove::sm::prove({n, t, t}, {}).outcome.answer == Answer::Unsat);
    }
  CHECK(prove::sm::prove({4, 2, 1}, {}).outcome.answer == Answer::Sat);
  CHECK(prove::sm::prove({5, 3, 2}, {}).outcome.answer == Answer::Sat);
  CHECK(prove::sm::prove({4, 1, 0}, {}).outcome.answer == Answer::Sat);
  CHECK(prove::sm::prove({3, 2, 1}, {}).outcome.answer == Answer::Unsat);  // one loyal lieutenant
}

TEST_CASE("prove: the table agrees with the theorem in every cell", "[prove][table]") {
  const auto t = prove::table::run(6, 2, {});
  // T = 0..2, N = 2..6, T < N: 5 + 5 + 4 cells, twice.
  CHECK(t.cells.size() == 28);
  CHECK(t.disagreements == 0);
  CHECK(t.unknowns == 0);
  int om_violated = 0;
  for (const auto& c : t.cells) om_violated += c.protocol == "om" && c.answer == Answer::Sat;
  CHECK(om_violated == 4);  // N=3 T=1; N=4,5,6 T=2
}

TEST_CASE("prove: every OM and SM witness replays through the explicit model and fails there", "[prove][replay]") {
  for (const auto& [n, t, m] : std::vector<std::tuple<int, int, int>>{{3, 1, 1}, {4, 1, 0}, {4, 2, 2}, {5, 2, 2}, {6, 2, 2}, {7, 2, 1}}) {
    INFO("om N=" << n << " T=" << t << " m=" << m);
    const prove::om::Config c{n, t, m};
    const auto r = prove::om::prove(c, {});
    REQUIRE(r.witness);
    const auto trace = prove::om_trace(c, *r.witness);
    REQUIRE(trace);
    CHECK(trace->protocol == "om");
    CHECK(trace->property == r.witness->property);
    require_replays(*trace);
  }
  for (const auto& [n, t, m] : std::vector<std::tuple<int, int, int>>{{4, 1, 0}, {4, 2, 1}, {5, 2, 1}, {5, 3, 2}, {6, 3, 1}}) {
    INFO("sm N=" << n << " T=" << t << " m=" << m);
    const prove::sm::Config c{n, t, m};
    const auto r = prove::sm::prove(c, {});
    REQUIRE(r.witness);
    const auto trace = prove::sm_trace(c, *r.witness);
    REQUIRE(trace);
    CHECK(trace->protocol == "sm");
    require_replays(*trace);
  }
  // The smallest story: with a loyal commander, its order and the traitor's one
  // relay; with a traitor commander, its two messages: 2 steps either way.
  const auto r = prove::om::prove({3, 1, 1}, {});
  const auto trace = prove::om_trace({3, 1, 1}, *r.witness);
  REQUIRE(trace);
  CHECK(trace->steps.size() == 2);
  CHECK(trace->parameters == "generals=3 traitors=1 rounds=1");
  // Without --rounds the trace says rounds=auto, as `agree check om` writes it.
  const auto auto_trace = prove::om_trace({3, 1, 1}, *r.witness, true);
  REQUIRE(auto_trace);
  CHECK(auto_trace->parameters == "generals=3 traitors=1 rounds=auto");
  CHECK(auto_trace->steps == trace->steps);
  require_replays(*auto_trace);
}

namespace {
// "send(p0.p2>p1: retreat)  (a lie: ...)" -> "send(p0.p2>p1: retreat)".
std::string action_part(const std::string& line) { return line.substr(0, line.find(')') + 1); }
}  // namespace

TEST_CASE("prove: the traitor strategy is written as agree check writes the actions", "[prove][notation]") {
  // om: every message a traitor sends is one action of the explicit model, so
  // the strategy is exactly the trace's send steps, in order.
  for (const auto& [n, t, m] : std::vector<std::tuple<int, int, int>>{{3, 1, 1}, {4, 1, 0}, {6, 2, 2}}) {
    INFO("om N=" << n << " T=" << t << " m=" << m);
    const prove::om::Config c{n, t, m};
    const auto r = prove::om::prove(c, {});
    REQUIRE(r.witness);
    const auto trace = prove::om_trace(c, *r.witness);
    REQUIRE(trace);
    std::vector<std::string> sends, strategy;
    for (const auto& s : trace->steps)
      if (s.rfind("send(", 0) == 0) sends.push_back(s);
    for (const auto& line : prove::om::strategy_lines(*r.witness)) {
      CHECK(line.rfind("send(p0", 0) == 0);
      strategy.push_back(action_part(line));
    }
    CHECK(strategy == sends);
  }
  // The paper's story by hand: p0 loyal orders attack, the traitor lies once.
  const auto r = prove::om::prove({3, 1, 1}, {});
  REQUIRE(r.witness);
  const auto lines = prove::om::strategy_lines(*r.witness);
  const int traitor = r.witness->traitor[1] ? 1 : 2, loyal = 3 - traitor;
  if (!r.witness->traitor[0] && lines.size() == 1)  // else Z3 chose the traitor commander's story
    CHECK(lines[0] == "send(p0.p" + std::to_string(traitor) + ">p" + std::to_string(loyal) + ": " +
                          (r.witness->order_attack ? "retreat" : "attack") + ")  (a lie: it received " +
                          (r.witness->order_attack ? "attack" : "retreat") + ")");

  // sm: one line per signed message a traitor sends, with all its receivers:
  // the trace's sends to somebody (the model also lists the sends to nobody).
  for (const auto& [n, t, m] : std::vector<std::tuple<int, int, int>>{{4, 2, 1}, {5, 3, 2}, {4, 1, 0}}) {
    INFO("sm N=" << n << " T=" << t << " m=" << m);
    const prove::sm::Config c{n, t, m};
    const auto r2 = prove::sm::prove(c, {});
    REQUIRE(r2.witness);
    const auto trace = prove::sm_trace(c, *r2.witness);
    REQUIRE(trace);
    std::vector<std::string> sends, strategy;
    for (const auto& s : trace->steps)
      if (s.rfind("send(", 0) == 0 && s.find("> {})") == std::string::npos) sends.push_back(s);
    for (const auto& line : prove::sm::strategy_lines(*r2.witness)) {
      if (line.rfind("(the traitors", 0) == 0) continue;
      CHECK(line.find(":p0") != std::string::npos);
      CHECK(line.find("(round ") != std::string::npos);
      strategy.push_back(action_part(line));
    }
    CHECK(strategy == sends);
  }
  prove::sm::Message msg;
  msg.attack = true;
  msg.chain = {2, 1};
  msg.to = 3;
  CHECK(prove::sm::text(msg) == "attack:p0:p2:p1 -> p3");
}

TEST_CASE("prove: explicit om/sm verdicts and Z3 verdicts agree", "[prove][explicit]") {
  // Memoised: the domain is small, and the explicit side is the costly one.
  std::map<std::tuple<std::string, int, int, int>, std::pair<checker::Verdict, Answer>> seen;
  rc::prop("om and sm: explicit == symbolic on random small N, T, m", [&seen] {
    const bool om = *rc::gen::arbitrary<bool>();
    const int n = *rc::gen::inRange(2, om ? 6 : 5);  // up to 5 generals for om, 4 for sm
    const int t = *rc::gen::inRange(0, std::min(n, 3));
    const int m = *rc::gen::inRange(0, om ? 3 : 3);
    const std::string protocol = om ? "om" : "sm";
    RC_TAG(protocol);
    auto key = std::make_tuple(protocol, n, t, m);
    auto it = seen.find(key);
    if (it == seen.end()) {
      const checker::Verdict ev = explicit_verdict(protocol, n, t, m);
      Answer za;
      if (om) {
        const prove::om::Config c{n, t, m};
        const auto r = prove::om::prove(c, {});
        za = r.outcome.answer;
        if (r.witness) {
          const auto trace = prove::om_trace(c, *r.witness);
          RC_ASSERT(trace.has_value());
          RC_ASSERT(cli::replay_trace(*trace, "witness", nullptr).reproduced);
        }
      } else {
        const prove::sm::Config c{n, t, m};
        const auto r = prove::sm::prove(c, {});
        za = r.outcome.answer;
        if (r.witness) {
          const auto trace = prove::sm_trace(c, *r.witness);
          RC_ASSERT(trace.has_value());
          RC_ASSERT(cli::replay_trace(*trace, "witness", nullptr).reproduced);
        }
      }
      it = seen.emplace(key, std::make_pair(ev, za)).first;
    }
    const auto [ev, za] = it->second;
    RC_ASSERT(za != Answer::Unknown);
    RC_ASSERT(ev != checker::Verdict::Incomplete);
    RC_ASSERT((ev == checker::Verdict::Holds) == (za == Answer::Unsat));
  });
}

TEST_CASE("prove: no full-information protocol lets 3 generals beat 1 traitor; 4 can, by majority",
          "[prove][impossible]") {
  using prove::impossible::Config;
  const auto k1 = prove::impossible::prove(Config{3, 1, 1}, {});
  CHECK(k1.outcome.answer == Answer::Unsat);
  CHECK(k1.unknowns == 4);  // p1, p2: one value each, 2 table entries
  const auto k2 = prove::impossible::prove(Config{3, 1, 2}, {});
  CHECK(k2.outcome.answer == Answer::Unsat);
  CHECK(k2.unknowns == 8);  // p1, p2: two values each
  CHECK(prove::impossible::prove(Config{4, 1, 1}, {}).outcome.answer == Answer::Unsat);  // no relay, no agreement

  const auto four = prove::impossible::prove(Config{4, 1, 2}, {});
  REQUIRE(four.outcome.answer == Answer::Sat);
  CHECK(four.rule_checked);
  CHECK(four.unknowns == 24);
  CHECK(four.behaviours == 32);
  REQUIRE(four.rules.size() == 3);
  for (const auto& rule : four.rules) {
    CHECK(rule.inputs.size() == 3);
    CHECK(rule.table.size() == 8);
    // With 4 generals and 1 traitor every view occurs and forces the majority.
    CHECK(rule.is_majority);
  }
  // Paths as the explicit om model writes them (send(p0.p2>p1: ...)).
  CHECK(four.rules[0].inputs == std::vector<std::string>{"p0", "p0.p2", "p0.p3"});
  CHECK(four.rules[1].inputs == std::vector<std::string>{"p0", "p0.p1", "p0.p3"});
  CHECK(prove::impossible::class_text(Config{3, 1, 2}).find("full-information") != std::string::npos);
}

TEST_CASE("prove: the command line keeps the exit-code contract and writes replayable traces", "[prove][cli]") {
  TempDir dir;
  auto r = run_agree(dir.path, "prove om --generals 3 --traitors 1 --trace-dir tr");
  CHECK(r.code == 1);
  CHECK(r.out.find("verdict: violated") != std::string::npos);
  // agree check's notation: its parameters line, its actions.
  CHECK(r.out.rfind("agree prove om  generals=3 traitors=1 rounds=auto\n", 0) == 0);
  CHECK(r.out.find("    send(p0.p") != std::string::npos);
  CHECK(r.out.find("path 0>") == std::string::npos);
  REQUIRE(count_files(dir.path + "/tr") == 1);
  const std::string trace = std::filesystem::directory_iterator(dir.path + "/tr")->path().string();
  CHECK(trace.find("om-generals3-traitors1-roundsauto-") != std::string::npos);  // as agree check names it
  {
    std::ifstream in(trace);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("\nparameters generals=3 traitors=1 rounds=auto\n") != std::string::npos);
    // The strategy line is the trace's send step.
    const std::string body = text.str();
    const auto at = body.find("2 send(");
    REQUIRE(at != std::string::npos);
    const std::string step = body.substr(at + 2, body.find('\n', at) - at - 2);
    CHECK(r.out.find("    " + step + "  (a lie") != std::string::npos);
  }
  CHECK(run_agree(dir.path, "replay --quiet '" + trace + "'").code == 0);
  r = run_agree(dir.path, "prove om --generals 3 --traitors 1 --rounds 1 --trace-dir tr1");
  CHECK(r.code == 1);
  CHECK(r.out.rfind("agree prove om  generals=3 traitors=1 rounds=1\n", 0) == 0);
  // Never overwritten: a second run adds a file.
  CHECK(run_agree(dir.path, "prove om --generals 3 --traitors 1 --trace-dir tr").code == 1);
  CHECK(count_files(dir.path + "/tr") == 2);

  r = run_agree(dir.path, "prove om --generals 4 --traitors 1 --json --smt2 q.smt2");
  CHECK(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["verdict"] == "holds");
  CHECK(j["z3"] == "unsat");
  CHECK(j["parameters"] == nlohmann::json{{"generals", 4}, {"traitors", 1}, {"rounds", "auto"}});  // as check --json
  CHECK(j["trace"].is_null());
  CHECK(j["statistics"].is_object());
  // The dumped query re-runs with the z3 binary to the same answer.
  const auto z = shell(dir.path, "z3 q.smt2");
  CHECK(z.out == "unsat\n");

  CHECK(run_agree(dir.path, "prove om --generals 3 --traitors 3").code == 2);
  CHECK(run_agree(dir.path, "prove om --generals 3").code == 2);
}

TEST_CASE("prove: a resource limit gives unknown, never a verdict", "[prove]") {
  // OM(3) with 10 generals takes Z3 about a minute and a half; a millisecond is not enough.
  prove::SolveOptions o;
  o.timeout_seconds = 0.001;
  const auto r = prove::om::prove({10, 3, 3}, o);
  INFO("answer " << prove::to_string(r.outcome.answer) << ", reason \"" << r.outcome.reason_unknown << "\"");
  CHECK(r.outcome.answer == Answer::Unknown);
  CHECK(r.outcome.reason_unknown == "timeout");
  CHECK_FALSE(r.witness);
}

TEST_CASE("prove: the command line, every subcommand", "[prove][cli][long]") {
  TempDir dir;
  auto r = run_agree(dir.path, "prove sm --generals 4 --traitors 2 --rounds 1 --json --trace-dir tr2");
  CHECK(r.code == 1);
  const auto js = nlohmann::json::parse(r.out);
  CHECK(js["verdict"] == "violated");
  CHECK(js["parameters"]["rounds"] == 1);
  for (const auto& line : js["witness"]["strategy"]) CHECK(line.get<std::string>().rfind("send(", 0) == 0);
  REQUIRE(js["trace"].is_string());
  CHECK(run_agree(dir.path, "replay --quiet '" + js["trace"].get<std::string>() + "'").code == 0);
  CHECK(run_agree(dir.path, "prove sm --generals 4 --traitors 1").code == 0);

  CHECK(run_agree(dir.path, "prove impossible --generals 3 --traitors 1 --rounds 1").code == 1);
  r = run_agree(dir.path, "prove impossible --generals 4 --traitors 1 --rounds 2");
  CHECK(r.code == 0);
  CHECK(r.out.find("the strict majority of its 3 values") != std::string::npos);

  // One range per parameter: prove om takes the generals of check om (2..8).
  r = shell(dir.path, "{ '" AGREE_BINARY "' prove om --generals 10 --traitors 3 2>&1; }");  // stderr into out
  CHECK(r.code == 2);
  CHECK(r.out == "agree: error: --generals: 10 is out of range 2..8 (see agree prove om --help)\n");
  // A resource limit: OM(3) with 8 generals takes Z3 far more than a millisecond: unknown.
  r = run_agree(dir.path, "prove om --generals 8 --traitors 3 --timeout 0.001");
  CHECK(r.code == 3);
  CHECK(r.out.find("verdict: unknown") != std::string::npos);

  r = run_agree(dir.path, "prove table --max-generals 5 --max-traitors 1");
  CHECK(r.code == 0);
  CHECK(r.out.find("16 cells") != std::string::npos);
  CHECK(r.out.find("0 disagree") != std::string::npos);
}
