// model/encode.hpp — the canonical byte encoding of a state.
//
// A state lists its fields once, in `auto fields() const { return std::tie(...); }`;
// the encoder walks them (integers as LEB128 varints, containers with their
// length first), so two states are equal iff their encodings are equal. The
// checker fingerprints these bytes and, with --exact, stores them.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string_view>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "agree/model/byte_coded.hpp"

namespace agree::model {

namespace detail {
constexpr std::size_t varint_bytes(unsigned bits) { return (bits + 6) / 7; }
template <class T>
constexpr std::size_t max_bytes_of();
template <class Tuple, std::size_t... I>
constexpr std::size_t sum_max_bytes(std::index_sequence<I...>) {
  constexpr std::size_t each[] = {0, max_bytes_of<std::remove_cvref_t<std::tuple_element_t<I, Tuple>>>()...};
  std::size_t total = 0;
  for (std::size_t k = 1; k < sizeof each / sizeof each[0]; ++k) {
    if (each[k] == 0) return 0;
    total += each[k];
  }
  return total;
}
template <class T>
concept Optional = requires(const T& v) { v.has_value(); *v; };

// The most bytes an encoding of a T can take, or 0 when it has no bound (a container).
template <class T>
constexpr std::size_t max_bytes_of() {
  if constexpr (std::is_same_v<T, bool>) {
    return 1;
  } else if constexpr (std::is_enum_v<T>) {  // as its underlying value, sign-extended to 64 bits
    using U = std::underlying_type_t<T>;
    return std::is_signed_v<U> ? 10 : varint_bytes(8 * sizeof(U));
  } else if constexpr (std::is_integral_v<T>) {  // zig-zag of the value as a 64-bit signed integer
    constexpr unsigned bits = 8 * sizeof(T);
    return std::is_signed_v<T> || bits == 64 ? varint_bytes(bits) : varint_bytes(bits + 1);
  } else if constexpr (HasFields<T>) {
    using F = decltype(std::declval<const T&>().fields());
    return sum_max_bytes<F>(std::make_index_sequence<std::tuple_size_v<F>>{});
  } else if constexpr (TupleLike<T>) {
    return sum_max_bytes<T>(std::make_index_sequence<std::tuple_size_v<T>>{});
  } else if constexpr (Optional<T>) {
    constexpr std::size_t inner = max_bytes_of<std::remove_cvref_t<decltype(*std::declval<const T&>())>>();
    return inner == 0 ? 0 : 1 + inner;
  } else {
    return 0;
  }
}
}  // namespace detail

// The most bytes the encoding of a T can take: 0 when it has no bound.
template <class T>
inline constexpr std::size_t kMaxBytes = detail::max_bytes_of<std::remove_cvref_t<T>>();

// Writes the encoding into one buffer it keeps between states. A value whose
// size has a bound (kMaxBytes) is written after a single capacity check; so
// is a container of such values, after one check for all its items.
class Encoder {
 public:
  Encoder() = default;
  Encoder(const Encoder& o) : Encoder() { append(o.view()); }
  Encoder& operator=(const Encoder& o) {
    if (this != &o) {
      clear();
      append(o.view());
    }
    return *this;
  }
  Encoder(Encoder&&) noexcept = default;
  Encoder& operator=(Encoder&&) noexcept = default;

  void clear() { n_ = 0; }
  // The encoding so far; valid until the next write.
  [[nodiscard]] std::string_view view() const { return {buf_.get(), n_}; }
  // The same, as a string (a copy: view() is what the checker uses).
  [[nodiscard]] const std::string& bytes() const {
    copy_.assign(view());
    return copy_;
  }

  void varint(std::uint64_t v) {
    reserve(10);
    n_ = static_cast<std::size_t>(put_varint(buf_.get() + n_, v) - buf_.get());
  }

  template <class T>
  void operator()(const T& v) {
    if constexpr (kMaxBytes<T> != 0) {
      reserve(kMaxBytes<T>);
      n_ = static_cast<std::size_t>(put(buf_.get() + n_, v) - buf_.get());
    } else if constexpr (detail::HasFields<T>) {
      (*this)(v.fields());
    } else if constexpr (detail::TupleLike<T>) {
      std::apply([this](const auto&... xs) { ((*this)(xs), ...); }, v);
    } else if constexpr (detail::Optional<T>) {
      (*this)(v.has_value());
      if (v) (*this)(*v);
    } else {
      static_assert(requires { v.size(); v.begin(); }, "no encoding for this type");
      using Item = std::remove_cvref_t<decltype(*v.begin())>;
      if constexpr (kMaxBytes<Item> != 0) {
        reserve(10 + v.size() * kMaxBytes<Item>);
        char* p = put_varint(buf_.get() + n_, v.size());  // a local cursor: the writes cannot alias it
        if constexpr (detail::kByteCoded<Item> && std::ranges::contiguous_range<const T&>) {
          if (detail::byte_layout<Item>() && put_small_bytes<Item>(p, std::ranges::data(v), v.size())) {
            n_ = static_cast<std::size_t>(p - buf_.get());
            return;
          }
        }
        for (const auto& x : v) p = put(p, x);
        n_ = static_cast<std::size_t>(p - buf_.get());
      } else {
        varint(v.size());
        for (const auto& x : v) (*this)(x);
      }
    }
  }

