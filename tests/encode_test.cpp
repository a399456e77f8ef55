// The canonical encoding: equal states encode equally, and decoding inverts it.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <array>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "agree/model/encode.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/sequencer.hpp"
#include "agree/model/small_vector.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {
// An encoder written independently of model::Encoder, from the rules in
// model/encode.hpp's header: LEB128 varints, zig-zag for integers, a bool as
// one byte, a container's length first, an optional's flag first. The
// engine's encoder (one buffer, unchecked writes of bounded values) must give
// the same bytes: checkpoints, traces' identity and fingerprints depend on it.
struct Reference {
  std::string out;
  void varint(std::uint64_t v) {
    do {
      const auto b = static_cast<unsigned char>(v & 0x7f);
      v >>= 7;
      out.push_back(static_cast<char>(v ? (b | 0x80) : b));
    } while (v);
  }
  template <class T>
  void operator()(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      out.push_back(v ? '\x01' : '\x00');
    } else if constexpr (std::is_enum_v<T>) {
      varint(static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::underlying_type_t<T>>(v))));
    } else if constexpr (std::is_integral_v<T>) {
      const auto x = static_cast<std::int64_t>(v);
      varint(x < 0 ? ~(static_cast<std::uint64_t>(x) << 1) : static_cast<std::uint64_t>(x) << 1);
    } else if constexpr (requires { v.fields(); }) {
      (*this)(v.fields());
    } else if constexpr (requires { std::tuple_size<T>::value; }) {
      std::apply([this](const auto&... xs) { ((*this)(xs), ...); }, v);
    } else if constexpr (requires { v.has_value(); }) {
      (*this)(v.has_value());
      if (v) (*this)(*v);
    } else {
      varint(v.size());
      for (const auto& x : v) (*this)(x);
    }
  }
};

template <class T>
std::string reference(const T& v) {
  Reference r;
  r(v);
  return r.out;
}

