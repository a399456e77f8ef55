#include "agree/prove/impossible.hpp"

#include <bit>
#include <functional>
#include <set>

#include "agree/model/params.hpp"
#include "agree/prove/eig.hpp"

namespace agree::prove::impossible {

namespace {

constexpr int kMaxViewBits = 16;
constexpr std::uint64_t kMaxBehaviours = std::uint64_t{1} << 22;

struct Shape {
  Eig tree;
  std::vector<std::vector<int>> view;    // per general: the message indices it receives, canonical order
  std::vector<int> bit_of;               // per message: its bit in the receiver's view
  explicit Shape(const Config& c) : tree(c.generals, c.rounds, 100'000) {
    view.resize(static_cast<std::size_t>(c.generals));
    for (std::size_t k = 0; k < tree.msgs().size(); ++k) {
      auto& v = view[static_cast<std::size_t>(tree.msgs()[k].to)];
      bit_of.push_back(static_cast<int>(v.size()));
      v.push_back(static_cast<int>(k));
    }
  }
};

// Every T-subset of 0..n-1 as a bit mask.
std::vector<std::uint32_t> subsets(int n, int t) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t m = 0; m < (1u << n); ++m)
    if (std::popcount(m) == t) out.push_back(m);
  return out;
}

// The traitors' messages that reach loyal generals: the only ones that matter.
std::vector<int> adversary_msgs(const Shape& s, std::uint32_t traitors) {
  std::vector<int> out;
  for (std::size_t k = 0; k < s.tree.msgs().size(); ++k) {
    const auto& m = s.tree.msgs()[k];
    if ((traitors >> s.tree.sender(m) & 1u) && !(traitors >> m.to & 1u)) out.push_back(static_cast<int>(k));
  }
  return out;
}

// Calls f(traitors, order, views) for every behaviour; views[g] is general g's view (bits).
void for_each_behaviour(const Config& c, const Shape& s,
                        const std::function<void(std::uint32_t, bool, const std::vector<std::uint32_t>&)>& f) {
  const auto& msgs = s.tree.msgs();
  std::vector<bool> carried(msgs.size());
  std::vector<std::uint32_t> views(static_cast<std::size_t>(c.generals));
  for (const std::uint32_t traitors : subsets(c.generals, c.traitors)) {
    const auto adv = adversary_msgs(s, traitors);
    std::vector<int> adv_pos(msgs.size(), -1);
    for (std::size_t a = 0; a < adv.size(); ++a) adv_pos[static_cast<std::size_t>(adv[a])] = static_cast<int>(a);
    for (int order = 0; order < 2; ++order) {
      if ((traitors & 1u) && order == 1) continue;  // a traitor commander's order means nothing
      for (std::uint64_t lies = 0; lies < (std::uint64_t{1} << adv.size()); ++lies) {
        for (std::size_t k = 0; k < msgs.size(); ++k) {  // canonical order: a prefix comes first
          const auto& m = msgs[k];
          const Path& p = s.tree.paths()[static_cast<std::size_t>(m.path)];
          const int sender = p.back();
          if (adv_pos[k] >= 0) {
            carried[k] = (lies >> adv_pos[k]) & 1u;
          } else if (traitors >> sender & 1u) {
            carried[k] = false;  // to another traitor: ignored
          } else if (p.size() == 1) {
            carried[k] = order == 1;
          } else {
            const Path prefix(p.begin(), p.end() - 1);
            carried[k] = carried[static_cast<std::size_t>(s.tree.msg(prefix, sender))];
          }
        }
        for (int g = 1; g < c.generals; ++g) {
          std::uint32_t v = 0;
          const auto& in = s.view[static_cast<std::size_t>(g)];
          for (std::size_t b = 0; b < in.size(); ++b)
            if (carried[static_cast<std::size_t>(in[b])]) v |= 1u << b;
          views[static_cast<std::size_t>(g)] = v;
        }
        f(traitors, order == 1, views);
      }
    }
  }
}

