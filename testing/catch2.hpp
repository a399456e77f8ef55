// agree/testing/catch2.hpp — agree::testing outcomes as Catch2 (v2) checks.
//
//   AGREE_CHECK(agree::testing::holds(Token{4}));
//   AGREE_REQUIRE(agree::testing::violated_within(Bad{}, "mutual-exclusion", 6));
//
// A failure prints the outcome's message: what was found, with the trace.
#pragma once

#include <catch2/catch.hpp>

#include "agree/testing.hpp"

#define AGREE_CHECK(...)                                  \
  do {                                                    \
    const ::agree::testing::Outcome agree_outcome_ = (__VA_ARGS__); \
    INFO(agree_outcome_.message);                         \
    CHECK(agree_outcome_.ok);                             \
  } while (false)

#define AGREE_REQUIRE(...)                                \
  do {                                                    \
    const ::agree::testing::Outcome agree_outcome_ = (__VA_ARGS__); \
    INFO(agree_outcome_.message);                         \
    REQUIRE(agree_outcome_.ok);                           \
  } while (false)
