// checker/striped_store.hpp: a rank's table, shared by its threads. Each key
// is reported new exactly once however the threads race, none is lost while
// stripes grow under them, and the size and the keys read back are those of
// the set of keys inserted (std::set, computed here on its own).
// ThreadSanitizer runs this file ([parallel]).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "agree/checker/striped_store.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {

using Table = checker::detail::StripedStore<checker::FingerprintStore>;

// Keys drawn from a small pool, so that the threads insert the same keys at
// once; the pool spans every stripe (bits 32..37), and each stripe starts at
// 1024 slots, so every stripe grows several times during the run.
std::vector<checker::Fingerprint> keys(std::uint64_t seed, std::size_t n, std::size_t pool) {
  std::mt19937_64 rng(seed);
  std::vector<checker::Fingerprint> out(n);
  for (auto& k : out) k = (rng() % pool) * 0x9e3779b97f4a7c15ULL + 1;  // odd: never 0
  return out;
}

}  // namespace

TEST_CASE("striped store: every key new once, none lost, while threads race and stripes grow", "[striped][parallel]") {
  for (const unsigned threads : {2u, 3u, 4u}) {
    Table table;
    table.set_threads(threads);
    std::vector<std::vector<checker::Fingerprint>> mine;
    std::set<checker::Fingerprint> expected;
    for (unsigned t = 0; t < threads; ++t) {
      mine.push_back(keys(1000 + t, 200'000, 300'000));
      expected.insert(mine.back().begin(), mine.back().end());
    }
    std::atomic<std::uint64_t> fresh{0};
    std::vector<std::thread> run;
    for (unsigned t = 0; t < threads; ++t)
      run.emplace_back([&, t] {
        std::uint64_t n = 0;
        for (const auto k : mine[t]) n += table.insert(k, {}, t) ? 1 : 0;
        fresh += n;
      });
    for (auto& th : run) th.join();
    table.reclaim();
    CAPTURE(threads);
    CHECK(fresh.load() == expected.size());
    CHECK(table.size() == expected.size());
    std::set<checker::Fingerprint> got;
    table.for_each([&](checker::Fingerprint k) { CHECK(got.insert(k).second); });
    CHECK(got == expected);
    for (const auto k : expected) CHECK_FALSE(table.insert(k, {}, 0));  // every one found again
  }
}

TEST_CASE("striped store: one thread, and the key reserved for a moved slot", "[striped]") {
  Table table;
  table.set_threads(1);
  const auto ks = keys(7, 100'000, 60'000);
  const std::set<checker::Fingerprint> expected(ks.begin(), ks.end());
  std::uint64_t fresh = 0;
  for (const auto k : ks) fresh += table.insert(k, {}) ? 1 : 0;
  CHECK(fresh == expected.size());
  CHECK(table.size() == expected.size());
  // 2^64 - 1 marks a moved slot: a fingerprint of that value is taken as 2^64 - 2.
  for (const unsigned threads : {1u, 2u}) {
    Table t2;
    t2.set_threads(threads);
    CHECK(t2.insert(~std::uint64_t{0}, {}, 0));
    CHECK_FALSE(t2.insert(~std::uint64_t{0} - 1, {}, 0));
    CHECK(t2.size() == 1);
  }
}
