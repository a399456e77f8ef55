// tests/distributed_test.cpp — the distributed search (checker/distributed.hpp)
// on K ranks that are threads of this process (checker::LocalRanks): the same
// figures as one process (distinct states, transitions, per kind too, terminal
// states, depth, verdict), on every rank and for K = 1..4, on small
// configurations of every built-in protocol, broken variants, crashes and
// reductions included; counterexamples as short as one process's, the same on
// every rank and for every K, each replaying. Where a count has a source of
// its own (TLA+'s published TwoPhase counts, vote's closed form, tokenring's
// 3N, abp's 9M), the K-rank count is checked against it too.
// ThreadSanitizer runs this file ([parallel]).
#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agree/agree.hpp"
#include "agree/checker/transport.hpp"
#include "agree/model/abp.hpp"
#include "agree/model/floodset.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/om.hpp"
#include "agree/model/sequencer.hpp"
#include "agree/model/sm.hpp"
#include "agree/model/tokenring.hpp"
#include "agree/model/twophase.hpp"
#include "agree/model/vote.hpp"
#include "distributed_util.hpp"
#include "liveness_util.hpp"

using namespace agree;
using namespace agree::testing;

namespace {

void same_figures(const Report& a, const Report& b) {
  CHECK(b.distinct_states == a.distinct_states);
  CHECK(b.transitions == a.transitions);
  CHECK(b.terminal_states == a.terminal_states);
  CHECK(b.depth == a.depth);
  CHECK(b.fired == a.fired);
  CHECK(b.verdict == a.verdict);
  CHECK(b.cut == a.cut);
}

// One configuration: one process (breadth-first) against 1..4 ranks. With
// `keep_going` every figure must match; without it, a violation stops one
// process at once but finishes the level on K ranks, so only the verdict and
// the counterexample's length are compared.
template <class M>
void same_on_k_ranks(const std::string& settings, Reduce reduce = Reduce::None, bool keep_going = true, bool packed = true,
                     unsigned threads = 1) {
  const auto [p, params] = made<M>(settings);
  INFO(model::name_of<M>() << " " << params << " --reduce " << checker::to_string(reduce) << (keep_going ? " --keep-going" : "")
                           << (packed ? "" : " --no-pack") << " --threads " << threads);
  Options o;
  o.parameters = params;
  o.reduce = reduce;
  o.keep_going = keep_going;
  o.packed = packed;
  o.search = Search::Bfs;
  o.search_chosen = true;  // om and sm: breadth-first, as the distributed search is
  const Result one = agree::check(p, o);
  Options distributed = o;
  distributed.search_chosen = false;
  distributed.threads = threads;  // in each rank
  // Each counterexample's last state, for every K the same (the least
  // violating state by depth and fingerprint); under symmetry the concrete
  // run, and so its last state, may be another member of the orbit.
  std::vector<std::pair<std::string, typename M::State>> first_ends;
  const auto ends = [&, &p = p](const Result& r) {  // &p = p: clang 14 cannot capture a structured binding
    std::vector<std::pair<std::string, typename M::State>> out;
    for (const Trace& t : r.traces)
      out.emplace_back(t.property, counterexamples::rebuild(p, counterexamples::path_of(p, t, "trace")).back().state);
    return out;
  };
  for (int k = 1; k <= 4; ++k) {
    INFO(k << " ranks");
    const std::vector<Result> got = on_ranks(p, distributed, k);
    for (const Result& b : got) {  // every rank returns the whole answer
      same_figures(got[0].report, b.report);
      REQUIRE(b.traces.size() == got[0].traces.size());
      for (std::size_t i = 0; i < b.traces.size(); ++i) CHECK(to_text(b.traces[i]) == to_text(got[0].traces[i]));
    }
    const Report& r = got[0].report;
    if (keep_going || one.report.verdict != Verdict::Violated) same_figures(one.report, r);
    CHECK(r.verdict == one.report.verdict);
    REQUIRE(r.ranks.size() == static_cast<std::size_t>(k));
    std::uint64_t owned = 0, sent = 0, received = 0;
    for (const auto& x : r.ranks) {
      owned += x.states;
      sent += x.bytes_sent;
      received += x.bytes_received;
    }
    CHECK(owned == r.distinct_states);
    CHECK(sent == received);
    if (k == 1) CHECK(sent == 0);
    // A shortest counterexample per property, as one process finds (BFS: its first is a shortest).
    REQUIRE(got[0].traces.size() == one.traces.size());
    for (const auto& t : got[0].traces) {
      const auto same = std::find_if(one.traces.begin(), one.traces.end(), [&](const Trace& x) { return x.property == t.property; });
      if (keep_going) REQUIRE(same != one.traces.end());
      if (same != one.traces.end()) CHECK(t.steps.size() == same->steps.size());
      if (!keep_going) CHECK(t.steps.size() == one.traces[0].steps.size());
    }
    liveness_util::require_traces_replay(p, got[0]);
    if (!checker::wants_symmetry(reduce)) {
      if (k == 1) first_ends = ends(got[0]);
      CHECK((ends(got[0]) == first_ends));
    }
  }
}

}  // namespace

