// model/encode.hpp — the canonical byte encoding of a state.
//
// A state lists its fields once, in `auto fields() const { return std::tie(...); }`;
// the encoder walks them (integers as LEB128 varints, containers with their
// length first), so two states are equal iff their encodings are equal. The
// checker fingerprints these bytes and, with --exact, stores them.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace agree::model {

class Encoder {
 public:
  void clear() { buf_.clear(); }
  [[nodiscard]] const std::string& bytes() const { return buf_; }

  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    buf_.push_back(static_cast<char>(v));
  }

  template <class T>
  void operator()(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      buf_.push_back(v ? 1 : 0);
    } else if constexpr (std::is_enum_v<T>) {
      varint(static_cast<std::uint64_t>(v));
    } else if constexpr (std::is_integral_v<T>) {
      // zig-zag so that small negative sentinels stay short
      const auto x = static_cast<std::int64_t>(v);
      varint((static_cast<std::uint64_t>(x) << 1) ^ static_cast<std::uint64_t>(x >> 63));
    } else if constexpr (requires { v.fields(); }) {
      (*this)(v.fields());
    } else if constexpr (requires { std::tuple_size<T>::value; }) {
      std::apply([this](const auto&... xs) { ((*this)(xs), ...); }, v);
    } else if constexpr (requires { v.has_value(); *v; }) {
      (*this)(v.has_value());
      if (v) (*this)(*v);
    } else {
      static_assert(requires { v.size(); v.begin(); }, "no encoding for this type");
      varint(v.size());
      for (const auto& x : v) (*this)(x);
    }
  }

 private:
  std::string buf_;
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
      v.clear();
      v.resize(n);
      for (auto& x : v) (*this)(x);
    }
  }

 private:
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

template <class S>
concept Encodable = requires(const S& s) { s.fields(); };

}  // namespace agree::model
