// tests/run_binary.hpp — run the built `agree` binary (AGREE_BINARY) as a
// child process: its exit code and what it printed, or a handle to signal it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace runbin {

// A fresh empty directory under the system temp dir, removed on destruction.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "agree-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string str() const { return path.string(); }
  [[nodiscard]] std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void spit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// A running child: agree with args, stdout and stderr going to files in dir,
// working directory dir.
struct Child {
  pid_t pid = -1;
  std::string out_path, err_path;

  Child(const TempDir& dir, const std::vector<std::string>& args) : out_path(dir / "stdout"), err_path(dir / "stderr") {
    // The tests do not depend on the agree target (a dependency would hold
    // every test file's compilation until agree links): build both.
    if (::access(AGREE_BINARY, X_OK) != 0)
      throw std::runtime_error(std::string(AGREE_BINARY) + " is not built: build the agree target with the tests");
    std::vector<std::string> argv_s{AGREE_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string cwd = dir.str();
    pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      const int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = ::open("/dev/null", O_RDONLY);
      if (o < 0 || e < 0 || in < 0 || ::chdir(cwd.c_str()) != 0) ::_exit(127);
      ::dup2(in, 0), ::dup2(o, 1), ::dup2(e, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  // Waits; returns the exit code, or 128 + signal number if a signal ended it.
  int wait() {
    if (pid > 0)
      while (::waitpid(pid, &status_, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    pid = -1;
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  }
  // Whether it still runs (if not, wait() returns at once with how it ended).
  bool running() {
    if (pid <= 0) return false;
    if (::waitpid(pid, &status_, WNOHANG) != pid) return true;
    pid = -1;
    return false;
  }
  void signal(int sig) const {
    if (pid > 0) ::kill(pid, sig);
  }
  [[nodiscard]] std::string out() const { return slurp(out_path); }
  [[nodiscard]] std::string err() const { return slurp(err_path); }
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

 private:
  int status_ = 0;
};

// The number printed after `key` in text (spaces and digit separators
// skipped), or -1 if key is absent: number_after(out, "distinct states").
inline long long number_after(const std::string& text, const std::string& key) {
  const auto at = text.find(key);
  if (at == std::string::npos) return -1;
  std::size_t i = at + key.size();
  while (i < text.size() && text[i] == ' ') ++i;
  long long n = -1;
  for (; i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == ','); ++i)
    if (text[i] != ',') n = (n < 0 ? 0 : n * 10) + (text[i] - '0');
  return n;
}

struct Result {
  int code = -1;
  std::string out, err;
};

// Runs agree to completion in a fresh temporary directory.
inline Result run(const std::vector<std::string>& args) {
  TempDir dir;
  Child c(dir, args);
  Result r;
  r.code = c.wait();
  r.out = c.out();
  r.err = c.err();
  return r;
}

}  // namespace runbin
