// cli/stop.cpp — signals that stop the check command's search (cli/stop.hpp).
#include "agree/cli/stop.hpp"

#include <csignal>
#include <utility>

namespace agree::cli {
namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_killed_soon{false};  // SIGINT or SIGTERM came: under mpirun, SIGKILL follows
static_assert(std::atomic<bool>::is_always_lock_free, "set in a signal handler");

extern "C" void on_stop_signal(int sig) {
  if (sig != SIGUSR1) g_killed_soon.store(true);
  if (g_interrupted.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

constexpr int kStops[] = {SIGINT, SIGTERM, SIGUSR1};

class StoppingRanks final : public checker::Transport {
 public:
  explicit StoppingRanks(checker::Transport& t) : t_(t) {}
  [[nodiscard]] int rank() const override { return t_.rank(); }
  [[nodiscard]] int size() const override { return t_.size(); }
  void send(int to, std::string bytes) override { t_.send(to, std::move(bytes)); }
  std::optional<Message> receive(bool wait) override { return t_.receive(wait); }
  void flush() override { t_.flush(); }
  std::vector<std::uint64_t> reduce(std::vector<std::uint64_t> values, Op op) override { return t_.reduce(std::move(values), op); }
  std::string broadcast(int root, std::string bytes) override { return t_.broadcast(root, std::move(bytes)); }
  void bound_waits(double patience, double grace, const std::atomic<bool>* interrupt) override {
    t_.bound_waits(patience, grace, interrupt == &g_interrupted ? &g_killed_soon : interrupt);
  }
  [[nodiscard]] int local_size() const override { return t_.local_size(); }

 private:
  checker::Transport& t_;
};

}  // namespace

Stopping::Stopping() {
  for (const int sig : kStops) std::signal(sig, on_stop_signal);
}

Stopping::~Stopping() {
  for (const int sig : kStops) std::signal(sig, SIG_DFL);
}

const std::atomic<bool>* Stopping::interrupt() { return &g_interrupted; }

std::unique_ptr<checker::Transport> stopping_ranks(checker::Transport& ranks) { return std::make_unique<StoppingRanks>(ranks); }

}  // namespace agree::cli
