// checker/trail.hpp — how every visited state was first reached: one parent
// edge a state, level by level, kept on disk as TLC keeps its trace file.
//
// A state is named by its BFS level and its index in that level; its edge is
// (index of the parent in the previous level, action index), or (kRoot,
// initial-state index) at level 0. The edges are only read back to print a
// counterexample, so they go to an unlinked temporary file and cost the search
// no memory; if no temporary file can be made they stay in memory.
//
// On disk a level is a list of parts (one per search thread), each encoded:
// an edge is the varint of its parent's difference from the previous edge's
// parent (zigzagged: a thread that takes work from the back of another's
// share goes backwards) followed by the varint of its action index. A thread
// expands its states in order and their new successors follow one another, so
// the difference is mostly 0 or 1 and an edge takes about 2 bytes, not 8:
// writing the file was most of the time the search spends outside its
// threads (twophase --rms 10: 0.9 s of 11 on two threads; this file system
// writes 424 MB/s). Every kAnchorEvery edges an anchor (byte offset, parent
// before it) lets one edge be read back without decoding its whole part.
// Each search thread encodes its own part as it finds new states.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "agree/checker/checkpoint.hpp"
#include "agree/checker/options.hpp"
#include "agree/checker/page_allocator.hpp"
#include "agree/checker/varint.hpp"

namespace agree::checker {

class Trail {
 public:
  struct Edge {
    std::uint32_t parent;  // index in the previous level, or kRoot
    std::uint32_t choice;  // action index, or initial-state index at level 0
  };
  static constexpr std::uint32_t kRoot = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint64_t kAnchorEvery = 256;

  struct Anchor {
    std::uint64_t offset;  // of edge k * kAnchorEvery in the part's bytes
    std::uint32_t parent;  // the parent of the edge before it (0 for the first)
  };
  // A level's part, encoded (see the top of this file), built an edge at a time.
  struct Part {
    PageString bytes;  // (mapped when large: a level's part is dropped once written)
    std::vector<Anchor> anchors;
    std::uint64_t count = 0;
    std::uint32_t last = 0;  // the parent of the last edge

    void add(Edge e) {
      if (count++ % kAnchorEvery == 0) anchors.push_back({bytes.size(), last});
      const auto d = static_cast<std::int64_t>(e.parent) - static_cast<std::int64_t>(last);
      char buf[2 * varint::kMaxBytes];  // both varints, appended at once
      char* end = varint::write(buf, (static_cast<std::uint64_t>(d) << 1) ^ static_cast<std::uint64_t>(d >> 63));
      end = varint::write(end, e.choice);
      bytes.append(buf, static_cast<std::size_t>(end - buf));
      last = e.parent;
    }
    void reserve(std::size_t edges) {
      bytes.reserve(edges * 5 / 2 + 16);
      anchors.reserve(edges / kAnchorEvery + 1);
    }
  };

  static Part encode(const std::vector<Edge>& edges) {
    Part part;
    part.reserve(edges.size());
    for (const Edge& e : edges) part.add(e);
    return part;
  }
  static std::vector<Edge> decode(const Part& part) {
    std::vector<Edge> out(static_cast<std::size_t>(part.count));
    decode_bytes(part.bytes, part.anchors.empty() ? 0 : part.anchors[0].parent, out);
    return out;
  }

  Trail() : file_(std::tmpfile(), &std::fclose) {}

  // Appends the edges of the next level, in index order.
  void append_level(const std::vector<Edge>& edges) { append_level(encode(edges)); }
  void append_level(Part part) {
    std::vector<Part> parts;
    parts.push_back(std::move(part));
    append_level(std::move(parts));
  }
  // The same, from the level's parts in order, each already encoded.
  void append_level(std::vector<Part> parts) {
    Level level;
    std::uint64_t first = 0;
    for (auto& part : parts) {
      if (part.count == 0) continue;
      Stored s{first, part.count, end_, part.bytes.size(), std::move(part.anchors), {}};
      if (file_) {
        write_at(part.bytes.data(), part.bytes.size(), end_);
        end_ += part.bytes.size();
      } else {
        s.bytes = std::move(part.bytes);
      }
      first += s.count;
      level.parts.push_back(std::move(s));
    }
    level.count = first;
    total_ += first;
    levels_.push_back(std::move(level));
  }

  [[nodiscard]] std::size_t levels() const { return levels_.size(); }
  [[nodiscard]] std::uint64_t level_size(std::size_t level) const { return levels_.at(level).count; }

  // Every edge, level after level, in blocks (for a checkpoint).
  template <class F>
  void for_each_block(F&& f) {
    std::vector<Edge> block;
    std::string bytes;
    constexpr std::size_t kAnchorsAtOnce = 256;  // 65,536 edges a block
    for (const auto& level : levels_)
      for (const auto& part : level.parts)
        for (std::size_t a = 0; a < part.anchors.size(); a += kAnchorsAtOnce) {
          decode(part, a, std::min(a + kAnchorsAtOnce, part.anchors.size()), bytes, block);
          f(block.data(), block.size());
        }
  }
  [[nodiscard]] std::uint64_t size() const { return total_; }

