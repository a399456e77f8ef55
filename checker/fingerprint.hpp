// checker/fingerprint.hpp — 64-bit fingerprints of canonical state encodings.
//
// XXH3 with a fixed seed, so a state has the same fingerprint in every build and
// on every run (stateright and TLC do the same). 0 is reserved as "empty slot";
// a zero hash is remapped.
#pragma once

#include <cstdint>
#include <string_view>

#include <xxhash.h>

namespace checker {

using Fingerprint = std::uint64_t;
inline constexpr std::uint64_t kFingerprintSeed = 0x61677265652d7631ULL;  // "agree-v1"

inline Fingerprint fingerprint(std::string_view bytes) {
  const Fingerprint fp = XXH3_64bits_withSeed(bytes.data(), bytes.size(), kFingerprintSeed);
  return fp == 0 ? 1 : fp;
}

}  // namespace checker
