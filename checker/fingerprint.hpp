// checker/fingerprint.hpp — 64-bit fingerprints of canonical state encodings.
//
// XXH3 with a fixed seed, so a state has the same fingerprint in every build and
// on every run (stateright and TLC do the same). 0 is reserved as "empty slot";
// a zero hash is remapped.
#pragma once

#include <cstdint>
#include <string_view>

#include <xxhash.h>

namespace agree::checker {

using Fingerprint = std::uint64_t;
inline constexpr std::uint64_t kFingerprintSeed = 0x61677265652d7631ULL;  // "agree-v1"

inline Fingerprint fingerprint(std::string_view bytes) {
  const Fingerprint fp = XXH3_64bits_withSeed(bytes.data(), bytes.size(), kFingerprintSeed);
  return fp == 0 ? 1 : fp;
}

// The key of a packed state (model::Packable): MurmurHash3's 64-bit finalizer,
// written out here because it must be a *bijection* (xxHash does not promise
// one), so distinct packed states get distinct keys and the table is exact.
// The +1 keeps the key off 0, the empty slot: fmix(0) = 0 and pack() < 2^63.
inline Fingerprint packed_key(std::uint64_t packed) {
  std::uint64_t x = packed + 1;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace agree::checker
