// mpi/run.cpp — agree::mpi::run (agree/mpi/run.hpp).
#include "agree/mpi/run.hpp"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <utility>

#include "agree/mpi/transport.hpp"

namespace agree::mpi {
namespace {

// Each line written to it reaches `to` whole, after `prefix` (a line is
// written when its newline comes, whatever flushes come before it).
class Prefixed final : public std::streambuf {
 public:
  Prefixed(std::streambuf* to, std::string prefix) : to_(to), prefix_(std::move(prefix)) {}

 private:
  int overflow(int c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    line_.push_back(static_cast<char>(c));
    if (c != '\n') return c;
    const std::string out = prefix_ + line_;
    line_.clear();
    const auto n = static_cast<std::streamsize>(out.size());
    return to_->sputn(out.data(), n) == n ? c : traits_type::eof();
  }
  int sync() override { return to_->pubsync(); }
  std::streambuf* to_;
  std::string prefix_, line_;
};

}  // namespace

int run(int argc, char** argv, const std::function<int(int, char**, checker::Transport*)>& body) {
  bool distributed = launched();
  for (int i = 1; i < argc; ++i) distributed = distributed || std::strcmp(argv[i], "--distributed") == 0;
  if (!distributed) return body(argc, argv, nullptr);
  std::optional<Session> session;
  try {
    session.emplace(argc, argv);
  } catch (const checker::TransportError& e) {  // MPI would not start, or not with the threads we need
    const char* slash = argc > 0 ? std::strrchr(argv[0], '/') : nullptr;
    std::cerr << (slash ? slash + 1 : argc > 0 ? argv[0] : "agree") << ": error: " << e.what() << '\n';
    return 2;
  }
  Session& mpi = *session;
  if (mpi.rank() != 0) {
    if (!std::freopen("/dev/null", "w", stdout)) return mpi.finish(2);
    // Never freed: std::cerr may write through it until the process ends.
    static auto* marked = new Prefixed(std::cerr.rdbuf(), "[rank " + std::to_string(mpi.rank()) + "] ");
    std::cerr.rdbuf(marked);
  }
  return mpi.finish(body(argc, argv, &mpi.transport()));
}

}  // namespace agree::mpi
