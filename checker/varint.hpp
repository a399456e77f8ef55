// checker/varint.hpp — LEB128 unsigned varints: seven bits a byte, least
// significant first, the high bit set on every byte but the last. The parent
// trail (trail.hpp) and the distributed search's batches (distributed.hpp)
// both store their integers this way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agree::checker::varint {

// The most bytes a varint of 64 bits takes.
inline constexpr std::size_t kMaxBytes = 10;

// Writes v at `at`, which has room for kMaxBytes; returns the end.
inline char* write(char* at, std::uint64_t v) {
  while (v >= 0x80) {
    *at++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *at++ = static_cast<char>(v);
  return at;
}

inline void put(std::string& out, std::uint64_t v) {
  char buf[kMaxBytes];
  out.append(buf, static_cast<std::size_t>(write(buf, v) - buf));
}

// The varint at `at`, which moves past it; nothing if the input ends first or
// the varint runs past 64 bits (the caller names the corrupt source).
inline std::optional<std::uint64_t> get(std::string_view in, std::size_t& at) {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64 && at < in.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in[at++]);
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return v;
  }
  return std::nullopt;
}

}  // namespace agree::checker::varint
