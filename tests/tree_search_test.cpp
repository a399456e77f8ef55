// checker/tree.hpp on a toy tree whose answers are known by inspection: the
// binary strings up to a fixed length. Counts, the first counterexample in
// depth-first order, independence of the thread count, weights, limits, and
// the explorer's choice of strategy.
#include <catch2/catch.hpp>

#include <set>

#include "agree/checker/explorer.hpp"
#include "agree/counterexamples/replay.hpp"
#include "toy_models.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {

struct Bits {
  std::vector<std::uint8_t> bits;
  std::uint8_t root = 0;
  bool operator==(const Bits&) const = default;
  auto fields() const { return std::tie(root, bits); }
};
struct Bit {
  int b;
  bool operator==(const Bit&) const = default;
};

// Roots 0..roots-1; each node appends a bit until `depth` bits. "never-bad"
// fails on the strings in `bad` (as "r:bits"), "ends-zero" at leaves ending
// in 1 when `ends_zero` is set.
class BitTree {
 public:
  using State = Bits;
  using Action = std::variant<Bit>;
  static constexpr std::string_view kName = "bits";
  static constexpr std::string_view kSummary = "binary strings";
  static constexpr int kVersion = 1;
  static constexpr bool kTreeShaped = true;
  static std::vector<model::ParamSpec> param_specs() { return {}; }
  static std::vector<std::string_view> action_kinds() { return {"bit"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit BitTree(const model::Params&) {}
  BitTree(int roots, int depth, std::set<std::string> bad, bool ends_zero = false, bool merge_ones = false)
      : roots_(roots), depth_(depth), bad_(std::move(bad)), ends_zero_(ends_zero), merge_ones_(merge_ones) {}

  std::vector<State> init_states() const {
    std::vector<State> out;
    for (int r = 0; r < roots_; ++r) out.push_back(Bits{{}, static_cast<std::uint8_t>(r)});
    return out;
  }
  void actions(const State& s, std::vector<Action>& out) const {
    if (static_cast<int>(s.bits.size()) < depth_) out = {Bit{0}, Bit{1}};
  }
  std::optional<State> next_state(State s, const Action& a) const {
    s.bits.push_back(static_cast<std::uint8_t>(std::get<Bit>(a).b));
    return s;
  }
  std::string format_action(const Action& a) const { return "bit(" + std::to_string(std::get<Bit>(a).b) + ")"; }
  std::string format_init(const State& s) const { return "root " + std::to_string(s.root); }
  model::Description describe(const State& s) const { return {{"bits", text(s)}}; }
  std::vector<properties::Property<State>> properties() const {
    auto bad = bad_;
    const bool ez = ends_zero_;
    return {properties::always<State>("never-bad", [bad](const State& s) { return !bad.count(text(s)); }),
            properties::at_terminal<State>("ends-zero",
                                           [ez](const State& s) { return !ez || s.bits.empty() || s.bits.back() == 0; }),
            properties::sometimes<State>("some-leaf", [this](const State& s) {
              return static_cast<int>(s.bits.size()) == depth_;
            })};
  }
  // Symmetry: roots 1.. behave like root 0 (only for trees with no bad strings).
  std::vector<std::pair<std::uint32_t, std::uint64_t>> symmetric_roots() const {
    return {{0, static_cast<std::uint64_t>(roots_)}};
  }
  // Merging (when asked): bit 1 is explored only as bit 0, with weight 2.
  void merged_actions(const State&, std::vector<std::pair<std::uint32_t, std::uint64_t>>& out) const {
    if (merge_ones_) out = {{0, 2}};
    else out = {{0, 1}, {1, 1}};
  }
  static std::string text(const State& s) {
    std::string t = std::to_string(s.root) + ":";
    for (const auto b : s.bits) t += static_cast<char>('0' + b);
    return t;
  }

 private:
  int roots_, depth_;
  std::set<std::string> bad_;
  bool ends_zero_, merge_ones_;
};

checker::Options tree(unsigned threads = 1, std::string reduce = "none", bool keep_going = false) {
  checker::Options o;
  o.threads = threads;
  o.reduce = checker::parse_reduce(reduce);
  o.keep_going = keep_going;
  return o;
}

}  // namespace

TEST_CASE("tree: every node of a safe tree is visited once", "[tree]") {
  const BitTree t(2, 3, {});
  for (unsigned threads : {1u, 2u, 4u}) {
    const auto r = checker::check(t, tree(threads));
    CHECK(r.verdict == checker::Verdict::Holds);
    CHECK(r.distinct_states == 30);  // 2 x (1 + 2 + 4 + 8)
    CHECK(r.transitions == 28);
    CHECK(r.terminal_states == 16);
    CHECK(r.weighted_terminals == 16);
    CHECK(r.depth == 3);
    CHECK(r.store_bytes == 0);
    CHECK(r.reachability.at(0).reached);
    CHECK(r.fired.at(0).second == 28);
    CHECK(r.search.rfind("search tree", 0) == 0);
  }
}

TEST_CASE("tree: the first counterexample in depth-first order, whatever the thread count", "[tree]") {
  const BitTree t(2, 3, {"0:011", "0:110", "1:000"});
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    INFO("threads " << threads);
    const auto r = checker::check(t, tree(threads));
    REQUIRE(r.verdict == checker::Verdict::Violated);
    REQUIRE(r.violations.size() == 1);
    CHECK(r.violations[0].path.encode() == "0/0/1/1");
    // Exactly the nodes a one-thread DFS visits up to it: root 0 00 000 001 01 010 011.
    CHECK(r.distinct_states == 8);
    CHECK(r.terminal_states == 3);
    const auto steps = counterexamples::rebuild(t, r.violations[0].path);
    CHECK(BitTree::text(steps.back().state) == "0:011");
  }
}

