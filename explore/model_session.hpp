// explore/model_session.hpp — a Session (explore/session.hpp) for any
// protocol: make_session(p, parameters).
//
// Every answer is computed from the model's own functions: a path is replayed
// from its initial state through actions() and next_state() (an index past
// the enabled actions is a PathError naming the step), the properties are
// judged on the states of the path as the checker judges them (always: here;
// terminal: only where no action is enabled; sometimes: anywhere on the
// path), the chart is counterexamples::build_chart's, and a probe runs
// checker::check on the model restarted at the path's end (FromState below)
// with no reduction, under a time and a memory limit.
#pragma once

#include <memory>
#include <mutex>
#include <random>
#include <unordered_set>

#include "agree/checker/explorer.hpp"
#include "agree/checker/fingerprint.hpp"
#include "agree/checker/simulate.hpp"
#include "agree/counterexamples/chart.hpp"
#include "agree/counterexamples/replay.hpp"
#include "agree/explore/session.hpp"
#include "agree/model/protocol.hpp"

namespace agree::explore {

// P with one initial state: `start`. Every other part is P's (no reduction
// hook is forwarded, so a probe explores every interleaving).
template <model::Protocol P>
class FromState {
 public:
  using State = typename P::State;
  using Action = typename P::Action;
  FromState(const P& p, State start) : p_(p), start_(std::move(start)) {}
  static std::string_view name() { return model::name_of<P>(); }
  static std::vector<std::string_view> action_kinds() { return model::action_kinds_of<P>(); }
  static std::size_t kind_of(const Action& a) { return model::kind_of<P>(a); }
  std::vector<State> init_states() const { return {start_}; }
  void actions(const State& s, std::vector<Action>& out) const { p_.actions(s, out); }
  std::optional<State> next_state(const State& s, const Action& a) const { return p_.next_state(s, a); }
  std::string format_action(const Action& a) const { return p_.format_action(a); }
  std::string format_init(const State&) const { return "here"; }
  model::Description describe(const State& s) const { return model::describe(p_, s); }
  std::vector<properties::Property<State>> properties() const { return p_.properties(); }

 private:
  const P& p_;
  State start_;
};

template <model::Protocol P>
class ModelSession final : public Session {
  using State = typename P::State;
  using Action = typename P::Action;

 public:
  ModelSession(P p, std::string parameters) : p_(std::move(p)), parameters_(std::move(parameters)), props_(p_.properties()) {}

  Info info() const override {
    Info i;
    i.protocol = std::string(model::name_of<P>());
    i.summary = std::string(model::summary_of<P>());
    i.parameters = parameters_;
    i.version = model::version_of<P>();
    for (const auto& s : p_.init_states()) i.inits.push_back(model::format_init(p_, s));
    for (const auto& prop : props_) i.properties.emplace_back(prop.name, std::string(properties::to_string(prop.expectation)));
    i.glossary = model::glossary_of(p_);
    return i;
  }

  View view(const checker::Path& path) override {
    const auto run = replay_path(path);
    View v;
    v.path = path;
    for (const auto& step : run) v.steps.push_back(step.action);
    v.steps.front() = model::format_init(p_, run.front().state);
    const State& s = run.back().state;
    fill_fields(v, run);
    std::vector<Action> enabled;
    p_.actions(s, enabled);
    const auto kinds = model::action_kinds_of<P>();
    for (std::size_t k = 0; k < enabled.size(); ++k) {
      Choice c;
      c.index = static_cast<std::uint32_t>(k);
      c.label = p_.format_action(enabled[k]);
      const auto kind = model::kind_of<P>(enabled[k]);
      c.kind = kind < kinds.size() ? std::string(kinds[kind]) : "";
      auto next = p_.next_state(s, enabled[k]);
      c.self_loop = !next;
      const State& t = next ? *next : s;
      c.returns_to = position(run, t);
      c.seen = was_seen(t);
      v.choices.push_back(std::move(c));
    }
    if (run.size() > 1)
      if (const auto k = position(run, s); k && *k + 1 < run.size()) v.same_as = k;
    judge(v, run, enabled.empty());
    v.chart_svg = chart(run, v);
    remember(run);
    return v;
  }

