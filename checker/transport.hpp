// checker/transport.hpp — what the distributed search (checker/distributed.hpp)
// needs of the network between its ranks, and nothing more: messages from one
// rank to another, sent without waiting and delivered in the order sent; a
// reduction over every rank; a broadcast from one rank. The search is written
// against this interface only, so it is the same code whether its ranks are
// MPI processes on several machines (mpi/transport.hpp, built with
// -DAGREE_MPI=ON) or threads of one process (LocalRanks, below: what the tests
// run, under ThreadSanitizer too).
//
// Every rank calls the collectives (reduce, broadcast) in the same order, as
// MPI requires. A transport that loses a peer or waits past its bound
// (bound_waits) throws TransportError from whichever call noticed; the search
// then ends as incomplete (Cut::LostRank), with the figures of its last
// complete level.
#pragma once

#include <algorithm>
#include <atomic>
#include <barrier>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace agree::checker {

struct TransportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Transport {
 public:
  struct Message {
    int from = 0;
    std::string bytes;
  };
  enum class Op { Sum, Max };

  virtual ~Transport() = default;
  [[nodiscard]] virtual int rank() const = 0;
  [[nodiscard]] virtual int size() const = 0;
  // Sends `bytes` to rank `to` (not this one) and returns at once; the
  // messages from one rank to another arrive in the order they were sent.
  virtual void send(int to, std::string bytes) = 0;
  // A message that has arrived, if any; with `wait`, blocks until one does.
  virtual std::optional<Message> receive(bool wait) = 0;
  // Returns once every message this rank sent has left it.
  virtual void flush() = 0;
  // Element-wise sum or maximum of `values` over every rank; every rank
  // passes as many values and gets the result.
  virtual std::vector<std::uint64_t> reduce(std::vector<std::uint64_t> values, Op op) = 0;
  // Rank `root`'s bytes, on every rank (the others' `bytes` are ignored).
  virtual std::string broadcast(int root, std::string bytes) = 0;
  // How long a wait on the other ranks may last before it throws
  // TransportError: `patience` seconds with no message from any of them in
  // receive(true), or a collective or flush not done after as long; and, once
  // *interrupt is set (Ctrl-C, or mpirun ending the run because a rank died:
  // it sends the others SIGTERM), `grace` seconds in all, so that the ranks
  // stop together if they can and fail fast if one cannot answer. Ranks that
  // are threads of one process (LocalRanks) cannot be lost, and ignore it.
  virtual void bound_waits(double patience, double grace, const std::atomic<bool>* interrupt) {
    (void)patience, (void)grace, (void)interrupt;
  }
  // How many ranks (this one included) share this rank's machine, and so its
  // memory: the default memory limit is divided among them.
  [[nodiscard]] virtual int local_size() const { return 1; }
};

// K ranks as K threads of one process: transports(K) gives one Transport per
// rank; each must be used by one thread only, and every rank's thread must
// take part in every collective.
class LocalRanks {
 public:
  explicit LocalRanks(int k) : inbox_(checked(k)), slots_(checked(k)), sync_(k) {}
  LocalRanks(const LocalRanks&) = delete;
  LocalRanks& operator=(const LocalRanks&) = delete;

  [[nodiscard]] int size() const { return static_cast<int>(inbox_.size()); }
  // The transport of rank r (valid while this object lives).
  std::unique_ptr<Transport> transport(int r) { return std::make_unique<Rank>(*this, r); }

 private:
  // Checked before any member is built: a negative k would ask for 2^64 inboxes.
  static std::size_t checked(int k) {
    if (k < 1) throw std::invalid_argument("LocalRanks: at least one rank");
    return static_cast<std::size_t>(k);
  }
  struct Inbox {
    std::mutex m;
    std::condition_variable ready;
    std::deque<Transport::Message> queue;
  };

  class Rank final : public Transport {
   public:
    Rank(LocalRanks& hub, int r) : hub_(hub), r_(r) {}
    [[nodiscard]] int rank() const override { return r_; }
    [[nodiscard]] int size() const override { return hub_.size(); }
    [[nodiscard]] int local_size() const override { return hub_.size(); }
    void send(int to, std::string bytes) override {
      Inbox& box = hub_.inbox_.at(static_cast<std::size_t>(to));
      {
        std::lock_guard lock(box.m);
        box.queue.push_back({r_, std::move(bytes)});
      }
      box.ready.notify_one();
    }
    std::optional<Message> receive(bool wait) override {
      Inbox& box = hub_.inbox_[static_cast<std::size_t>(r_)];
      std::unique_lock lock(box.m);
      if (wait) box.ready.wait(lock, [&] { return !box.queue.empty(); });
      if (box.queue.empty()) return std::nullopt;
      Message m = std::move(box.queue.front());
      box.queue.pop_front();
      return m;
    }
    void flush() override {}  // a send is delivered when it returns
    std::vector<std::uint64_t> reduce(std::vector<std::uint64_t> values, Op op) override {
      hub_.slots_[static_cast<std::size_t>(r_)] = std::move(values);
      hub_.sync_.arrive_and_wait();
      std::vector<std::uint64_t> out = hub_.slots_[0];
      for (std::size_t k = 1; k < hub_.slots_.size(); ++k)
        for (std::size_t i = 0; i < out.size() && i < hub_.slots_[k].size(); ++i)
          out[i] = op == Op::Sum ? out[i] + hub_.slots_[k][i] : std::max(out[i], hub_.slots_[k][i]);
      hub_.sync_.arrive_and_wait();  // every rank has read the slots before any writes them again
      return out;
    }
    std::string broadcast(int root, std::string bytes) override {
      if (r_ == root) hub_.root_bytes_ = std::move(bytes);
      hub_.sync_.arrive_and_wait();
      std::string out = hub_.root_bytes_;
      hub_.sync_.arrive_and_wait();
      return out;
    }

   private:
    LocalRanks& hub_;
    int r_;
  };

  std::vector<Inbox> inbox_;
  std::vector<std::vector<std::uint64_t>> slots_;
  std::string root_bytes_;
  std::barrier<> sync_;
};

}  // namespace agree::checker
