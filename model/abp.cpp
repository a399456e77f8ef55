#include "agree/model/abp.hpp"

namespace agree::model::abp {

std::vector<ParamSpec> Abp::param_specs() {
  return {
      {"msgs", "messages d0..d(M-1) the sender transmits", 2, 1, 16, {}, {}},
      {"variant", "correct, or no-bit: the receiver delivers whatever bit a message carries", 0, 0, 0,
       {"correct", "no-bit"}, {}},
  };
}

Abp::Abp(const Params& p)
    : m_(static_cast<int>(p.get("msgs"))), variant_(p.choice("variant") == "no-bit" ? Variant::NoBit : Variant::Correct) {}

void Abp::actions(const State& s, std::vector<Action>& out) const {
  if (s.acked < m_ && s.data < 0) out.push_back(Send{});
  if (s.data >= 0) out.push_back(LoseData{});
  if (s.data >= 0 && s.ack < 0) out.push_back(Receive{});
  if (s.ack >= 0) out.push_back(LoseAck{});
  if (s.ack >= 0) out.push_back(ReceiveAck{});
}

std::optional<State> Abp::next_state(State s, const Action& a) const {
  std::visit(overloaded{
                 [&](const Send&) { s.data = static_cast<std::int8_t>(s.acked); },
                 [&](const LoseData&) { s.data = -1; },
                 [&](const Receive&) {
                   const int i = s.data, bit = i % 2;
                   s.data = -1;
                   s.ack = static_cast<std::int8_t>(bit);
                   if ((variant_ == Variant::NoBit || bit == s.delivered % 2) && s.delivered < m_) {
                     s.in_order = s.in_order && i == s.delivered;
                     ++s.delivered;
                   }
                 },
                 [&](const LoseAck&) { s.ack = -1; },
                 [&](const ReceiveAck&) {
                   if (s.ack == s.acked % 2 && s.acked < m_) ++s.acked;
                   s.ack = -1;
                 },
             },
             a);
  return s;
}

std::string Abp::format_action(const Action& a) const { return std::string(action_kinds()[a.index()]); }

Description Abp::describe(const State& s) const {
  const auto msg = [](int i) { return "d" + std::to_string(i) + " bit " + std::to_string(i % 2); };
  return {{"acked", std::to_string(s.acked)},
          {"data", s.data < 0 ? "empty" : msg(s.data)},
          {"ack", s.ack < 0 ? "empty" : "bit " + std::to_string(s.ack)},
          {"delivered", std::to_string(s.delivered)},
          {"in order", s.in_order ? "yes" : "no"}};
}

std::vector<Event> Abp::events(const State& before, const Action& a, const State& after) const {
  const auto d = [](int i) { return "d" + std::to_string(i); };
  const auto ack = [](int b) { return "ack " + std::to_string(b); };
  switch (a.index()) {
    case 0: return {{Event::Local, 0, -1, d(after.data) + " sent"}};
    case 1: return {{Event::Local, 1, -1, d(before.data) + " lost"}};
    case 2:
      if (after.delivered > before.delivered)
        return {{Event::Deliver, 1, -1, d(before.data)}, {Event::Local, 1, -1, ack(after.ack) + " sent"}};
      return {{Event::Local, 1, -1, d(before.data) + " again, " + ack(after.ack) + " sent"}};
    case 3: return {{Event::Local, 0, -1, ack(before.ack) + " lost"}};
    default:
      return {{Event::Local, 0, -1, ack(before.ack) + (after.acked > before.acked ? " received" : " ignored")}};
  }
}

std::vector<properties::Property<State>> Abp::properties() const {
  const int m = m_;
  return {
      properties::always<State>("in-order", [](const State& s) { return s.in_order; },
                                "the receiver delivers d0, d1, ... each once, in order")
          .explained_by([](const State& s) -> std::string {
            if (s.in_order) return "";
            return "the receiver delivered a message out of turn: its " + std::to_string(s.delivered) +
                   " deliveries are not d0.." + "d" + std::to_string(s.delivered - 1) + " in order";
          }),
      properties::eventually<State>("delivery", [m](const State& s) { return s.delivered == m; },
                                    "every message is eventually delivered")
          .explained_by([m](const State& s) -> std::string {
            return "d" + std::to_string(s.delivered) + " is never delivered (" + std::to_string(s.delivered) + " of " +
                   std::to_string(m) + ")";
          }),
  };
}

}  // namespace agree::model::abp
