// model/abp.hpp — the alternating-bit protocol over lossy channels.
//
// A sender transmits M messages d0..d(M-1) to a receiver over two channels
// that may lose what they carry: data (sender to receiver) and ack (receiver
// to sender). Each channel holds at most one message. The sender tags message
// i with the bit i mod 2 and sends it again and again until an ack carrying
// that bit comes back; the receiver delivers a message whose bit is the one it
// expects (delivered mod 2) and acknowledges every message it receives with
// that message's bit, duplicates included.
//
// State: acked (0..M, the messages the sender has had acknowledged; while
// acked < M it is sending d(acked)); data (empty, or a message: its bit and
// its index); ack (empty, or a bit); delivered (0..M); in_order (every
// delivery so far was the next index — a history variable). Initially acked =
// 0, both channels empty, delivered = 0, in_order. Actions, in this order:
//
//   Send        acked < M, data empty       -> data := (acked mod 2, acked)
//   LoseData    data full                   -> data := empty
//   Receive     data = (b, i), ack empty    -> data := empty; ack := b; and if
//                                              b = delivered mod 2 (variant
//                                              no-bit: whatever b) and
//                                              delivered < M, deliver d(i):
//                                              in_order := in_order and
//                                              i = delivered; delivered += 1
//   LoseAck     ack full                    -> ack := empty
//   ReceiveAck  ack = b                     -> ack := empty; if b = acked mod 2
//                                              and acked < M: acked += 1
//
// The bound delivered < M keeps the no-bit variant finite (it would deliver
// duplicates forever); the correct protocol never reaches it with a new bit.
// A state is terminal when acked = M and both channels are empty. Distinct
// states: 9M for the correct protocol (M = 1..3 counted from this comment
// alone by tests/independent/cyclic.py, which also checks every verdict).
//
// Properties:
//   in-order (always): in_order. The no-bit variant breaks it: d0, lost ack,
//     d0 again, delivered twice.
//   delivery (eventually, `agree check abp --liveness`): delivered = M.
//
// Fairness: one group per action (Send, LoseData, Receive, LoseAck,
// ReceiveAck), strong by default: the channel assumption of the protocol, a
// message sent again and again is received again and again. Under strong
// fairness delivery holds; under weak fairness it fails by the lasso Send,
// LoseData repeated forever: Receive is enabled only while the data channel
// is full, never continuously, so weak fairness does not force it. The loss
// actions are fair too; fairness of a loss only asks for runs that lose again
// and again, which the counterexamples of weak fairness are anyway.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agree/model/events.hpp"
#include "agree/model/protocol.hpp"

namespace agree::model::abp {

struct State {
  std::uint8_t acked = 0;
  std::int8_t data = -1;  // -1 empty, else the index i of d(i); its bit is i mod 2
  std::int8_t ack = -1;   // -1 empty, else the bit
  std::uint8_t delivered = 0;
  bool in_order = true;
  bool operator==(const State&) const = default;
  auto fields() const { return std::tie(acked, data, ack, delivered, in_order); }
};

struct Send { bool operator==(const Send&) const = default; };
struct LoseData { bool operator==(const LoseData&) const = default; };
struct Receive { bool operator==(const Receive&) const = default; };
struct LoseAck { bool operator==(const LoseAck&) const = default; };
struct ReceiveAck { bool operator==(const ReceiveAck&) const = default; };
using Action = std::variant<Send, LoseData, Receive, LoseAck, ReceiveAck>;

class Abp {
 public:
  using State = abp::State;
  using Action = abp::Action;
  static constexpr std::string_view kName = "abp";
  static constexpr std::string_view kSummary = "the alternating-bit protocol over lossy channels";
  static constexpr int kVersion = 1;
  static constexpr properties::Fairness kFairness = properties::Fairness::Strong;
  enum class Variant { Correct, NoBit };

  static std::vector<ParamSpec> param_specs();
  static std::vector<std::string_view> action_kinds() { return {"Send", "LoseData", "Receive", "LoseAck", "ReceiveAck"}; }
  static std::size_t kind_of(const Action& a) { return a.index(); }

  explicit Abp(const Params& params);
  Abp(int msgs, Variant variant) : m_(msgs), variant_(variant) {}

  [[nodiscard]] std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const;
  [[nodiscard]] std::optional<State> next_state(State s, const Action& a) const;
  [[nodiscard]] std::string format_action(const Action& a) const;
  [[nodiscard]] std::string format_init(const State&) const { return "initial"; }
  [[nodiscard]] Description describe(const State& s) const;
  [[nodiscard]] std::vector<properties::Property<State>> properties() const;

  // Sequence chart (model/events.hpp): lanes sender and receiver, every step a
  // mark on one of them ("d0 sent", "d0 lost", a delivery, "ack 0 sent", ...),
  // not arrows: a lost message and its resent copy look alike, and an arrow
  // could join the copy's receipt to the lost one.
  [[nodiscard]] std::vector<std::string> lanes() const { return {"sender", "receiver"}; }
  [[nodiscard]] std::vector<Event> events(const State& before, const Action& a, const State& after) const;

  [[nodiscard]] int msgs() const { return m_; }

 private:
  int m_;
  Variant variant_;
};

}  // namespace agree::model::abp
