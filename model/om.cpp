#include "agree/model/om.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <map>
#include <memory>

#include "agree/properties/byzantine.hpp"

namespace agree::model::om {

std::string value_name(int v) { return v == kAttack ? "attack" : "retreat"; }

std::vector<Message> message_table(int generals, int rounds) {
  std::vector<Message> out;
  std::map<std::pair<std::vector<int>, int>, int> index;
  // Paths of one length, in lexicographic order, grown from the previous ones.
  std::vector<std::vector<int>> paths{{0}};
  for (int len = 1; len <= rounds + 1 && !paths.empty(); ++len) {
    for (const auto& path : paths)
      for (int to = 1; to < generals; ++to) {
        if (std::find(path.begin(), path.end(), to) != path.end()) continue;
        Message m;
        m.path = path;
        m.to = to;
        if (path.size() > 1) {
          std::vector<int> prefix(path.begin(), path.end() - 1);
          m.parent = index.at({prefix, path.back()});
        }
        index[{path, to}] = static_cast<int>(out.size());
        out.push_back(std::move(m));
      }
    std::vector<std::vector<int>> longer;
    for (const auto& path : paths)
      for (int j = 1; j < generals; ++j)
        if (std::find(path.begin(), path.end(), j) == path.end()) {
          longer.push_back(path);
          longer.back().push_back(j);
        }
    paths = std::move(longer);
  }
  return out;
}

std::string message_name(const Message& m) {
  std::string s;
  for (std::size_t k = 0; k < m.path.size(); ++k) s += (k ? "." : "") + proc_name(m.path[k]);
  return s + ">" + proc_name(m.to);
}

std::uint64_t Om::closed_form_messages(int generals, int rounds) {
  std::uint64_t total = 0;
  for (int k = 1; k <= rounds + 1; ++k) {
    std::uint64_t prod = 1;
    for (int j = 1; j <= k; ++j) prod *= static_cast<std::uint64_t>(std::max(0, generals - j));
    total += prod;
  }
  return total;
}

std::vector<ParamSpec> Om::param_specs() {
  return {
      {"generals", "generals p0..p(N-1); p0 is the commander", 4, 2, 8, {}, {}},
      {"traitors", "exactly this many traitors, every placement explored", 1, 0, 7, {}, {}},
      {"rounds", "m of OM(m): messages have paths of length 1..m+1", kAuto, 0, 6, {}, "traitors"},
  };
}

Om::Om(const Params& p)
    : Om(static_cast<int>(p.get("generals")), static_cast<int>(p.get("traitors")),
         p.is_auto("rounds") ? static_cast<int>(p.get("traitors")) : static_cast<int>(p.get("rounds"))) {}

Om::Om(int generals, int traitors, int rounds) : n_(generals), t_(traitors), m_(rounds) {
  if (t_ >= n_)
    throw ParamError("traitors: " + std::to_string(t_) + " must be below the " + std::to_string(n_) + " generals");
  if (m_ < 0) throw ParamError("rounds: must be at least 0");
  msgs_ = message_table(n_, m_);
  children_.assign(msgs_.size(), {});
  std::vector<char> is_parent(msgs_.size(), 0);
  // A relay (P+j)->i is a child of P->i in i's recursion; P->j is its parent.
  std::map<std::pair<std::vector<int>, int>, int> index;
  for (std::size_t k = 0; k < msgs_.size(); ++k) index[{msgs_[k].path, msgs_[k].to}] = static_cast<int>(k);
  root_msg_.assign(static_cast<std::size_t>(n_), -1);
  for (std::size_t k = 0; k < msgs_.size(); ++k) {
    const Message& m = msgs_[k];
    if (m.parent >= 0) {
      is_parent[static_cast<std::size_t>(m.parent)] = 1;
      std::vector<int> prefix(m.path.begin(), m.path.end() - 1);
      children_[static_cast<std::size_t>(index.at({prefix, m.to}))].push_back(static_cast<int>(k));
    } else {
      root_msg_[static_cast<std::size_t>(m.to)] = static_cast<int>(k);
    }
  }
  first_leaf_ = 0;
  for (std::size_t k = 0; k < msgs_.size(); ++k)
    if (is_parent[k]) first_leaf_ = static_cast<int>(k) + 1;
}

std::vector<State> Om::init_states() const {
  // Every set of exactly T generals, in lexicographic order of the sorted member lists.
  std::vector<State> out;
  std::vector<int> pick(static_cast<std::size_t>(t_));
  for (int k = 0; k < t_; ++k) pick[static_cast<std::size_t>(k)] = k;
  while (true) {
    State s;
    for (const int g : pick) s.traitors |= 1u << g;
    s.decision.assign(static_cast<std::size_t>(n_), -1);
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

int Om::loyal_value(const State& s, const Message& m) const {
  return m.parent < 0 ? s.order : s.sent[static_cast<std::size_t>(m.parent)];
}

int Om::value_at(const State& s, int k) const {
  const auto& kids = children_[static_cast<std::size_t>(k)];
  const int own = s.sent[static_cast<std::size_t>(k)];
  if (kids.empty()) return own;
  int attack = own, total = 1;
  for (const int c : kids) attack += value_at(s, c), ++total;
  return 2 * attack > total ? kAttack : kRetreat;
}

void Om::advance(State& s) const {
  while (s.sent.size() < msgs_.size()) {
    const Message& m = msgs_[s.sent.size()];
    if (is_traitor(s, m.sender())) return;             // the next message is a choice
    if (m.parent < 0 && s.order < 0) return;           // the loyal commander has not ordered yet
    s.sent.push_back(static_cast<std::uint8_t>(loyal_value(s, m)));
  }
  for (int i = 1; i < n_; ++i)
    if (!is_traitor(s, i)) s.decision[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(value_at(s, root_msg_[static_cast<std::size_t>(i)]));
}

void Om::actions(const State& s, std::vector<Action>& out) const {
  if (terminal(s)) return;
  if (!is_traitor(s, 0) && s.order < 0) {
    out.push_back(Order{kRetreat});
    out.push_back(Order{kAttack});
    return;
  }
  const int k = static_cast<int>(s.sent.size());
  out.push_back(Send{k, kRetreat});
  out.push_back(Send{k, kAttack});
}

std::optional<State> Om::next_state(State s, const Action& a) const {
  std::visit(overloaded{
                 [&](const Order& x) { s.order = static_cast<std::int8_t>(x.value); },
                 [&](const Send& x) { s.sent.push_back(static_cast<std::uint8_t>(x.value)); },
             },
             a);
  advance(s);
  return s;
}

std::string Om::format_action(const Action& a) const {
  return std::visit(overloaded{
                        [&](const Order& x) { return "order(p0, " + value_name(x.value) + ")"; },
                        [&](const Send& x) {
                          return "send(" + message_name(msgs_[static_cast<std::size_t>(x.msg)]) + ": " +
                                 value_name(x.value) + ")";
                        },
                    },
                    a);
}

std::string Om::format_init(const State& s) const {
  std::string out;
  for (int g = 0; g < n_; ++g)
    if (is_traitor(s, g)) out += (out.empty() ? "" : ", ") + proc_name(g);
  return "traitors {" + out + "}";
}

std::string Om::majority_text(const State& s, int k) const {
  const Message& m = msgs_[static_cast<std::size_t>(k)];
  const auto& kids = children_[static_cast<std::size_t>(k)];
  const int own = s.sent[static_cast<std::size_t>(k)];
  std::string list = proc_name(m.sender()) + ": " + value_name(own);
  int attack = own, total = 1;
  for (const int c : kids) {
    const int v = value_at(s, c);
    attack += v, ++total;
    list += ", " + proc_name(msgs_[static_cast<std::size_t>(c)].sender()) + ": " + value_name(v);
  }
  const bool tie = 2 * attack == total;
  return value_name(value_at(s, k)) + ": majority of {" + list + "}" + (tie ? " ties -> retreat" : " -> " + value_name(value_at(s, k)));
}

Description Om::describe(const State& s) const {
  Description d;
  d.emplace_back("traitors", format_init(s).substr(9));
  d.emplace_back("p0", is_traitor(s, 0)  ? "traitor commander"
                       : s.order < 0     ? "loyal commander, no order yet"
                                         : "loyal commander, orders " + value_name(s.order));
  // What each general sent, in canonical order.
  std::vector<std::string> by_sender(static_cast<std::size_t>(n_));
  for (std::size_t k = 0; k < s.sent.size(); ++k) {
    auto& line = by_sender[static_cast<std::size_t>(msgs_[k].sender())];
    line += (line.empty() ? "" : ", ") + message_name(msgs_[k]) + ": " + value_name(s.sent[k]);
  }
  for (int g = 0; g < n_; ++g) d.emplace_back(proc_name(g) + " sent", by_sender[static_cast<std::size_t>(g)]);
  d.emplace_back("messages", std::to_string(s.sent.size()) + " of " + std::to_string(msgs_.size()) + " sent");
  for (int i = 1; i < n_; ++i) {
    if (is_traitor(s, i)) {
      d.emplace_back(proc_name(i), "traitor lieutenant");
      continue;
    }
    if (!terminal(s)) {
      d.emplace_back(proc_name(i), "loyal lieutenant, undecided");
      continue;
    }
    d.emplace_back(proc_name(i), "decides " + majority_text(s, root_msg_[static_cast<std::size_t>(i)]));
    // The inner majorities of the recursion (OM(2) and deeper): i's value for
    // every longer path that is itself a majority.
    for (std::size_t k = 0; k < msgs_.size(); ++k)
      if (msgs_[k].to == i && msgs_[k].parent >= 0 && !children_[k].empty()) {
        std::string path = message_name(msgs_[k]);
        path = path.substr(0, path.find('>'));
        d.emplace_back(proc_name(i) + " on " + path, majority_text(s, static_cast<int>(k)));
      }
  }
  return d;
}

std::vector<properties::Property<State>> Om::properties() const {
  const int n = n_;
  // One shared copy of the model for the explanations: each copy of a property
  // (the tree search makes one a subtree) copies a pointer, not the model.
  const auto self = std::make_shared<const Om>(*this);
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

std::vector<std::pair<std::string, std::string>> Om::report_notes() const {
  return {{"messages", std::to_string(msgs_.size()) + " per run of OM(" + std::to_string(m_) +
                           "); closed form sum_{k=1..m+1} (N-1)...(N-k) = " +
                           std::to_string(closed_form_messages(n_, m_))}};
}

// ---------------------------------------------------------------------------
// Reductions for the tree search (checker/tree.hpp). Each keeps the search
// exhaustive: an omitted subtree is equivalent, for every property of this
// model, to one that is explored, and its weight is added to the one explored.
// The properties (IC1, IC2, agreed-*) read only the traitor set, the order
// and the loyal lieutenants' decisions.
//
// Symmetry. Renaming lieutenants by a permutation pi maps OM(m) runs to OM(m)
// runs: the message table is closed under pi (paths of distinct generals
// starting at p0), a loyal general's rule and the majority ignore names, and
// IC1/IC2/agreed-* are invariant. So a traitor set S and pi(S) have the same
// verdicts and the same number of runs; the orbits are fixed by (is p0 a
// traitor, how many lieutenants are) and the representative, the
// lexicographically least member {p0?, p1, ..., pk}, comes first in the order
// of the initial states, so the first counterexample is the same as without
// symmetry.
//
// Merging. (a) A message to a traitor is read by nothing: a traitor's own
// messages are free choices, and only loyal lieutenants decide; both values
// give isomorphic subtrees with equal decisions, so only retreat is explored,
// with weight 2. (b) A leaf message (one nobody relays: the last round) is
// read only by its receiver's decision. Once every relayed message is sent
// (index >= first_leaf_), the remaining free values split into disjoint sets,
// one per loyal receiver r, and r's decision is a function of its own set
// alone. So the reachable decision vectors are the product of each receiver's
// reachable decisions, and the runs leading to one vector are the product of
// the per-receiver counts. For each receiver and decision d, only the
// lexicographically first assignment of its set that yields d is explored,
// with the number of assignments that yield d as its weight (put on the last
// message of the set). The verdict of a run depends only on the decision
// vector, so every vector is judged, each run is counted once, and the first
// counterexample in depth-first order is the one without merging (replacing
// a receiver's values by its first assignment with the same decision never
// makes a run later in the order).
// ---------------------------------------------------------------------------

std::vector<std::pair<std::uint32_t, std::uint64_t>> Om::symmetric_roots() const {
  const auto inits = init_states();
  auto binom = [](int a, int b) {
    std::uint64_t r = 1;
    for (int k = 1; k <= b; ++k) r = r * static_cast<std::uint64_t>(a - b + k) / static_cast<std::uint64_t>(k);
    return r;
  };
  std::vector<std::pair<std::uint32_t, std::uint64_t>> out;
  for (std::uint32_t i = 0; i < inits.size(); ++i) {
    const std::uint32_t t = inits[i].traitors;
    const bool commander = t & 1u;
    const int k = std::popcount(t >> 1);
    const std::uint32_t rep = (commander ? 1u : 0u) | (((1u << k) - 1) << 1);
    if (t == rep) out.emplace_back(i, binom(n_ - 1, k));
  }
  return out;
}

namespace {
using Wide = unsigned __int128;
std::uint64_t saturate(Wide w) {
  return w > std::numeric_limits<std::uint64_t>::max() ? std::numeric_limits<std::uint64_t>::max()
                                                       : static_cast<std::uint64_t>(w);
}
}  // namespace

// Receiver i's recursion value counts over its free leaf values: c[d] is the
// number of assignments of the free ones (fixed[k] < 0) that give value d.
std::array<unsigned __int128, 2> Om::count_values(const State& s, int k, const std::vector<std::int8_t>& fixed) const {
  const auto& kids = children_[static_cast<std::size_t>(k)];
  if (kids.empty()) {
    const int f = fixed[static_cast<std::size_t>(k)];
    if (f < 0) return {1, 1};
    return {f == kRetreat ? 1u : 0u, f == kAttack ? 1u : 0u};
  }
  // dist[j]: assignments with j attack values among the children.
  std::vector<Wide> dist{1};
  for (const int c : kids) {
    const auto cc = count_values(s, c, fixed);
    std::vector<Wide> next(dist.size() + 1, 0);
    for (std::size_t j = 0; j < dist.size(); ++j) {
      next[j] += dist[j] * cc[0];
      next[j + 1] += dist[j] * cc[1];
    }
    dist = std::move(next);
  }
  const int own = s.sent[static_cast<std::size_t>(k)];  // a relayed message: sent already
  const int total = static_cast<int>(kids.size()) + 1;
  std::array<Wide, 2> out{0, 0};
  for (std::size_t j = 0; j < dist.size(); ++j)
    out[2 * (static_cast<int>(j) + own) > total ? kAttack : kRetreat] += dist[j];
  return out;
}

void Om::merged_actions(const State& s, std::vector<std::pair<std::uint32_t, std::uint64_t>>& out) const {
  out.clear();
  if (terminal(s)) return;
  const auto k = static_cast<int>(s.sent.size());
  const bool ordering = !is_traitor(s, 0) && s.order < 0;
  if (ordering || (k < first_leaf_ && !is_traitor(s, msgs_[static_cast<std::size_t>(k)].to))) {
    out = {{0, 1}, {1, 1}};
    return;
  }
  const Message& x = msgs_[static_cast<std::size_t>(k)];
  if (is_traitor(s, x.to)) {  // (a)
    out = {{0, 2}};
    return;
  }
  // (b): x is a free leaf value of loyal receiver r.
  const int r = x.to;
  std::vector<std::int8_t> fixed(msgs_.size(), -1);
  std::vector<int> free;  // r's free values, in canonical order
  for (std::size_t j = static_cast<std::size_t>(first_leaf_); j < msgs_.size(); ++j) {
    if (msgs_[j].to != r) continue;
    if (is_traitor(s, msgs_[j].sender())) free.push_back(static_cast<int>(j));
    else fixed[j] = static_cast<std::int8_t>(loyal_value(s, msgs_[j]));
  }
  const auto pos = static_cast<std::size_t>(std::find(free.begin(), free.end(), k) - free.begin());
  const int root = root_msg_[static_cast<std::size_t>(r)];
  const auto counts = count_values(s, root, fixed);
  std::vector<std::pair<std::uint32_t, std::uint64_t>> cand;
  for (int d = 0; d < 2; ++d) {
    if (counts[static_cast<std::size_t>(d)] == 0) continue;
    // The lexicographically first assignment giving d, greedily.
    std::vector<std::int8_t> f = fixed;
    bool matches = true;
    int at_pos = -1;
    for (std::size_t q = 0; q < free.size() && q <= pos; ++q) {
      const auto j = static_cast<std::size_t>(free[q]);
      f[j] = kRetreat;
      if (count_values(s, root, f)[static_cast<std::size_t>(d)] == 0) f[j] = kAttack;
      if (q < pos && f[j] != s.sent[j]) {
        matches = false;
        break;
      }
      if (q == pos) at_pos = f[j];
    }
    if (!matches) continue;
    const std::uint64_t w = pos + 1 == free.size() ? saturate(counts[static_cast<std::size_t>(d)]) : 1;
    if (!cand.empty() && cand.back().first == static_cast<std::uint32_t>(at_pos)) continue;  // shared prefix
    cand.emplace_back(static_cast<std::uint32_t>(at_pos), w);
  }
  if (cand.empty()) {  // not on a merged path (reached some other way): no merging here
    out = {{0, 1}, {1, 1}};
    return;
  }
  std::sort(cand.begin(), cand.end());
  out = std::move(cand);
}

std::vector<Event> Om::events(const State& before, const Action&, const State& after) const {
  std::vector<Event> ev;
  for (std::size_t k = before.sent.size(); k < after.sent.size() && k < msgs_.size(); ++k) {
    const Message& m = msgs_[k];
    const int v = after.sent[k];
    const bool traitor = is_traitor(after, m.sender());
    const bool lie = traitor && (m.parent < 0 || after.sent[static_cast<std::size_t>(m.parent)] != v);
    std::string path = message_name(m);
    path = path.substr(0, path.find('>'));
    const std::string label = path + ": " + value_name(v);
    ev.push_back({lie ? Event::Lie : Event::Send, m.sender(), m.to, label});
    ev.push_back({Event::Receive, m.sender(), m.to, label});
  }
  for (int g = 0; g < n_; ++g) {
    const auto i = static_cast<std::size_t>(g);
    if (i < after.decision.size() && after.decision[i] >= 0 && (i >= before.decision.size() || before.decision[i] < 0))
      ev.push_back({Event::Decide, g, -1, "decide " + value_name(after.decision[i])});
  }
  return ev;
}

}  // namespace agree::model::om
