// tests/test_util.hpp — helpers shared by the model tests: drive a protocol by
// action text, evaluate a named property, count states, replay paths.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "agree/checker/explorer.hpp"
#include "agree/counterexamples/replay.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace test {

template <class P>
std::vector<std::string> action_texts(const P& p, const typename P::State& s) {
  std::vector<typename P::Action> as;
  p.actions(s, as);
  std::vector<std::string> out;
  for (const auto& a : as) out.push_back(p.format_action(a));
  return out;
}

template <class P>
bool has_action(const P& p, const typename P::State& s, const std::string& text) {
  const auto all = action_texts(p, s);
  return std::find(all.begin(), all.end(), text) != all.end();
}

// Takes the enabled action printed as `text`; throws if it is not enabled.
template <class P>
typename P::State step(const P& p, const typename P::State& s, const std::string& text) {
  std::vector<typename P::Action> as;
  p.actions(s, as);
  for (const auto& a : as)
    if (p.format_action(a) == text) {
      auto n = p.next_state(s, a);
      return n ? *n : s;
    }
  throw std::logic_error("not enabled: " + text);
}

template <class P>
typename P::State run(const P& p, typename P::State s, const std::vector<std::string>& texts) {
  for (const auto& t : texts) s = step(p, s, t);
  return s;
}
template <class P>
typename P::State run(const P& p, const std::vector<std::string>& texts) {
  return run(p, p.init_states().front(), texts);
}

template <class P>
bool holds(const P& p, const typename P::State& s, const std::string& name) {
  for (const auto& prop : p.properties())
    if (prop.name == name) return prop.holds(s);
  throw std::logic_error("no property " + name);
}

// Distinct states with every option off; the run must be complete.
template <class P>
std::uint64_t count(const P& p) {
  checker::Options o;
  o.keep_going = true;
  const auto r = checker::check(p, o);
  if (r.cut != checker::Cut::None) throw std::logic_error("incomplete count");
  return r.distinct_states;
}

// The path's last state violates the property (re-executed from scratch).
template <class P>
bool replays(const P& p, const checker::Violation& v) {
  const auto steps = counterexamples::rebuild(p, v.path);
  std::vector<properties::Property<typename P::State>> props;
  const auto* prop = counterexamples::find_property(p, v.property, props);
  return prop && counterexamples::violates(p, *prop, steps.back().state);
}

// A random walk: at each step the choice picks an enabled action (index modulo
// their number), so shrinking keeps every step valid. No always-property may
// fail on the way, nor a terminal one at a terminal state.
template <class P>
void random_walk(const P& p, const std::vector<std::size_t>& choices, std::size_t init_choice = 0) {
  const auto inits = p.init_states();
  auto s = inits[init_choice % inits.size()];
  const auto props = p.properties();
  std::vector<typename P::Action> enabled;
  for (std::size_t i = 0;; ++i) {
    enabled.clear();
    p.actions(s, enabled);
    for (const auto& prop : props) {
      if (prop.expectation == properties::Expectation::Always ||
          (prop.expectation == properties::Expectation::Terminal && enabled.empty()))
        RC_ASSERT(prop.holds(s));
    }
    if (enabled.empty() || i >= choices.size()) break;
    const auto& a = enabled[choices[i] % enabled.size()];
    RC_LOG() << p.format_action(a) << '\n';
    if (auto n = p.next_state(s, a)) s = *n;
  }
}

}  // namespace test
