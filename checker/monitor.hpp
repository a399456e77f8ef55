// checker/monitor.hpp — the property monitor every search shares (bfs, dfs,
// tree, simulate): which properties are checked where, what was reached, and
// the violations found, each with where the search found it.
//
// The properties are selected by --property and sorted by expectation:
// `always` ones are judged in every state the search discovers,
// terminal-state ones in states with no enabled action, `sometimes` ones
// record whether some state reached them. A violation is recorded with a
// `Where` of the search's choosing (a Path for the sequential searches; a
// level and index for bfs, which rebuilds the path from its trail), taken
// from a callback only when a property fails, so the common case costs the
// property checks alone.
//
// Thread-safe: reach/on_discover/on_terminal may be called from every search
// thread (flags are atomics, the violations list has a lock). With
// keep_going, only the first violation of each property is recorded; without
// it, every one found until the search stops (threads may find several at
// once), and chosen() picks the least by the search's own order. A search
// that finishes its level after a violation (the distributed one) calls
// keep_least(less): then each property keeps one violation, the least by
// `less`, with or without keep_going, whatever order the states come in.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "agree/checker/checkpoint.hpp"
#include "agree/checker/options.hpp"
#include "agree/model/suggest.hpp"
#include "agree/properties/property.hpp"

namespace agree::checker {

template <class State, class Where = Path>
class Monitor {
 public:
  using Prop = properties::Property<State>;
  struct Found {
    std::size_t slot;  // always properties first, then terminal-state ones
    Where where;
  };

  // Selects the properties; names them in r.checked and r.reachability.
  // Throws std::invalid_argument for a --property the model does not have.
  Monitor(std::vector<Prop> all, const Options& o, Report& r) : keep_going_(o.keep_going) {
    std::vector<std::string> names;  // every property, for the message about an unknown one
    for (const auto& p : all) names.push_back(p.name);
    for (auto& p : all) {
      if (properties::is_liveness(p.expectation)) continue;  // checker/liveness.hpp judges those
      bool wanted = o.properties.empty() || p.expectation == properties::Expectation::Sometimes;
      for (const auto& n : o.properties) wanted = wanted || n == p.name;
      if (!wanted) continue;
      if (p.expectation == properties::Expectation::Sometimes) {
        r.reachability.push_back({p.name, false});
        sometimes_.push_back(std::move(p));
      } else {
        r.checked.push_back(p.name);
        (p.expectation == properties::Expectation::Always ? always_ : terminal_).push_back(std::move(p));
      }
    }
    for (const auto& n : o.properties) {
      if (std::find(names.begin(), names.end(), n) != names.end()) continue;
      throw std::invalid_argument(model::unknown("property", n, names));
    }
    reached_ = std::vector<std::atomic<bool>>(sometimes_.size());
    violated_ = std::vector<std::atomic<bool>>(always_.size() + terminal_.size());
  }

  [[nodiscard]] bool has_terminal_properties() const { return !terminal_.empty(); }
  [[nodiscard]] const std::string& name(std::size_t slot) const {
    return slot < always_.size() ? always_[slot].name : terminal_[slot - always_.size()].name;
  }

  // The sometimes checks that s reaches.
  void reach(const State& s) {
    for (std::size_t i = 0; i < sometimes_.size(); ++i)
      if (!reached_[i].load(std::memory_order_relaxed) && sometimes_[i].holds(s)) reached_[i].store(true);
  }
  // A state just discovered: reachability and its always properties. Returns
  // true if the search must stop now.
  template <class WhereFn>
  bool on_discover(const State& s, WhereFn&& where) {
    reach(s);
    return check(always_, 0, s, where);
  }
  // A state with no enabled action: its terminal-state properties (the caller
  // counts terminal states). Returns true if the search must stop now.
  template <class WhereFn>
  bool on_terminal(const State& s, WhereFn&& where) {
    return check(terminal_, always_.size(), s, where);
  }
  // From now on each property keeps only its least violation by `less`.
  void keep_least(std::function<bool(const Where&, const Where&)> less) { least_ = std::move(less); }
  // Applies f to the place of every violation recorded: for a search that
  // renumbers its states (the distributed one, joining its threads' parts).
  template <class F>
  void update(F&& f) {
    std::lock_guard lock(m_);
    for (auto& x : found_) f(x.where);
  }
  // Some violation was recorded.
  [[nodiscard]] bool found() const {
    std::lock_guard lock(m_);
    return !found_.empty();
  }
  // A violation that ends the search was recorded.
  [[nodiscard]] bool stopped() const { return stop_.load(std::memory_order_relaxed); }

