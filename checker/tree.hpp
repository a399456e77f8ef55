// checker/tree.hpp — stateless depth-first search for tree-shaped state spaces.
//
// In a model whose state is the sequence of choices made so far (om, sm), every
// state has exactly one parent, so a visited set would never find a repeat: it
// only costs memory. This search keeps no store, only the current path, and
// visits every node once. A protocol opts in with
//     static constexpr bool kTreeShaped = true;
// and checker/explorer.hpp then uses this search unless the user chose
// another one with --search.
//
// Parallelism. The top of the tree is split into an ordered list of tasks,
// independently of the number of threads: full subtrees, and the single nodes
// above them (each visited alone, at its place in depth-first pre-order). Any
// thread takes the next task; the results are then added up in task order. A
// violation (without --keep-going) stops every task after the one that found
// it, and the tasks after it are discarded. So the verdict, every count and
// the counterexample (the first one in depth-first order, replayable) are
// exactly those of a one-thread depth-first search, whatever --threads is.
// Only a cut (--max-states, --time-limit, ...) makes counts depend on timing.
//
// Reductions (--reduce), each exhaustive and each optional for the protocol:
//   symmetry  p.symmetric_roots(): the initial states to search, each with the
//             number of initial states its subtree stands for;
//   por       p.merged_actions(s, out): a subset of the indices of actions(s),
//             each with the number of choice sequences its subtree stands for
//             (the tree's analogue of partial-order reduction: equivalent
//             choices are explored once);
//   all       both.
// The protocol argues their soundness next to them. The weights multiply
// along a path; Report::weighted_terminals adds them up over terminal states,
// so it counts the complete runs covered (om/sm: the traitor strategies),
// reductions or not.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "agree/checker/search_common.hpp"

namespace agree::checker {

template <class P>
concept TreeShaped = model::Protocol<P> && requires {
  { P::kTreeShaped } -> std::convertible_to<bool>;
} && P::kTreeShaped;

template <class P>
concept HasSymmetricRoots = requires(const P& p) {
  { p.symmetric_roots() } -> std::same_as<std::vector<std::pair<std::uint32_t, std::uint64_t>>>;
};

template <class P>
concept HasMergedActions =
    requires(const P& p, const typename P::State& s, std::vector<std::pair<std::uint32_t, std::uint64_t>>& out) {
      p.merged_actions(s, out);
    };

template <class P>
concept HasReportNotes = requires(const P& p) {
  { p.report_notes() } -> std::same_as<std::vector<std::pair<std::string, std::string>>>;
};

inline std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}
inline std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

struct TreeReduce {
  bool symmetry = false;
  bool merge = false;
};
inline TreeReduce tree_reduce(Reduce reduce) { return {wants_symmetry(reduce), wants_por(reduce)}; }

namespace tree_detail {

inline constexpr std::size_t kTargetTasks = 512;  // fixed: the split never depends on --threads
inline constexpr std::size_t kMaxSplitDepth = 40;

template <class State>
struct Task {
  Path path;
  State state;
  std::uint64_t weight = 1;
  int incoming_kind = -1;  // the kind of the action that led here; -1 for a root
  bool single = false;     // visit this node only: its children are tasks of their own
};

struct TaskResult {
  Report report;
  bool done = false;  // ran to its end, or to its violation
};

}  // namespace tree_detail

