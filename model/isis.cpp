#include "agree/model/isis.hpp"

#include <algorithm>

#include "agree/properties/delivery.hpp"

namespace agree::model::isis {

std::vector<ParamSpec> Isis::param_specs() {
  return {
      {"procs", "group members p0..p(N-1) (at least 2 in a closed group)", 3, 1, 16, {}, {}},
      {"msgs", "messages; m_i is multicast by p(i mod N), or by o(i mod S) in an open group", 2, 1, 16, {}, {}},
      {"crash", "at most this many crashes (members or senders)", 0, 0, 32, {}, {}},
      {"variant", "correct, or a known way to get it wrong", 0, 0, 0, {"correct", "no-tiebreak", "eager-delivery"}, {}},
      {"senders", "S processes o0..o(S-1) outside the group multicast into it (0: a closed group)", 0, 0, 16, {}, {}, true},
  };
}

Isis::Isis(const Params& p)
    : n_(static_cast<int>(p.get("procs"))),
      m_(static_cast<int>(p.get("msgs"))),
      f_(static_cast<int>(p.get("crash"))),
      variant_(p.choice("variant") == "no-tiebreak"      ? Variant::NoTiebreak
               : p.choice("variant") == "eager-delivery" ? Variant::EagerDelivery
                                                         : Variant::Correct),
      o_(static_cast<int>(p.get("senders"))) {
  if (o_ == 0 && n_ < 2) throw ParamError("procs: 1 is out of range 2..16 for a closed group (senders 0)");
  if (f_ > processes())
    throw ParamError("crash: " + std::to_string(f_) + " is more than the " + std::to_string(processes()) + " processes");
}

std::vector<State> Isis::init_states() const {
  State s;
  s.procs.assign(static_cast<std::size_t>(n_), Proc{});
  s.sending.assign(static_cast<std::size_t>(m_), Sending{});
  s.crashed.assign(static_cast<std::size_t>(processes()), 0);
  return {s};
}

namespace {
int receiver(const Message& msg, int sender) { return msg.kind == Kind::Proposal ? sender : msg.q; }
}  // namespace

void Isis::send(State& s, Message msg) const {
  if (s.crashed[static_cast<std::size_t>(receiver(msg, sender(msg.m)))]) return;  // discarded
  s.network.insert(std::lower_bound(s.network.begin(), s.network.end(), msg), msg);
}

void Isis::actions(const State& s, std::vector<Action>& out) const {
  for (int m = 0; m < m_; ++m)
    if (!s.crashed[static_cast<std::size_t>(sender(m))] && s.sending[static_cast<std::size_t>(m)].status == Status::Idle)
      out.push_back(Multicast{m});
  for (const Message& msg : s.network) {
    switch (msg.kind) {
      case Kind::Msg: out.push_back(Propose{msg.q, msg.m}); break;
      case Kind::Proposal: out.push_back(Collect{msg.m, msg.q, msg.pr}); break;
      case Kind::Agreed: out.push_back(Agree{msg.q, msg.m, msg.pr}); break;
    }
  }
  const auto crashes = static_cast<int>(std::count(s.crashed.begin(), s.crashed.end(), 1));
  if (crashes < f_)
    for (int x = 0; x < processes(); ++x)
      if (!s.crashed[static_cast<std::size_t>(x)]) out.push_back(Crash{x});
}

void Isis::agree(Proc& q, int m, Priority pr) const {
  q.agreed = std::max(q.agreed, pr.num);
  auto it = std::find_if(q.holdback.begin(), q.holdback.end(), [&](const Entry& e) { return e.m == m; });
  if (it == q.holdback.end()) return;  // cannot happen: q proposed for m before Agreed(m) was sent
  if (variant_ == Variant::EagerDelivery) {
    q.holdback.erase(it);
    q.delivered.push_back(static_cast<std::uint8_t>(m));
    return;
  }
  Entry e = *it;
  e.pr = pr;
  e.deliverable = true;
  if (variant_ == Variant::NoTiebreak) {
    // Stable re-sort: move right past smaller numbers, stop before an equal or larger one.
    auto pos = q.holdback.erase(it);
    while (pos != q.holdback.end() && pos->pr.num < pr.num) ++pos;
    q.holdback.insert(pos, e);
  } else {
    q.holdback.erase(it);
    q.holdback.insert(std::lower_bound(q.holdback.begin(), q.holdback.end(), e,
                                       [](const Entry& a, const Entry& b) { return a.pr < b.pr; }),
                      e);
  }
  while (!q.holdback.empty() && q.holdback.front().deliverable) {
    q.delivered.push_back(q.holdback.front().m);
    q.holdback.erase(q.holdback.begin());
  }
}

std::optional<State> Isis::next_state(State s, const Action& a) const {
  const auto u8 = [](int v) { return static_cast<std::uint8_t>(v); };
  const auto take = [&](Message msg) {
    s.network.erase(std::lower_bound(s.network.begin(), s.network.end(), msg));
  };
  std::visit(overloaded{
                 [&](const Multicast& x) {
                   s.sending[static_cast<std::size_t>(x.m)].status = Status::Collecting;
                   for (int q = 0; q < n_; ++q) send(s, {Kind::Msg, u8(x.m), u8(q), {}});
                 },
                 [&](const Propose& x) {
                   take({Kind::Msg, u8(x.m), u8(x.q), {}});
                   Proc& q = s.procs[static_cast<std::size_t>(x.q)];
                   q.proposed = u8(std::max(q.agreed, q.proposed) + 1);
                   const Priority pr{q.proposed, u8(variant_ == Variant::NoTiebreak ? 0 : x.q)};
                   const Entry e{pr, u8(x.m), false};
                   if (variant_ == Variant::NoTiebreak) {
                     q.holdback.push_back(e);  // its number exceeds every number in the queue
                   } else {
                     q.holdback.insert(std::lower_bound(q.holdback.begin(), q.holdback.end(), e,
                                                        [](const Entry& a, const Entry& b) { return a.pr < b.pr; }),
                                       e);
                   }
                   send(s, {Kind::Proposal, u8(x.m), u8(x.q), pr});
                 },
                 [&](const Collect& x) {
                   take({Kind::Proposal, u8(x.m), u8(x.q), x.pr});
                   Sending& snd = s.sending[static_cast<std::size_t>(x.m)];
                   snd.heard |= 1u << x.q;
                   snd.best = std::max(snd.best, x.pr);
                   if (snd.heard == (1u << n_) - 1) {
                     snd.status = Status::Done;
                     for (int q = 0; q < n_; ++q) send(s, {Kind::Agreed, u8(x.m), u8(q), snd.best});
                   }
                 },
                 [&](const Agree& x) {
                   take({Kind::Agreed, u8(x.m), u8(x.q), x.pr});
                   agree(s.procs[static_cast<std::size_t>(x.q)], x.m, x.pr);
                 },
                 [&](const Crash& x) {
                   s.crashed[static_cast<std::size_t>(x.q)] = 1;
                   std::erase_if(s.network, [&](const Message& msg) { return receiver(msg, sender(msg.m)) == x.q; });
                 },
             },
             a);
  return s;
}

std::string Isis::format(Priority pr) const {
  if (variant_ == Variant::NoTiebreak) return std::to_string(pr.num);
  return "(" + std::to_string(pr.num) + "," + proc_name(pr.proc) + ")";
}

std::string Isis::format_action(const Action& a) const {
  return std::visit(
      overloaded{
          [&](const Multicast& x) { return "multicast(" + msg_name(x.m) + ")"; },
          [&](const Propose& x) { return "propose(" + proc_name(x.q) + ", " + msg_name(x.m) + ")"; },
          [&](const Collect& x) { return "collect(" + msg_name(x.m) + ", " + proc_name(x.q) + ", " + format(x.pr) + ")"; },
          [&](const Agree& x) { return "agree(" + proc_name(x.q) + ", " + msg_name(x.m) + ", " + format(x.pr) + ")"; },
          [&](const Crash& x) { return "crash(" + name(x.q) + ")"; },
      },
      a);
}

Description Isis::describe(const State& s) const {
  Description d;
  for (int q = 0; q < n_; ++q) {
    const Proc& p = s.procs[static_cast<std::size_t>(q)];
    std::string hb, del;
    for (const Entry& e : p.holdback)
      hb += (hb.empty() ? "" : ", ") + msg_name(e.m) + (e.deliverable ? " agreed " : " proposed ") + format(e.pr);
    for (const auto m : p.delivered) del += (del.empty() ? "" : ", ") + msg_name(m);
    d.emplace_back(proc_name(q) + ".A", std::to_string(p.agreed));
    d.emplace_back(proc_name(q) + ".P", std::to_string(p.proposed));
    d.emplace_back(proc_name(q) + ".holdback", "[" + hb + "]");
    d.emplace_back(proc_name(q) + ".delivered", "[" + del + "]");
  }
  for (int m = 0; m < m_; ++m) {
    static constexpr const char* kStatus[] = {"idle", "collecting", "done"};
    const Sending& snd = s.sending[static_cast<std::size_t>(m)];
    std::string heard;
    for (int q = 0; q < n_; ++q)
      if (snd.heard >> q & 1u) heard += (heard.empty() ? "" : ", ") + proc_name(q);
    d.emplace_back(msg_name(m) + ".status", kStatus[static_cast<int>(snd.status)]);
    d.emplace_back(msg_name(m) + ".heard", "{" + heard + "}");
    d.emplace_back(msg_name(m) + ".best", snd.heard ? format(snd.best) : "-");
  }
  std::string crashed;
  for (int x = 0; x < processes(); ++x)
    if (s.crashed[static_cast<std::size_t>(x)]) crashed += (crashed.empty() ? "" : ", ") + name(x);
  d.emplace_back("crashed", "{" + crashed + "}");
  std::string net;
  for (const Message& msg : s.network) {
    const std::string from = name(sender(msg.m));
    std::string one;
    switch (msg.kind) {
      case Kind::Msg: one = "Msg(" + msg_name(msg.m) + ") " + from + "->" + proc_name(msg.q); break;
      case Kind::Proposal:
        one = "Proposal(" + msg_name(msg.m) + ", " + format(msg.pr) + ") " + proc_name(msg.q) + "->" + from;
        break;
      case Kind::Agreed: one = "Agreed(" + msg_name(msg.m) + ", " + format(msg.pr) + ") " + from + "->" + proc_name(msg.q); break;
    }
    net += (net.empty() ? "" : ", ") + one;
  }
  d.emplace_back("network", "{" + net + "}");
  return d;
}

std::vector<properties::Property<State>> Isis::properties() const {
  const int n = n_, m = m_;
  const auto self = *this;
  auto log = [](const State& s) {
    return [&s](int q) -> const std::vector<std::uint8_t>& { return s.procs[static_cast<std::size_t>(q)].delivered; };
  };
  using properties::always;
  using properties::at_terminal;
  using properties::sometimes;
  std::vector<properties::Property<State>> props{
      always<State>("total-order", [=](const State& s) { return properties::total_order(n, log(s)); },
                    "every two members' delivery sequences are prefixes of one another")
          .explained_by([=](const State& s) { return self.why_order(s); }),
      always<State>("integrity",
                    [=](const State& s) {
                      return properties::integrity(n, m, log(s), [&](int x) {
                        return s.sending[static_cast<std::size_t>(x)].status != Status::Idle;
                      });
                    },
                    "no member delivers a message twice; every delivered message was multicast")
          .explained_by([=](const State& s) {
            return properties::integrity_why(
                n, m, log(s), [&](int x) { return s.sending[static_cast<std::size_t>(x)].status != Status::Idle; }, proc_name,
                msg_name);
          }),
      at_terminal<State>("termination",
                         [=](const State& s) {
                           return properties::termination(
                               n, m, log(s), [&](int x) { return !s.crashed[static_cast<std::size_t>(x)]; },
                               [&](int x) { return self.sender(x); });
                         },
                         "in a terminal state, a message delivered anywhere or sent by a live sender is delivered by every live member")
          .explained_by([=](const State& s) { return self.why_stuck(s); }),
      sometimes<State>("all-delivered", [=](const State& s) { return properties::all_delivered(n, m, log(s)); },
                       "some run delivers every message at every process"),
  };
  // Liveness (agree check --liveness): every message multicast by a live
  // process is eventually delivered by every live process, as a leads-to
  // (properties/delivery.hpp, delivered_everywhere, says why it is that).
  // In a terminal state it is termination's predicate, and the graph is
  // acyclic, so the two checks agree (tests/liveness_test.cpp).
  const auto everywhere = [=](const State& s) {
    return properties::delivered_everywhere(
        n, m, log(s), [&](int x) { return !s.crashed[static_cast<std::size_t>(x)]; }, [&](int x) { return self.sender(x); },
        [&](int x) { return s.sending[static_cast<std::size_t>(x)].status != Status::Idle; });
  };
  props.push_back(properties::leads_to<State>(
                      "delivery", [=](const State& s) { return !everywhere(s); }, everywhere,
                      "every message multicast by a live process is eventually delivered by every live process")
                      .explained_by([=](const State& s) { return self.why_stuck(s); }));
  return props;
}

// total-order's explanation: the two members that disagree, and the agreed
// priorities of the two messages they deliver in different orders.
std::string Isis::why_order(const State& s) const {
  const auto log = [&s](int q) -> const std::vector<std::uint8_t>& { return s.procs[static_cast<std::size_t>(q)].delivered; };
  int a = -1, b = -1;
  std::string why = properties::total_order_why(n_, log, proc_name, msg_name, &a, &b);
  if (a < 0) return why;
  const Sending& x = s.sending[static_cast<std::size_t>(a)];
  const Sending& y = s.sending[static_cast<std::size_t>(b)];
  if (x.status != Status::Done || y.status != Status::Done) return why;
  why += "; " + msg_name(a) + " was agreed with " + format(x.best) + " and " + msg_name(b) + " with " + format(y.best);
  if (x.best == y.best) return why + ": a tie, and each member keeps its own queue order";
  const int first = x.best < y.best ? a : b;
  return why + ", so every member must deliver " + msg_name(first) + " first";
}

// termination's explanation: who never delivers what, and what it waits for.
std::string Isis::why_stuck(const State& s) const {
  const auto log = [&s](int q) -> const std::vector<std::uint8_t>& { return s.procs[static_cast<std::size_t>(q)].delivered; };
  const auto alive = [&s](int x) { return !s.crashed[static_cast<std::size_t>(x)]; };
  int m = -1, p = -1;
  std::string why = properties::termination_why(
      n_, m_, log, alive, [&](int x) { return sender(x); }, [&](int x) { return name(x); }, msg_name, &m, &p);
  if (m < 0) return why;
  const Sending& snd = s.sending[static_cast<std::size_t>(m)];
  if (snd.status == Status::Collecting) {
    std::string missing;
    for (int q = 0; q < n_; ++q)
      if (!(snd.heard >> q & 1u))
        missing += (missing.empty() ? "" : ", ") + proc_name(q) + (s.crashed[static_cast<std::size_t>(q)] ? " (crashed)" : "");
    return why + "; " + name(sender(m)) + " still waits for the proposal of " + missing + " to agree on " + msg_name(m);
  }
  const auto& queue = s.procs[static_cast<std::size_t>(p)].holdback;
  if (!queue.empty() && !queue.front().deliverable)
    return why + "; it waits in " + proc_name(p) + "'s hold-back queue behind " + msg_name(queue.front().m) +
           ", whose agreed priority never comes (its sender " + name(sender(queue.front().m)) +
           (s.crashed[static_cast<std::size_t>(sender(queue.front().m))] ? " crashed)" : " is still collecting)");
  return why;
}

std::vector<std::pair<std::string, std::string>> Isis::glossary() const {
  return {{"A", "the largest agreed number the member has seen"},
          {"P", "the largest number the member has proposed"},
          {"holdback", "the hold-back queue, smallest priority first: each message with its proposed priority, or its "
                       "agreed one once the sender's Agreed came (agreed entries are deliverable)"},
          {"heard", "the members whose proposal the sender has collected"},
          {"best", "the largest proposal collected: the agreed priority once every member is heard"}};
}

std::vector<std::string> Isis::warnings() const { return every_process_may_crash(f_, processes()); }

std::vector<std::string> Isis::lanes() const {
  std::vector<std::string> out;
  for (int x = 0; x < processes(); ++x) out.push_back(name(x));
  return out;
}

std::vector<Event> Isis::events(const State& before, const Action& a, const State& after) const {
  std::vector<Event> ev;
  const auto delivered = [&](int q) {
    const auto& was = before.procs[static_cast<std::size_t>(q)].delivered;
    const auto& now = after.procs[static_cast<std::size_t>(q)].delivered;
    for (std::size_t i = was.size(); i < now.size(); ++i) ev.push_back({Event::Deliver, q, -1, "deliver " + msg_name(now[i])});
  };
  std::visit(overloaded{
                 [&](const Multicast& x) {
                   for (int q = 0; q < n_; ++q) ev.push_back({Event::Send, sender(x.m), q, "Msg(" + msg_name(x.m) + ")"});
                 },
                 [&](const Propose& x) {
                   ev.push_back({Event::Receive, sender(x.m), x.q, "Msg(" + msg_name(x.m) + ")"});
                   const Priority pr{after.procs[static_cast<std::size_t>(x.q)].proposed,
                                     static_cast<std::uint8_t>(variant_ == Variant::NoTiebreak ? 0 : x.q)};
                   ev.push_back({Event::Send, x.q, sender(x.m), "Proposal(" + msg_name(x.m) + ", " + format(pr) + ")"});
                 },
                 [&](const Collect& x) {
                   ev.push_back({Event::Receive, x.q, sender(x.m), "Proposal(" + msg_name(x.m) + ", " + format(x.pr) + ")"});
                   const Sending& snd = after.sending[static_cast<std::size_t>(x.m)];
                   if (snd.status == Status::Done && before.sending[static_cast<std::size_t>(x.m)].status != Status::Done)
                     for (int q = 0; q < n_; ++q)
                       ev.push_back({Event::Send, sender(x.m), q, "Agreed(" + msg_name(x.m) + ", " + format(snd.best) + ")"});
                 },
                 [&](const Agree& x) {
                   ev.push_back({Event::Receive, sender(x.m), x.q, "Agreed(" + msg_name(x.m) + ", " + format(x.pr) + ")"});
                   delivered(x.q);
                 },
                 [&](const Crash& x) { ev.push_back({Event::Crash, x.q, -1, "crash"}); },
             },
             a);
  return ev;
}

std::optional<std::size_t> Isis::persistent(const State& s, const std::vector<Action>& enabled) const {
  for (std::size_t k = 0; k < enabled.size(); ++k)
    if (std::holds_alternative<Multicast>(enabled[k]) || std::holds_alternative<Collect>(enabled[k])) return k;
  if (variant_ != Variant::Correct) return std::nullopt;
  for (std::size_t k = 0; k < enabled.size(); ++k)
    if (const auto* a = std::get_if<Agree>(&enabled[k])) {
      const Proc& q = s.procs[static_cast<std::size_t>(a->q)];
      if (q.holdback.size() + q.delivered.size() == static_cast<std::size_t>(m_)) return k;  // q proposed every message
    }
  return std::nullopt;
}

}  // namespace agree::model::isis

namespace agree::model::isis {

Actor Isis::actor(const Action& a) const {
  return std::visit(overloaded{
                        [&](const Multicast& x) { return Actor{sender(x.m), false}; },
                        [&](const Propose& x) { return Actor{x.q, false}; },
                        [&](const Collect& x) { return Actor{sender(x.m), false}; },
                        [&](const Agree& x) { return Actor{x.q, false}; },
                        [&](const Crash& x) { return Actor{x.q, true}; },
                    },
                    a);
}

CrashCount Isis::crash_count(const State& s) const {
  const auto crashed = static_cast<int>(std::count(s.crashed.begin(), s.crashed.end(), 1));
  return {crashed, f_ - crashed};
}

}  // namespace agree::model::isis