  Walk walk(const checker::Path& from, std::uint64_t seed, std::size_t steps) override {
    auto run = replay_path(from);
    Walk w;
    w.path = from;
    std::mt19937_64 rng(seed);
    State s = run.back().state;
    std::vector<Action> enabled;
    w.stopped = "steps";
    if (const auto* bad = broken(s)) {  // nothing to walk towards: it is broken already
      w.stopped = "violated";
      w.property = bad->name;
      return w;
    }
    for (; w.taken < steps && w.path.actions.size() < kMaxPath; ++w.taken) {
      enabled.clear();
      p_.actions(s, enabled);
      if (enabled.empty()) {
        w.stopped = "terminal";
        break;
      }
      const auto k = static_cast<std::uint32_t>(checker::pick(rng, enabled.size()));
      w.path.actions.push_back(k);
      if (auto next = p_.next_state(s, enabled[k])) s = std::move(*next);
      if (const auto* bad = broken(s)) {
        ++w.taken;
        w.stopped = "violated";
        w.property = bad->name;
        break;
      }
    }
    if (w.stopped == "steps") {
      enabled.clear();
      p_.actions(s, enabled);
      if (enabled.empty()) w.stopped = "terminal";
    }
    return w;
  }

  Probe probe(const checker::Path& from, const ProbeOptions& po) override {
    const auto run = replay_path(from);
    checker::Options o;
    o.reduce = checker::Reduce::None;
    o.time_limit = po.seconds;
    o.memory_limit_mib = po.memory_limit_mib;
    o.interrupt = po.interrupt;
    o.search = checker::Search::Bfs;  // shortest counterexamples
    o.search_chosen = true;
    Probe r;
    r.report = checker::check(FromState<P>(p_, run.back().state), o);
    if (!r.report.violations.empty()) {
      const auto& found = r.report.violations.front();
      r.property = found.property;
      checker::Path full = from;
      full.actions.insert(full.actions.end(), found.path.actions.begin(), found.path.actions.end());
      if (full.actions.size() <= kMaxPath) r.path = std::move(full);
    }
    return r;
  }

  checker::Path path_of(const counterexamples::Trace& t, const std::string& file) const override {
    counterexamples::check_identity<P>(t, file);
    if (t.steps.size() > kMaxPath)
      throw counterexamples::TraceError(file, t.step_lines.empty() ? 0 : t.step_lines.back(),
                                        "the explorer walks at most " + std::to_string(kMaxPath) + " steps");
    return counterexamples::path_of(p_, t, file);
  }

  counterexamples::Trace trace_of(const checker::Path& path, const std::string& property) const override {
    bool known = false;
    for (const auto& prop : props_) known = known || prop.name == property;
    if (!known) throw PathError("'" + property + "' is not a property of " + std::string(model::name_of<P>()));
    auto t = as_trace(replay_path(path));
    t.property = property;
    return t;
  }

 private:
  using Run = std::vector<counterexamples::Step<State>>;

  Run replay_path(const checker::Path& path) const {
    if (path.actions.size() > kMaxPath)
      throw PathError("a path has at most " + std::to_string(kMaxPath) + " steps, not " + std::to_string(path.actions.size()));
    const auto inits = p_.init_states();
    if (path.init >= inits.size())
      throw PathError("initial state " + std::to_string(path.init) + " does not exist (" + std::to_string(inits.size()) +
                      (inits.size() == 1 ? " initial state: 0)" : " initial states: 0.." + std::to_string(inits.size() - 1) + ")"));
    Run run{{"", inits[path.init]}};
    std::vector<Action> enabled;
    for (std::size_t i = 0; i < path.actions.size(); ++i) {
      const State& s = run.back().state;
      enabled.clear();
      p_.actions(s, enabled);
      const auto k = path.actions[i];
      if (k >= enabled.size())
        throw PathError("step " + std::to_string(i + 1) + ": action " + std::to_string(k) + " is not enabled (" +
                        (enabled.empty() ? std::string("no action is: the state is terminal)")
                                         : std::to_string(enabled.size()) + " are: 0.." + std::to_string(enabled.size() - 1) + ")"));
      auto next = p_.next_state(s, enabled[k]);
      run.push_back({p_.format_action(enabled[k]), next ? std::move(*next) : s});
    }
    return run;
  }

  void fill_fields(View& v, const Run& run) const {
    const auto now = model::describe(p_, run.back().state);
    std::optional<model::Description> before;
    if (run.size() > 1) before = model::describe(p_, run[run.size() - 2].state);
    for (std::size_t k = 0; k < now.size(); ++k)
      v.fields.push_back({now[k].first, now[k].second, before && (k >= before->size() || (*before)[k] != now[k])});
  }