std::uint64_t count_behaviours(const Config& c, const Shape& s) {
  std::uint64_t total = 0;
  for (const std::uint32_t traitors : subsets(c.generals, c.traitors)) {
    const auto adv = adversary_msgs(s, traitors);
    if (adv.size() >= 40) return UINT64_MAX;
    total += ((traitors & 1u) ? 1 : 2) * (std::uint64_t{1} << adv.size());
    if (total > kMaxBehaviours) return total;
  }
  return total;
}

}  // namespace

void validate(const Config& c) {
  if (c.generals < 2 || c.generals > 8)
    throw model::ParamError("--generals must be in 2..8, got " + std::to_string(c.generals));
  if (c.traitors < 0 || c.traitors >= c.generals)
    throw model::ParamError("--traitors must be in 0..generals-1, got " + std::to_string(c.traitors));
  if (c.rounds < 1 || c.rounds > c.generals - 1)
    throw model::ParamError("--rounds must be in 1..generals-1, got " + std::to_string(c.rounds));
  const Shape s(c);
  for (int g = 1; g < c.generals; ++g)
    if (static_cast<int>(s.view[static_cast<std::size_t>(g)].size()) > kMaxViewBits)
      throw model::ParamError("too large: a lieutenant receives " +
                              std::to_string(s.view[static_cast<std::size_t>(g)].size()) +
                              " values, its decision table would have more than 2^" + std::to_string(kMaxViewBits) +
                              " entries");
  if (count_behaviours(c, s) > kMaxBehaviours)
    throw model::ParamError("too large: more than 2^22 traitor behaviours to enumerate");
}

Result prove(const Config& c, const SolveOptions& o) {
  validate(c);
  const Shape shape(c);
  z3::context ctx;
  z3::solver s(ctx);
  // table[g][view]: lieutenant g decides attack on this view.
  std::vector<z3::expr_vector> table;
  Result r;
  for (int g = 0; g < c.generals; ++g) {
    table.emplace_back(ctx);
    if (g == 0) continue;
    const std::size_t bits = shape.view[static_cast<std::size_t>(g)].size();
    for (std::uint32_t v = 0; v < (1u << bits); ++v) {
      std::string name = "p" + std::to_string(g) + "_attack_on_";
      for (std::size_t b = 0; b < bits; ++b) name += (v >> b & 1u) ? '1' : '0';
      table.back().push_back(ctx.bool_const(name.c_str()));
      ++r.unknowns;
    }
  }
  auto entry = [&](int g, std::uint32_t view) {
    return table[static_cast<std::size_t>(g)][static_cast<unsigned>(view)];
  };
  // A constraint is a list of (lieutenant, view) and the order for a loyal commander (-1 otherwise).
  std::set<std::pair<int, std::vector<std::pair<int, std::uint32_t>>>> seen;
  for_each_behaviour(c, shape, [&](std::uint32_t traitors, bool order, const std::vector<std::uint32_t>& views) {
    ++r.behaviours;
    std::vector<std::pair<int, std::uint32_t>> loyal;
    for (int g = 1; g < c.generals; ++g)
      if (!(traitors >> g & 1u)) loyal.emplace_back(g, views[static_cast<std::size_t>(g)]);
    const int commander = (traitors & 1u) ? -1 : order ? 1 : 0;
    if (loyal.empty() || (commander < 0 && loyal.size() < 2)) return;
    if (!seen.insert({commander, loyal}).second) return;
    if (commander >= 0) {  // IC2 (and so IC1): every loyal lieutenant obeys
      for (const auto& [g, v] : loyal) s.add(commander ? entry(g, v) : !entry(g, v));
    } else {  // IC1: the loyal lieutenants agree
      for (std::size_t i = 1; i < loyal.size(); ++i)
        s.add(entry(loyal[0].first, loyal[0].second) == entry(loyal[i].first, loyal[i].second));
    }
  });
  r.constraints = seen.size();
  r.outcome = solve(s, o);
  if (r.outcome.answer != Answer::Sat) return r;

  const z3::model m = s.get_model();
  for (int g = 1; g < c.generals; ++g) {
    Rule rule;
    rule.lieutenant = g;
    const auto& in = shape.view[static_cast<std::size_t>(g)];
    for (const int k : in)
      rule.inputs.push_back(Eig::name(shape.tree.paths()[static_cast<std::size_t>(shape.tree.msgs()[static_cast<std::size_t>(k)].path)]));
    rule.is_majority = true;
    for (std::uint32_t v = 0; v < (1u << in.size()); ++v) {
      rule.table.push_back(value_of(m, entry(g, v)));
      const bool majority = 2 * std::popcount(v) > static_cast<int>(in.size());
      if (rule.table.back() != majority) rule.is_majority = false;
    }
    r.rules.push_back(std::move(rule));
  }
  // Check the synthesised protocol against every behaviour by plain evaluation.
  bool ok = true;
  for_each_behaviour(c, shape, [&](std::uint32_t traitors, bool order, const std::vector<std::uint32_t>& views) {
    int first = -1;
    for (int g = 1; g < c.generals; ++g) {
      if (traitors >> g & 1u) continue;
      const bool d = r.rules[static_cast<std::size_t>(g - 1)].table[views[static_cast<std::size_t>(g)]];
      if (!(traitors & 1u) && d != order) ok = false;
      if (first < 0) first = d;
      else if (first != static_cast<int>(d)) ok = false;
    }
  });
  if (!ok) throw std::logic_error("prove impossible: the synthesised rule fails a behaviour (encoding bug)");
  r.rule_checked = true;
  return r;
}

