// checker/frontier.hpp — the breadth-first frontier: the states of a level as
// the threads produced them, in their packed canonical encoding (never as
// heap objects), with the parent edge of each encoded for the trail as it is
// added; and the frontier's checkpoint record (the level being expanded, the
// chunks of it still to do, the next level as far as it got).
#pragma once

#include <algorithm>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "agree/checker/checkpoint.hpp"
#include "agree/checker/page_allocator.hpp"
#include "agree/checker/trail.hpp"

namespace agree::checker::detail {

// States of one level, as one thread produced them: packed encodings back to
// back, where each starts, and how each was reached.
// With a fixed-width encoding (width > 0, checker/codec.hpp) there are no
// offsets: state i is at i * width.
struct alignas(64) LevelSegment {  // (a line each: two workers append to adjacent segments)
  explicit LevelSegment(std::uint32_t w = 0) : width(w) {}
  std::uint32_t width;
  PageString bytes;                   // (mapped when large: checker/page_allocator.hpp)
  PageVector<std::uint32_t> starts;
  Trail::Part edges;  // how each was reached, encoded for the trail as they come
  [[nodiscard]] std::size_t size() const { return width ? bytes.size() / width : starts.size(); }
  [[nodiscard]] std::string_view state(std::size_t i) const {
    if (width) return std::string_view(bytes).substr(i * width, width);
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : bytes.size();
    return std::string_view(bytes).substr(starts[i], end - starts[i]);
  }
  // Room for `states` states of about `state_bytes` each (a variable width:
  // the last level's mean, with a margin), so the level is not copied as it grows.
  void reserve(std::size_t states, std::size_t state_bytes = 16) try {
    bytes.reserve(states * (width ? width : state_bytes));
    if (!width) starts.reserve(states);
    edges.reserve(states);
    // No huge-page advice here (the visited table has it): a level is written
    // and read in order, so 4 KiB pages cost few TLB misses, while a 2 MiB
    // page fault zeroes (and may first compact) a whole huge page. Paxos 3/4/2,
    // one thread: 10.6-12.8 s with the advice (2.2-3.4 s of system time), 8.9 s
    // with huge pages off (0.46 s): bench/RESULTS.md, 0.5.9.
  } catch (const std::bad_alloc&) {  // then it grows as it goes
  }
  // Empties the segment and keeps its memory, for a later level. Written
  // again, its pages are in already: a first touch is a page fault, and the
  // frontiers are most of a search's faults (Paxos 3/4/2: 85% of 267 thousand,
  // `perf record -e page-faults`). It costs no peak memory: the level after
  // the next takes these pages while the one between is expanded, and this
  // level and that one were in memory together before.
  void recycle() {
    bytes.clear();
    starts.clear();
    edges = {};
  }
  void add(std::string_view state, Trail::Edge e) {
    if (!width) starts.push_back(static_cast<std::uint32_t>(bytes.size()));
    bytes.append(state);
    edges.add(e);
  }
};

// The file always holds the offsets, whatever the width, so that one format serves both.
inline void write_segment(CheckpointWriter& w, const LevelSegment& s, bool edges) {
  w.str(s.bytes);
  w.u64(s.size());
  if (s.width) {
    std::vector<std::uint32_t> block;
    for (std::size_t i = 0; i < s.size(); i += block.size()) {
      block.resize(std::min<std::size_t>(s.size() - i, 1 << 16));
      for (std::size_t j = 0; j < block.size(); ++j) block[j] = static_cast<std::uint32_t>((i + j) * s.width);
      w.bytes(block.data(), block.size() * sizeof(std::uint32_t));
    }
  } else
    w.bytes(s.starts.data(), s.starts.size() * sizeof(std::uint32_t));
  if (edges) {
    const std::vector<Trail::Edge> raw = Trail::decode(s.edges);
    w.bytes(raw.data(), raw.size() * sizeof(Trail::Edge));
  }
}

inline LevelSegment read_segment(CheckpointReader& in, bool edges, std::uint32_t width) {
  LevelSegment s;
  s.bytes = PageString(in.str());
  s.starts.resize(static_cast<std::size_t>(in.count(sizeof(std::uint32_t))));
  in.bytes(s.starts.data(), s.starts.size() * sizeof(std::uint32_t));
  for (std::size_t i = 0; i < s.starts.size(); ++i)
    if (s.starts[i] > s.bytes.size() || (i ? s.starts[i] < s.starts[i - 1] : s.starts[i] != 0))
      in.corrupt("bad state offsets");
  if (edges) {
    std::vector<Trail::Edge> raw(s.starts.size());
    in.bytes(raw.data(), raw.size() * sizeof(Trail::Edge));
    s.edges = Trail::encode(raw);
  }
  if (width) {
    if (s.bytes.size() != s.starts.size() * width) in.corrupt("bad state offsets");
    for (std::size_t i = 0; i < s.starts.size(); ++i)
      if (s.starts[i] != i * width) in.corrupt("bad state offsets");
    s.starts = {};
    s.width = width;
  }
  return s;
}

// The frontier's checkpoint record. `width` (states in `level`) and the
// chunk size check what is read against the rest of the file.
struct FrontierRecord {
  std::vector<LevelSegment> level;   // the level being expanded
  std::vector<std::uint64_t> redo;   // chunk starts in it still to expand (partly done ones included)
  std::uint64_t from = 0;            // and every chunk from here on
  std::vector<LevelSegment> next;    // the next level, as far as it got

  // Writes `cur` with the chunks `pending` and every chunk from `from` still to do, and `next`.
  static void save(CheckpointWriter& w, const std::vector<LevelSegment>& cur, std::vector<std::uint64_t> pending,
                   std::uint64_t from, const std::vector<LevelSegment>& next) {
    w.u64(cur.size());
    for (const auto& seg : cur) write_segment(w, seg, false);
    std::sort(pending.begin(), pending.end());
    w.u64(pending.size());
    w.bytes(pending.data(), pending.size() * sizeof(std::uint64_t));
    w.u64(from);
    w.u64(next.size());
    for (const auto& seg : next) write_segment(w, seg, true);
  }
  // Reads it back; the level must hold `expected_width` states (the trail's last level).
  void load(CheckpointReader& in, std::uint32_t state_width, std::uint64_t expected_width, std::uint64_t chunk) {
    level.resize(static_cast<std::size_t>(in.count(sizeof(std::uint64_t) * 2)));
    std::uint64_t width = 0;
    for (auto& seg : level) {
      seg = read_segment(in, false, state_width);
      width += seg.size();
    }
    if (width != expected_width) in.corrupt("the current level does not match the trail");
    redo.resize(static_cast<std::size_t>(in.count(sizeof(std::uint64_t))));
    in.bytes(redo.data(), redo.size() * sizeof(std::uint64_t));
    from = in.u64();
    for (const auto c : redo)
      if (c % chunk != 0 || c >= width) in.corrupt("bad chunk list");
    if (from % chunk != 0 && from != width) in.corrupt("bad chunk list");
    next.resize(static_cast<std::size_t>(in.count(sizeof(std::uint64_t) * 2)));
    for (auto& seg : next) {
      seg = read_segment(in, true, state_width);
      for (const auto& e : Trail::decode(seg.edges))
        if (e.parent >= width) in.corrupt("bad parent edge");
    }
  }
};

}  // namespace agree::checker::detail