  // The violations to report: per property the least recorded by `less` (the
  // first recorded, for a search whose order is the order of discovery), in
  // that order; only the first one without keep_going.
  template <class Less>
  std::vector<Found> chosen(Less less) const {
    std::vector<Found> found;
    {
      std::lock_guard lock(m_);
      found = found_;
    }
    std::stable_sort(found.begin(), found.end(), less);
    std::vector<bool> reported(violated_.size());
    std::vector<Found> out;
    for (auto& f : found) {
      if (reported[f.slot]) continue;
      reported[f.slot] = true;
      out.push_back(std::move(f));
      if (!keep_going_) break;
    }
    return out;
  }
  std::vector<Found> chosen() const {
    return chosen([](const Found&, const Found&) { return false; });
  }
  // Reachability into r; and, for a Where that is a Path, the violations.
  void report(Report& r) const {
    for (std::size_t i = 0; i < reached_.size(); ++i) r.reachability[i].reached = reached_[i].load();
    if constexpr (std::is_same_v<Where, Path>)
      for (const auto& f : chosen()) r.violations.push_back({name(f.slot), f.where});
  }

  // The checkpoint record: reachability, the violated flags, the violations
  // found with `save_where` / `load_where` for their places. load() refuses
  // (CheckpointReader::corrupt) a record that does not fit these properties;
  // `valid` checks a loaded place.
  template <class SaveWhere>
  void save(CheckpointWriter& w, SaveWhere&& save_where) const {
    w.u64(reached_.size());
    for (const auto& x : reached_) w.u64(x.load() ? 1 : 0);
    w.u64(violated_.size());
    for (const auto& x : violated_) w.u64(x.load() ? 1 : 0);
    std::lock_guard lock(m_);
    w.u64(found_.size());
    for (const auto& f : found_) {
      w.u64(f.slot);
      save_where(w, f.where);
    }
  }
  template <class LoadWhere>
  void load(CheckpointReader& in, LoadWhere&& load_where) {
    if (in.u64() != reached_.size()) in.corrupt("wrong number of reachability properties");
    for (auto& x : reached_) x.store(in.u64() != 0);
    if (in.u64() != violated_.size()) in.corrupt("wrong number of properties");
    for (auto& x : violated_) x.store(in.u64() != 0);
    std::lock_guard lock(m_);
    found_.resize(static_cast<std::size_t>(in.count(2 * sizeof(std::uint64_t))));
    for (auto& f : found_) {
      f.slot = static_cast<std::size_t>(in.u64());
      if (f.slot >= violated_.size()) in.corrupt("bad violation record");
      f.where = load_where(in);
    }
    if (!keep_going_ && !found_.empty()) stop_.store(true);
  }

 private:
  template <class WhereFn>
  bool check(const std::vector<Prop>& props, std::size_t first_slot, const State& s, WhereFn& where) {
    for (std::size_t i = 0; i < props.size(); ++i) {
      const bool first_only = keep_going_ && !least_;
      if (first_only && violated_[first_slot + i].load(std::memory_order_relaxed)) continue;
      if (props[i].holds(s)) continue;
      if (violated_[first_slot + i].exchange(true) && first_only) continue;
      std::lock_guard lock(m_);
      if (least_) {
        keep(first_slot + i, where());
      } else {
        found_.push_back({first_slot + i, where()});
      }
      if (!keep_going_) {
        stop_.store(true);
        return true;
      }
    }
    return false;
  }

  // The least violation of `slot` so far (keep_least).
  void keep(std::size_t slot, Where w) {
    const auto it = std::find_if(found_.begin(), found_.end(), [&](const Found& f) { return f.slot == slot; });
    if (it == found_.end()) found_.push_back({slot, std::move(w)});
    else if (least_(w, it->where)) it->where = std::move(w);
  }

  bool keep_going_;
  std::function<bool(const Where&, const Where&)> least_;  // keep_least's order; empty: keep in arrival
  std::vector<Prop> always_, terminal_, sometimes_;
  std::vector<std::atomic<bool>> reached_, violated_;
  mutable std::mutex m_;
  std::vector<Found> found_;
  std::atomic<bool> stop_{false};
};

}  // namespace agree::checker