std::string class_text(const Config& c) {
  const std::string k = std::to_string(c.rounds);
  std::string s;
  s += "every deterministic full-information protocol with " + k + " synchronous round" + (c.rounds == 1 ? "" : "s") +
       " for " + std::to_string(c.generals) + " generals (p0 the commander) and exactly " + std::to_string(c.traitors) +
       " traitor" + (c.traitors == 1 ? "" : "s") + " (any general, the commander included):\n";
  s += "  - binary orders (attack / retreat); reliable point-to-point links, the receiver knows the sender, no "
       "signatures (oral messages);\n";
  s += "  - round 1: the commander sends its order to every lieutenant";
  if (c.rounds >= 2)
    s += "; rounds 2.." + k +
         ": every lieutenant relays every value it received in the previous round to every general not on the "
         "value's path (the distinct generals it passed through): full-information relay along the OM(" +
         std::to_string(c.rounds - 1) + ") tree";
  s += ";\n  - a traitor sends any value on each of its messages;\n";
  s += "  - after round " + k +
       " each loyal lieutenant decides by an arbitrary deterministic function of all the values it received "
       "(a Boolean table, possibly different for each lieutenant);\n";
  s += "  - required: IC1 and IC2 for every traitor set and every traitor behaviour.";
  if (c.rounds <= 2)
    s += "\n  Within " + k + " round" + (c.rounds == 1 ? "" : "s") +
         " this is every full-information protocol: the messages it leaves out (lieutenants' round-1 messages, "
         "the commander repeating its order) carry nothing a loyal general knows beyond the values above.";
  return s;
}

std::string rule_text(const Rule& r) {
  if (r.is_majority) return "the strict majority of its " + std::to_string(r.inputs.size()) + " values (ties retreat)";
  std::string attack;
  int count = 0;
  for (std::size_t v = 0; v < r.table.size(); ++v)
    if (r.table[v]) {
      ++count;
      std::string bits;
      for (std::size_t b = 0; b < r.inputs.size(); ++b) bits += (v >> b & 1u) ? 'A' : 'R';
      attack += (attack.empty() ? "" : " ") + bits;
    }
  if (count == 0) return "always retreat";
  if (static_cast<std::size_t>(count) == r.table.size()) return "always attack";
  return "attack exactly on " + attack;
}

}  // namespace agree::prove::impossible
