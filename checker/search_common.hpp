// checker/search_common.hpp — what every search strategy shares: the property
// monitor (which properties are checked where) and the budget (limits,
// interruption, progress). Strategies stay separate files (bfs.hpp, dfs.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "agree/checker/options.hpp"
#include "agree/model/protocol.hpp"

namespace agree::checker {

std::uint64_t current_rss_bytes();
std::uint64_t physical_memory_bytes();

// The properties a search checks, selected by --property and sorted by
// expectation. Immutable once built, so search threads share it.
template <class State>
struct PropertySet {
  using Prop = properties::Property<State>;
  std::vector<Prop> always, terminal, sometimes;

  PropertySet(std::vector<Prop> all, const Options& o, Report& r) {
    for (auto& p : all) {
      bool wanted = o.properties.empty() || p.expectation == properties::Expectation::Sometimes;
      for (const auto& n : o.properties) wanted = wanted || n == p.name;
      if (!wanted) continue;
      if (p.expectation == properties::Expectation::Sometimes) {
        r.reachability.push_back({p.name, false});
        sometimes.push_back(std::move(p));
      } else {
        r.checked.push_back(p.name);
        (p.expectation == properties::Expectation::Always ? always : terminal).push_back(std::move(p));
      }
    }
    for (const auto& n : o.properties) {
      bool known = false;
      for (const auto& c : r.checked) known = known || c == n;
      for (const auto& x : sometimes) known = known || x.name == n;
      if (!known) throw std::invalid_argument("unknown property '" + n + "'");
    }
  }
  // The index of the first property of `props` that fails in s, or -1.
  static int first_failing(const std::vector<Prop>& props, const State& s) {
    for (std::size_t i = 0; i < props.size(); ++i)
      if (!props[i].holds(s)) return static_cast<int>(i);
    return -1;
  }
};

// Single-threaded property bookkeeping for the sequential strategies.
template <class State>
class Monitor {
 public:
  using Prop = properties::Property<State>;

  Monitor(std::vector<Prop> all, const Options& o, Report& r)
      : keep_going_(o.keep_going), report_(r), props_(std::move(all), o, r) {
    violated_always_.assign(props_.always.size(), false);
    violated_terminal_.assign(props_.terminal.size(), false);
  }

  // A state just discovered: returns true if the search must stop now.
  template <class PathFn>
  bool on_discover(const State& s, PathFn&& path) {
    for (std::size_t i = 0; i < props_.sometimes.size(); ++i)
      if (!report_.reachability[i].reached && props_.sometimes[i].holds(s)) report_.reachability[i].reached = true;
    return check(props_.always, violated_always_, s, path);
  }
  // A state with no enabled action: returns true if the search must stop now.
  template <class PathFn>
  bool on_terminal(const State& s, PathFn&& path) {
    ++report_.terminal_states;
    return check(props_.terminal, violated_terminal_, s, path);
  }
  [[nodiscard]] bool has_terminal_properties() const { return !props_.terminal.empty(); }

 private:
  template <class PathFn>
  bool check(const std::vector<Prop>& props, std::vector<bool>& violated, const State& s, PathFn& path) {
    for (std::size_t i = 0; i < props.size(); ++i) {
      if (violated[i] || props[i].holds(s)) continue;
      violated[i] = true;
      report_.violations.push_back({props[i].name, path()});
      if (!keep_going_) return true;
    }
    return false;
  }

  bool keep_going_;
  Report& report_;
  PropertySet<State> props_;
  std::vector<bool> violated_always_, violated_terminal_;
};

// Limits, interruption and progress, checked cheaply once a state.
class Budget {
 public:
  explicit Budget(const Options& o)
      : o_(o),
        start_(std::chrono::steady_clock::now()),
        memory_limit_(o.memory_limit_mib ? o.memory_limit_mib << 20 : physical_memory_bytes() / 10 * 9) {}

  // Returns the reason to stop, or Cut::None.
  // `now`: skip the once-in-1024-calls gating (a level boundary, say).
  Cut check(std::uint64_t states, std::uint64_t depth, std::uint64_t queue, bool now = false) {
    if (o_.max_states && states >= o_.max_states) return Cut::MaxStates;
    if (++tick_ % 1024 != 0 && !now) return Cut::None;
    if (o_.interrupt && o_.interrupt->load(std::memory_order_relaxed)) return Cut::Interrupted;
    const double t = seconds();
    if (o_.time_limit > 0 && t >= o_.time_limit) return Cut::TimeLimit;
    if (tick_ % 16384 == 0 || t >= next_progress_) {
      rss_ = current_rss_bytes();
      peak_rss_ = std::max(peak_rss_, rss_);
      if (rss_ >= memory_limit_) return Cut::MemoryLimit;
    }
    if (t >= next_progress_) {
      next_progress_ = t + 1.0;
      if (o_.progress && t >= 1.0) o_.progress(Progress{states, depth, queue, t, rss_});
    }
    return Cut::None;
  }
  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  [[nodiscard]] std::uint64_t memory_limit() const { return memory_limit_; }
  [[nodiscard]] std::uint64_t peak_rss() const { return std::max(peak_rss_, current_rss_bytes()); }

 private:
  const Options& o_;
  std::chrono::steady_clock::time_point start_;
  std::uint64_t memory_limit_;
  std::uint64_t tick_ = 0;
  double next_progress_ = 1.0;
  std::uint64_t rss_ = 0, peak_rss_ = 0;
};

// Counts, per action kind, how often it fired.
template <model::Protocol P>
std::vector<std::pair<std::string, std::uint64_t>> zero_fired() {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto k : model::action_kinds_of<P>()) out.emplace_back(std::string(k), 0);
  return out;
}

// Does this search canonicalise states by the protocol's symmetry?
template <model::Protocol P>
bool uses_symmetry(const Options& o) {
  if constexpr (model::Symmetric<P>) return wants_symmetry(o.reduce);
  return false;
}

// The state the store sees: the representative under symmetry, if on.
template <model::Protocol P>
typename P::State canonical(const P& p, typename P::State s, bool symmetry) {
  if constexpr (model::Symmetric<P>)
    if (symmetry) return p.representative(s);
  return s;
}

inline Verdict final_verdict(const Report& r) {
  if (!r.violations.empty()) return Verdict::Violated;
  return r.cut == Cut::None ? Verdict::Holds : Verdict::Incomplete;
}

}  // namespace agree::checker
