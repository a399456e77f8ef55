// checker/explorer.hpp — the facade: check(protocol, options) -> Report.
//
// Chooses the strategy (bfs, dfs) and the store (fingerprints, exact) at
// compile time for each protocol, so the hot loop makes no virtual call.
#pragma once

#include <stdexcept>

#include "agree/checker/bfs.hpp"
#include "agree/checker/dfs.hpp"
#include "agree/checker/distributed.hpp"
#include "agree/checker/liveness.hpp"
#include "agree/checker/por.hpp"
#include "agree/checker/store.hpp"
#include "agree/checker/tree.hpp"

namespace agree::checker {


// The liveness check takes no reduction and no other search: refused, with
// the reason, where one would apply (checker/liveness.hpp says why).
template <model::Protocol P>
void check_liveness_options(const Options& o) {
  const std::string name(model::name_of<P>());
  if constexpr (HasPersistent<P>)
    if (wants_por(o.reduce))
      throw std::invalid_argument("liveness: --reduce " + to_string(o.reduce) + ": the partial-order reduction of " + name +
                                  " is not sound for liveness (it has no cycle proviso for it); use --reduce none");
  if constexpr (model::Symmetric<P>)
    if (wants_symmetry(o.reduce))
      throw std::invalid_argument("liveness: --reduce " + to_string(o.reduce) + ": symmetry is not known to preserve " + name +
                                  "'s liveness properties and fairness groups; use --reduce none");
  if (o.search_chosen && o.search != Search::Bfs)
    throw std::invalid_argument("liveness: --search: the liveness check builds the state graph breadth-first; drop --search");
  if (!o.checkpoint_path.empty() || !o.resume_path.empty())
    throw std::invalid_argument("liveness: --checkpoint and --resume are for the safety search only");
}

template <model::Protocol P>
Report check(const P& p, const Options& o) {
  if (wants_liveness(p, o)) {
    if (o.transport) throw std::invalid_argument("liveness: not yet for the distributed search; run it in one process");
    check_liveness_options<P>(o);
    return liveness_search(p, o);
  }
  // On the ranks of a transport: the breadth-first search, whatever the
  // protocol's shape (the tree search is not distributed).
  if (o.transport) {
    if (o.search_chosen && o.search != Search::Bfs)
      throw std::invalid_argument("--search " + std::string(o.search == Search::Dfs ? "dfs" : "tree") +
                                  ": the distributed search is breadth-first; drop --search");
    return distributed_bfs(p, o);
  }
  // A tree-shaped protocol (om, sm) gets the stateless tree search, with its
  // own --reduce and --threads, unless the user chose another search.
  if constexpr (TreeShaped<P>)
    if (o.search == Search::Tree || !o.search_chosen) {
      check_checkpoint_options(o, "tree");
      return tree_search(p, o);
    }
  if (o.search == Search::Tree) throw std::invalid_argument("--search tree: " + std::string(model::name_of<P>()) + " is not tree-shaped");
  if (o.search == Search::Dfs) {
    check_checkpoint_options(o, "dfs");
    return o.exact ? dfs<P, ExactStore>(p, o) : dfs<P, FingerprintStore>(p, o);
  }
  return o.exact ? bfs<P, true>(p, o) : bfs<P, false>(p, o);
}

}  // namespace agree::checker
