#include "agree/prove/sm_smt.hpp"

#include <algorithm>
#include <compare>
#include <cstdint>
#include <map>

#include "agree/model/params.hpp"
#include "agree/model/sm.hpp"

namespace agree::prove::sm {

namespace {

std::string value_name(bool attack) { return attack ? "attack" : "retreat"; }

bool on(const std::vector<int>& c, int g) {
  for (const int x : c)
    if (x == g) return true;
  return false;
}

// Chains of distinct lieutenants 1..n-1, length 0..max_len, by length then lexicographically.
std::vector<std::vector<int>> chains(int n, int max_len) {
  std::vector<std::vector<int>> out{{}};
  std::size_t begin = 0;
  for (int len = 1; len <= max_len; ++len) {
    const std::size_t end = out.size();
    for (std::size_t i = begin; i < end; ++i)
      for (int j = 1; j < n; ++j)
        if (!on(out[i], j)) {
          auto c = out[i];
          c.push_back(j);
          out.push_back(std::move(c));
        }
    begin = end;
  }
  return out;
}

}  // namespace

void validate(const Config& c) {
  if (c.generals < 2 || c.generals > 16)
    throw model::ParamError("--generals must be in 2..16, got " + std::to_string(c.generals));
  if (c.traitors < 0 || c.traitors >= c.generals)
    throw model::ParamError("--traitors must be in 0..generals-1, got " + std::to_string(c.traitors));
  if (c.rounds < 0 || c.rounds > c.generals)
    throw model::ParamError("--rounds must be in 0..generals, got " + std::to_string(c.rounds));
}

// "attack:p0:p2": the signed message as model/sm.hpp names it.
static std::string signed_text(bool attack, const std::vector<int>& chain) {
  model::sm::Signed s;
  s.value = static_cast<std::uint8_t>(attack ? model::sm::kAttack : model::sm::kRetreat);
  s.chain.push_back(0);
  for (const int x : chain) s.chain.push_back(static_cast<std::uint8_t>(x));
  return model::sm::signed_name(s);
}

std::string text(const Message& m) { return signed_text(m.attack, m.chain) + " -> p" + std::to_string(m.to); }

Result prove(const Config& c, const SolveOptions& o) {
  validate(c);
  const int n = c.generals;
  // A chain needs a receiver not on it, so it has at most n-2 lieutenants.
  const int max_len = std::min(c.rounds, std::max(0, n - 2));
  const auto all = chains(n, max_len);
  if (all.size() > 200'000) throw model::ParamError("too many signature chains to encode");
  std::map<std::vector<int>, std::size_t> index;
  for (std::size_t i = 0; i < all.size(); ++i) index[all[i]] = i;

  z3::context ctx;
  z3::solver s(ctx);
  z3::expr_vector traitor(ctx);
  for (int g = 0; g < n; ++g) traitor.push_back(ctx.bool_const(("traitor_p" + std::to_string(g)).c_str()));
  s.add(z3::atleast(traitor, static_cast<unsigned>(c.traitors)));
  s.add(z3::atmost(traitor, static_cast<unsigned>(c.traitors)));
  const z3::expr order = ctx.bool_const("order_attack");
  auto is_traitor = [&](int g) { return traitor[static_cast<unsigned>(g)]; };

  // got[v][chain][j]: v:0:chain reaches lieutenant j (round |chain|+1).
  const z3::expr no = ctx.bool_val(false);
  std::vector<std::vector<std::vector<z3::expr>>> got(2, std::vector<std::vector<z3::expr>>(all.size(),
                                                                                           std::vector<z3::expr>(static_cast<std::size_t>(n), no)));
  std::size_t deliveries = 0;
  for (int v = 0; v < 2; ++v)
    for (std::size_t ci = 0; ci < all.size(); ++ci)
      for (int j = 1; j < n; ++j) {
        if (on(all[ci], j)) continue;
        std::string name = value_name(v == 1) + "_0";
        for (const int x : all[ci]) name += "_" + std::to_string(x);
        got[static_cast<std::size_t>(v)][ci][static_cast<std::size_t>(j)] =
            ctx.bool_const(("got_" + name + "_to_" + std::to_string(j)).c_str());
        ++deliveries;
      }
  auto G = [&](int v, std::size_t ci, int j) -> z3::expr& {
    return got[static_cast<std::size_t>(v)][ci][static_cast<std::size_t>(j)];
  };
  // seen(j, v, r): v is in V_j by the end of round r (chains of length < r).
  auto seen = [&](int j, int v, int r) {
    z3::expr_vector any(ctx);
    for (std::size_t ci = 0; ci < all.size(); ++ci)
      if (static_cast<int>(all[ci].size()) < r && !on(all[ci], j)) any.push_back(G(v, ci, j));
    return any.empty() ? no : z3::mk_or(any);
  };
  auto free_choice = [&](const std::string& name) { return ctx.bool_const(("send_" + name).c_str()); };

  for (int v = 0; v < 2; ++v) {
    const z3::expr is_order = v == 1 ? order : !order;
    for (std::size_t ci = 0; ci < all.size(); ++ci) {
      const auto& chain = all[ci];
      for (int j = 1; j < n; ++j) {
        if (on(chain, j)) continue;
        const z3::expr& d = G(v, ci, j);
        std::string name = value_name(v == 1) + "_0";
        for (const int x : chain) name += "_" + std::to_string(x);
        name += "_to_" + std::to_string(j);
        if (chain.empty()) {  // round 1: the commander
          s.add(d == z3::ite(is_traitor(0), free_choice(name), is_order));
          continue;
        }
        const int sender = chain.back();
        const std::vector<int> prefix(chain.begin(), chain.end() - 1);
        const std::size_t pi = index.at(prefix);
        const int k = static_cast<int>(prefix.size());
        // Loyal sender: relays every message of the first round in which it saw v.
        const z3::expr loyal_sends = k > 0 ? G(v, pi, sender) && !seen(sender, v, k) : G(v, pi, sender);
        // Traitor sender: anything it holds, including (with a traitor commander) v:0 itself.
        const z3::expr holds = k == 0 ? (G(v, pi, sender) || is_traitor(0)) : G(v, pi, sender);
        s.add(d == z3::ite(is_traitor(sender), free_choice(name) && holds, loyal_sends));
      }
    }
  }

  z3::expr_vector decide(ctx);
  std::vector<std::pair<z3::expr, z3::expr>> in_v;
  for (int j = 1; j < n; ++j) {
    const z3::expr retreat = seen(j, 0, c.rounds + 1), attack = seen(j, 1, c.rounds + 1);
    in_v.emplace_back(retreat, attack);
    const z3::expr d = ctx.bool_const(("decide_p" + std::to_string(j)).c_str());
    s.add(d == (attack && !retreat));
    decide.push_back(d);
  }
  auto dec = [&](int i) { return decide[static_cast<unsigned>(i - 1)]; };
  z3::expr_vector bad(ctx);
  for (int i = 1; i < n; ++i)
    for (int k = i + 1; k < n; ++k) bad.push_back(!is_traitor(i) && !is_traitor(k) && dec(i) != dec(k));  // IC1
  for (int i = 1; i < n; ++i) bad.push_back(!is_traitor(0) && !is_traitor(i) && dec(i) != order);      // IC2
  s.add(bad.empty() ? no : z3::mk_or(bad));

  Result r;
  r.deliveries = deliveries;
  r.outcome = solve(s, o);
  if (r.outcome.answer != Answer::Sat) return r;

  const z3::model m = s.get_model();
  Witness w;
  for (int g = 0; g < n; ++g) w.traitor.push_back(value_of(m, is_traitor(g)));
  w.order_attack = value_of(m, order);
  for (std::size_t ci = 0; ci < all.size(); ++ci)
    for (int v = 0; v < 2; ++v)
      for (int j = 1; j < n; ++j)
        if (!on(all[ci], j) && value_of(m, G(v, ci, j)))
          w.delivered.push_back({v == 1, all[ci], j, static_cast<int>(all[ci].size()) + 1});
  // V and the decisions from the delivered messages alone, not from the model.
  w.values.assign(static_cast<std::size_t>(n), 0);
  w.values[0] = -1;
  for (const auto& msg : w.delivered) w.values[static_cast<std::size_t>(msg.to)] |= msg.attack ? 2 : 1;
  w.decision.assign(static_cast<std::size_t>(n), -1);
  for (int j = 1; j < n; ++j) w.decision[static_cast<std::size_t>(j)] = w.values[static_cast<std::size_t>(j)] == 2 ? 1 : 0;
  auto vtext = [](int bits) {
    return bits == 0 ? std::string("{}") : bits == 1 ? std::string("{retreat}") : bits == 2 ? std::string("{attack}")
                                                                                             : std::string("{attack, retreat}");
  };
  for (int i = 1; i < n && w.property.empty(); ++i)
    for (int k = i + 1; k < n && w.property.empty(); ++k)
      if (!w.traitor[static_cast<std::size_t>(i)] && !w.traitor[static_cast<std::size_t>(k)] &&
          w.decision[static_cast<std::size_t>(i)] != w.decision[static_cast<std::size_t>(k)]) {
        w.property = "IC1";
        w.explanation = "loyal p" + std::to_string(i) + " has V = " + vtext(w.values[static_cast<std::size_t>(i)]) +
                        " and decides " + value_name(w.decision[static_cast<std::size_t>(i)] == 1) + ", loyal p" +
                        std::to_string(k) + " has V = " + vtext(w.values[static_cast<std::size_t>(k)]) +
                        " and decides " + value_name(w.decision[static_cast<std::size_t>(k)] == 1);
      }
  if (w.property.empty() && !w.traitor[0])
    for (int i = 1; i < n && w.property.empty(); ++i)
      if (!w.traitor[static_cast<std::size_t>(i)] && (w.decision[static_cast<std::size_t>(i)] == 1) != w.order_attack) {
        w.property = "IC2";
        w.explanation = "the loyal commander orders " + value_name(w.order_attack) + ", loyal p" + std::to_string(i) +
                        " has V = " + vtext(w.values[static_cast<std::size_t>(i)]) + " and decides " +
                        value_name(!w.order_attack);
      }
  if (w.property.empty())
    throw std::logic_error("prove sm: Z3's witness does not break IC1 or IC2 when evaluated (encoding bug)");
  r.witness = std::move(w);
  return r;
}

std::vector<std::string> strategy_lines(const Witness& w) {
  // One line per signed message a traitor sends, with all its receivers, as
  // the explicit sm model's action (model/sm.hpp) and so the witness trace
  // write it, in that model's canonical order: round, sender, chain, value
  // (retreat first). The model's sends to nobody ("> {}") are left out.
  struct Key {
    int round, sender;
    std::vector<int> chain;
    bool attack;
    auto operator<=>(const Key&) const = default;
  };
  std::map<Key, std::vector<int>> sends;
  for (const auto& m : w.delivered) {
    const int sender = m.chain.empty() ? 0 : m.chain.back();
    if (!w.traitor[static_cast<std::size_t>(sender)]) continue;
    sends[{m.round, sender, m.chain, m.attack}].push_back(m.to);
  }
  std::vector<std::string> out;
  for (auto& [k, to] : sends) {
    std::sort(to.begin(), to.end());
    std::string receivers;
    for (const int g : to) receivers += (receivers.empty() ? "p" : ", p") + std::to_string(g);
    out.push_back("send(" + signed_text(k.attack, k.chain) + " > {" + receivers + "})  (round " +
                  std::to_string(k.round) + ")");
  }
  if (out.empty()) out.emplace_back("(the traitors send nothing at all)");
  return out;
}

}  // namespace agree::prove::sm
