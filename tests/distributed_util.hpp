// tests/distributed_util.hpp — the distributed search's tests
// (distributed_test.cpp, distributed_checkpoint_test.cpp): a built-in model
// from settings, and one search on K ranks that are threads of this process.
#pragma once

#include <exception>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "agree/agree.hpp"
#include "agree/checker/transport.hpp"
#include "agree/model/params.hpp"
#include "agree/model/protocol.hpp"

namespace agree::testing {

template <class M>
std::pair<M, std::string> made(const std::string& settings) {
  model::Params params(model::param_specs_of<M>());
  std::istringstream in(settings);
  for (std::string word; in >> word;) params.set(word.substr(0, word.find('=')), word.substr(word.find('=') + 1));
  return {model::make<M>(params), params.to_string()};
}

// Runs f(the options of rank r) for every rank r of k, each on a thread of its
// own with its rank's transport, and returns what each returned.
template <class T, class F>
std::vector<T> each_rank(const Options& o, int k, F f) {
  checker::LocalRanks ranks(k);
  std::vector<T> got(static_cast<std::size_t>(k));
  std::vector<std::thread> threads;
  for (int r = 0; r < k; ++r)
    threads.emplace_back([&, r] {
      const auto t = ranks.transport(r);
      Options mine = o;
      mine.transport = t.get();
      got[static_cast<std::size_t>(r)] = f(mine);
    });
  for (auto& t : threads) t.join();
  return got;
}

// Every rank's result of one search of p on k ranks (threads here).
template <class M>
std::vector<Result> on_ranks(const M& p, const Options& o, int k) {
  return each_rank<Result>(o, k, [&](const Options& mine) { return agree::check(p, mine); });
}

// Every rank's result, or the message of what it threw.
template <class M>
std::vector<std::variant<Result, std::string>> outcomes_on_ranks(const M& p, const Options& o, int k) {
  return each_rank<std::variant<Result, std::string>>(o, k, [&](const Options& mine) -> std::variant<Result, std::string> {
    try {
      return agree::check(p, mine);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  });
}

}  // namespace agree::testing