  // The first step of run whose state is t.
  static std::optional<std::size_t> position(const Run& run, const State& t) {
    for (std::size_t k = 0; k < run.size(); ++k)
      if (run[k].state == t) return k;
    return std::nullopt;
  }

  const properties::Property<State>* broken(const State& s) const {
    for (const auto& prop : props_)
      if (counterexamples::violates(p_, prop, s)) return &prop;
    return nullptr;
  }

  void judge(View& v, const Run& run, bool terminal) const {
    const State& s = run.back().state;
    for (const auto& prop : props_) {
      PropertyStatus st{prop.name, std::string(properties::to_string(prop.expectation)), prop.description, Status::Holds, {}, {}};
      switch (prop.expectation) {
        case properties::Expectation::Always:
          st.status = prop.holds(s) ? Status::Holds : Status::Violated;
          if (st.status == Status::Violated)
            for (std::size_t k = 0; k < run.size() && !st.at; ++k)
              if (!prop.holds(run[k].state)) st.at = k;
          break;
        case properties::Expectation::Terminal:
          st.status = !terminal ? Status::Unjudged : prop.holds(s) ? Status::Holds : Status::Violated;
          if (st.status == Status::Violated) st.at = run.size() - 1;
          break;
        case properties::Expectation::Sometimes:
          st.status = Status::Unreached;
          for (std::size_t k = 0; k < run.size() && !st.at; ++k)
            if (prop.holds(run[k].state)) st.at = k;
          if (st.at) st.status = Status::Reached;
          break;
        case properties::Expectation::Eventually:
        case properties::Expectation::LeadsTo: {
          // A path says something of a liveness property only where it ends:
          // in a terminal state the run is over (agree check --liveness judges cycles).
          bool pending = false;
          for (std::size_t k = 0; k < run.size(); ++k) {
            const bool q = prop.holds(run[k].state);
            if (prop.expectation == properties::Expectation::Eventually) pending = k == 0 ? !q : pending && !q;
            else pending = q ? false : pending || prop.trigger(run[k].state);
          }
          st.status = !pending ? Status::Holds : terminal ? Status::Violated : Status::Unjudged;
          if (st.status == Status::Violated) st.at = run.size() - 1;
          break;
        }
      }
      if (st.status == Status::Violated && prop.explain) st.explanation = prop.explain(s);
      v.properties.push_back(std::move(st));
    }
  }

  // The chart of the path, marked with the first property that fails at its
  // end (else the first reachability one its end reaches; else unmarked).
  std::string chart(const Run& run, const View& v) const {
    auto t = as_trace(run);
    std::string marked;
    for (const auto& st : v.properties)
      if (marked.empty() && st.status == Status::Violated) marked = st.name;
    for (const auto& st : v.properties)
      if (marked.empty() && st.status == Status::Reached && st.at == run.size() - 1) marked = st.name;
    t.property = marked.empty() ? (props_.empty() ? std::string() : props_.front().name) : marked;
    if (t.property.empty()) return {};
    auto c = counterexamples::build_chart(p_, t, "<explore>");
    if (marked.empty()) {
      c.property.clear();  // nothing to mark: the chart draws no verdict
      c.reproduced = false;
    }
    return counterexamples::detail::svg(c, false);
  }

  counterexamples::Trace as_trace(const Run& run) const {
    counterexamples::Trace t;
    t.protocol = std::string(model::name_of<P>());
    t.model_version = model::version_of<P>();
    t.parameters = parameters_;
    t.init = model::format_init(p_, run.front().state);
    for (std::size_t i = 1; i < run.size(); ++i) t.steps.push_back(run[i].action);
    return t;
  }

  bool was_seen(const State& s) const {
    const std::lock_guard lock(mu_);
    return seen_.count(key(s)) > 0;
  }
  void remember(const Run& run) {
    const std::lock_guard lock(mu_);
    for (const auto& step : run)
      if (seen_.size() < kMaxSeen) seen_.insert(key(step.state));
  }
  static std::uint64_t key(const State& s) {
    model::Encoder enc;
    enc(s);
    return checker::fingerprint(enc.view());
  }

  P p_;
  std::string parameters_;
  std::vector<properties::Property<State>> props_;
  mutable std::mutex mu_;
  std::unordered_set<std::uint64_t> seen_;
};

template <model::Protocol P>
std::unique_ptr<Session> make_session(P p, std::string parameters = {}) {
  return std::make_unique<ModelSession<P>>(std::move(p), std::move(parameters));
}

}  // namespace agree::explore
