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
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace model {

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

template <class S>
concept Encodable = requires(const S& s) { s.fields(); };

}  // namespace model
