// The trail (checker/trail.hpp): every parent edge reads back as written,
// through its encoding, its parts and its anchors.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agree/checker/trail.hpp"
#include "agree/checker/varint.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

namespace {
using Edge = checker::Trail::Edge;
using Levels = std::vector<std::vector<std::vector<Edge>>>;  // level, part, edge

// Parents as a search writes them: mostly climbing by 0 or 1, sometimes
// jumping back or far (a thread that steals from the back of another's share),
// and now and then the extremes.
rc::Gen<std::vector<Edge>> part_edges() {
  return rc::gen::exec([] {
    const auto n = *rc::gen::inRange<std::size_t>(0, 700);
    std::vector<Edge> out;
    std::uint32_t parent = *rc::gen::oneOf(rc::gen::inRange(0u, 50u), rc::gen::arbitrary<std::uint32_t>());
    for (std::size_t i = 0; i < n; ++i) {
      switch (*rc::gen::inRange(0, 8)) {
        case 0: parent = *rc::gen::arbitrary<std::uint32_t>(); break;
        case 1: parent = *rc::gen::element(0u, checker::Trail::kRoot); break;
        case 2: parent -= *rc::gen::inRange(1u, 300u); break;
        default: parent += *rc::gen::inRange(0u, 2u);
      }
      out.push_back({parent, *rc::gen::oneOf(rc::gen::inRange(0u, 20u), rc::gen::arbitrary<std::uint32_t>())});
    }
    return out;
  });
}

void check_reads_back(checker::Trail& trail, const Levels& levels) {
  std::vector<std::vector<Edge>> flat(levels.size());
  std::vector<Edge> all;
  for (std::size_t l = 0; l < levels.size(); ++l) {
    for (const auto& part : levels[l]) flat[l].insert(flat[l].end(), part.begin(), part.end());
    RC_ASSERT(trail.level_size(l) == flat[l].size());
    all.insert(all.end(), flat[l].begin(), flat[l].end());
  }
  // path_to(l, i): the choices up the parents to level 0, or an error where a parent is not there.
  for (std::size_t l = 0; l < levels.size(); ++l)
    for (std::size_t i = 0; i < flat[l].size(); i += 1 + i % 97) {
      std::vector<std::uint32_t> actions;
      std::uint64_t index = i;
      bool exists = true;
      std::uint32_t init = 0;
      for (std::size_t k = l + 1; k-- > 0;) {
        if (index >= flat[k].size()) {
          exists = false;
          break;
        }
        if (k == 0) init = flat[k][index].choice;
        else actions.insert(actions.begin(), flat[k][index].choice);
        index = flat[k][index].parent;
      }
      if (!exists) {
        RC_ASSERT_THROWS(trail.path_to(l, i));
        continue;
      }
      const auto path = trail.path_to(l, i);
      RC_ASSERT(path.init == init);
      RC_ASSERT(path.actions == actions);
    }
  std::vector<Edge> read;
  trail.for_each_block([&](const Edge* e, std::size_t n) { read.insert(read.end(), e, e + n); });
  RC_ASSERT(read.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    RC_ASSERT(read[i].parent == all[i].parent);
    RC_ASSERT(read[i].choice == all[i].choice);
  }
}
}  // namespace

TEST_CASE("trail: every edge reads back as written, whatever the parts and parents", "[trail]") {
  rc::prop("levels of parts, each encoded on its own", [] {
    const auto depth = *rc::gen::inRange<std::size_t>(0, 7);
    const auto parts_per_level = *rc::gen::inRange<std::size_t>(0, 4);
    const auto levels = *rc::gen::container<Levels>(depth, rc::gen::container<std::vector<std::vector<Edge>>>(parts_per_level, part_edges()));
    checker::Trail trail;
    for (const auto& level : levels) {
      std::vector<checker::Trail::Part> parts;
      for (const auto& part : level) parts.push_back(checker::Trail::encode(part));
      trail.append_level(std::move(parts));
    }
    RC_ASSERT(trail.levels() == levels.size());
    check_reads_back(trail, levels);
  });
}

TEST_CASE("trail: a path climbs through the parents, level by level", "[trail]") {
  checker::Trail trail;
  trail.append_level(std::vector<Edge>{{checker::Trail::kRoot, 0}, {checker::Trail::kRoot, 1}});
  std::vector<checker::Trail::Part> parts;
  parts.push_back(checker::Trail::encode({{0, 5}, {0, 6}}));
  parts.push_back(checker::Trail::encode({}));
  parts.push_back(checker::Trail::encode({{1, 7}}));
  trail.append_level(std::move(parts));
  std::vector<Edge> third(1000, Edge{0, 1});
  third[999] = {2, 9};  // past three anchors, in the last block
  trail.append_level(third);
  const auto path = trail.path_to(2, 999);
  CHECK(path.init == 1);
  CHECK(path.actions == std::vector<std::uint32_t>{7, 9});
  CHECK(trail.path_to(1, 1).actions == std::vector<std::uint32_t>{6});
  CHECK(trail.path_to(1, 1).init == 0);
  CHECK_THROWS(trail.path_to(1, 3));
}

TEST_CASE("varint: LEB128 as published, round trips, and a truncated or overlong one refused", "[trail]") {
  // 300 is AC 02, the example of the LEB128 and Protocol Buffers documentation.
  std::string out;
  checker::varint::put(out, 300);
  CHECK(out == std::string("\xAC\x02"));
  out.clear();
  checker::varint::put(out, 127);
  checker::varint::put(out, 128);
  checker::varint::put(out, UINT64_MAX);
  CHECK(out.size() == 1 + 2 + 10);  // ceil(64 / 7) = 10 bytes for the largest
  std::size_t at = 0;
  CHECK(checker::varint::get(out, at) == std::optional<std::uint64_t>(127));
  CHECK(checker::varint::get(out, at) == std::optional<std::uint64_t>(128));
  CHECK(checker::varint::get(out, at) == std::optional<std::uint64_t>(UINT64_MAX));
  CHECK(at == out.size());
  at = 0;
  CHECK_FALSE(checker::varint::get(std::string("\x80\x80"), at));  // ends inside
  at = 0;
  CHECK_FALSE(checker::varint::get(std::string(11, '\xff'), at));    // past 64 bits
  rc::prop("any value reads back", [](std::uint64_t v) {
    std::string bytes;
    checker::varint::put(bytes, v);
    std::size_t i = 0;
    RC_ASSERT(checker::varint::get(bytes, i) == std::optional<std::uint64_t>(v));
    RC_ASSERT(i == bytes.size());
  });
}
