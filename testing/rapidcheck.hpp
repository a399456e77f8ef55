// agree/testing/rapidcheck.hpp — random walks of a model as a RapidCheck property.
//
//   rc::check("token: random walks keep mutual exclusion",
//             [] { agree::testing::random_walk(Token{4}, 50); });
//   // with rapidcheck_catch: rc::prop("...", [] { agree::testing::random_walk(Token{4}, 50); });
//
// A walk is a list of choices RapidCheck generates (choice k takes enabled
// action k mod the number enabled); every state on it is checked against
// the model's always properties, and terminal states against its
// terminal-state properties. A failing walk is shrunk by RapidCheck (fewer,
// smaller choices) and reported with the shrunk walk as a trace that `agree
// replay` reproduces (parameters: as given).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "agree/agree.hpp"

namespace agree::testing {

template <model::Protocol P>
void random_walk(const P& p, std::size_t max_depth, const std::string& parameters = {}) {
  const auto choices = *rc::gen::container<std::vector<std::uint32_t>>(rc::gen::arbitrary<std::uint32_t>());
  const auto inits = p.init_states();
  RC_PRE(!inits.empty());
  const auto props = p.properties();
  checker::Path path;
  path.init = choices.empty() ? 0 : choices.front() % static_cast<std::uint32_t>(inits.size());
  typename P::State s = inits[path.init];
  std::vector<typename P::Action> actions;
  auto fail = [&](const std::string& property) {
    const Trace t = counterexamples::make_trace(p, parameters, checker::Violation{property, path});
    RC_FAIL(property + " violated after " + std::to_string(path.actions.size()) + " steps\n" + to_text(t));
  };
  for (std::size_t i = 1;; ++i) {
    for (const auto& prop : props)
      if (prop.expectation == properties::Expectation::Always && !prop.holds(s)) fail(prop.name);
    actions.clear();
    p.actions(s, actions);
    if (actions.empty()) {
      for (const auto& prop : props)
        if (prop.expectation == properties::Expectation::Terminal && !prop.holds(s)) fail(prop.name);
      return;
    }
    if (i >= choices.size() || path.actions.size() >= max_depth) return;
    const auto k = choices[i] % static_cast<std::uint32_t>(actions.size());
    path.actions.push_back(k);
    if (auto n = p.next_state(s, actions[k])) s = std::move(*n);
  }
}

}  // namespace agree::testing
