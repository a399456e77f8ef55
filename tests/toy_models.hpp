// tests/toy_models.hpp — tiny purpose-built models whose answers are known by
// inspection, to test the checker itself (stateright's test_util.rs).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agree/model/protocol.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace toy {

// An explicit directed graph over nodes 0..n-1. Node `bad` violates "never-bad";
// terminal nodes other than `done` violate "ends-done". Edges are listed in
// order, so action indices are deterministic.
struct GraphState {
  int node = 0;
  bool operator==(const GraphState&) const = default;
  auto fields() const { return std::tie(node); }
};
struct Go {
  int to;
  bool operator==(const Go&) const = default;
};
struct Stay {  // a self-loop: enabled, changes nothing
  bool operator==(const Stay&) const = default;
};

class Graph {
 public:
  using State = GraphState;
  using Action = std::variant<Go, Stay>;
  static constexpr std::string_view kName = "graph";
  static constexpr std::string_view kSummary = "an explicit graph";
  static constexpr int kVersion = 1;
  static std::vector<model::ParamSpec> param_specs() { return {}; }
  static std::vector<std::string_view> action_kinds() { return {"go", "stay"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit Graph(const model::Params&) {}
  Graph(std::vector<int> inits, std::multimap<int, int> edges, int bad, int done = -1, std::vector<int> loops = {})
      : inits_(std::move(inits)), edges_(std::move(edges)), bad_(bad), done_(done), loops_(std::move(loops)) {}

  std::vector<State> init_states() const {
    std::vector<State> out;
    for (int i : inits_) out.push_back({i});
    return out;
  }
  void actions(const State& s, std::vector<Action>& out) const {
    auto [lo, hi] = edges_.equal_range(s.node);
    for (auto it = lo; it != hi; ++it) out.push_back(Go{it->second});
    for (int l : loops_)
      if (l == s.node) out.push_back(Stay{});
  }
  std::optional<State> next_state(State s, const Action& a) const {
    if (std::holds_alternative<Stay>(a)) return std::nullopt;
    s.node = std::get<Go>(a).to;
    return s;
  }
  std::string format_action(const Action& a) const {
    return std::holds_alternative<Stay>(a) ? "stay" : "go(" + std::to_string(std::get<Go>(a).to) + ")";
  }
  std::string format_init(const State& s) const { return "node " + std::to_string(s.node); }
  model::Description describe(const State& s) const { return {{"node", std::to_string(s.node)}}; }
  std::vector<properties::Property<State>> properties() const {
    const int bad = bad_, done = done_;
    return {
        properties::always<State>("never-bad", [bad](const State& s) { return s.node != bad; }),
        properties::at_terminal<State>("ends-done", [done](const State& s) { return done < 0 || s.node == done; }),
        properties::sometimes<State>("reaches-bad", [bad](const State& s) { return s.node == bad; }),
    };
  }

 private:
  std::vector<int> inits_{0};
  std::multimap<int, int> edges_;
  int bad_ = -1, done_ = -1;
  std::vector<int> loops_;
};

static_assert(model::Protocol<Graph>);

}  // namespace toy
