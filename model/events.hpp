// model/events.hpp — what a step means to a reader: the optional hooks that
// turn one transition into the marks of a message sequence chart.
//
// A protocol MAY have
//
//   std::vector<std::string> lanes() const;      // one name per lane: "p0", "p1", "s", "TM", ...
//   std::vector<model::Event> events(const State& before, const Action& a, const State& after) const;
//
// Neither is part of model::Protocol: both are detected with `requires` and a
// protocol without them is drawn generically (every step one local mark on the
// lane of the first pN its action text names; counterexamples/chart.hpp).
//
// Lanes are indices into lanes(). A message is drawn as an arrow from the row
// of its Send (or Lie) to the row of the Receive with the same (from, to,
// label); in-flight messages are a set, so equal pending ones never coexist
// and the pairing is exact. A Send whose Receive never comes stays a stub.
#pragma once

#include <concepts>
#include <string>
#include <vector>

namespace agree::model {

struct Event {
  enum Kind { Send, Receive, Deliver, Decide, Crash, Lie, Local } kind = Local;
  int from = -1;  // the lane acting (Send, Lie: the sender; Receive: the sender of the message)
  int to = -1;    // the other lane (Send, Lie, Receive: the receiver); -1 for one-lane marks
  std::string label;
  bool operator==(const Event&) const = default;
};

// The lane a one-lane event sits on.
inline int event_lane(const Event& e) {
  switch (e.kind) {
    case Event::Receive: return e.to >= 0 ? e.to : e.from;
    default: return e.from >= 0 ? e.from : e.to;
  }
}

inline const char* to_string(Event::Kind k) {
  switch (k) {
    case Event::Send: return "send";
    case Event::Receive: return "receive";
    case Event::Deliver: return "deliver";
    case Event::Decide: return "decide";
    case Event::Crash: return "crash";
    case Event::Lie: return "lie";
    case Event::Local: return "local";
  }
  return "?";
}

template <class P>
concept HasEvents = requires(const P& p, const typename P::State& s, const typename P::Action& a) {
  { p.events(s, a, s) } -> std::same_as<std::vector<Event>>;
};

template <class P>
concept HasLanes = requires(const P& p) {
  { p.lanes() } -> std::same_as<std::vector<std::string>>;
};

}  // namespace agree::model
