#include "agree/prove/trace.hpp"

#include <map>
#include <stdexcept>

#include "agree/counterexamples/replay.hpp"
#include "agree/model/om.hpp"
#include "agree/model/sm.hpp"

namespace agree::prove {

namespace {

// Parameters in the model's own validated form, or nullopt when the witness
// lies outside the explicit model's ranges (then no trace can be replayed).
template <class P>
std::optional<model::Params> model_params(int generals, int traitors, int rounds, bool rounds_auto) {
  if (rounds_auto && rounds != traitors) throw std::logic_error("witness: rounds=auto means rounds = traitors");
  model::Params params(P::param_specs());
  try {
    params.set("generals", std::to_string(generals));
    params.set("traitors", std::to_string(traitors));
    params.set("rounds", rounds_auto ? "auto" : std::to_string(rounds));
    const P check{params};  // the model's cross-parameter checks
  } catch (const model::ParamError&) {
    return std::nullopt;
  }
  return params;
}

// Drives model P from the initial state whose traitor set is `traitors`,
// choosing each enabled action with `pick` (an index into actions(s)), until
// no action is enabled; then checks that `property` fails there and returns
// the trace. Throws std::logic_error when the model and the witness disagree:
// the encodings differ, which is exactly what this cross-check is for.
template <class P, class Pick>
counterexamples::Trace drive(const P& p, const model::Params& params, std::uint32_t traitors,
                             const std::string& property, Pick pick) {
  std::optional<typename P::State> s;
  for (const auto& i : p.init_states())
    if (i.traitors == traitors) s = i;
  if (!s) throw std::logic_error("witness: the explicit model has no initial state with this traitor set");
  counterexamples::Trace t;
  t.protocol = std::string(P::kName);
  t.model_version = P::kVersion;
  t.parameters = params.to_string();
  t.property = property;
  t.init = p.format_init(*s);
  std::vector<typename P::Action> actions;
  for (;;) {
    actions.clear();
    p.actions(*s, actions);
    if (actions.empty()) break;
    const std::size_t k = pick(*s, actions);
    if (k >= actions.size())
      throw std::logic_error("witness: the explicit model offers no action matching the Z3 witness after step " +
                             std::to_string(t.steps.size()));
    t.steps.push_back(p.format_action(actions[k]));
    if (auto next = p.next_state(*s, actions[k])) s = std::move(*next);
  }
  std::vector<properties::Property<typename P::State>> store;
  const auto* prop = counterexamples::find_property(p, property, store);
  if (!prop || !counterexamples::violates(p, *prop, *s))
    throw std::logic_error("witness: the Z3 run does not violate " + property + " in the explicit " +
                           std::string(P::kName) + " model");
  return t;
}

std::uint32_t mask(const std::vector<bool>& traitor) {
  std::uint32_t m = 0;
  for (std::size_t g = 0; g < traitor.size(); ++g)
    if (traitor[g]) m |= 1u << g;
  return m;
}

}  // namespace

std::optional<counterexamples::Trace> om_trace(const om::Config& c, const om::Witness& w, bool rounds_auto) {
  const auto params = model_params<model::om::Om>(c.generals, c.traitors, c.rounds, rounds_auto);
  if (!params) return std::nullopt;
  const model::om::Om p{*params};
  std::map<std::pair<Path, int>, bool> value;  // (path, to) -> attack
  for (const auto& m : w.messages) value[{m.path, m.to}] = m.attack;
  const int order = w.order_attack ? model::om::kAttack : model::om::kRetreat;
  return drive(p, *params, mask(w.traitor), w.property,
               [&](const model::om::State&, const std::vector<model::om::Action>& actions) {
                 for (std::size_t k = 0; k < actions.size(); ++k) {
                   if (const auto* o = std::get_if<model::om::Order>(&actions[k])) {
                     if (o->value == order) return k;
                   } else {
                     const auto& send = std::get<model::om::Send>(actions[k]);
                     const auto& msg = p.messages()[static_cast<std::size_t>(send.msg)];
                     const auto it = value.find({msg.path, msg.to});
                     if (it != value.end() && (it->second ? model::om::kAttack : model::om::kRetreat) == send.value)
                       return k;
                   }
                 }
                 return actions.size();
               });
}

std::optional<counterexamples::Trace> sm_trace(const sm::Config& c, const sm::Witness& w, bool rounds_auto) {
  const auto params = model_params<model::sm::Sm>(c.generals, c.traitors, c.rounds, rounds_auto);
  if (!params) return std::nullopt;
  const model::sm::Sm p{*params};
  // (value, chain with p0 first) -> receivers bitmask, for the traitors' sends.
  std::map<std::pair<int, std::vector<std::uint8_t>>, std::uint32_t> receivers;
  for (const auto& m : w.delivered) {
    std::vector<std::uint8_t> chain{0};
    for (const int g : m.chain) chain.push_back(static_cast<std::uint8_t>(g));
    receivers[{m.attack ? model::sm::kAttack : model::sm::kRetreat, chain}] |= 1u << m.to;
  }
  const int order = w.order_attack ? model::sm::kAttack : model::sm::kRetreat;
  return drive(p, *params, mask(w.traitor), w.property,
               [&](const model::sm::State&, const std::vector<model::sm::Action>& actions) {
                 for (std::size_t k = 0; k < actions.size(); ++k) {
                   if (const auto* o = std::get_if<model::sm::Order>(&actions[k])) {
                     if (o->value == order) return k;
                   } else {
                     const auto& send = std::get<model::sm::Send>(actions[k]);
                     const auto it = receivers.find({send.msg.value, send.msg.chain});
                     const std::uint32_t want = it == receivers.end() ? 0 : it->second;
                     if (send.to == want) return k;
                   }
                 }
                 return actions.size();
               });
}

}  // namespace agree::prove