 private:
  void reserve(std::size_t more) {
    if (cap_ - n_ < more) [[unlikely]] grow(more);
  }
  [[gnu::noinline]] void grow(std::size_t more) {
    std::size_t cap = cap_ ? cap_ : 64;
    while (cap - n_ < more) cap *= 2;
    auto grown = std::make_unique<char[]>(cap);
    if (n_) std::memcpy(grown.get(), buf_.get(), n_);
    buf_ = std::move(grown);
    cap_ = cap;
  }
  void append(std::string_view s) {
    reserve(s.size());
    if (!s.empty()) std::memcpy(buf_.get() + n_, s.data(), s.size());
    n_ += s.size();
  }
  // The items [xs, xs + n) of a byte-coded type in one pass over their bytes,
  // written while checking that each is one varint byte (detail::kByteCoded);
  // false, p unmoved (what was written is written over), if one is not.
  template <class Item>
  static bool put_small_bytes(char*& p, const Item* xs, std::size_t n) {
    if (!detail::transcode_bytes<detail::Transcode::Encode, Item>(reinterpret_cast<const unsigned char*>(xs), reinterpret_cast<unsigned char*>(p), n))
      return false;
    p += n * sizeof(Item);
    return true;
  }
  // Unchecked writes at p, which has room (reserve()); each returns the end.
  static char* put_varint(char* p, std::uint64_t v) {
    while (v >= 0x80) {
      *p++ = static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    return p;
  }
  template <class T>
  static char* put(char* p, const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      *p++ = v ? 1 : 0;
      return p;
    } else if constexpr (std::is_enum_v<T>) {
      return put_varint(p, static_cast<std::uint64_t>(v));
    } else if constexpr (std::is_integral_v<T>) {
      // zig-zag so that small negative sentinels stay short
      const auto x = static_cast<std::int64_t>(v);
      return put_varint(p, (static_cast<std::uint64_t>(x) << 1) ^ static_cast<std::uint64_t>(x >> 63));
    } else if constexpr (detail::HasFields<T>) {
      return put(p, v.fields());
    } else if constexpr (detail::TupleLike<T>) {
      std::apply([&p](const auto&... xs) { ((p = put(p, xs)), ...); }, v);
      return p;
    } else {
      static_assert(detail::Optional<T>);
      p = put(p, v.has_value());
      return v ? put(p, *v) : p;
    }
  }

  std::unique_ptr<char[]> buf_;
  std::size_t n_ = 0, cap_ = 0;
  mutable std::string copy_;
};

// The inverse of Encoder, for packed frontiers and checkpoints: rebuilds a
// default-constructed value from its encoding. It writes through the const
// references that `fields()` returns; that is well defined because the object
// being decoded is itself not const. Throws std::runtime_error on bytes that
// are not an encoding (truncated input).
class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}
  [[nodiscard]] bool done() const { return p_ == end_; }

  std::uint64_t varint() {
    if (p_ != end_ && static_cast<std::uint8_t>(*p_) < 0x80) return static_cast<std::uint8_t>(*p_++);  // most are one byte
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) throw std::runtime_error("truncated state encoding");
      const auto b = static_cast<std::uint8_t>(*p_++);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    throw std::runtime_error("bad varint in state encoding");
  }

  template <class T>
  void operator()(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      v = varint_byte() != 0;
    } else if constexpr (std::is_enum_v<T>) {
      v = static_cast<T>(varint());
    } else if constexpr (std::is_integral_v<T>) {
      const std::uint64_t z = varint();
      v = static_cast<T>(static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1)));
    } else if constexpr (requires { std::as_const(v).fields(); }) {
      auto refs = std::as_const(v).fields();
      std::apply([this](const auto&... xs) { ((*this)(const_cast<std::remove_const_t<std::remove_reference_t<decltype(xs)>>&>(xs)), ...); }, refs);
    } else if constexpr (requires { std::tuple_size<T>::value; }) {
      std::apply([this](auto&... xs) { ((*this)(xs), ...); }, v);
    } else if constexpr (requires { v.has_value(); v.emplace(); }) {
      bool has = false;
      (*this)(has);
      if (has) (*this)(v.emplace()); else v.reset();
    } else {
      const std::uint64_t n = varint();
      if (n > static_cast<std::uint64_t>(end_ - p_) + 1) throw std::runtime_error("bad length in state encoding");
      v.resize(n);  // keeps the storage of a value decoded into again; every item is overwritten
      using Item = std::remove_cvref_t<decltype(*v.begin())>;
      if constexpr (detail::kByteCoded<Item> && std::ranges::contiguous_range<T&>)
        if (detail::byte_layout<Item>() && take_small_bytes(std::ranges::data(v), n)) return;
      for (auto& x : v) (*this)(x);
    }
  }

 private:
  // Encoder::put_small_bytes backwards: n items of a byte-coded type, each
  // byte one varint byte (an unsigned integer's even, a bool's 0 or 1), in one
  // pass; false, nothing consumed (what was written is written over), if not.
  template <class Item>
  bool take_small_bytes(Item* xs, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) / sizeof(Item) < n) return false;
    if (!detail::transcode_bytes<detail::Transcode::Decode, Item>(reinterpret_cast<const unsigned char*>(p_), reinterpret_cast<unsigned char*>(xs), n))
      return false;
    p_ += n * sizeof(Item);
    return true;
  }
  std::uint8_t varint_byte() {
    if (p_ == end_) throw std::runtime_error("truncated state encoding");
    return static_cast<std::uint8_t>(*p_++);
  }
  const char* p_;
  const char* end_;
};

template <class T>
T decode(std::string_view bytes) {
  Decoder d(bytes);
  T v{};
  d(v);
  if (!d.done()) throw std::runtime_error("trailing bytes after a state encoding");
  return v;
}

// Decodes into an existing value, reusing the storage its containers hold
// (the search decodes every state of a level into one scratch value).
template <class T>
void decode_into(std::string_view bytes, T& v) {
  Decoder d(bytes);
  d(v);
  if (!d.done()) throw std::runtime_error("trailing bytes after a state encoding");
}

template <class S>
concept Encodable = requires(const S& s) { s.fields(); };

}  // namespace agree::model