  // The checkpoint record: each level's size, then every edge raw (8 bytes:
  // the checkpoint's format does not depend on this encoding).
  void save(CheckpointWriter& w) {
    w.u64(levels());
    for (std::size_t l = 0; l < levels(); ++l) w.u64(level_size(l));
    for_each_block([&](const Edge* e, std::size_t n) { w.bytes(e, n * sizeof(Edge)); });
  }
  // Reads the record into this (empty) trail; returns the levels' sizes.
  std::vector<std::uint64_t> load(CheckpointReader& in) {
    std::vector<std::uint64_t> sizes(static_cast<std::size_t>(in.count(sizeof(std::uint64_t))));
    for (auto& n : sizes) n = in.count(sizeof(Edge));
    std::vector<Edge> edges;
    for (const auto n : sizes) {
      edges.resize(static_cast<std::size_t>(n));
      in.bytes(edges.data(), edges.size() * sizeof(Edge));
      append_level(edges);
    }
    return sizes;
  }

  // The path to state `index` of `level`: the initial state, then the choices.
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
  struct Stored {
    std::uint64_t first, count;  // its edges' indices in the level: first, first + 1, ...
    std::uint64_t offset, size;  // its bytes in the file
    std::vector<Anchor> anchors;
    PageString bytes;  // when there is no file
  };
  struct Level {
    std::uint64_t count = 0;
    std::vector<Stored> parts;
  };

  static void put_varint(std::string& out, std::uint64_t v) { varint::put(out, v); }
  static std::uint64_t get_varint(std::string_view in, std::size_t& at) {
    if (const auto v = varint::get(in, at)) return *v;
    throw std::runtime_error("the trail file is corrupt");
  }

  // The edges of anchors [a, b) of `part`, into `out` (`bytes`: scratch).
  void decode(const Stored& part, std::size_t a, std::size_t b, std::string& bytes, std::vector<Edge>& out) {
    const std::uint64_t from = part.anchors[a].offset, to = b < part.anchors.size() ? part.anchors[b].offset : part.size;
    if (file_) {
      bytes.resize(static_cast<std::size_t>(to - from));
      read_at(bytes.data(), bytes.size(), part.offset + from);
    } else {
      bytes.assign(part.bytes.data() + from, static_cast<std::size_t>(to - from));
    }
    out.resize(static_cast<std::size_t>(std::min<std::uint64_t>(part.count - a * kAnchorEvery, (b - a) * kAnchorEvery)));
    decode_bytes(bytes, part.anchors[a].parent, out);
  }
  // out.size() edges from the start of `bytes`, the parent before them `parent`.
  static void decode_bytes(std::string_view bytes, std::uint32_t parent, std::vector<Edge>& out) {
    std::size_t at = 0;
    for (auto& e : out) {
      const std::uint64_t z = get_varint(bytes, at);
      parent = static_cast<std::uint32_t>(parent + static_cast<std::uint32_t>((z >> 1) ^ (~(z & 1) + 1)));
      e = {parent, static_cast<std::uint32_t>(get_varint(bytes, at))};
    }
  }

  Edge at(std::size_t level, std::uint64_t index) {
    const Level& l = levels_.at(level);
    const auto part = std::upper_bound(l.parts.begin(), l.parts.end(), index,
                                       [](std::uint64_t i, const Stored& s) { return i < s.first; });
    if (part == l.parts.begin() || index - std::prev(part)->first >= std::prev(part)->count)
      throw std::out_of_range("no such state in the trail");
    const Stored& s = *std::prev(part);
    const std::uint64_t i = index - s.first;
    std::string bytes;
    std::vector<Edge> edges;
    decode(s, static_cast<std::size_t>(i / kAnchorEvery), static_cast<std::size_t>(i / kAnchorEvery + 1), bytes, edges);
    return edges.at(static_cast<std::size_t>(i % kAnchorEvery));
  }

  void write_at(const char* p, std::size_t n, std::uint64_t offset) {
    const int fd = fileno(file_.get());
    while (n > 0) {
      const ssize_t k = pwrite(fd, p, n, static_cast<off_t>(offset));
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) throw std::runtime_error("cannot write the trail file (disk full?)");
      p += k, n -= static_cast<std::size_t>(k), offset += static_cast<std::uint64_t>(k);
    }
  }
  void read_at(char* p, std::size_t n, std::uint64_t offset) {
    const int fd = fileno(file_.get());
    while (n > 0) {
      const ssize_t k = pread(fd, p, n, static_cast<off_t>(offset));
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) throw std::runtime_error("cannot read the trail file");
      p += k, n -= static_cast<std::size_t>(k), offset += static_cast<std::uint64_t>(k);
    }
  }

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::vector<Level> levels_;
  std::uint64_t total_ = 0, end_ = 0;
};

}  // namespace agree::checker
