// model/byte_coded.hpp — values whose encoding, while small, is their memory.
//
// A byte-coded type is a 1-byte integer, enum or bool, or a trivially
// copyable tuple or fields() struct of such, one byte each with no padding.
// While every byte is small (an integer in -64..63, an enum below 128) its
// encoding (model/encode.hpp) is one varint byte per byte, by ByteKind, so a
// contiguous container of them is encoded, and decoded, by one pass over its
// memory. Its fields must lie in memory in the order fields() lists them:
// checked once, at run time (byte_layout), as a tuple's or struct's layout
// is not a compile-time fact.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

namespace agree::model::detail {

// A value that lists its fields (`auto fields() const { return std::tie(...); }`), or a tuple-like one.
template <class T>
concept HasFields = requires(const T& v) { v.fields(); };
template <class T>
concept TupleLike = requires { std::tuple_size<T>::value; };

template <class T>
concept ByteScalar = sizeof(T) == 1 && (std::is_integral_v<T> || std::is_enum_v<T>);
// How a byte of a byte-coded type is encoded while it is small (one varint byte).
enum class ByteKind : std::uint8_t {
  Unsigned,  // below 64: zig-zag, the byte shifted left by one
  Signed,    // -64..63: zig-zag, (b << 1) ^ (b >> 7)
  Enum,      // below 128: itself (a negative enum takes ten bytes)
  Bool,      // 0 or 1: itself
};
template <class E>
constexpr ByteKind byte_kind() {
  if constexpr (std::is_same_v<E, bool>) return ByteKind::Bool;
  else if constexpr (std::is_enum_v<E>) return ByteKind::Enum;
  else if constexpr (std::is_signed_v<E>) return ByteKind::Signed;
  else return ByteKind::Unsigned;
}
template <class T>
constexpr auto fields_tuple_type() {
  if constexpr (HasFields<T>) return std::type_identity<std::remove_cvref_t<decltype(std::declval<const T&>().fields())>>{};
  else return std::type_identity<T>{};
}
template <class T>
using FieldsTuple = typename decltype(fields_tuple_type<T>())::type;
template <class Tuple, std::size_t... I>
constexpr bool all_byte_scalars(std::index_sequence<I...>) {
  return (ByteScalar<std::remove_cvref_t<std::tuple_element_t<I, Tuple>>> && ...);
}
template <class T>
constexpr bool byte_coded() {
  if constexpr (ByteScalar<T>) {
    return true;
  } else if constexpr ((HasFields<T> || TupleLike<T>) && std::is_trivially_copyable_v<T> &&
                       std::is_default_constructible_v<T>) {
    using F = FieldsTuple<T>;
    constexpr std::size_t n = std::tuple_size_v<F>;
    if constexpr (n == 0 || sizeof(T) != n) return false;
    else return all_byte_scalars<F>(std::make_index_sequence<n>{});
  } else {
    return false;
  }
}
template <class T>
inline constexpr bool kByteCoded = byte_coded<T>();

// The kind of each byte of a byte-coded T.
template <class T>
constexpr auto byte_kinds() {
  std::array<ByteKind, sizeof(T)> k{};
  if constexpr (ByteScalar<T>) {
    k[0] = byte_kind<T>();
  } else {
    using F = FieldsTuple<T>;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((k[I] = byte_kind<std::remove_cvref_t<std::tuple_element_t<I, F>>>()), ...);
    }(std::make_index_sequence<sizeof(T)>{});
  }
  return k;
}
template <class T>
inline constexpr auto kByteKinds = byte_kinds<T>();

// A byte b of kind K: whether it is one varint byte (nonzero: it is not), and that byte.
template <ByteKind K>
constexpr unsigned char byte_too_big(unsigned char b) {
  if constexpr (K == ByteKind::Unsigned) return b & 0xC0;
  else if constexpr (K == ByteKind::Signed) return (b ^ (b << 1)) & 0x80;  // the top two bits differ
  else if constexpr (K == ByteKind::Enum) return b & 0x80;
  else return b & 0xFE;
}
template <ByteKind K>
constexpr unsigned char byte_encoded(unsigned char b) {
  if constexpr (K == ByteKind::Unsigned) return static_cast<unsigned char>(b << 1);
  else if constexpr (K == ByteKind::Signed) return static_cast<unsigned char>((b << 1) ^ (b & 0x80 ? 0xFF : 0));
  else return b;
}
// The inverse, for an encoded byte z: whether it is not one (nonzero), and the byte it decodes to.
template <ByteKind K>
constexpr unsigned char byte_not_decodable(unsigned char z) {
  if constexpr (K == ByteKind::Unsigned) return z & 0x81;  // odd: a negative value, left to the item-by-item path
  else if constexpr (K == ByteKind::Bool) return z & 0xFE;
  else return z & 0x80;
}
template <ByteKind K>
constexpr unsigned char byte_decoded(unsigned char z) {
  if constexpr (K == ByteKind::Unsigned) return static_cast<unsigned char>(z >> 1);
  else if constexpr (K == ByteKind::Signed) return static_cast<unsigned char>((z >> 1) ^ (z & 1 ? 0xFF : 0));
  else return z;
}

// f(index_constant<j>) for every byte j of an item of T.
template <class T, class F>
constexpr void for_each_byte(F&& f) {
  [&]<std::size_t... J>(std::index_sequence<J...>) {
    (f(std::integral_constant<std::size_t, J>{}), ...);
  }(std::make_index_sequence<sizeof(T)>{});
}

// n items of T from `in` to `out`, one pass over their bytes: encoded
// (Encode) or decoded (Decode) byte by byte, each byte as its kind says.
// Whether every byte was one varint byte; if not, `out` holds garbage and the
// caller takes the item-by-item path (which writes over it).
enum class Transcode { Encode, Decode };
template <Transcode D, class T>
bool transcode_bytes(const unsigned char* in, unsigned char* out, std::size_t n) {
  unsigned char bad = 0;
  for (std::size_t i = 0; i < n; ++i, in += sizeof(T), out += sizeof(T))
    for_each_byte<T>([&](auto j) {
      constexpr ByteKind k = kByteKinds<T>[j];
      if constexpr (D == Transcode::Encode) {
        bad |= byte_too_big<k>(in[j]);
        out[j] = byte_encoded<k>(in[j]);
      } else {
        bad |= byte_not_decodable<k>(in[j]);
        out[j] = byte_decoded<k>(in[j]);
      }
    });
  return bad == 0;
}

// Whether T's fields lie at bytes 0, 1, ... in the order its encoding lists them.
template <class T>
bool byte_layout() {
  if constexpr (ByteScalar<T>) {
    return true;
  } else {
    static const bool in_order = [] {
      const T x{};
      const auto* base = reinterpret_cast<const unsigned char*>(&x);
      const auto check = [base]<std::size_t... I>(const auto& refs, std::index_sequence<I...>) {
        return ((reinterpret_cast<const unsigned char*>(&std::get<I>(refs)) == base + I) && ...);
      };
      if constexpr (HasFields<T>) return check(x.fields(), std::make_index_sequence<sizeof(T)>{});
      else return check(x, std::make_index_sequence<sizeof(T)>{});
    }();
    return in_order;
  }
}

}  // namespace agree::model::detail