template <TreeShaped P>
Report tree_search(const P& p, const Options& o) {
  using State = typename P::State;
  using Action = typename P::Action;
  using Task = tree_detail::Task<State>;
  using Kids = std::vector<std::pair<std::uint32_t, std::uint64_t>>;

  const TreeReduce red = tree_reduce(o.reduce);
  Report total;
  total.exact = true;  // no fingerprints: nothing can collide
  total.fired = zero_fired<P>();
  {
    Monitor<State> validate(p.properties(), o, total);  // the checked list; throws on an unknown property
  }
  total.search = "search tree (stateless depth-first, no visited set), reduce " + to_string(o.reduce) + ", threads " +
                 std::to_string(o.threads);
  if constexpr (HasReportNotes<P>) total.notes = p.report_notes();

  // The children of s, as (index into actions, weight).
  auto children = [&](const State& s, std::vector<Action>& acts, Kids& kids) {
    acts.clear();
    kids.clear();
    p.actions(s, acts);
    if (acts.empty()) return;
    if constexpr (HasMergedActions<P>) {
      if (red.merge) {
        p.merged_actions(s, kids);
        for (const auto& [k, w] : kids)
          if (k >= acts.size() || w == 0) throw std::logic_error("merged_actions names a missing action");
        return;
      }
    }
    for (std::uint32_t k = 0; k < acts.size(); ++k) kids.emplace_back(k, 1);
  };

  // Roots, then the deterministic split.
  std::vector<Task> tasks;
  {
    auto inits = p.init_states();
    std::vector<std::pair<std::uint32_t, std::uint64_t>> roots;
    if constexpr (HasSymmetricRoots<P>) {
      if (red.symmetry) roots = p.symmetric_roots();
    }
    if (!red.symmetry || roots.empty())
      for (std::uint32_t i = 0; i < inits.size(); ++i) roots.emplace_back(i, 1);
    for (const auto& [i, w] : roots) tasks.push_back(Task{Path{i, {}, std::nullopt}, inits.at(i), w, -1, false});
  }
  std::vector<Action> acts;
  Kids kids;
  for (std::size_t level = 0; level < tree_detail::kMaxSplitDepth && tasks.size() < tree_detail::kTargetTasks; ++level) {
    std::vector<Task> next;
    bool grew = false;
    for (auto& t : tasks) {
      if (t.single || (o.max_depth && t.path.actions.size() >= o.max_depth)) {
        next.push_back(std::move(t));
        continue;
      }
      children(t.state, acts, kids);
      if (kids.empty()) {
        next.push_back(std::move(t));
        continue;
      }
      grew = true;
      std::vector<Task> sub;
      for (const auto& [k, w] : kids) {
        auto s = p.next_state(t.state, acts[k]);
        if (!s) continue;  // a self-loop: nothing new below it
        Task c{t.path, std::move(*s), saturating_mul(t.weight, w), static_cast<int>(model::kind_of<P>(acts[k])), false};
        c.path.actions.push_back(k);
        sub.push_back(std::move(c));
      }
      t.single = true;
      next.push_back(std::move(t));
      for (auto& c : sub) next.push_back(std::move(c));
    }
    tasks = std::move(next);
    if (!grew) break;
  }

  // The workers.
  std::vector<tree_detail::TaskResult> results(tasks.size());
  std::atomic<std::size_t> next_task{0};
  std::atomic<std::size_t> stop_at{std::numeric_limits<std::size_t>::max()};  // first task with a violation
  std::atomic<std::uint64_t> nodes{0};
  std::atomic<int> cut{static_cast<int>(Cut::None)};
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  const auto t0 = std::chrono::steady_clock::now();
  // The properties, made once: a task's monitor copies them (a task can be a
  // single leaf, and OM's properties hold a model).
  const auto props = p.properties();

  auto work = [&](unsigned worker) {
    Options mine = o;
    if (worker != 0) mine.progress = nullptr;
    Budget budget(mine);
    std::uint64_t local = 0;  // nodes not yet added to the shared counter
    struct Frame {
      State state;
      std::vector<Action> acts;
      Kids kids;
      std::size_t next = 0;
      std::uint64_t weight = 1;
    };
    std::vector<Frame> stack;
    try {
      while (true) {
        const std::size_t i = next_task.fetch_add(1);
        if (i >= tasks.size() || failed.load() || cut.load() != static_cast<int>(Cut::None)) break;
        if (i > stop_at.load()) continue;
        const Task& task = tasks[i];
        Report& r = results[i].report;
        r.fired = zero_fired<P>();
        Monitor<State> monitor(props, o, r);
        stack.clear();
        auto path_fn = [&] {
          Path path = task.path;
          for (std::size_t k = 0; k + 1 < stack.size(); ++k)
            path.actions.push_back(stack[k].kids[stack[k].next - 1].first);
          return path;
        };
        bool stop = false;
        // Visits a node: counts it, checks it, and pushes it when it has children.
        auto visit = [&](State&& s, std::uint64_t weight, int kind, bool expand) {
          ++r.distinct_states;
          if (kind >= 0) {
            ++r.transitions;
            ++r.fired[static_cast<std::size_t>(kind)].second;
          }
          const std::uint64_t depth = task.path.actions.size() + stack.size();
          r.depth = std::max(r.depth, depth);
          stack.push_back(Frame{std::move(s), {}, {}, 0, weight});
          Frame& f = stack.back();
          if (monitor.on_discover(f.state, path_fn)) return true;
          children(f.state, f.acts, f.kids);
          if (f.kids.empty()) {
            r.weighted_terminals = saturating_add(r.weighted_terminals, weight);
            ++r.terminal_states;
            if (monitor.on_terminal(f.state, path_fn)) return true;
            stack.pop_back();
            return false;
          }
          if (!expand) {
            stack.pop_back();
            return false;
          }
          if (o.max_depth && depth >= o.max_depth) {
            r.cut = Cut::MaxDepth;
            stack.pop_back();
          }
          return false;
        };
        stop = visit(State(task.state), task.weight, task.incoming_kind, !task.single);
        while (!stop && !stack.empty()) {
          if (++local == 256) {
            const std::uint64_t all = nodes.fetch_add(local) + local;
            local = 0;
            if (const Cut c = budget.check(all, task.path.actions.size() + stack.size(), tasks.size() - i);
                c != Cut::None) {
              int none = static_cast<int>(Cut::None);
              cut.compare_exchange_strong(none, static_cast<int>(c));
              break;
            }
            if (i > stop_at.load()) break;  // an earlier task found a violation: this one is discarded
          }
          Frame& top = stack.back();
          if (top.next >= top.kids.size()) {
            stack.pop_back();
            continue;
          }
          const auto [k, w] = top.kids[top.next++];
          auto s = p.next_state(top.state, top.acts[k]);
          if (!s) {  // a self-loop
            ++r.transitions;
            ++r.fired[model::kind_of<P>(top.acts[k])].second;
            continue;
          }
          stop = visit(std::move(*s), saturating_mul(top.weight, w), static_cast<int>(model::kind_of<P>(top.acts[k])), true);
        }
        if (stop && !o.keep_going) {
          std::size_t cur = stop_at.load();
          while (i < cur && !stop_at.compare_exchange_weak(cur, i)) {
          }
        }
        monitor.report(r);
        results[i].done = stop || stack.empty();
      }
    } catch (...) {
      if (!failed.exchange(true)) error = std::current_exception();
    }
    nodes.fetch_add(local);
  };

  const unsigned n = std::max(1u, o.threads);
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < n; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);

  // Add up, in task order, up to the task that found the first violation.
  const std::size_t last = std::min(stop_at.load(), tasks.size() - (tasks.empty() ? 0 : 1));
  std::vector<bool> have(total.checked.size(), false);
  for (std::size_t i = 0; i < tasks.size() && i <= last; ++i) {
    const Report& r = results[i].report;
    if (!results[i].done && r.cut == Cut::None && cut.load() == static_cast<int>(Cut::None))
      throw std::logic_error("tree search: a task did not run");
    total.distinct_states += r.distinct_states;
    total.transitions += r.transitions;
    total.terminal_states += r.terminal_states;
    total.weighted_terminals = saturating_add(total.weighted_terminals, r.weighted_terminals);
    total.depth = std::max(total.depth, r.depth);
    if (r.cut != Cut::None && total.cut == Cut::None) total.cut = r.cut;
    for (std::size_t k = 0; k < r.fired.size(); ++k) total.fired[k].second += r.fired[k].second;
    for (std::size_t k = 0; k < r.reachability.size() && k < total.reachability.size(); ++k)
      total.reachability[k].reached = total.reachability[k].reached || r.reachability[k].reached;
    for (const auto& v : r.violations) {
      bool seen = false;
      for (const auto& w : total.violations) seen = seen || w.property == v.property;
      if (!seen) total.violations.push_back(v);
    }
    if (!o.keep_going && !total.violations.empty()) break;
  }
  if (const int c = cut.load(); c != static_cast<int>(Cut::None)) total.cut = static_cast<Cut>(c);
  total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  total.peak_rss_bytes = current_rss_bytes();
  total.verdict = final_verdict(total);
  return total;
}

}  // namespace agree::checker