TEST_CASE("distributed search: sequencer and isis on 1-4 ranks, crashes, broken variants, reductions", "[parallel][distributed]") {
  using model::isis::Isis;
  using model::sequencer::Sequencer;
  for (const Reduce r : {Reduce::None, Reduce::Por, Reduce::All}) {
    same_on_k_ranks<Sequencer>("procs=3 msgs=2", r);
    same_on_k_ranks<Sequencer>("procs=3 msgs=2 crash=1", r);
    same_on_k_ranks<Sequencer>("procs=3 msgs=2 variant=no-holdback", r);
    same_on_k_ranks<Sequencer>("procs=3 msgs=2 variant=no-holdback", r, false);
    same_on_k_ranks<Sequencer>("procs=3 msgs=2 senders=2", r);
    same_on_k_ranks<Isis>("procs=3 msgs=2", r);
    same_on_k_ranks<Isis>("procs=2 msgs=2 crash=1", r);
    same_on_k_ranks<Isis>("procs=3 msgs=2 variant=no-tiebreak", r);
    same_on_k_ranks<Isis>("procs=3 msgs=2 variant=no-tiebreak", r, false);
    same_on_k_ranks<Isis>("procs=2 msgs=2 senders=2 variant=no-tiebreak", r);
  }
}

TEST_CASE("distributed search: vote, floodset, om, sm, twophase, tokenring, abp on 1-4 ranks", "[parallel][distributed]") {
  for (const Reduce r : {Reduce::None, Reduce::All}) {
    same_on_k_ranks<model::vote::VoteProtocol>("procs=3", r);
    same_on_k_ranks<model::vote::VoteProtocol>("procs=3 rule=majority crash=1", r);
    same_on_k_ranks<model::vote::VoteProtocol>("procs=3 rule=majority crash=1", r, false);
    same_on_k_ranks<model::floodset::FloodSet>("procs=4 crash=2", r);
    same_on_k_ranks<model::floodset::FloodSet>("procs=3 crash=1 rounds=1", r);
    same_on_k_ranks<model::om::Om>("generals=4 traitors=1", r);
    same_on_k_ranks<model::om::Om>("generals=3 traitors=1", r, false);
    same_on_k_ranks<model::sm::Sm>("generals=3 traitors=1", r);
    same_on_k_ranks<model::sm::Sm>("generals=4 traitors=2 rounds=1", r);
  }
  for (const bool packed : {true, false}) {
    same_on_k_ranks<model::twophase::TwoPhase>("rms=4", Reduce::None, true, packed);
    same_on_k_ranks<model::twophase::TwoPhase>("rms=3 variant=eager-commit", Reduce::None, true, packed);
    same_on_k_ranks<model::twophase::TwoPhase>("rms=3 variant=eager-commit", Reduce::None, false, packed);
  }
  same_on_k_ranks<model::tokenring::TokenRing>("procs=5");
  same_on_k_ranks<model::abp::Abp>("msgs=2 variant=no-bit");
  same_on_k_ranks<model::abp::Abp>("msgs=2 variant=no-bit", Reduce::None, false);
}

// Threads inside each rank: the same figures, verdicts and shortest
// counterexamples as one process, whichever thread meets a state first.
TEST_CASE("distributed search: two and three threads in each rank", "[parallel][distributed]") {
  using model::isis::Isis;
  using model::sequencer::Sequencer;
  using model::twophase::TwoPhase;
  for (const unsigned threads : {2u, 3u}) {
    same_on_k_ranks<Sequencer>("procs=3 msgs=2 variant=no-holdback", Reduce::None, true, true, threads);
    same_on_k_ranks<Sequencer>("procs=3 msgs=2 variant=no-holdback", Reduce::None, false, true, threads);
    same_on_k_ranks<Sequencer>("procs=3 msgs=2 crash=1", Reduce::Por, true, true, threads);
    same_on_k_ranks<Isis>("procs=3 msgs=2 variant=no-tiebreak", Reduce::All, true, true, threads);
    same_on_k_ranks<Isis>("procs=3 msgs=2 variant=no-tiebreak", Reduce::None, false, true, threads);
    same_on_k_ranks<model::vote::VoteProtocol>("procs=3 rule=majority crash=1", Reduce::None, true, true, threads);
    same_on_k_ranks<model::om::Om>("generals=4 traitors=1", Reduce::None, true, true, threads);
    for (const bool packed : {true, false}) {
      same_on_k_ranks<TwoPhase>("rms=4", Reduce::None, true, packed, threads);
      same_on_k_ranks<TwoPhase>("rms=3 variant=eager-commit", Reduce::None, false, packed, threads);
    }
  }
  // --exact: full states in the rank's table, behind its locks too.
  const auto [p, params] = made<Isis>("procs=3 msgs=2");
  Options o;
  o.reduce = Reduce::None;
  o.exact = true;
  const Report one = agree::check(p, o).report;
  o.threads = 2;
  for (const Result& r : on_ranks(p, o, 2)) same_figures(one, r.report);
}

