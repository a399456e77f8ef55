// bench/random_lookups.cpp — what this machine's memory gives a search whose
// every successor is a lookup at a random slot of a table far larger than
// the caches: the nanoseconds per lookup, alone or with a second copy running
// on the other core. bench/run.py builds it and runs it pinned to each core,
// then on both at once; the ratio bounds the speed-up two threads can have on
// a memory-bound search (twophase --rms 10), whatever the search does.
//
//   random_lookups MIB LOOKUPS     (prints: ns_per_lookup)
//
// The table is mapped with 2 MiB pages where the kernel gives them, and
// touched first, as the checker's table is by the end of a search; the
// lookups go in groups of 8 prefetched slots, as the checker's do.
#include <sys/mman.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: random_lookups MIB LOOKUPS\n");
    return 2;
  }
  const std::size_t bytes = std::strtoull(argv[1], nullptr, 10) << 20;
  const std::uint64_t lookups = std::strtoull(argv[2], nullptr, 10);
  const std::size_t huge = std::size_t{2} << 20;
  void* raw = mmap(nullptr, bytes + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED || bytes == 0) return 1;
  auto* table = reinterpret_cast<std::uint64_t*>((reinterpret_cast<std::uintptr_t>(raw) + huge - 1) & ~(huge - 1));
  madvise(table, bytes, MADV_HUGEPAGE);
  std::memset(table, 1, bytes);
  const std::uint64_t slots = bytes / sizeof(std::uint64_t);
  std::uint64_t x = 88172645463325252ULL, sum = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < lookups; i += 8) {
    std::uint64_t at[8];
    for (auto& a : at) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift64
      a = static_cast<std::uint64_t>((static_cast<unsigned __int128>(x) * slots) >> 64);
      __builtin_prefetch(&table[a]);
    }
    for (const auto a : at) sum += table[a];
  }
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%.2f\n", ns / static_cast<double>(lookups));
  return sum == 42 ? 3 : 0;  // (keeps the loads)
}
