#include "agree/model/sm.hpp"

#include <algorithm>
#include <bit>
#include <memory>

#include "agree/properties/byzantine.hpp"

namespace agree::model::sm {

namespace {
std::string value_name(int v) { return v == kAttack ? "attack" : "retreat"; }
std::string set_name(std::uint32_t values) {
  if (values == 3) return "{retreat, attack}";
  if (values == 1) return "{retreat}";
  if (values == 2) return "{attack}";
  return "{}";
}
std::string generals_name(std::uint32_t mask) {
  std::string out;
  for (int g = 0; g < 32; ++g)
    if ((mask >> g) & 1u) out += (out.empty() ? "" : ", ") + proc_name(g);
  return "{" + out + "}";
}
// Canonical order of the sends of one round: sender, chain, value.
bool send_before(const Signed& a, const Signed& b) {
  if (a.chain.back() != b.chain.back()) return a.chain.back() < b.chain.back();
  if (a.chain != b.chain) return a.chain < b.chain;
  return a.value < b.value;
}
}  // namespace

std::string signed_name(const Signed& m) {
  std::string s = value_name(m.value);
  for (const auto g : m.chain) s += ":" + proc_name(g);
  return s;
}

std::vector<ParamSpec> Sm::param_specs() {
  return {
      {"generals", "generals p0..p(N-1); p0 is the commander", 4, 2, 8, {}, {}},
      {"traitors", "exactly this many traitors, every placement explored", 1, 0, 7, {}, {}},
      {"rounds", "m of SM(m): lieutenants relay messages with fewer than m+1 signatures", kAuto, 0, 6, {}, "traitors"},
  };
}

Sm::Sm(const Params& p)
    : Sm(static_cast<int>(p.get("generals")), static_cast<int>(p.get("traitors")),
         p.is_auto("rounds") ? static_cast<int>(p.get("traitors")) : static_cast<int>(p.get("rounds"))) {}

Sm::Sm(int generals, int traitors, int rounds) : n_(generals), t_(traitors), m_(rounds) {
  if (t_ >= n_)
    throw ParamError("traitors: " + std::to_string(t_) + " must be below the " + std::to_string(n_) + " generals");
  if (m_ < 0) throw ParamError("rounds: must be at least 0");
}

std::vector<int> Sm::eligible(const Signed& m) const {
  std::vector<int> out;
  for (int g = 1; g < n_; ++g)
    if (std::find(m.chain.begin(), m.chain.end(), g) == m.chain.end()) out.push_back(g);
  return out;
}

std::vector<State> Sm::init_states() const {
  std::vector<State> out;
  std::vector<int> pick(static_cast<std::size_t>(t_));
  for (int k = 0; k < t_; ++k) pick[static_cast<std::size_t>(k)] = k;
  while (true) {
    State s;
    for (const int g : pick) s.traitors |= 1u << g;
    s.values.assign(static_cast<std::size_t>(n_), 0);
    s.decision.assign(static_cast<std::size_t>(n_), -1);
    if (is_traitor(s, 0)) s.pending = {Signed{kRetreat, {0}}, Signed{kAttack, {0}}};
    advance(s);
    out.push_back(std::move(s));
    int k = t_ - 1;
    while (k >= 0 && pick[static_cast<std::size_t>(k)] == n_ - t_ + k) --k;
    if (k < 0) break;
    ++pick[static_cast<std::size_t>(k)];
    for (int j = k + 1; j < t_; ++j) pick[static_cast<std::size_t>(j)] = pick[static_cast<std::size_t>(j - 1)] + 1;
  }
  return out;
}

void Sm::deliver(State& s, const Signed& m, std::uint32_t to) const {
  for (int g = 1; g < n_; ++g)
    if ((to >> g) & 1u) s.log.push_back(Delivery{m, static_cast<std::uint8_t>(g)});
}

void Sm::end_round(State& s) const {
  const std::size_t r = s.round;
  std::vector<Signed> next;
  std::vector<std::uint8_t> values = s.values;
  for (int j = 1; j < n_; ++j) {
    std::vector<Signed> relay;  // the messages j relays next round (before signing)
    for (const Delivery& d : s.log) {
      if (d.to != j || d.msg.chain.size() != r) continue;
      if (is_traitor(s, j)) {
        relay.push_back(d.msg);  // a traitor holds everything it received
      } else if (!((s.values[static_cast<std::size_t>(j)] >> d.msg.value) & 1u)) {
        values[static_cast<std::size_t>(j)] |= static_cast<std::uint8_t>(1u << d.msg.value);  // accepted
        relay.push_back(d.msg);
      }
    }
    if (is_traitor(s, j) && r == 1 && is_traitor(s, 0)) {  // it can originate under the commander's signature
      relay.push_back(Signed{kRetreat, {0}});
      relay.push_back(Signed{kAttack, {0}});
    }
    if (static_cast<int>(r) > m_) continue;  // the last round: nobody relays
    for (Signed m : relay) {
      m.chain.push_back(static_cast<std::uint8_t>(j));
      if (!eligible(m).empty()) next.push_back(std::move(m));
    }
  }
  std::sort(next.begin(), next.end(), send_before);
  next.erase(std::unique(next.begin(), next.end()), next.end());
  s.values = std::move(values);
  s.pending = std::move(next);
  s.next = 0;
  ++s.round;
  if (terminal(s))
    for (int j = 1; j < n_; ++j)
      if (!is_traitor(s, j)) {
        const auto v = s.values[static_cast<std::size_t>(j)];
        s.decision[static_cast<std::size_t>(j)] = static_cast<std::int8_t>(v == 2 ? kAttack : kRetreat);
      }
}

void Sm::advance(State& s) const {
  while (!terminal(s)) {
    if (s.round == 1 && !is_traitor(s, 0) && s.order < 0) return;  // the loyal commander's order comes first
    if (s.next < s.pending.size()) {
      const Signed& m = s.pending[s.next];
      if (is_traitor(s, m.chain.back())) return;  // a choice
      std::uint32_t to = 0;
      for (const int g : eligible(m)) to |= 1u << g;
      deliver(s, m, to);
      ++s.next;
      continue;
    }
    end_round(s);
  }
}

void Sm::actions(const State& s, std::vector<Action>& out) const {
  if (terminal(s)) return;
  if (s.round == 1 && !is_traitor(s, 0) && s.order < 0) {
    out.push_back(Order{kRetreat});
    out.push_back(Order{kAttack});
    return;
  }
  const Signed& m = s.pending[s.next];
  const auto el = eligible(m);
  for (std::uint32_t bits = 0; bits < (1u << el.size()); ++bits) {
    std::uint32_t to = 0;
    for (std::size_t b = 0; b < el.size(); ++b)
      if ((bits >> b) & 1u) to |= 1u << el[b];
    out.push_back(Send{m, to});
  }
}

std::optional<State> Sm::next_state(State s, const Action& a) const {
  std::visit(overloaded{
                 [&](const Order& x) {
                   s.order = static_cast<std::int8_t>(x.value);
                   s.pending = {Signed{static_cast<std::uint8_t>(x.value), {0}}};
                   s.next = 0;
                 },
                 [&](const Send& x) {
                   s.choices.push_back(x.to);
                   deliver(s, x.msg, x.to);
                   ++s.next;
                 },
             },
             a);
  advance(s);
  return s;
}

std::string Sm::format_action(const Action& a) const {
  return std::visit(overloaded{
                        [&](const Order& x) { return "order(p0, " + value_name(x.value) + ")"; },
                        [&](const Send& x) { return "send(" + signed_name(x.msg) + " > " + generals_name(x.to) + ")"; },
                    },
                    a);
}

std::string Sm::format_init(const State& s) const { return "traitors " + generals_name(s.traitors); }

Description Sm::describe(const State& s) const {
  Description d;
  d.emplace_back("traitors", generals_name(s.traitors));
  d.emplace_back("p0", is_traitor(s, 0)  ? "traitor commander"
                       : s.order < 0     ? "loyal commander, no order yet"
                                         : "loyal commander, orders " + value_name(s.order));
  d.emplace_back("round", terminal(s) ? "done" : std::to_string(s.round) + " of " + std::to_string(m_ + 1));
  // What each general sent: one entry per message, with its receivers.
  std::vector<std::string> sent(static_cast<std::size_t>(n_)), got(static_cast<std::size_t>(n_));
  for (std::size_t k = 0; k < s.log.size();) {
    std::uint32_t to = 0;
    std::size_t e = k;
    while (e < s.log.size() && s.log[e].msg == s.log[k].msg) to |= 1u << s.log[e++].to;
    auto& line = sent[s.log[k].msg.chain.back()];
    line += (line.empty() ? "" : ", ") + signed_name(s.log[k].msg) + " > " + generals_name(to);
    k = e;
  }
  for (const Delivery& x : s.log) {
    auto& line = got[x.to];
    line += (line.empty() ? "" : ", ") + signed_name(x.msg);
  }
  for (int g = 0; g < n_; ++g) d.emplace_back(proc_name(g) + " sent", sent[static_cast<std::size_t>(g)]);
  for (int g = 1; g < n_; ++g) d.emplace_back(proc_name(g) + " received", got[static_cast<std::size_t>(g)]);
  for (int j = 1; j < n_; ++j) {
    const auto v = s.values[static_cast<std::size_t>(j)];
    if (is_traitor(s, j)) {
      d.emplace_back(proc_name(j), "traitor lieutenant");
    } else if (!terminal(s)) {
      d.emplace_back(proc_name(j), "loyal lieutenant, V = " + set_name(v));
    } else {
      const int dec = s.decision[static_cast<std::size_t>(j)];
      d.emplace_back(proc_name(j), "decides " + value_name(dec) + ": V = " + set_name(v) +
                                       (std::popcount(static_cast<unsigned>(v)) == 1 ? " holds one value -> " + value_name(dec)
                                                                                     : " is not one value -> retreat"));
    }
  }
  return d;
}

std::vector<properties::Property<State>> Sm::properties() const {
  const int n = n_;
  // One shared copy of the model for the explanations: each copy of a property
  // (the tree search makes one a subtree) copies a pointer, not the model.
  const auto self = std::make_shared<const Sm>(*this);
  const auto reasons = [self](const State& s) { return properties::decision_reasons(self->describe(s)); };
  auto loyal_lt = [](const State& s) { return [&s](int g) { return !((s.traitors >> g) & 1u); }; };
  auto decision = [](const State& s) { return [&s](int g) { return static_cast<int>(s.decision[static_cast<std::size_t>(g)]); }; };
  using properties::at_terminal;
  using properties::sometimes;
  return {
      at_terminal<State>("IC1", [=](const State& s) { return properties::ic1(n, loyal_lt(s), decision(s)); },
                         "all loyal lieutenants decide the same value")
          .explained_by([=](const State& s) {
            const std::string why = properties::ic1_why(n, loyal_lt(s), decision(s), proc_name, value_name);
            return why.empty() ? why : why + reasons(s);
          }),
      at_terminal<State>("IC2",
                         [=](const State& s) {
                           return properties::ic2(n, !(s.traitors & 1u), s.order, loyal_lt(s), decision(s));
                         },
                         "if the commander is loyal, every loyal lieutenant decides its order")
          .explained_by([=](const State& s) {
            const std::string why =
                properties::ic2_why(n, !(s.traitors & 1u), s.order, loyal_lt(s), decision(s), proc_name, value_name);
            return why.empty() ? why : why + reasons(s);
          }),
      sometimes<State>("agreed-attack",
                       [=](const State& s) { return properties::all_loyal_decided(n, kAttack, loyal_lt(s), decision(s)); },
                       "some run ends with every loyal lieutenant (at least one) deciding attack"),
      sometimes<State>("agreed-retreat",
                       [=](const State& s) { return properties::all_loyal_decided(n, kRetreat, loyal_lt(s), decision(s)); },
                       "some run ends with every loyal lieutenant (at least one) deciding retreat"),
  };
}

// ---------------------------------------------------------------------------
// Reductions for the tree search (checker/tree.hpp); each keeps it exhaustive.
// The properties read only the traitor set, the order and the decisions.
//
// Symmetry: as in om. The semantics never looks at a lieutenant's name (a
// round's messages are simultaneous; loyal relays go to every eligible
// lieutenant), so renaming lieutenants maps runs to runs with the decisions
// renamed; IC1/IC2/agreed-* are invariant. One traitor set per orbit
// ({p0?, p1, ..., pk}, the first of its orbit), weight = the orbit's size.
//
// Merging. A traitor's send chooses, receiver by receiver, whether it gets
// the message. For a receiver j the choice changes nothing that is ever read
// when
//   (1) j is loyal and the value is already in V_j at the start of the round:
//       j does not accept the message (it neither adds nor relays it);
//   (2) j is a traitor and this is the last round: nobody relays after it,
//       and traitors do not decide;
//   (3) j is a traitor, this is round 1 and the commander is a traitor: j
//       holds retreat:p0 and attack:p0 anyway (it can originate them).
// (A traitor with nobody left to relay to never gets a pending send: the same
// future either way.) In each case both choices lead to the same later
// actions and the same decisions (only the message log, which no property
// reads, differs), so only "not sent" is explored and the action's weight
// doubles for each such receiver. The explored choice has the lower action
// index, so the first counterexample is the one without merging.
// ---------------------------------------------------------------------------

std::vector<std::pair<std::uint32_t, std::uint64_t>> Sm::symmetric_roots() const {
  const auto inits = init_states();
  auto binom = [](int a, int b) {
    std::uint64_t r = 1;
    for (int k = 1; k <= b; ++k) r = r * static_cast<std::uint64_t>(a - b + k) / static_cast<std::uint64_t>(k);
    return r;
  };
  std::vector<std::pair<std::uint32_t, std::uint64_t>> out;
  for (std::uint32_t i = 0; i < inits.size(); ++i) {
    const std::uint32_t t = inits[i].traitors;
    const int k = std::popcount(t >> 1);
    const std::uint32_t rep = (t & 1u) | (((1u << k) - 1) << 1);
    if (t == rep) out.emplace_back(i, binom(n_ - 1, k));
  }
  return out;
}

void Sm::merged_actions(const State& s, std::vector<std::pair<std::uint32_t, std::uint64_t>>& out) const {
  out.clear();
  if (terminal(s)) return;
  if (s.round == 1 && !is_traitor(s, 0) && s.order < 0) {
    out = {{0, 1}, {1, 1}};
    return;
  }
  const Signed& m = s.pending[s.next];
  const auto el = eligible(m);
  const bool last = s.round == m_ + 1;
  std::uint32_t free = 0;
  int dont_care = 0;
  for (std::size_t b = 0; b < el.size(); ++b) {
    const int j = el[b];
    bool irrelevant = false;
    if (!is_traitor(s, j)) irrelevant = (s.values[static_cast<std::size_t>(j)] >> m.value) & 1u;  // (1)
    else irrelevant = last || (s.round == 1 && is_traitor(s, 0));                                  // (2), (3)
    if (irrelevant) ++dont_care;
    else free |= 1u << b;
  }
  const std::uint64_t w = std::uint64_t{1} << dont_care;
  for (std::uint32_t bits = 0; bits < (1u << el.size()); ++bits)
    if ((bits & ~free) == 0) out.emplace_back(bits, w);
}

}  // namespace agree::model::sm
