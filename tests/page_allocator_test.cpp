// checker/page_allocator.hpp: containers with the allocator hold what the
// standard ones hold, and a large block's pages leave the process when it is
// freed, where malloc would have kept them.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "agree/checker/page_allocator.hpp"
#include "resident.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

TEST_CASE("page_allocator: containers read back what the standard ones hold, across the mapped size", "[page]") {
  rc::prop("appended chunks, small and past 1 MiB", [] {
    const auto chunks = *rc::gen::container<std::vector<std::string>>(
        rc::gen::oneOf(rc::gen::string<std::string>(),
                       rc::gen::map(rc::gen::inRange<std::size_t>(0, std::size_t{3} << 20),
                                    [](std::size_t n) { return std::string(n, static_cast<char>('a' + n % 26)); })));
    std::string expected;
    checker::PageString got;
    std::vector<std::uint64_t> expected_starts;
    checker::PageVector<std::uint64_t> starts;
    for (const auto& c : chunks) {
      expected_starts.push_back(expected.size());
      starts.push_back(got.size());
      expected += c;
      got.append(c);
    }
    checker::PageString moved = std::move(got);  // a move keeps the block
    RC_ASSERT(std::string(moved.data(), moved.size()) == expected);
    RC_ASSERT(std::vector<std::uint64_t>(starts.begin(), starts.end()) == expected_starts);
    checker::PageString copy = moved;
    moved.clear();
    moved.shrink_to_fit();
    RC_ASSERT(std::string(copy.data(), copy.size()) == expected);
  });
}

#ifdef __linux__

TEST_CASE("page_allocator: a freed large block leaves the resident set", "[page]") {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  {
    // glibc maps a block this large on its own, and on freeing it raises its
    // threshold to 24 MiB: from malloc, the 16 MiB below would come from the
    // heap and stay resident after it is freed (checker/page_allocator.hpp).
    std::string raise(24 * kMiB, 'x');
  }
  const std::size_t before = test::resident_bytes();
  {
    checker::PageString block(16 * kMiB, 'y');  // written: every page resident
    REQUIRE(test::resident_bytes() >= before + 12 * kMiB);
  }
  CHECK(test::resident_bytes() < before + 4 * kMiB);
}
#endif
