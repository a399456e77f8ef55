#include "agree/counterexamples/trace.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace agree::counterexamples {

namespace {

constexpr std::size_t kMaxLine = 64 * 1024;
constexpr std::uintmax_t kMaxFile = 64ull * 1024 * 1024;

std::string where(const std::string& file, std::size_t line) {
  return line ? file + ":" + std::to_string(line) : file;
}

bool parse_uint(const std::string& s, std::size_t& out) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

TraceError::TraceError(const std::string& file, std::size_t line, const std::string& what)
    : std::runtime_error(where(file, line) + ": " + what) {}

int format_of(const Trace& t) { return t.cycle || !t.fairness.empty() ? 2 : 1; }

std::string to_text(const Trace& t) {
  std::ostringstream out;
  out << "# agree counterexample trace; replay with: agree replay FILE (format: README.md, \"Trace format\")\n";
  out << "agree-trace " << format_of(t) << '\n';
  out << "protocol " << t.protocol << '\n';
  out << "model-version " << t.model_version << '\n';
  out << "parameters " << t.parameters << '\n';
  out << "property " << t.property << '\n';
  if (!t.fairness.empty()) out << "fairness " << t.fairness << '\n';
  out << "steps " << t.steps.size() << '\n';
  if (t.cycle) out << "cycle " << *t.cycle << '\n';
  out << "init " << t.init << '\n';
  for (std::size_t i = 0; i < t.steps.size(); ++i) out << (i + 1) << ' ' << t.steps[i] << '\n';
  out << "end\n";
  return out.str();
}

Trace parse_trace(const std::string& text, const std::string& file) {
  if (text.empty()) throw TraceError(file, 0, "empty file, not a trace");
  Trace t;
  std::size_t declared_steps = 0, version = 0;
  bool have_steps = false, ended = false;
  std::size_t line_no = 0, pos = 0;
  enum class Want { Header, Protocol, Version, Parameters, Property, Fairness, Steps, Cycle, Init, Body } want = Want::Header;
  const auto expect = [&](const std::string& key, const std::string& got) {
    throw TraceError(file, line_no, "expected '" + key + " ...', found '" + got.substr(0, 60) + "'");
  };
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.size() > kMaxLine) throw TraceError(file, line_no, "line longer than 65536 characters");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    for (const unsigned char c : line)
      if ((c < 0x20 && c != '\t') || c == 0x7f)
        throw TraceError(file, line_no, "binary data (control character " + std::to_string(c) + "), not a trace");
    if (line.empty() || line[0] == '#') continue;
    if (ended) throw TraceError(file, line_no, "text after 'end'");
    const std::size_t sp = line.find(' ');
    const std::string key = line.substr(0, sp);
    const std::string value = sp == std::string::npos ? "" : line.substr(sp + 1);
    switch (want) {
      case Want::Header: {
        if (key != "agree-trace") throw TraceError(file, line_no, "not an agree trace (first line must be 'agree-trace 1')");
        if (!parse_uint(value, version)) throw TraceError(file, line_no, "bad format version '" + value + "'");
        if (version < 1 || version > static_cast<std::size_t>(kTraceFormat))
          throw TraceError(file, line_no, "trace format version " + value + " is not supported (this agree reads versions 1 and 2)");
        t.header_line = line_no;
        want = Want::Protocol;
        break;
      }
      case Want::Protocol:
        if (key != "protocol" || value.empty()) expect("protocol", line);
        t.protocol = value, t.protocol_line = line_no, want = Want::Version;
        break;
      case Want::Version: {
        std::size_t v = 0;
        if (key != "model-version") expect("model-version", line);
        if (!parse_uint(value, v) || v > 1'000'000) throw TraceError(file, line_no, "bad model version '" + value + "'");
        t.model_version = static_cast<int>(v), t.version_line = line_no, want = Want::Parameters;
        break;
      }
      case Want::Parameters:
        if (key != "parameters") expect("parameters", line);
        t.parameters = value, t.parameters_line = line_no, want = Want::Property;
        break;
      case Want::Property:
        if (key != "property" || value.empty()) expect("property", line);
        t.property = value, t.property_line = line_no, want = Want::Fairness;
        break;
      case Want::Fairness:
        if (key == "fairness") {
          if (version < 2) throw TraceError(file, line_no, "'fairness' needs trace format version 2 (the header says 1)");
          if (value != "none" && value != "weak" && value != "strong")
            throw TraceError(file, line_no, "bad fairness '" + value.substr(0, 60) + "' (none, weak or strong)");
          t.fairness = value, t.fairness_line = line_no, want = Want::Steps;
          break;
        }
        [[fallthrough]];
      case Want::Steps:
        if (key != "steps") expect("steps", line);
        if (!parse_uint(value, declared_steps) || declared_steps > 10'000'000)
          throw TraceError(file, line_no, "bad step count '" + value + "'");
        have_steps = true, want = Want::Cycle;
        break;
      case Want::Cycle:
        if (key == "cycle") {
          std::size_t k = 0;
          if (version < 2) throw TraceError(file, line_no, "'cycle' needs trace format version 2 (the header says 1)");
          if (!parse_uint(value, k) || k >= declared_steps)
            throw TraceError(file, line_no, "bad cycle start '" + value.substr(0, 60) + "' (a step number from 0 to " +
                                                (declared_steps ? std::to_string(declared_steps - 1) : std::string("-")) +
                                                ", the state the run returns to)");
          t.cycle = k, t.cycle_line = line_no, want = Want::Init;
          break;
        }
        [[fallthrough]];
      case Want::Init:
        if (key != "init") expect("init", line);
        t.init = value, t.init_line = line_no, want = Want::Body;
        break;
      case Want::Body: {
        if (line == "end") {
          ended = true;
          break;
        }
        std::size_t n = 0;
        if (!parse_uint(key, n)) throw TraceError(file, line_no, "expected a numbered step or 'end', found '" + line.substr(0, 60) + "'");
        if (n != t.steps.size() + 1)
          throw TraceError(file, line_no, "step " + key + " out of order (expected " + std::to_string(t.steps.size() + 1) + ")");
        if (value.empty()) throw TraceError(file, line_no, "step " + key + " has no action");
        if (t.steps.size() >= declared_steps)
          throw TraceError(file, line_no, "more steps than the header's 'steps " + std::to_string(declared_steps) + "'");
        t.steps.push_back(value);
        t.step_lines.push_back(line_no);
        break;
      }
    }
  }
  if (want == Want::Header) throw TraceError(file, line_no, "no 'agree-trace' header, not a trace");
  if (want != Want::Body || !have_steps)
    throw TraceError(file, line_no, "truncated: the header is incomplete");
  if (!ended)
    throw TraceError(file, line_no, "truncated: no 'end' line (" + std::to_string(t.steps.size()) + " of " +
                                        std::to_string(declared_steps) + " steps read)");
  if (t.steps.size() != declared_steps)
    throw TraceError(file, line_no, "the header says " + std::to_string(declared_steps) + " steps, the trace has " +
                                        std::to_string(t.steps.size()));
  return t;
}

