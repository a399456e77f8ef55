#include "agree/model/tokenring.hpp"

namespace agree::model::tokenring {

namespace {
std::string proc(int p) { return "p" + std::to_string(p); }
std::string critical_set(std::uint64_t c) {
  std::string out;
  for (int p = 0; p < 64; ++p)
    if (c >> p & 1u) out += (out.empty() ? "" : ", ") + proc(p);
  return "{" + out + "}";
}
}  // namespace

std::vector<ParamSpec> TokenRing::param_specs() {
  return {
      {"procs", "processes p0..p(N-1) in the ring", 3, 1, 64, {}, {}},
      {"variant", "correct, or greedy: a holder may re-enter before it passes", 0, 0, 0, {"correct", "greedy"}, {}},
  };
}

TokenRing::TokenRing(const Params& p)
    : n_(static_cast<int>(p.get("procs"))),
      variant_(p.choice("variant") == "greedy" ? Variant::Greedy : Variant::Correct) {}

void TokenRing::actions(const State& s, std::vector<Action>& out) const {
  const int h = s.holder;
  const bool in = (s.critical >> h & 1u) != 0;
  if (!in && !s.used) out.push_back(Enter{h});
  if (in) out.push_back(Exit{h});
  if (!in) out.push_back(Pass{h});
}

std::optional<State> TokenRing::next_state(State s, const Action& a) const {
  std::visit(overloaded{
                 [&](const Enter& x) { s.critical |= std::uint64_t{1} << x.p; },
                 [&](const Exit& x) {
                   s.critical &= ~(std::uint64_t{1} << x.p);
                   s.used = variant_ == Variant::Correct;
                 },
                 [&](const Pass&) {
                   s.holder = static_cast<std::uint8_t>((s.holder + 1) % n_);
                   s.used = false;
                 },
             },
             a);
  return s;
}

std::string TokenRing::format_action(const Action& a) const {
  static constexpr const char* kNames[] = {"Enter", "Exit", "Pass"};
  const int p = std::visit([](const auto& x) { return x.p; }, a);
  return std::string(kNames[a.index()]) + "(" + proc(p) + ")";
}

Description TokenRing::describe(const State& s) const {
  return {{"holder", proc(s.holder)},
          {"critical", critical_set(s.critical)},
          {"used", s.used ? "yes" : "no"}};
}

std::vector<std::string> TokenRing::lanes() const {
  std::vector<std::string> out;
  for (int p = 0; p < n_; ++p) out.push_back(proc(p));
  return out;
}

std::vector<Event> TokenRing::events(const State& before, const Action& a, const State& after) const {
  const int h = before.holder;
  switch (a.index()) {
    case 0: return {{Event::Local, h, -1, "enter"}};
    case 1: return {{Event::Local, h, -1, "exit"}};
    default:
      return {{Event::Send, h, after.holder, "token"}, {Event::Receive, h, after.holder, "token"}};
  }
}

std::vector<properties::Property<State>> TokenRing::properties() const {
  const int last = n_ - 1;
  return {
      properties::always<State>("mutual-exclusion",
                                [](const State& s) { return s.critical == 0 || s.critical == std::uint64_t{1} << s.holder; },
                                "only the token's holder is in its critical section"),
      properties::leads_to<State>("token-reaches-all", [](const State&) { return true; },
                                  [last](const State& s) { return s.holder == last; },
                                  "every process holds the token again and again")
          .explained_by([](const State& s) -> std::string {
            return proc(s.holder) + " keeps the token and the processes after it never get it";
          }),
  };
}

}  // namespace agree::model::tokenring
