#include "agree/model/sequencer.hpp"

#include <algorithm>

#include "agree/properties/delivery.hpp"

namespace agree::model::sequencer {

std::vector<ParamSpec> Sequencer::param_specs() {
  return {
      {"procs", "group members p0..p(N-1)", 2, 1, kMaxMembers, {}, {}},
      {"msgs", "messages; m_i is multicast by p(i mod N), or by o(i mod S) in an open group", 2, 1, kMaxMsgs, {}, {}},
      {"crash", "at most this many crashes (members, senders or the sequencer)", 0, 0, kMaxProcesses, {}, {}},
      {"variant", "correct, or a known way to get it wrong", 0, 0, 0, {"correct", "no-holdback"}, {}},
      {"senders", "S processes o0..o(S-1) outside the group multicast into it (0: a closed group)", 0, 0, kMaxSenders, {}, {}, true},
  };
}

Sequencer::Sequencer(const Params& p)
    : n_(static_cast<int>(p.get("procs"))),
      m_(static_cast<int>(p.get("msgs"))),
      f_(static_cast<int>(p.get("crash"))),
      variant_(p.choice("variant") == "correct" ? Variant::Correct : Variant::NoHoldback),
      o_(static_cast<int>(p.get("senders"))) {
  if (f_ > processes())
    throw ParamError("crash: " + std::to_string(f_) + " is more than the " + std::to_string(processes()) + " processes");
}

std::vector<State> Sequencer::init_states() const {
  State s;
  s.status.assign(static_cast<std::size_t>(m_), Status::Idle);
  s.members.assign(static_cast<std::size_t>(n_), Member{});
  s.crashed.assign(static_cast<std::size_t>(processes()), 0);
  return {s};
}

void Sequencer::send(State& s, Message msg) const {
  if (s.crashed[msg.to]) return;  // discarded: its receiver has crashed
  s.network.insert(std::lower_bound(s.network.begin(), s.network.end(), msg), msg);
}

void Sequencer::actions(const State& s, std::vector<Action>& out) const {
  for (int m = 0; m < m_; ++m)
    if (!s.crashed[static_cast<std::size_t>(sender(m))] && s.status[static_cast<std::size_t>(m)] == Status::Idle)
      out.push_back(Ask{m});
  for (const Message& msg : s.network) {  // only messages to alive processes are in flight
    switch (msg.kind) {
      case Kind::Request: out.push_back(Grant{msg.m}); break;
      case Kind::Grant: out.push_back(Multicast{msg.m, msg.ticket}); break;
      case Kind::Data: out.push_back(Receive{msg.to, msg.m, msg.ticket}); break;
    }
  }
  const auto crashes = static_cast<int>(std::count(s.crashed.begin(), s.crashed.end(), 1));
  if (crashes < f_)
    for (int x = 0; x < processes(); ++x)
      if (!s.crashed[static_cast<std::size_t>(x)]) out.push_back(Crash{x});
}

std::optional<State> Sequencer::next_state(State s, const Action& a) const {
  const auto u8 = [](int v) { return static_cast<std::uint8_t>(v); };
  const auto take = [&](Message msg) {
    s.network.erase(std::lower_bound(s.network.begin(), s.network.end(), msg));
  };
  std::visit(overloaded{
                 [&](const Ask& x) {
                   s.status[static_cast<std::size_t>(x.m)] = Status::Asked;
                   send(s, {Kind::Request, u8(x.m), 0, u8(n_)});
                 },
                 [&](const Grant& x) {
                   take({Kind::Request, u8(x.m), 0, u8(n_)});
                   send(s, {Kind::Grant, u8(x.m), s.next, u8(sender(x.m))});
                   ++s.next;
                 },
                 [&](const Multicast& x) {
                   take({Kind::Grant, u8(x.m), u8(x.ticket), u8(sender(x.m))});
                   s.status[static_cast<std::size_t>(x.m)] = Status::Sent;
                   for (int q = 0; q < n_; ++q) send(s, {Kind::Data, u8(x.m), u8(x.ticket), u8(q)});
                 },
                 [&](const Receive& x) {
                   take({Kind::Data, u8(x.m), u8(x.ticket), u8(x.q)});
                   Member& q = s.members[static_cast<std::size_t>(x.q)];
                   if (variant_ == Variant::NoHoldback) {
                     q.delivered.push_back(u8(x.m));
                     return;
                   }
                   const Held e{u8(x.ticket), u8(x.m)};
                   q.holdback.insert(std::lower_bound(q.holdback.begin(), q.holdback.end(), e), e);
                   while (!q.holdback.empty() && q.holdback.front().ticket == q.expected) {
                     q.delivered.push_back(q.holdback.front().m);
                     q.holdback.erase(q.holdback.begin());
                     ++q.expected;
                   }
                 },
                 [&](const Crash& x) {
                   s.crashed[static_cast<std::size_t>(x.x)] = 1;
                   std::erase_if(s.network, [&](const Message& msg) { return msg.to == x.x; });
                 },
             },
             a);
  return s;
}

std::string Sequencer::format_action(const Action& a) const {
  return std::visit(
      overloaded{
          [&](const Ask& x) { return "ask(" + msg_name(x.m) + ")"; },
          [&](const Grant& x) { return "grant(" + msg_name(x.m) + ")"; },
          [&](const Multicast& x) { return "multicast(" + msg_name(x.m) + ", t" + std::to_string(x.ticket) + ")"; },
          [&](const Receive& x) {
            return "receive(" + proc_name(x.q) + ", " + msg_name(x.m) + ", t" + std::to_string(x.ticket) + ")";
          },
          [&](const Crash& x) { return "crash(" + name(x.x) + ")"; },
      },
      a);
}

Description Sequencer::describe(const State& s) const {
  Description d;
  d.emplace_back("s.next", "t" + std::to_string(s.next));
  for (int m = 0; m < m_; ++m) {
    static constexpr const char* kStatus[] = {"idle", "asked", "sent"};
    d.emplace_back(msg_name(m) + ".status", kStatus[static_cast<int>(s.status[static_cast<std::size_t>(m)])]);
  }
  for (int q = 0; q < n_; ++q) {
    const Member& mem = s.members[static_cast<std::size_t>(q)];
    std::string hb, del;
    for (const auto& [t, m] : mem.holdback) hb += (hb.empty() ? "" : ", ") + msg_name(m) + "@t" + std::to_string(t);
    for (const auto m : mem.delivered) del += (del.empty() ? "" : ", ") + msg_name(m);
    d.emplace_back(proc_name(q) + ".expected", "t" + std::to_string(mem.expected));
    d.emplace_back(proc_name(q) + ".holdback", "{" + hb + "}");
    d.emplace_back(proc_name(q) + ".delivered", "[" + del + "]");
  }
  std::string crashed;
  for (int x = 0; x < processes(); ++x)
    if (s.crashed[static_cast<std::size_t>(x)]) crashed += (crashed.empty() ? "" : ", ") + name(x);
  d.emplace_back("crashed", "{" + crashed + "}");
  std::string net;
  for (const Message& msg : s.network) {
    std::string one;
    switch (msg.kind) {
      case Kind::Request: one = "Request(" + msg_name(msg.m) + ") " + name(sender(msg.m)) + "->s"; break;
      case Kind::Grant: one = "Grant(" + msg_name(msg.m) + ", t" + std::to_string(msg.ticket) + ") s->" + name(msg.to); break;
      case Kind::Data:
        one = "Data(" + msg_name(msg.m) + ", t" + std::to_string(msg.ticket) + ") " + name(sender(msg.m)) + "->" + proc_name(msg.to);
        break;
    }
    net += (net.empty() ? "" : ", ") + one;
  }
  d.emplace_back("network", "{" + net + "}");
  return d;
}

std::vector<properties::Property<State>> Sequencer::properties() const {
  const int n = n_, m = m_;
  const auto self = *this;
  auto log = [](const State& s) {
    return [&s](int q) -> const auto& { return s.members[static_cast<std::size_t>(q)].delivered; };
  };
  using properties::always;
  using properties::at_terminal;
  using properties::sometimes;
  std::vector<properties::Property<State>> props{
      always<State>("total-order", [=](const State& s) { return properties::total_order(n, log(s)); },
                    "every two members' delivery sequences are prefixes of one another")
          .explained_by([=](const State& s) {
            const std::string why = properties::total_order_why(n, log(s), proc_name, msg_name);
            return why.empty() || self.variant_ != Variant::NoHoldback
                       ? why
                       : why + "; without the hold-back queue each member delivers in the order the Data arrive, "
                               "whatever their tickets";
          }),
      always<State>("integrity",
                    [=](const State& s) {
                      return properties::integrity(n, m, log(s), [&](int x) {
                        return s.status[static_cast<std::size_t>(x)] == Status::Sent;
                      });
                    },
                    "no member delivers a message twice; every delivered message was multicast")
          .explained_by([=](const State& s) {
            return properties::integrity_why(
                n, m, log(s), [&](int x) { return s.status[static_cast<std::size_t>(x)] == Status::Sent; }, proc_name,
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
                       "some run delivers every message at every member"),
  };
  // Liveness (agree check --liveness): every message multicast by a live
  // process is eventually delivered by every live process, as a leads-to
  // (properties/delivery.hpp, delivered_everywhere, says why it is that).
  // In a terminal state it is termination's predicate, and the graph is
  // acyclic, so the two checks agree (tests/liveness_test.cpp).
  const auto everywhere = [=](const State& s) {
    return properties::delivered_everywhere(
        n, m, log(s), [&](int x) { return !s.crashed[static_cast<std::size_t>(x)]; }, [&](int x) { return self.sender(x); },
        [&](int x) { return s.status[static_cast<std::size_t>(x)] != Status::Idle; });  // asked: multicast has begun
  };
  props.push_back(properties::leads_to<State>(
                      "delivery", [=](const State& s) { return !everywhere(s); }, everywhere,
                      "every message multicast by a live process is eventually delivered by every live process")
                      .explained_by([=](const State& s) { return self.why_stuck(s); }));
  return props;
}

// termination's explanation: who never delivers what, and what it waits for.
std::string Sequencer::why_stuck(const State& s) const {
  const auto log = [&s](int q) -> const auto& { return s.members[static_cast<std::size_t>(q)].delivered; };
  const auto alive = [&s](int x) { return !s.crashed[static_cast<std::size_t>(x)]; };
  int m = -1, p = -1;
  const std::string why = properties::termination_why(
      n_, m_, log, alive, [&](int x) { return sender(x); }, [&](int x) { return name(x); }, msg_name, &m, &p);
  if (m < 0) return why;
  const auto status = s.status[static_cast<std::size_t>(m)];
  if (status != Status::Sent)
    return why + "; " + msg_name(m) + " never got a ticket" + (s.crashed[static_cast<std::size_t>(n_)] ? ": s crashed" : "");
  const Member& q = s.members[static_cast<std::size_t>(p)];
  return why + "; " + proc_name(p) + " waits for ticket t" + std::to_string(q.expected) +
         ", which never arrives (its Grant or its Data went to a crashed process)";
}

std::vector<std::pair<std::string, std::string>> Sequencer::glossary() const {
  return {{"next", "the sequencer's next ticket"},
          {"status", "the message at its sender: idle, asked (a Request to s), sent (Data to the members)"},
          {"expected", "the next ticket the member delivers"},
          {"holdback", "the hold-back queue: messages received with a ticket above expected, as m@ticket"}};
}

std::vector<std::string> Sequencer::warnings() const { return every_process_may_crash(f_, processes()); }

std::vector<std::string> Sequencer::lanes() const {
  std::vector<std::string> out;
  for (int x = 0; x < processes(); ++x) out.push_back(name(x));
  return out;
}

std::vector<Event> Sequencer::events(const State& before, const Action& a, const State& after) const {
  std::vector<Event> ev;
  const auto ticket = [](int t) { return ", t" + std::to_string(t) + ")"; };
  std::visit(overloaded{
                 [&](const Ask& x) { ev.push_back({Event::Send, sender(x.m), n_, "Request(" + msg_name(x.m) + ")"}); },
                 [&](const Grant& x) {
                   ev.push_back({Event::Receive, sender(x.m), n_, "Request(" + msg_name(x.m) + ")"});
                   ev.push_back({Event::Send, n_, sender(x.m), "Grant(" + msg_name(x.m) + ticket(before.next)});
                 },
                 [&](const Multicast& x) {
                   ev.push_back({Event::Receive, n_, sender(x.m), "Grant(" + msg_name(x.m) + ticket(x.ticket)});
                   for (int q = 0; q < n_; ++q)
                     ev.push_back({Event::Send, sender(x.m), q, "Data(" + msg_name(x.m) + ticket(x.ticket)});
                 },
                 [&](const Receive& x) {
                   ev.push_back({Event::Receive, sender(x.m), x.q, "Data(" + msg_name(x.m) + ticket(x.ticket)});
                   const auto& was = before.members[static_cast<std::size_t>(x.q)].delivered;
                   const auto& now = after.members[static_cast<std::size_t>(x.q)].delivered;
                   for (std::size_t i = was.size(); i < now.size(); ++i)
                     ev.push_back({Event::Deliver, x.q, -1, "deliver " + msg_name(now[i])});
                 },
                 [&](const Crash& x) { ev.push_back({Event::Crash, x.x, -1, "crash"}); },
             },
             a);
  return ev;
}

std::optional<std::size_t> Sequencer::persistent(const State&, const std::vector<Action>& enabled) const {
  for (std::size_t k = 0; k < enabled.size(); ++k) {
    const Action& a = enabled[k];
    if (std::holds_alternative<Ask>(a) || std::holds_alternative<Multicast>(a)) return k;
    if (variant_ == Variant::Correct && std::holds_alternative<Receive>(a)) return k;
  }
  return std::nullopt;
}

}  // namespace agree::model::sequencer

namespace agree::model::sequencer {

Actor Sequencer::actor(const Action& a) const {
  return std::visit(overloaded{
                        [&](const Ask& x) { return Actor{sender(x.m), false}; },
                        [&](const Grant&) { return Actor{seq_id(), false}; },
                        [&](const Multicast& x) { return Actor{sender(x.m), false}; },
                        [&](const Receive& x) { return Actor{x.q, false}; },
                        [&](const Crash& x) { return Actor{x.x, true}; },
                    },
                    a);
}

CrashCount Sequencer::crash_count(const State& s) const {
  const auto crashed = static_cast<int>(std::count(s.crashed.begin(), s.crashed.end(), 1));
  return {crashed, f_ - crashed};
}

}  // namespace agree::model::sequencer