Trace read_trace_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw TraceError(path, 0, "no such file");
  if (std::filesystem::is_directory(status)) throw TraceError(path, 0, "is a directory, not a trace");
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxFile) throw TraceError(path, 0, "file larger than 64 MiB, not a trace");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TraceError(path, 0, std::string("cannot read: ") + std::strerror(errno));
  // Read at most kMaxFile + 1 bytes: a device or pipe (/dev/zero) has no size
  // to check beforehand and must not be read forever.
  std::string text;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFile) throw TraceError(path, 0, "file larger than 64 MiB, not a trace");
  }
  if (in.bad()) throw TraceError(path, 0, "cannot read: I/O error");
  return parse_trace(text, path);
}

namespace {

std::string write_temp(const std::string& dir, const std::string& text) {
  std::string tmpl = (std::filesystem::path(dir) / ".agree-XXXXXX.tmp").string();
  const int fd = mkstemps(tmpl.data(), 4);
  if (fd < 0) throw std::runtime_error("cannot create a file in " + dir + ": " + std::strerror(errno));
  // mkstemps creates 0600; the file gets the mode open(..., 0666) would give
  // (0644 under umask 022), as the traces written through O_TMPFILE do.
  // umask can only be read by setting it: once, before any file is written.
  static const mode_t mask = [] {
    const mode_t m = ::umask(0);
    ::umask(m);
    return m;
  }();
  ::fchmod(fd, 0666 & ~mask);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(tmpl.c_str());
      throw std::runtime_error("cannot write " + tmpl + ": " + err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmpl.c_str());
    throw std::runtime_error("cannot write " + tmpl + ": " + std::strerror(errno));
  }
  return tmpl;
}

// Writes text to an O_TMPFILE file in dir and links it as DIR/STEM[-N]EXT.
// Returns nullopt where O_TMPFILE or /proc is unavailable (the caller falls
// back to a named temporary file); throws on any other failure.
std::optional<std::string> write_unnamed(const std::string& dir, const std::string& stem, const std::string& ext,
                                         const std::string& text) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) return std::nullopt;
  const auto fail = [&](const std::string& what) {
    const std::string err = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error(what + ": " + err);
  };
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write a file in " + dir);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("cannot write a file in " + dir);
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  for (int n = 1; n < 100000; ++n) {
    const std::string path = (std::filesystem::path(dir) / (stem + (n == 1 ? "" : "-" + std::to_string(n)) + ext)).string();
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) == 0) {  // never overwrites
      ::close(fd);
      return path;
    }
    if (errno == EEXIST) continue;
    if (n == 1 && errno == ENOENT) {  // no /proc
      ::close(fd);
      return std::nullopt;
    }
    fail("cannot create " + path);
  }
  ::close(fd);
  throw std::runtime_error("too many files named " + stem + "* in " + dir);
}

}  // namespace

std::string write_new_file(const std::string& dir, const std::string& stem, const std::string& ext,
                           const std::string& text) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create directory " + dir + ": " + ec.message());
  // First choice: an unnamed O_TMPFILE file, linked into place once written,
  // so a process killed mid-write (SIGKILL) leaves nothing behind at all.
  if (std::optional<std::string> path = write_unnamed(dir, stem, ext, text)) return *path;
  const std::string tmp = write_temp(dir, text);
  for (int n = 1; n < 100000; ++n) {
    const std::string name = stem + (n == 1 ? "" : "-" + std::to_string(n)) + ext;
    const std::string path = (std::filesystem::path(dir) / name).string();
    if (::link(tmp.c_str(), path.c_str()) == 0) {  // fails if path exists: never overwrites
      ::unlink(tmp.c_str());
      return path;
    }
    if (errno != EEXIST) {
      const std::string err = std::strerror(errno);
      ::unlink(tmp.c_str());
      throw std::runtime_error("cannot create " + path + ": " + err);
    }
  }
  ::unlink(tmp.c_str());
  throw std::runtime_error("too many files named " + stem + "* in " + dir);
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const auto parent = std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  const std::string tmp = write_temp(dir, text);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + path + ": " + err);
  }
}

}  // namespace agree::counterexamples
