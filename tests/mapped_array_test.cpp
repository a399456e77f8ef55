// checker/mapped_array.hpp: the growable array that never moves, and
// release_below, with which the liveness check's layered pass gives back the
// nodes of the levels it has judged (live_levels.hpp).
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "agree/checker/mapped_array.hpp"
#include "resident.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {
constexpr std::size_t kBlock = std::size_t{2} << 20;  // release_below's unit, as its comment says

// The first element of the 2 MiB block that holds element n (of 8 bytes):
// release_below(n) gives back every element before it, no other.
std::size_t kept_from(std::size_t n) { return n * 8 / kBlock * kBlock / 8; }
}  // namespace

TEST_CASE("mapped_array: release_below zeroes the blocks wholly below an index and keeps every other element", "[page]") {
  rc::prop("random sizes, cuts, and growth after a cut", [] {
    const auto size = *rc::gen::inRange<std::size_t>(0, 3 * kBlock / 8);
    const auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, 4 * kBlock / 8));
    checker::MappedArray<std::uint64_t> a;
    for (std::size_t i = 0; i < size; ++i) a.push_back(i + 1);
    std::size_t gone = 0;  // elements before this read as zero
    for (const std::size_t cut : cuts) {
      a.release_below(cut);
      gone = std::max(gone, kept_from(std::min(cut, size)));
      RC_ASSERT(a.size() == size);
    }
    for (std::size_t i = 0; i < size; ++i) RC_ASSERT(a[i] == (i < gone ? 0 : i + 1));
    a.push_back(7);  // the array grows on as before
    RC_ASSERT(a.size() == size + 1);
    RC_ASSERT(a[size] == 7u);
  });
}

#ifdef __linux__

TEST_CASE("mapped_array: the blocks release_below gives back leave the resident set", "[page]") {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  constexpr std::size_t n = 32 * kMiB / 8;
  checker::MappedArray<std::uint64_t> a;
  const std::size_t before = test::resident_bytes();
  a.resize(n, 1);  // written: every page resident
  REQUIRE(test::resident_bytes() >= before + 28 * kMiB);
  const std::size_t full = test::resident_bytes();
  a.release_below(n / 4 * 3);  // 24 MiB below the cut, in whole blocks
  CHECK(test::resident_bytes() + 20 * kMiB <= full);
  CHECK(a[n - 1] == 1u);
  CHECK(a[n / 4 * 3] == 1u);
  CHECK(a[0] == 0u);
}
#endif
