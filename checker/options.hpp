// checker/options.hpp — what a search is asked to do, and what it reports.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agree/properties/property.hpp"

namespace agree::checker {

class Transport;  // checker/transport.hpp

enum class Search { Bfs, Dfs, Tree };  // Tree: checker/tree.hpp, for tree-shaped protocols
enum class Verdict { Holds, Violated, Incomplete };
// Why a search stopped before it had seen every reachable state.
// LostRank: a distributed search lost a rank, or waited on one past
// Options::peer_timeout (checker/distributed.hpp).
enum class Cut { None, MaxStates, MaxDepth, TimeLimit, MemoryLimit, Interrupted, LostRank };
// State-space reductions: each is applied only where the protocol supports it
// (a symmetry, persistent sets, the tree search's own), so All asks for every
// one that applies. None gives the contract counts.
enum class Reduce { None, Por, Symmetry, All };

std::string to_string(Verdict v);
std::string to_string(Cut c);
std::string to_string(Reduce r);                  // "none", "por", "symmetry", "all"
Reduce parse_reduce(const std::string& text);     // the inverse; throws std::invalid_argument
// Fairness for the liveness check (checker/liveness.hpp), over the groups of
// actions a model declares (model::fairness_group_of): weak — a group enabled
// continuously from some point on is taken infinitely often; strong — a group
// enabled infinitely often is taken infinitely often (TLA+'s WF and SF).
using properties::Fairness;
std::string to_string(Fairness f);                // "none", "weak", "strong"
Fairness parse_fairness(const std::string& text); // the inverse; throws std::invalid_argument
inline bool wants_por(Reduce r) { return r == Reduce::Por || r == Reduce::All; }
inline bool wants_symmetry(Reduce r) { return r == Reduce::Symmetry || r == Reduce::All; }

struct Progress {
  std::uint64_t states = 0;
  std::uint64_t depth = 0;
  std::uint64_t queue = 0;
  double seconds = 0;
  std::uint64_t rss_bytes = 0;
};

struct Options {
  Search search = Search::Bfs;
  bool search_chosen = false;               // the user named --search; else a tree-shaped protocol gets Tree
  bool exact = false;                       // store full states, not fingerprints
  bool packed = true;                       // bfs: one word per state when the protocol packs (checker/codec.hpp)
  Reduce reduce = Reduce::None;             // None gives the contract counts
  unsigned threads = 1;
  std::uint64_t max_states = 0;             // 0: no bound
  std::uint64_t max_depth = 0;              // 0: no bound
  double time_limit = 0;                    // seconds; 0: none
  std::uint64_t memory_limit_mib = 0;       // 0: 90% of the machine's memory
  bool keep_going = false;                  // explore everything, recording the first violation of each property
  std::vector<std::string> properties;      // empty: every property of the protocol
  // Liveness (checker/liveness.hpp): the eventually and leads-to properties
  // are checked when this is set or when --property names one of them.
  bool liveness = false;
  std::optional<Fairness> fairness;         // unset: the model's default (model::default_fairness_of)
  std::function<void(const Progress&)> progress;  // called about once a second
  // Library code never prints: what a person may want to know during a run
  // ("checkpoint: FILE saved (...)", a checkpoint that could not be written)
  // reaches them through this, one line without its newline. Unset: dropped.
  std::function<void(const std::string&)> notice;
  const std::atomic<bool>* interrupt = nullptr;   // set by a signal handler: stop cleanly
  // Checkpoint and resume (breadth-first search only; checker/checkpoint.hpp).
  std::string checkpoint_path;              // "": none; else saved every checkpoint_every s and when cut short
  double checkpoint_every = 600;            // seconds
  std::string resume_path;                  // "": a fresh search; else continue this checkpoint
  std::string parameters;                   // the resolved "procs=3 msgs=2 ...", a checkpoint's identity
  // Set: the breadth-first search runs on the ranks of this transport, each
  // rank calling check() with its own (checker/distributed.hpp).
  Transport* transport = nullptr;
  // Seconds a rank waits on silent peers (no batch, no keep-alive, a
  // collective not done) before the distributed search ends as incomplete.
  double peer_timeout = 60;
};

// A path is what a counterexample is: which initial state, then which action
// (by index into the deterministic list of enabled actions) at every step.
// Under a reduction, checker::check's paths index what the search explored
// (a persistent set, a representative's actions); agree::check turns them
// into the run's own indices among every enabled action, as traces,
// `agree check --json` and the explorer's URLs use them.
struct Path {
  std::uint32_t init = 0;
  std::vector<std::uint32_t> actions;
  // A lasso (a liveness counterexample): the run returns, after its last
  // action, to the state it had after `cycle` actions, and goes round forever.
  std::optional<std::uint32_t> cycle;
  [[nodiscard]] std::string encode() const;  // "0/3/1/2", stateright's form
};

struct Violation {
  std::string property;
  Path path;
};

struct Reachability {
  std::string name;
  bool reached = false;
};

struct Report {
  Verdict verdict = Verdict::Incomplete;
  Cut cut = Cut::None;
  std::vector<Violation> violations;        // the first is the one reported; more with keep_going
  std::vector<Reachability> reachability;
  std::vector<std::string> checked;         // the names of the properties checked
  std::uint64_t distinct_states = 0;
  std::uint64_t transitions = 0;            // successors computed, self-loops and revisits included
  std::uint64_t depth = 0;                  // BFS: the deepest level reached; DFS: the deepest stack
  std::uint64_t terminal_states = 0;
  double seconds = 0;
  std::uint64_t store_bytes = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t collisions = 0;             // --exact only: distinct states that shared a fingerprint
  bool exact = false;                       // no two states can share a key (--exact, or packed states)
  std::string store;                        // what the visited table held, in words ("" : as Options say)
  std::vector<std::pair<std::string, std::uint64_t>> fired;  // action kind -> times fired
  // Set by checker/tree.hpp: what it did ("" : as Options::search says), the
  // terminal states counted with their reduction weights (the complete runs
  // covered; om/sm: the traitor strategies), saturating at 2^64-1, and facts
  // the protocol reports (e.g. om's message count).
  std::string search;
  std::uint64_t weighted_terminals = 0;
  std::vector<std::pair<std::string, std::string>> notes;
  // A distributed search (checker/distributed.hpp): each rank's share, in rank order.
  struct Rank {
    std::uint64_t states = 0;           // the distinct states it owns
    std::uint64_t bytes_sent = 0, bytes_received = 0;  // successors sent to and received from other ranks
    double seconds_waiting = 0;         // for other ranks: at the end of each level, and in the collectives
  };
  std::vector<Rank> ranks;
  [[nodiscard]] std::vector<std::string> never_fired() const;
  // TLC's estimate that two distinct states shared a fingerprint and one was
  // never explored: "calculated (optimistic)" = n * (m - n) / 2^64 for n
  // distinct states and m generated ones.
  [[nodiscard]] double collision_probability() const;
};

}  // namespace agree::checker