TEST_CASE("tree: keep-going reports the first violation of each property and visits everything", "[tree]") {
  const BitTree t(1, 3, {"0:110"}, true);
  for (unsigned threads : {1u, 2u}) {
    const auto r = checker::check(t, tree(threads, "none", true));
    CHECK(r.verdict == checker::Verdict::Violated);
    CHECK(r.distinct_states == 15);
    REQUIRE(r.violations.size() == 2);
    CHECK(r.violations[0].property == "ends-zero");  // 001 comes before 110
    CHECK(r.violations[0].path.encode() == "0/0/0/1");
    CHECK(r.violations[1].property == "never-bad");
    CHECK(r.violations[1].path.encode() == "0/1/1/0");
  }
}

TEST_CASE("tree: reductions carry their weights into the runs covered", "[tree]") {
  const BitTree sym(5, 4, {});
  auto r = checker::check(sym, tree(2, "symmetry"));
  CHECK(r.distinct_states == 31);          // one root's tree
  CHECK(r.weighted_terminals == 5 * 16);   // five roots' leaves
  const BitTree merged(1, 4, {}, false, true);
  r = checker::check(merged, tree(1, "por"));
  CHECK(r.distinct_states == 5);           // a single path
  CHECK(r.terminal_states == 1);
  CHECK(r.weighted_terminals == 16);
  r = checker::check(merged, tree(1, "none"));  // no reduction asked: the whole tree
  CHECK(r.distinct_states == 31);
  CHECK_THROWS_AS(checker::check(merged, tree(1, "bogus")), std::invalid_argument);
}

TEST_CASE("tree: limits make the search incomplete", "[tree][limits]") {
  const BitTree t(1, 12, {});
  checker::Options o = tree(2);
  o.max_states = 1000;
  auto r = checker::check(t, o);
  CHECK(r.verdict == checker::Verdict::Incomplete);
  CHECK(r.cut == checker::Cut::MaxStates);
  o = tree(1);
  o.max_depth = 2;
  r = checker::check(t, o);
  CHECK(r.verdict == checker::Verdict::Incomplete);
  CHECK(r.cut == checker::Cut::MaxDepth);
  CHECK(r.distinct_states == 7);
}

TEST_CASE("tree: the explorer picks the tree search unless told otherwise", "[tree]") {
  const BitTree t(1, 3, {"0:101"});
  checker::Options o;  // no --search given
  auto r = checker::check(t, o);
  CHECK(!r.search.empty());
  CHECK(r.violations.at(0).path.encode() == "0/1/0/1");
  o.search = checker::Search::Dfs;
  o.search_chosen = true;
  r = checker::check(t, o);
  CHECK(r.search.empty());  // the graph DFS with its visited set
  CHECK(r.verdict == checker::Verdict::Violated);
  o.search = checker::Search::Bfs;
  r = checker::check(t, o);
  CHECK(r.search.empty());
  CHECK(r.violations.at(0).path.encode() == "0/1/0/1");
  // A graph protocol cannot be searched as a tree.
  const toy::Graph g({0}, {{0, 1}}, 9);
  o.search = checker::Search::Tree;
  CHECK_THROWS_AS(checker::check(g, o), std::invalid_argument);
}