template <class P>
void walk_roundtrip(const P& p, const std::vector<std::size_t>& choices) {
  auto s = p.init_states().front();
  std::vector<typename P::Action> enabled;
  for (const auto c : choices) {
    model::Encoder e;
    e(s);
    RC_ASSERT(std::string(e.view()) == reference(s));
    RC_ASSERT(model::decode<typename P::State>(e.view()) == s);
    typename P::State into = p.init_states().front();  // decoded over another state's storage
    model::decode_into(e.view(), into);
    RC_ASSERT(into == s);
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

TEST_CASE("encode: varints are LEB128, integers zig-zag (as documented)", "[encode]") {
  // LEB128's example: 300 = 0b10'0101100 -> 0xAC 0x02. Zig-zag: 150 -> 300, -1 -> 1.
  model::Encoder e;
  e.varint(300);
  CHECK(e.view() == std::string_view("\xAC\x02", 2));
  e.clear();
  e(150);
  CHECK(e.view() == std::string_view("\xAC\x02", 2));
  e.clear();
  e(-1);
  CHECK(e.view() == std::string_view("\x01", 1));
  e.clear();
  e(std::numeric_limits<std::uint64_t>::max());  // -1 as a 64-bit signed value: 1
  CHECK(e.view() == std::string_view("\x01", 1));
}

TEST_CASE("encode: the bound on a value's bytes holds at the extremes", "[encode]") {
  // kMaxBytes is what the encoder reserves before its unchecked writes: each
  // type's extreme values must fit in it, and a container has no bound.
  struct S {
    std::int64_t a = std::numeric_limits<std::int64_t>::min();
    std::uint32_t b = std::numeric_limits<std::uint32_t>::max();
    std::optional<std::int8_t> c = std::int8_t{-128};
    bool d = true;
    auto fields() const { return std::tie(a, b, c, d); }
  };
  CHECK(model::kMaxBytes<std::int64_t> == 10);
  CHECK(model::kMaxBytes<std::uint8_t> == 2);  // 255 zig-zags to 510: two bytes
  CHECK(model::kMaxBytes<std::vector<int>> == 0);
  STATIC_REQUIRE(model::kMaxBytes<S> == 10 + 5 + 1 + 2 + 1);
  model::Encoder e;
  e(S{});
  CHECK(e.view().size() == reference(S{}).size());
  CHECK(std::string(e.view()) == reference(S{}));
  CHECK(e.view().size() <= model::kMaxBytes<S>);
  e.clear();
  e(std::uint8_t{255});
  CHECK(e.view().size() == 2);
}

TEST_CASE("encode: random values of every kind encode as the reference does", "[encode][rc]") {
  rc::prop("nested containers, optionals and extremes", [](const std::vector<std::vector<std::int16_t>>& a, bool has_b,
                                                           std::uint64_t b_value, const std::string& c,
                                                           const std::vector<std::pair<bool, std::int32_t>>& d_values, bool f) {
    const std::optional<std::uint64_t> b = has_b ? std::optional(b_value) : std::nullopt;
    std::vector<std::optional<std::int32_t>> d;
    for (const auto& [has, x] : d_values) d.push_back(has ? std::optional(x) : std::nullopt);
    const auto v = std::tie(a, b, c, d, f);
    model::Encoder e;
    e.varint(7);  // something before: the buffer grows from a non-empty start
    e(v);
    RC_ASSERT(std::string(e.view()) == "\x07" + reference(v));
    e.clear();
    e(v);
    std::vector<std::vector<std::int16_t>> a2{{1, 2, 3}, {4}};  // storage to be reused
    std::optional<std::uint64_t> b2;
    std::string c2 = "left over";
    std::vector<std::optional<std::int32_t>> d2(5, 9);
    bool f2 = !f;
    auto into = std::tie(a2, b2, c2, d2, f2);
    model::Decoder dec(e.view());
    dec(into);
    RC_ASSERT(dec.done());
    RC_ASSERT(into == v);
  });
}

namespace {
enum class Small : std::uint8_t { A, B, C };
enum class Signed : std::int8_t { Neg = -1, Zero = 0 };
struct InOrder {  // fields() in memory order: the one-pass path applies
  Small k{};
  std::uint8_t a = 0;
  std::int8_t b = 0;
  bool operator==(const InOrder&) const = default;
  auto fields() const { return std::tie(k, a, b); }
};
struct Swapped {  // fields() out of memory order: byte_layout() refuses it
  std::uint8_t a = 0, b = 0;
  bool operator==(const Swapped&) const = default;
  auto fields() const { return std::tie(b, a); }
};
}  // namespace

TEST_CASE("encode: containers of byte-coded items encode as the reference does", "[encode][rc]") {
  // Encoder::put_small_bytes encodes a container of 1-byte fields in one pass
  // over its memory while every byte is small; the reference walks item by
  // item. Raw bytes are drawn whole, or made small (0..63, or -64..63 for a
  // signed byte), so that both the one-pass path and the fallback are taken.
  STATIC_REQUIRE(model::detail::kByteCoded<InOrder>);
  STATIC_REQUIRE(model::detail::kByteCoded<std::array<std::uint8_t, 3>>);
  STATIC_REQUIRE(!model::detail::kByteCoded<std::pair<std::uint8_t, bool>>);  // not trivially copyable: item by item
  STATIC_REQUIRE(!model::detail::kByteCoded<std::pair<std::uint8_t, std::uint16_t>>);
  CHECK(model::detail::byte_layout<InOrder>());
  CHECK_FALSE(model::detail::byte_layout<Swapped>());
  rc::prop("bytes, enums, bools, pairs, tuples, structs", [](std::vector<std::uint8_t> raw, std::uint8_t mode) {
    for (auto& x : raw)  // mode 0: raw bytes; 1: 0..63; 2: -64..63 as a signed byte (both one varint byte)
      if (mode % 3 == 1) x &= 0x3f;
      else if (mode % 3 == 2) x = static_cast<std::uint8_t>(x & 0x40 ? x | 0xC0 : x & 0x3F);
    const auto at = [&](std::size_t i) { return raw.empty() ? std::uint8_t{0} : raw[i % raw.size()]; };
    std::vector<std::uint8_t> u8s(raw);
    std::vector<std::int8_t> i8s;
    std::vector<Small> enums;
    std::vector<Signed> signed_enums;
    std::vector<bool> bools;  // not contiguous: the item-by-item path
    std::string chars;
    std::vector<std::pair<std::uint8_t, bool>> pairs;
    std::vector<std::tuple<std::uint8_t, std::uint8_t>> tuples;  // libstdc++ lays these out last field first
    std::vector<std::array<std::uint8_t, 3>> arrays;
    std::vector<InOrder> structs;
    std::vector<Swapped> swapped;
    model::SmallVector<InOrder, 40> inline_structs;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      i8s.push_back(static_cast<std::int8_t>(at(i)));
      enums.push_back(static_cast<Small>(at(i)));
      signed_enums.push_back(static_cast<Signed>(at(i)));
      bools.push_back(at(i) & 1);
      chars.push_back(static_cast<char>(at(i)));
      pairs.emplace_back(at(i), at(i + 1) & 1);
      tuples.emplace_back(at(i), at(i + 1));
      arrays.push_back({at(i), at(i + 1), at(i + 2)});
      structs.push_back({static_cast<Small>(at(i)), at(i + 1), static_cast<std::int8_t>(at(i + 2))});
      swapped.push_back({at(i), at(i + 1)});
      if (i < 40) inline_structs.push_back(structs.back());
    }
    const auto v = std::tie(u8s, i8s, enums, signed_enums, bools, chars, pairs, tuples, arrays, structs, swapped,
                            inline_structs);
    model::Encoder e;
    e(v);
    RC_ASSERT(std::string(e.view()) == reference(v));
    // Decoder::take_small_bytes, the same path backwards, into storage left by other values
    // (std::vector<bool> is left out: the decoder takes no container of proxies).
    const auto w = std::tie(u8s, i8s, enums, signed_enums, chars, pairs, arrays, structs, swapped, inline_structs);
    e.clear();
    e(w);
    std::vector<std::uint8_t> u8s2{9, 9};
    std::vector<std::int8_t> i8s2;
    std::vector<Small> enums2(3);
    std::vector<Signed> signed_enums2;
    std::string chars2 = "left over";
    std::vector<std::pair<std::uint8_t, bool>> pairs2;
    std::vector<std::array<std::uint8_t, 3>> arrays2;
    std::vector<InOrder> structs2(50);
    std::vector<Swapped> swapped2;
    model::SmallVector<InOrder, 40> inline_structs2;
    auto into = std::tie(u8s2, i8s2, enums2, signed_enums2, chars2, pairs2, arrays2, structs2, swapped2, inline_structs2);
    model::Decoder dec(e.view());
    dec(into);
    RC_ASSERT(dec.done());
    RC_ASSERT(into == w);
  });
}

TEST_CASE("encode: the one-pass decoding refuses what the item-by-item one would read otherwise", "[encode]") {
  // Bytes the one-pass path must not take: an odd unsigned byte (a negative
  // zig-zag), a bool byte above 1, a varint of two bytes, too few bytes. Each is read item by
  // item, as before, and gives the value the reference encoding says.
  const auto one = [](std::string_view bytes, auto v) {
    model::Decoder d(bytes);
    d(v);
    return std::pair(d.done(), v);
  };
  using Pairs = std::vector<std::pair<std::uint8_t, bool>>;
  CHECK(one(std::string_view("\x02\x03\x04", 3), std::vector<std::int8_t>{}) == std::pair(true, std::vector<std::int8_t>{-2, 2}));
  CHECK(one(std::string_view("\x01\x00\x05", 3), Pairs{}) == std::pair(true, Pairs{{0, true}}));
  CHECK(one(std::string_view("\x01\x80\x02", 3), std::vector<std::uint8_t>{}) == std::pair(true, std::vector<std::uint8_t>{128}));
  CHECK_THROWS(one(std::string_view("\x02\x00\x01", 3), Pairs{}));  // two items, three bytes: truncated
}

