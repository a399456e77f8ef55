#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "agree/checker/search_common.hpp"

namespace agree::checker {

std::uint64_t current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

namespace {

// A cgroup memory limit in bytes, or 0 for none: "max" (v2), a huge number
// (v1's "unlimited"), or no such file.
std::uint64_t cgroup_limit(const std::string& file) {
  std::ifstream in(file);
  std::string text;
  if (!(in >> text) || text == "max") return 0;
  std::uint64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9' || v > (std::uint64_t{1} << 60)) return 0;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v >= (std::uint64_t{1} << 60) ? 0 : v;
}

// The tightest memory limit of this process's cgroup (v2 or v1), or 0. In a
// container or a CI job the kernel kills a process at its cgroup's limit,
// long before it runs out of the machine's memory.
std::uint64_t cgroup_memory_limit() {
  std::uint64_t best = 0;
  const auto consider = [&](const std::string& file) {
    const std::uint64_t v = cgroup_limit(file);
    if (v && (!best || v < best)) best = v;
  };
  std::ifstream self("/proc/self/cgroup");
  std::string line;
  while (std::getline(self, line)) {  // "0::/path" (v2) or "4:memory:/path" (v1)
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (controllers.empty()) consider("/sys/fs/cgroup" + path + "/memory.max");
    if (controllers == "memory" || controllers.find("memory,") != std::string::npos ||
        controllers.find(",memory") != std::string::npos)
      consider("/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes");
  }
  // Inside a cgroup namespace the process's own cgroup is mounted at the root.
  consider("/sys/fs/cgroup/memory.max");
  consider("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  return best;
}

}  // namespace

// The machine's memory, or less where a cgroup limits this process: the
// default --memory-limit is 90% of it, so a run stops cleanly (incomplete)
// before the kernel's OOM killer ends it.
std::uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  std::uint64_t bytes = pages <= 0 || page <= 0 ? std::uint64_t{1} << 34
                                                : static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
  if (const std::uint64_t limit = cgroup_memory_limit(); limit && limit < bytes) bytes = limit;
  return bytes;
}

}  // namespace agree::checker
