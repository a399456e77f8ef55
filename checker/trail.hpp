// checker/trail.hpp — how every visited state was first reached: one parent
// edge a state, level by level, kept on disk as TLC keeps its trace file.
//
// A state is named by its BFS level and its index in that level; its edge is
// (index of the parent in the previous level, action index), or (kRoot,
// initial-state index) at level 0. The edges are only read back to print a
// counterexample, so they go to an unlinked temporary file and cost the search
// no memory; if no temporary file can be made they stay in memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "checker/options.hpp"

namespace checker {

class Trail {
 public:
  struct Edge {
    std::uint32_t parent;  // index in the previous level, or kRoot
    std::uint32_t choice;  // action index, or initial-state index at level 0
  };
  static constexpr std::uint32_t kRoot = std::numeric_limits<std::uint32_t>::max();

  Trail() : file_(std::tmpfile(), &std::fclose) {}

  // Appends the edges of the next level, in index order.
  void append_level(const std::vector<Edge>& edges) { append_level(std::vector<const std::vector<Edge>*>{&edges}); }
  // The same, from the level's parts in order, without first joining them.
  void append_level(const std::vector<const std::vector<Edge>*>& parts) {
    level_start_.push_back(total_);
    for (const auto* edges : parts) {
      if (edges->empty()) continue;  // (its data() may be null: not for fwrite)
      total_ += edges->size();
      if (!file_) {
        memory_.insert(memory_.end(), edges->begin(), edges->end());
        continue;
      }
      if (std::fwrite(edges->data(), sizeof(Edge), edges->size(), file_.get()) != edges->size())
        throw std::runtime_error("cannot write the trail file (disk full?)");
    }
  }

  [[nodiscard]] std::size_t levels() const { return level_start_.size(); }
  [[nodiscard]] std::uint64_t level_size(std::size_t level) const {
    return (level + 1 < level_start_.size() ? level_start_[level + 1] : total_) - level_start_.at(level);
  }

  // Every edge, level after level, in blocks (for a checkpoint).
  template <class F>
  void for_each_block(F&& f) {
    if (!file_) {
      if (!memory_.empty()) f(memory_.data(), memory_.size());
      return;
    }
    std::fflush(file_.get());
    std::rewind(file_.get());
    std::vector<Edge> block(1 << 16);
    for (std::uint64_t left = total_; left > 0;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
      if (std::fread(block.data(), sizeof(Edge), n, file_.get()) != n) throw std::runtime_error("cannot read the trail file");
      f(block.data(), n);
      left -= n;
    }
    std::fseek(file_.get(), 0, SEEK_END);
  }
  [[nodiscard]] std::uint64_t size() const { return total_; }

  // The path to state `index` of `level`, followed by `extra` if given.
  [[nodiscard]] Path path_to(std::size_t level, std::uint64_t index) {
    Path path;
    for (std::size_t l = level + 1; l-- > 0;) {
      const Edge e = at(l, index);
      if (l == 0) {
        path.init = e.choice;
        break;
      }
      path.actions.push_back(e.choice);
      index = e.parent;
    }
    std::reverse(path.actions.begin(), path.actions.end());
    return path;
  }

 private:
  Edge at(std::size_t level, std::uint64_t index) {
    const std::uint64_t pos = level_start_.at(level) + index;
    if (!file_) return memory_.at(pos);
    Edge e{};
    std::fflush(file_.get());
    if (std::fseek(file_.get(), static_cast<long>(pos * sizeof(Edge)), SEEK_SET) != 0 ||
        std::fread(&e, sizeof(Edge), 1, file_.get()) != 1)
      throw std::runtime_error("cannot read the trail file");
    std::fseek(file_.get(), 0, SEEK_END);
    return e;
  }

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::vector<Edge> memory_;
  std::vector<std::uint64_t> level_start_;
  std::uint64_t total_ = 0;
};

}  // namespace checker
