// checker/explorer.hpp — the facade: check(protocol, options) -> Report.
//
// Chooses the strategy (bfs, dfs) and the store (fingerprints, exact) at
// compile time for each protocol, so the hot loop makes no virtual call.
#pragma once

#include <stdexcept>

#include "agree/checker/bfs.hpp"
#include "agree/checker/dfs.hpp"
#include "agree/checker/store.hpp"
#include "agree/checker/tree.hpp"

namespace agree::checker {


template <model::Protocol P>
Report check(const P& p, const Options& o) {
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
