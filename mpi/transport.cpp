// mpi/transport.cpp — checker::Transport over MPI (agree/mpi/transport.hpp).
#include "agree/mpi/transport.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <deque>
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
    try {
      flush();
    } catch (...) {
    }
    MPI_Comm_free(&comm_);
  }
  [[nodiscard]] int rank() const override { return rank_; }
  [[nodiscard]] int size() const override { return size_; }
  [[nodiscard]] int local_size() const override { return local_size_; }

  void send(int to, std::string bytes) override {
    reap();
    pending_.push_back({std::move(bytes), MPI_REQUEST_NULL});
    Pending& p = pending_.back();
    ok(MPI_Isend(p.bytes.data(), static_cast<int>(p.bytes.size()), MPI_BYTE, to, kTag, comm_, &p.request), "MPI_Isend");
  }
  std::optional<Message> receive(bool wait) override {
    MPI_Status st;
    int flag = 1;
    if (wait) ok(MPI_Probe(MPI_ANY_SOURCE, kTag, comm_, &st), "MPI_Probe");
    else ok(MPI_Iprobe(MPI_ANY_SOURCE, kTag, comm_, &flag, &st), "MPI_Iprobe");
    if (!flag) return std::nullopt;
    int n = 0;
    ok(MPI_Get_count(&st, MPI_BYTE, &n), "MPI_Get_count");
    Message m{st.MPI_SOURCE, std::string(static_cast<std::size_t>(n), '\0')};
    ok(MPI_Recv(m.bytes.data(), n, MPI_BYTE, st.MPI_SOURCE, kTag, comm_, MPI_STATUS_IGNORE), "MPI_Recv");
    return m;
  }
  void flush() override {
    for (auto& p : pending_) ok(MPI_Wait(&p.request, MPI_STATUS_IGNORE), "MPI_Wait");
    pending_.clear();
  }
  std::vector<std::uint64_t> reduce(std::vector<std::uint64_t> values, Op op) override {
    ok(MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_UINT64_T, op == Op::Sum ? MPI_SUM : MPI_MAX,
                     comm_),
       "MPI_Allreduce");
    return values;
  }
  std::string broadcast(int root, std::string bytes) override {
    std::uint64_t n = bytes.size();
    ok(MPI_Bcast(&n, 1, MPI_UINT64_T, root, comm_), "MPI_Bcast");
    bytes.resize(static_cast<std::size_t>(n));
    ok(MPI_Bcast(bytes.data(), static_cast<int>(n), MPI_BYTE, root, comm_), "MPI_Bcast");
    return bytes;
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

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1, local_size_ = 1;
  std::deque<Pending> pending_;  // a deque: a send's buffer must not move while MPI holds it
};

}  // namespace

struct Session::Impl {
  std::unique_ptr<MpiTransport> transport;
};

Session::Session(int& argc, char**& argv) : impl_(std::make_unique<Impl>()) {
  int provided = 0;
  ok(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  impl_->transport = std::make_unique<MpiTransport>();
}

Session::~Session() {
  impl_->transport.reset();
  MPI_Finalize();
}

int Session::finish(int code, double seconds) {
  MPI_Request everyone = MPI_REQUEST_NULL;
  int done = 0;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &everyone) == MPI_SUCCESS) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (MPI_Test(&everyone, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && !done && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!done) MPI_Abort(MPI_COMM_WORLD, code == 0 ? 3 : code);  // does not return
  return code;
}

int Session::rank() const { return impl_->transport->rank(); }
int Session::size() const { return impl_->transport->size(); }
checker::Transport& Session::transport() { return *impl_->transport; }

}  // namespace agree::mpi
