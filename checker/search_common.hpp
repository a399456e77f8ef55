// checker/search_common.hpp — what every search strategy shares: the property
// monitor (checker/monitor.hpp) and the budget (limits, interruption,
// progress). Strategies stay separate files (bfs.hpp, dfs.hpp, ...).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "agree/checker/monitor.hpp"
#include "agree/checker/options.hpp"
#include "agree/model/protocol.hpp"

namespace agree::checker {

std::uint64_t current_rss_bytes();
std::uint64_t physical_memory_bytes();

// Limits, interruption and progress, checked cheaply once a state.
class Budget {
 public:
  // `sharers`: the processes that share the machine's memory (the ranks of a
  // distributed search on one machine); the default limit, 90% of the
  // machine's memory, is divided among them. --memory-limit is per process.
  // `spent`: seconds an earlier pass of the same run took (--time-limit
  // counts them).
  explicit Budget(const Options& o, int sharers = 1, double spent = 0)
      : o_(o),
        start_(std::chrono::steady_clock::now() -
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(spent))),
        memory_limit_(o.memory_limit_mib ? o.memory_limit_mib << 20
                                         : physical_memory_bytes() / 10 * 9 / static_cast<std::uint64_t>(std::max(sharers, 1))) {}
  [[nodiscard]] std::uint64_t memory_limit_bytes() const { return memory_limit_; }

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
