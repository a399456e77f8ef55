// token_test.cpp — the token ring checked from its own project's tests.
#define CATCH_CONFIG_MAIN
#include <agree/testing/catch2.hpp>
#include <agree/testing/rapidcheck.hpp>

#include "token.hpp"

TEST_CASE("token: one holder on every ring, and the token moves") {
  for (int n = 2; n <= 6; ++n) AGREE_CHECK(agree::testing::holds(token::Token(n)));
}

TEST_CASE("token: the ring has one state per position of the token") {
  // By inspection: the token is at exactly one of n places.
  for (int n = 2; n <= 6; ++n) AGREE_CHECK(agree::testing::counts(token::Token(n), static_cast<std::uint64_t>(n)));
}

TEST_CASE("token: a holder that keeps a copy breaks mutual exclusion in one step") {
  AGREE_CHECK(agree::testing::violated_within(token::Token(3, true), "mutual-exclusion", 1));
  AGREE_CHECK(agree::testing::discovers(token::Token(3, true), "mutual-exclusion", {"pass(p0)"}));
  AGREE_CHECK(agree::testing::discovers(token::Token(3), "token-moved", {"pass(p0)"}));
  // Not a discovery: the correct ring passes the token on, never copies it.
  CHECK_FALSE(agree::testing::discovers(token::Token(3), "mutual-exclusion", {"pass(p0)", "pass(p1)"}).ok);
}

TEST_CASE("token: random walks keep mutual exclusion, and find the duplicate") {
  CHECK(rc::check("walks of the correct ring", [] { agree::testing::random_walk(token::Token(5), 40); }));
  // The broken ring fails on its first step, so some walk must find it; the
  // shrunk walk is one step. (rc::check returns false on a failure.)
  CHECK_FALSE(rc::check("walks of the duplicating ring", [] { agree::testing::random_walk(token::Token(5, true), 40); }));
}
