// The canonical encoding: equal states encode equally, and decoding inverts it.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "agree/model/encode.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/sequencer.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {
template <class P>
void walk_roundtrip(const P& p, const std::vector<std::size_t>& choices) {
  auto s = p.init_states().front();
  std::vector<typename P::Action> enabled;
  for (const auto c : choices) {
    model::Encoder e;
    e(s);
    RC_ASSERT(model::decode<typename P::State>(e.bytes()) == s);
    enabled.clear();
    p.actions(s, enabled);
    if (enabled.empty()) break;
    if (auto n = p.next_state(s, enabled[c % enabled.size()])) s = *n;
  }
}
}  // namespace

TEST_CASE("encode: integers, negatives and containers round-trip", "[encode]") {
  struct S {
    int a = -3;
    std::vector<std::uint8_t> v{1, 200, 7};
    std::optional<long> o = 123456789012;
    bool b = true;
    bool operator==(const S&) const = default;
    auto fields() const { return std::tie(a, v, o, b); }
  };
  model::Encoder e;
  e(S{});
  CHECK(model::decode<S>(e.bytes()) == S{});
  CHECK_THROWS(model::decode<S>(e.bytes().substr(0, 3)));
}

TEST_CASE("encode: random protocol states round-trip", "[encode][rc]") {
  rc::prop("sequencer", [](const std::vector<std::size_t>& choices) {
    walk_roundtrip(model::sequencer::Sequencer(3, 3, 1, model::sequencer::Sequencer::Variant::Correct), choices);
  });
  rc::prop("isis", [](const std::vector<std::size_t>& choices) {
    walk_roundtrip(model::isis::Isis(3, 2, 1, model::isis::Isis::Variant::NoTiebreak), choices);
  });
}
