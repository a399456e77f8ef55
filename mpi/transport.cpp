// mpi/transport.cpp — checker::Transport over MPI (agree/mpi/transport.hpp).
#include "agree/mpi/transport.hpp"

#include <mpi.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace agree::mpi {

bool launched() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

namespace {

constexpr int kTag = 0x61;  // the search's batches; collectives have their own

// A failed MPI call: thrown as TransportError (and the transport that made it
// is troubled: MpiTransport::ok).
void ok(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(code, text, &len);
  throw checker::TransportError(std::string("MPI: ") + what + ": " + std::string(text, static_cast<std::size_t>(len)));
}

class MpiTransport final : public checker::Transport {
 public:
  MpiTransport() {
    ok(MPI_Comm_dup(MPI_COMM_WORLD, &comm_), "MPI_Comm_dup");
    ok(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
    ok(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    ok(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
    MPI_Comm node = MPI_COMM_NULL;  // the ranks that share this one's memory
    ok(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node), "MPI_Comm_split_type");
    ok(MPI_Comm_size(node, &local_size_), "MPI_Comm_size");
    MPI_Comm_free(&node);
  }
  ~MpiTransport() override {
    if (!troubled()) MPI_Comm_free(&comm_);  // else a peer may be gone: freeing could wait for it
  }
  [[nodiscard]] int rank() const override { return rank_; }
  [[nodiscard]] int size() const override { return size_; }
  [[nodiscard]] int local_size() const override { return local_size_; }

  void bound_waits(double patience, double grace, const std::atomic<bool>* interrupt) override {
    patience_ = patience;
    grace_ = grace;
    interrupt_ = interrupt;
    stopping_.reset();
  }
  // The longest a wait may take before it throws: the patience, and the grace once interrupted.
  [[nodiscard]] double longest_wait() const { return patience_ + grace_; }
  // Whether a wait was cut short (a lost rank, an interruption): MPI may then
  // hang in MPI_Finalize, so Session::finish leaves without it.
  [[nodiscard]] bool troubled() const { return troubled_ || (interrupt_ != nullptr && interrupt_->load()); }

  void send(int to, std::string bytes) override {
    reap();
    pending_.push_back({std::move(bytes), MPI_REQUEST_NULL});
    Pending& p = pending_.back();
    ok(MPI_Isend(p.bytes.data(), static_cast<int>(p.bytes.size()), MPI_BYTE, to, kTag, comm_, &p.request), "MPI_Isend");
  }
  std::optional<Message> receive(bool wait) override {
    MPI_Status st;
    int flag = 0;
    const auto arrived = [&] {
      ok(MPI_Iprobe(MPI_ANY_SOURCE, kTag, comm_, &flag, &st), "MPI_Iprobe");
      return flag != 0 || !wait;
    };
    await(arrived, "a batch from another rank");
    if (!flag) return std::nullopt;
    // Matched here, received without blocking: a batch larger than MPI's
    // eager limit needs its sender until the last byte, and it may be gone.
    MPI_Message matched = MPI_MESSAGE_NULL;
    ok(MPI_Improbe(st.MPI_SOURCE, kTag, comm_, &flag, &matched, &st), "MPI_Improbe");
    if (!flag) return std::nullopt;
    int n = 0;
    ok(MPI_Get_count(&st, MPI_BYTE, &n), "MPI_Get_count");
    auto buf = std::make_shared<std::string>(static_cast<std::size_t>(n), '\0');
    MPI_Request r = MPI_REQUEST_NULL;
    ok(MPI_Imrecv(buf->data(), n, MPI_BYTE, &matched, &r), "MPI_Imrecv");
    complete(r, buf, "a batch from another rank");
    return Message{st.MPI_SOURCE, std::move(*buf)};
  }
  void flush() override {
    for (auto& p : pending_) complete(p.request, nullptr, "a send to another rank");
    pending_.clear();
  }
  std::vector<std::uint64_t> reduce(std::vector<std::uint64_t> values, Op op) override {
    auto buf = std::make_shared<std::vector<std::uint64_t>>(std::move(values));
    MPI_Request r = MPI_REQUEST_NULL;
    ok(MPI_Iallreduce(MPI_IN_PLACE, buf->data(), static_cast<int>(buf->size()), MPI_UINT64_T, op == Op::Sum ? MPI_SUM : MPI_MAX, comm_,
                      &r),
       "MPI_Iallreduce");
    complete(r, buf, "a reduction over every rank");
    return std::move(*buf);
  }
  std::string broadcast(int root, std::string bytes) override {
    auto n = std::make_shared<std::uint64_t>(bytes.size());
    MPI_Request r = MPI_REQUEST_NULL;
    ok(MPI_Ibcast(n.get(), 1, MPI_UINT64_T, root, comm_, &r), "MPI_Ibcast");
    complete(r, n, "a broadcast");
    auto buf = std::make_shared<std::string>(std::move(bytes));
    buf->resize(static_cast<std::size_t>(*n));
    ok(MPI_Ibcast(buf->data(), static_cast<int>(*n), MPI_BYTE, root, comm_, &r), "MPI_Ibcast");
    complete(r, buf, "a broadcast");
    return std::move(*buf);
  }

 private:
  struct Pending {
    std::string bytes;
    MPI_Request request;
  };
  // Frees the sends that have completed, oldest first.
  void reap() {
    while (!pending_.empty()) {
      int done = 0;
      ok(MPI_Test(&pending_.front().request, &done, MPI_STATUS_IGNORE), "MPI_Test");
      if (!done) break;
      pending_.pop_front();
    }
  }

  // Polls `done` (which drives MPI's progress) until it says so, sleeping a
  // little between polls; throws TransportError once the wait passes its
  // bound (bound_waits). Open MPI reports no error for a dead peer: its
  // requests stay pending, so the bound and mpirun's SIGTERM are how a rank
  // learns of it.
  // As ::ok, and a failed call leaves this transport troubled.
  void ok(int code, const char* what) {
    if (code != MPI_SUCCESS) troubled_ = true;
    mpi::ok(code, what);
  }

  template <class Done>
  void await(Done done, const char* what) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    for (unsigned polls = 0;; ++polls) {
      if (done()) return;
      const auto now = Clock::now();
      if (interrupt_ != nullptr && interrupt_->load()) {
        if (!stopping_) stopping_ = now;
        if (now - *stopping_ > std::chrono::duration<double>(grace_)) {
          troubled_ = true;
          throw checker::TransportError("stopped by a signal (mpirun sends one when a rank dies, or on Ctrl-C), and a rank did not answer within " +
                                        seconds(grace_) + " (waiting for " + what + ")");
        }
      }
      if (now - start > std::chrono::duration<double>(patience_)) {
        troubled_ = true;
        throw checker::TransportError("no answer from the other ranks in " + seconds(patience_) + " (--peer-timeout), waiting for " + what);
      }
      if (polls >= 64) std::this_thread::sleep_for(std::chrono::microseconds(200));  // leave the core to a rank on it
    }
  }
  // Waits for request r. Should the wait fail, MPI may still write into the
  // request's buffer: `keep` keeps it alive for the rest of the process.
  void complete(MPI_Request& r, std::shared_ptr<void> keep, const char* what) {
    try {
      await(
          [&] {
            int done = 0;
            ok(MPI_Test(&r, &done, MPI_STATUS_IGNORE), "MPI_Test");
            return done != 0;
          },
          what);
    } catch (...) {
      if (keep) abandoned_.push_back(std::move(keep));
      throw;
    }
  }
  static std::string seconds(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", s);
    return text;
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1, local_size_ = 1;
  double patience_ = 60, grace_ = 0.5;
  const std::atomic<bool>* interrupt_ = nullptr;
  std::optional<std::chrono::steady_clock::time_point> stopping_;  // when a wait first saw the interrupt
  bool troubled_ = false;
  std::vector<std::shared_ptr<void>> abandoned_;  // buffers of requests left pending
  std::deque<Pending> pending_;  // a deque: a send's buffer must not move while MPI holds it
};

}  // namespace

struct Session::Impl {
  std::unique_ptr<MpiTransport> transport;
};

Session::Session(int& argc, char**& argv) : impl_(std::make_unique<Impl>()) {
  int provided = 0;
  ok(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  // Only the main thread calls MPI, but the process has others (the search's
  // workers, the signal watcher): an MPI without FUNNELED may not allow that.
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw checker::TransportError("MPI provides thread level " + std::to_string(provided) +
                         "; the distributed search needs MPI_THREAD_FUNNELED (" + std::to_string(MPI_THREAD_FUNNELED) + ")");
  }
  impl_->transport = std::make_unique<MpiTransport>();
}

Session::~Session() {
  if (impl_->transport->troubled()) {  // requests are pending that may never end: keep their buffers, skip MPI_Finalize
    (void)impl_->transport.release();
    return;
  }
  impl_->transport.reset();
  MPI_Finalize();
}

int Session::finish(int code, double seconds) {
  // Whatever happens next (mpirun's SIGTERM, MPI_Abort), the report is out.
  std::fflush(nullptr);
  std::cerr.flush();
  MpiTransport& t = *impl_->transport;
  // After a troubled wait (a lost rank, an interruption: mpirun may be ending
  // the job, SIGTERM then SIGKILL a second later) or an incomplete or failed
  // run, MPI_Finalize could hang on requests that never end: leave without it.
  const bool leave = t.troubled() || (code != 0 && code != 1);
  // A rank with an error of its own gets here while the others still wait on
  // it; they give up within their patience and report: wait longer than that.
  // Rank 0 after a troubled wait has reported already.
  seconds = t.troubled() && t.rank() == 0 ? std::min(seconds, 2.0) : std::max(seconds, t.longest_wait() + 5);
  MPI_Request everyone = MPI_REQUEST_NULL;
  int done = 0;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &everyone) == MPI_SUCCESS) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (MPI_Test(&everyone, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && !done && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!done) MPI_Abort(MPI_COMM_WORLD, code == 0 ? 3 : code);  // does not return
  if (leave) ::_exit(code);  // every rank is here: rank 0 has written its report
  return code;
}

int Session::rank() const { return impl_->transport->rank(); }
int Session::size() const { return impl_->transport->size(); }
checker::Transport& Session::transport() { return *impl_->transport; }

}  // namespace agree::mpi
