// tests/resident.hpp — the process's resident set, for the tests that check
// memory leaves it (page_allocator_test.cpp, mapped_array_test.cpp). Linux.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <fstream>

namespace test {

inline std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace test
