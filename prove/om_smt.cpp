#include "agree/prove/om_smt.hpp"

#include <functional>

#include "agree/model/om.hpp"
#include "agree/model/params.hpp"

namespace agree::prove::om {

namespace {
std::string value_name(bool attack) { return attack ? "attack" : "retreat"; }
}  // namespace

void validate(const Config& c) {
  if (c.generals < 2 || c.generals > 16)
    throw model::ParamError("--generals must be in 2..16, got " + std::to_string(c.generals));
  if (c.traitors < 0 || c.traitors >= c.generals)
    throw model::ParamError("--traitors must be in 0..generals-1, got " + std::to_string(c.traitors));
  if (c.rounds < 0 || c.rounds > c.generals)
    throw model::ParamError("--rounds must be in 0..generals, got " + std::to_string(c.rounds));
}

std::vector<int> decisions(const Config& c, const std::vector<bool>& carried) {
  const Eig t(c.generals, c.rounds + 1);
  std::vector<int> out(static_cast<std::size_t>(c.generals), -1);
  for (int i = 1; i < c.generals; ++i) {
    std::function<bool(const Path&)> val = [&](const Path& p) -> bool {
      const bool got = carried[static_cast<std::size_t>(t.msg(p, i))];
      if (static_cast<int>(p.size()) == c.rounds + 1) return got;
      int attack = got ? 1 : 0, total = 1;
      for (int j = 1; j < c.generals; ++j) {
        if (j == i || Eig::on(p, j)) continue;
        Path q = p;
        q.push_back(j);
        attack += val(q) ? 1 : 0;
        ++total;
      }
      return 2 * attack > total;
    };
    out[static_cast<std::size_t>(i)] = val({0}) ? 1 : 0;
  }
  return out;
}

std::string broken(const std::vector<bool>& traitor, bool order_attack, const std::vector<int>& decision,
                   std::string* why) {
  const int n = static_cast<int>(traitor.size());
  for (int i = 1; i < n; ++i)
    for (int k = i + 1; k < n; ++k)
      if (!traitor[static_cast<std::size_t>(i)] && !traitor[static_cast<std::size_t>(k)] &&
          decision[static_cast<std::size_t>(i)] != decision[static_cast<std::size_t>(k)]) {
        if (why)
          *why = "loyal p" + std::to_string(i) + " decides " + value_name(decision[static_cast<std::size_t>(i)] == 1) +
                 ", loyal p" + std::to_string(k) + " decides " + value_name(decision[static_cast<std::size_t>(k)] == 1);
        return "IC1";
      }
  if (!traitor[0])
    for (int i = 1; i < n; ++i)
      if (!traitor[static_cast<std::size_t>(i)] && (decision[static_cast<std::size_t>(i)] == 1) != order_attack) {
        if (why)
          *why = "the loyal commander orders " + value_name(order_attack) + ", loyal p" + std::to_string(i) +
                 " decides " + value_name(!order_attack);
        return "IC2";
      }
  return "";
}

Result prove(const Config& c, const SolveOptions& o) {
  validate(c);
  const Eig t(c.generals, c.rounds + 1);
  const std::size_t n = static_cast<std::size_t>(c.generals);
  z3::context ctx;
  z3::solver s(ctx);

  z3::expr_vector traitor(ctx);
  for (std::size_t g = 0; g < n; ++g) traitor.push_back(ctx.bool_const(("traitor_p" + std::to_string(g)).c_str()));
  s.add(z3::atleast(traitor, static_cast<unsigned>(c.traitors)));
  s.add(z3::atmost(traitor, static_cast<unsigned>(c.traitors)));
  const z3::expr order = ctx.bool_const("order_attack");

  // recv[k]: the value message k carries; lie[k]: what it carries if its sender is a traitor.
  z3::expr_vector recv(ctx), lie(ctx), loyal(ctx);
  for (const auto& m : t.msgs()) {
    const Path& p = t.paths()[static_cast<std::size_t>(m.path)];
    const std::string name = symbol(Eig::text(p) + "_to_" + std::to_string(m.to));
    recv.push_back(ctx.bool_const(("recv_" + name).c_str()));
    lie.push_back(ctx.bool_const(("lie_" + name).c_str()));
    const int sender = p.back();
    if (p.size() == 1) {
      loyal.push_back(order);
    } else {
      const Path prefix(p.begin(), p.end() - 1);
      loyal.push_back(recv[static_cast<unsigned>(t.msg(prefix, sender))]);
    }
    const unsigned k = recv.size() - 1;
    s.add(recv[k] == z3::ite(traitor[static_cast<unsigned>(sender)], lie[k], loyal[k]));
  }

  // The OM(m) recursion, one majority per (lieutenant, path).
  z3::expr_vector decide(ctx);
  for (int i = 1; i < c.generals; ++i) {
    std::function<z3::expr(const Path&)> val = [&](const Path& p) -> z3::expr {
      const z3::expr got = recv[static_cast<unsigned>(t.msg(p, i))];
      if (static_cast<int>(p.size()) == c.rounds + 1) return got;
      z3::expr_vector in(ctx);
      in.push_back(got);
      for (int j = 1; j < c.generals; ++j) {
        if (j == i || Eig::on(p, j)) continue;
        Path q = p;
        q.push_back(j);
        in.push_back(val(q));
      }
      if (in.size() == 1) return got;
      return z3::atleast(in, in.size() / 2 + 1);  // strict majority of attack; ties retreat
    };
    const z3::expr d = ctx.bool_const(("decide_p" + std::to_string(i)).c_str());
    s.add(d == val({0}));
    decide.push_back(d);
  }
  auto loyal_lt = [&](int i) { return !traitor[static_cast<unsigned>(i)]; };
  auto dec = [&](int i) { return decide[static_cast<unsigned>(i - 1)]; };
  z3::expr_vector bad(ctx);
  for (int i = 1; i < c.generals; ++i)
    for (int k = i + 1; k < c.generals; ++k) bad.push_back(loyal_lt(i) && loyal_lt(k) && dec(i) != dec(k));  // IC1
  for (int i = 1; i < c.generals; ++i) bad.push_back(!traitor[0] && loyal_lt(i) && dec(i) != order);       // IC2
  s.add(bad.empty() ? ctx.bool_val(false) : z3::mk_or(bad));

  Result r;
  r.messages = t.msgs().size();
  r.outcome = solve(s, o);
  if (r.outcome.answer != Answer::Sat) return r;

  const z3::model model = s.get_model();
  Witness w;
  for (std::size_t g = 0; g < n; ++g) w.traitor.push_back(value_of(model, traitor[static_cast<unsigned>(g)]));
  w.order_attack = value_of(model, order);
  std::vector<bool> carried;
  for (std::size_t k = 0; k < t.msgs().size(); ++k) {
    const auto& m = t.msgs()[k];
    Message msg;
    msg.path = t.paths()[static_cast<std::size_t>(m.path)];
    msg.to = m.to;
    msg.attack = value_of(model, recv[static_cast<unsigned>(k)]);
    msg.from_traitor = w.traitor[static_cast<std::size_t>(msg.path.back())];
    msg.loyal_attack = value_of(model, loyal[static_cast<unsigned>(k)]);
    carried.push_back(msg.attack);
    w.messages.push_back(std::move(msg));
  }
  // Decisions by plain evaluation, not from the model: the witness must stand on its own.
  w.decision = decisions(c, carried);
  w.property = broken(w.traitor, w.order_attack, w.decision, &w.explanation);
  if (w.property.empty())
    throw std::logic_error("prove om: Z3's witness does not break IC1 or IC2 when evaluated (encoding bug)");
  r.witness = std::move(w);
  return r;
}

std::vector<std::string> strategy_lines(const Witness& w) {
  std::vector<std::string> out;
  for (const auto& m : w.messages) {
    if (!m.from_traitor) continue;
    // The explicit model's action for this message (model/om.hpp), as
    // `agree check om` and the witness trace print it: send(p0.p1>p2: retreat).
    model::om::Message named;
    named.path = m.path;
    named.to = m.to;
    std::string line = "send(" + model::om::message_name(named) + ": " + value_name(m.attack) + ")";
    if (m.attack != m.loyal_attack)
      line += m.path.size() == 1 ? "  (a lie: its order is " + value_name(m.loyal_attack) + ")"
                                 : "  (a lie: it received " + value_name(m.loyal_attack) + ")";
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace agree::prove::om