TEST_CASE("distributed search: counts from sources of their own on 3 ranks", "[parallel][distributed]") {
  const auto states = [](const auto& p) { return on_ranks(p, Options{}, 3)[0].report.distinct_states; };
  // TLA+'s TwoPhase, published counts (the suite's rows).
  CHECK(states(made<model::twophase::TwoPhase>("rms=3").first) == 288);
  CHECK(states(made<model::twophase::TwoPhase>("rms=5").first) == 8'832);
  CHECK(states(made<model::twophase::TwoPhase>("rms=6").first) == 50'816);
  // vote with no crash: 2^N (1 + 2^N)^N.
  for (int n = 1; n <= 3; ++n) {
    std::uint64_t expect = std::uint64_t{1} << n;
    for (int i = 0; i < n; ++i) expect *= 1 + (std::uint64_t{1} << n);
    CHECK(states(made<model::vote::VoteProtocol>("procs=" + std::to_string(n)).first) == expect);
  }
  for (int n = 2; n <= 6; ++n) CHECK(states(made<model::tokenring::TokenRing>("procs=" + std::to_string(n)).first) == 3u * n);
  for (int m = 1; m <= 4; ++m) CHECK(states(made<model::abp::Abp>("msgs=" + std::to_string(m)).first) == 9u * m);
}

TEST_CASE("distributed search: limits end every rank as incomplete; what it cannot do yet is refused", "[parallel][distributed]") {
  const auto p = made<model::isis::Isis>("procs=3 msgs=2").first;
  Options o;
  o.max_states = 500;
  for (const Result& r : on_ranks(p, o, 3)) {
    CHECK(r.report.verdict == Verdict::Incomplete);
    CHECK(r.report.cut == Cut::MaxStates);
  }
  o.max_states = 0;
  o.max_depth = 4;
  for (const Result& r : on_ranks(p, o, 2)) {
    CHECK(r.report.verdict == Verdict::Incomplete);
    CHECK(r.report.cut == Cut::MaxDepth);
    CHECK(r.report.depth == 4);
  }
  checker::LocalRanks one(1);
  const auto t = one.transport(0);
  Options refused;
  refused.transport = t.get();
  refused.search = Search::Dfs;
  refused.search_chosen = true;
  CHECK_THROWS_AS(agree::check(p, refused), std::invalid_argument);
  refused.search_chosen = false;
  refused.liveness = true;
  CHECK_THROWS_AS(agree::check(p, refused), std::invalid_argument);
}

// The default memory limit, 90% of the machine's memory, is divided among the
// ranks that share the machine; --memory-limit stays per rank.
TEST_CASE("distributed search: the ranks on one machine share its default memory limit", "[distributed]") {
  CHECK_THROWS_AS(checker::LocalRanks(0), std::invalid_argument);
  CHECK_THROWS_AS(checker::LocalRanks(-1), std::invalid_argument);  // not 2^64 inboxes first
  checker::LocalRanks four(4);
  CHECK(four.transport(2)->local_size() == 4);
  const std::uint64_t most = checker::physical_memory_bytes() / 10 * 9;
  Options o;
  CHECK(checker::Budget(o).memory_limit_bytes() == most);
  const std::uint64_t each = checker::Budget(o, four.size()).memory_limit_bytes();
  CHECK(each * 4 <= most);
  CHECK(each * 4 > most - 4);
  o.memory_limit_mib = 100;
  CHECK(checker::Budget(o, 4).memory_limit_bytes() == std::uint64_t{100} << 20);
}

namespace {
// A rank's transport that, at its n-th reduction, fails as MPI's does when a
// peer is lost (every rank at the same one, so that no rank waits forever on
// threads that have left).
class LosingAt final : public checker::Transport {
 public:
  LosingAt(std::unique_ptr<checker::Transport> t, int n) : t_(std::move(t)), n_(n) {}
  [[nodiscard]] int rank() const override { return t_->rank(); }
  [[nodiscard]] int size() const override { return t_->size(); }
  void send(int to, std::string bytes) override { t_->send(to, std::move(bytes)); }
  std::optional<Message> receive(bool wait) override { return t_->receive(wait); }
  void flush() override { t_->flush(); }
  std::vector<std::uint64_t> reduce(std::vector<std::uint64_t> values, Op op) override {
    if (++calls_ == n_) throw checker::TransportError("lost");
    return t_->reduce(std::move(values), op);
  }
  std::string broadcast(int root, std::string bytes) override { return t_->broadcast(root, std::move(bytes)); }

 private:
  std::unique_ptr<checker::Transport> t_;
  int n_, calls_ = 0;
};
}  // namespace

// A lost rank ends the search as incomplete on every rank, with the figures
// of the last level every rank finished: those of one process that stops at
// that depth (it finds the states at depth <= d and fires the transitions of
// those at depth < d), wherever in the search the loss comes.
TEST_CASE("distributed search: a lost rank ends every rank with the figures of the last complete level", "[parallel][distributed]") {
  const auto p = made<model::isis::Isis>("procs=2 msgs=2").first;
  Options o;
  o.reduce = Reduce::None;
  o.threads = GENERATE(1u, 2u);  // in each rank
  INFO(o.threads << " threads in each rank");
  const Report whole = agree::check(p, o).report;
  int lost = 0;
  for (int n = 1;; n += 2) {  // past the search's last reduction it completes
    if (n > 500) FAIL("the search was still cut at its 500th reduction");
    INFO("lost at reduction " << n);
    checker::LocalRanks ranks(3);
    std::vector<Report> got(3);
    std::vector<std::thread> threads;
    for (int r = 0; r < 3; ++r)
      threads.emplace_back([&, r] {
        LosingAt t(ranks.transport(r), n);
        Options mine = o;
        mine.transport = &t;
        got[static_cast<std::size_t>(r)] = agree::check(p, mine).report;
      });
    for (auto& t : threads) t.join();
    const Report& r = got[0];
    if (r.cut == Cut::None) {
      CHECK(r.distinct_states == whole.distinct_states);
      break;
    }
    ++lost;
    for (const Report& each : got) {
      CHECK(each.cut == Cut::LostRank);
      CHECK(each.verdict == Verdict::Incomplete);
      CHECK(each.distinct_states == r.distinct_states);
      CHECK(each.depth == r.depth);
    }
    CHECK(r.distinct_states <= whole.distinct_states);
    if (r.depth == 0) {
      CHECK(r.distinct_states <= p.init_states().size());
    } else {
      Options upto = o;
      upto.max_depth = r.depth;
      const Report want = agree::check(p, upto).report;
      CHECK(r.distinct_states == want.distinct_states);
      CHECK(r.transitions == want.transitions);
    }
  }
  CHECK(lost > 10);  // three reductions a level: every level, and the end, were cut somewhere
}

// A rank cut short (here interrupted, as Ctrl-C on one rank would) tells the
// others with its last batches: every rank ends the level and the search as
// incomplete.
TEST_CASE("distributed search: one rank interrupted stops them all", "[parallel][distributed]") {
  const auto p = made<model::isis::Isis>("procs=3 msgs=2").first;
  Options one;
  one.reduce = Reduce::None;
  const Report whole = agree::check(p, one).report;
  const unsigned each = GENERATE(1u, 2u);  // threads in each rank
  INFO(each << " threads in each rank");
  checker::LocalRanks ranks(3);
  std::atomic<bool> stop{true}, go_on{false};
  std::vector<Report> got(3);
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r)
    threads.emplace_back([&, r] {
      const auto t = ranks.transport(r);
      Options mine;
      mine.reduce = Reduce::None;
      mine.threads = each;
      mine.transport = t.get();
      mine.interrupt = r == 1 ? &stop : &go_on;
      got[static_cast<std::size_t>(r)] = agree::check(p, mine).report;
    });
  for (auto& t : threads) t.join();
  for (const Report& r : got) {
    CHECK(r.cut == Cut::Interrupted);
    CHECK(r.verdict == Verdict::Incomplete);
    CHECK(r.distinct_states == got[0].distinct_states);
    CHECK(r.distinct_states < whole.distinct_states);  // rank 1 notices at its 1024th state (checker::Budget), or first chunk
  }
}
