// checker/codec.hpp — how the breadth-first search holds a state in its
// frontier, and which key the visited table gets for it.
//
//   VarCodec     the canonical variable-length encoding (model/encode.hpp),
//                keyed by its 64-bit XXH3 fingerprint: any protocol;
//   PackedCodec  one 64-bit word (model::Packable), keyed by a bijective mix
//                of it: no per-state offsets in the frontier, no hashing of
//                bytes, and an exact table (distinct states, distinct keys).
//
// Both hand the frontier bytes (a string_view), so the frontier, the
// checkpoint and the trail are the same code for either; kWidth is the fixed
// width of an encoding, 0 when it varies.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "agree/checker/fingerprint.hpp"
#include "agree/model/encode.hpp"
#include "agree/model/protocol.hpp"

namespace agree::checker {

template <model::Protocol P>
class VarCodec {
 public:
  using State = typename P::State;
  static constexpr std::uint32_t kWidth = 0;
  static constexpr bool kExactKeys = false;
  explicit VarCodec(const P&) {}
  std::string_view encode(const State& s) {
    enc_.clear();
    enc_(s);
    return enc_.view();
  }
  static Fingerprint key(std::string_view bytes) { return fingerprint(bytes); }
  State decode(std::string_view bytes) const { return model::decode<State>(bytes); }
  // The same into an existing state, whose containers keep their storage.
  void decode_into(std::string_view bytes, State& s) const { model::decode_into(bytes, s); }
  bool valid(std::string_view bytes) const try {
    (void)decode(bytes);
    return true;
  } catch (const std::exception&) {
    return false;
  }

 private:
  model::Encoder enc_;
};

template <model::Packable P>
class PackedCodec {
 public:
  using State = typename P::State;
  static constexpr std::uint32_t kWidth = sizeof(std::uint64_t);
  static constexpr bool kExactKeys = true;
  explicit PackedCodec(const P& p) : p_(&p), bits_(p.packed_bits()) {}
  std::string_view encode(const State& s) {
    word_ = p_->pack(s);
    return {reinterpret_cast<const char*>(&word_), kWidth};
  }
  static Fingerprint key(std::string_view bytes) { return packed_key(word(bytes)); }
  State decode(std::string_view bytes) const { return p_->unpack(word(bytes)); }
  void decode_into(std::string_view bytes, State& s) const { s = decode(bytes); }
  // Is this a word some state packs to? (Only a damaged checkpoint has others.)
  bool valid(std::string_view bytes) const try {
    const std::uint64_t w = word(bytes);
    return bytes.size() == kWidth && w >> bits_ == 0 && p_->pack(p_->unpack(w)) == w;
  } catch (const std::exception&) {
    return false;
  }
  static std::uint64_t word(std::string_view bytes) {
    std::uint64_t w = 0;
    std::memcpy(&w, bytes.data(), std::min<std::size_t>(bytes.size(), kWidth));
    return w;
  }

 private:
  const P* p_;
  int bits_;
  std::uint64_t word_ = 0;
};

}  // namespace agree::checker
