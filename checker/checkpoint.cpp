// checker/checkpoint.cpp — the checkpoint file: atomic streaming writes, and
// reads that verify before they trust (see checkpoint.hpp).
#include "agree/checker/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <xxhash.h>

namespace agree::checker {

namespace {

constexpr char kMagic[8] = {'A', 'G', 'R', 'E', 'E', 'C', 'K', 'P'};
constexpr std::uint64_t kHeaderBytes = sizeof kMagic + sizeof(std::uint32_t);

std::string errno_text() { return std::strerror(errno); }

}  // namespace

void check_checkpoint_options(const Options& o, std::string_view search) {
  if (o.checkpoint_path.empty() && o.resume_path.empty()) return;
  const char* flag = o.resume_path.empty() ? "--checkpoint" : "--resume";
  if (search != "bfs")
    throw std::invalid_argument(std::string(flag) + " works with the breadth-first search only, not --search " +
                                std::string(search));
  if (o.exact) throw std::invalid_argument(std::string(flag) + " is not available with --exact (fingerprints only)");
}

std::string rank_checkpoint_path(const std::string& path, int rank, int ranks) {
  return path + ".rank-" + std::to_string(rank) + "-of-" + std::to_string(ranks);
}

int checkpoint_ranks(const std::string& path) {
  const std::filesystem::path p(path);
  const std::filesystem::path dir = p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path();
  const std::string prefix = p.filename().string() + ".rank-0-of-";
  std::error_code ec;  // a directory that cannot be read has none: the caller's own open says why
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string k = name.substr(prefix.size());
    if (!k.empty() && k.size() < 6 && k.find_first_not_of("0123456789") == std::string::npos) return std::stoi(k);
  }
  return 0;
}

void check_checkpoint_writable(const std::string& path) {
  const std::string probe = path + ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(probe.c_str(), "wb");
  if (!f) throw std::invalid_argument("--checkpoint " + path + ": cannot create " + probe + ": " + errno_text());
  std::fclose(f);
  std::remove(probe.c_str());
}

// ---- writing ----

CheckpointWriter::CheckpointWriter(std::string path) : path_(std::move(path)) {
  tmp_ = path_ + ".tmp-" + std::to_string(::getpid());
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (!file_) throw std::runtime_error("cannot create " + tmp_ + ": " + errno_text());
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  auto* h = XXH3_createState();
  if (!h) throw std::bad_alloc();
  XXH3_64bits_reset(h);
  hash_ = h;
  bytes(kMagic, sizeof kMagic);
  const std::uint32_t format = kCheckpointFormat;
  bytes(&format, sizeof format);
}

CheckpointWriter::~CheckpointWriter() {
  if (file_) std::fclose(file_);
  if (!committed_) std::remove(tmp_.c_str());
  XXH3_freeState(static_cast<XXH3_state_t*>(hash_));
}

void CheckpointWriter::bytes(const void* data, std::size_t n) {
  if (n == 0) return;
  if (std::fwrite(data, 1, n, file_) != n) throw std::runtime_error("cannot write " + tmp_ + ": " + errno_text());
  XXH3_64bits_update(static_cast<XXH3_state_t*>(hash_), data, n);
  written_ += n;
}

void CheckpointWriter::identity(const CheckpointIdentity& id) {
  str(id.protocol);
  u64(static_cast<std::uint64_t>(id.version));
  str(id.parameters);
  str(id.reduce);
  u64(id.exact ? 1 : id.packed ? 2 : 0);
  u64(id.properties.size());
  for (const auto& p : id.properties) str(p);
}

void CheckpointWriter::prepare() {
  const std::uint64_t sum = XXH3_64bits_digest(static_cast<XXH3_state_t*>(hash_));
  if (std::fwrite(&sum, sizeof sum, 1, file_) != 1 || std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0)
    throw std::runtime_error("cannot write " + tmp_ + ": " + errno_text());
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) throw std::runtime_error("cannot write " + tmp_ + ": " + errno_text());
}

void CheckpointWriter::publish() {
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error("cannot rename " + tmp_ + " to " + path_ + ": " + errno_text());
  committed_ = true;
  // The rename itself must reach the disk too.
  std::string dir = std::filesystem::path(path_).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// ---- reading ----

CheckpointReader::CheckpointReader(std::string path) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "rb");
  if (!file_) throw std::invalid_argument("cannot open checkpoint " + path_ + ": " + errno_text());
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  if (std::fseek(file_, 0, SEEK_END) != 0) corrupt("cannot seek");
  const long end = std::ftell(file_);
  if (end < 0) corrupt("cannot tell its size");
  std::rewind(file_);
  const auto total = static_cast<std::uint64_t>(end);
  char magic[sizeof kMagic] = {};
  if (total < kHeaderBytes || std::fread(magic, 1, sizeof magic, file_) != sizeof magic ||
      std::memcmp(magic, kMagic, sizeof magic) != 0)
    throw std::invalid_argument("checkpoint " + path_ + ": not an agree checkpoint file");
  std::uint32_t format = 0;
  if (std::fread(&format, sizeof format, 1, file_) != 1) corrupt("truncated header");
  if (format != kCheckpointFormat)
    throw std::invalid_argument("checkpoint " + path_ + ": format version " + std::to_string(format) +
                                ", this agree reads version " + std::to_string(kCheckpointFormat));
  if (total < kHeaderBytes + sizeof(std::uint64_t)) corrupt("truncated");
  size_ = total - sizeof(std::uint64_t);
  // The checksum over everything before it, before anything is trusted.
  auto* h = XXH3_createState();
  if (!h) throw std::bad_alloc();
  XXH3_64bits_reset(h);
  std::rewind(file_);
  std::vector<char> block(1 << 20);
  for (std::uint64_t left = size_; left > 0;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
    if (std::fread(block.data(), 1, n, file_) != n) {
      XXH3_freeState(h);
      corrupt("truncated");
    }
    XXH3_64bits_update(h, block.data(), n);
    left -= n;
  }
  const std::uint64_t sum = XXH3_64bits_digest(h);
  XXH3_freeState(h);
  std::uint64_t stored = 0;
  if (std::fread(&stored, sizeof stored, 1, file_) != 1) corrupt("truncated");
  if (stored != sum) corrupt("checksum mismatch (truncated or damaged)");
  if (std::fseek(file_, static_cast<long>(kHeaderBytes), SEEK_SET) != 0) corrupt("cannot seek");
  pos_ = kHeaderBytes;
}

CheckpointReader::~CheckpointReader() {
  if (file_) std::fclose(file_);
}

void CheckpointReader::corrupt(const std::string& what) const {
  throw std::invalid_argument("checkpoint " + path_ + " is corrupt: " + what);
}

void CheckpointReader::bytes(void* data, std::size_t n) {
  if (n == 0) return;
  if (n > size_ - pos_ || std::fread(data, 1, n, file_) != n) corrupt("truncated");
  pos_ += n;
}

std::uint64_t CheckpointReader::count(std::size_t item_bytes) {
  const std::uint64_t n = u64();
  if (item_bytes && n > (size_ - pos_) / item_bytes) corrupt("a length runs past the end of the file");
  return n;
}

void CheckpointReader::expect_identity(const CheckpointIdentity& want) {
  CheckpointIdentity got;
  got.protocol = str();
  got.version = static_cast<std::int64_t>(u64());
  got.parameters = str();
  got.reduce = str();
  const std::uint64_t store = u64();
  got.exact = store == 1;
  got.packed = store == 2;
  const std::uint64_t n = count(sizeof(std::uint64_t));
  for (std::uint64_t i = 0; i < n; ++i) got.properties.push_back(str());
  const std::string head = "checkpoint " + path_ + " ";
  if (got.protocol != want.protocol)
    throw std::invalid_argument(head + "is for protocol " + got.protocol + ", not " + want.protocol);
  if (got.version != want.version)
    throw std::invalid_argument(head + "is for " + got.protocol + " model version " + std::to_string(got.version) +
                                ", this agree has version " + std::to_string(want.version));
  if (got.parameters != want.parameters)
    throw std::invalid_argument(head + "has parameters \"" + got.parameters + "\", not \"" + want.parameters + "\"");
  if (got.reduce != want.reduce)
    throw std::invalid_argument(head + "was made with --reduce " + got.reduce + ", not --reduce " + want.reduce);
  if (got.exact != want.exact)
    throw std::invalid_argument(head + "was made with " + (got.exact ? "--exact" : "the fingerprint store") +
                                ", not " + (want.exact ? "--exact" : "the fingerprint store"));
  if (got.packed != want.packed)
    throw std::invalid_argument(head + (got.packed ? "holds packed states" : "holds fingerprints") + ", not " +
                                (want.packed ? "packed states" : "fingerprints") + " (use the same --no-pack option)");
  if (got.properties != want.properties) {
    std::string g, w;
    for (const auto& p : got.properties) g += (g.empty() ? "" : ",") + p;
    for (const auto& p : want.properties) w += (w.empty() ? "" : ",") + p;
    throw std::invalid_argument(head + "checks the properties " + g + ", not " + w + " (use the same --property options)");
  }
}

void CheckpointReader::finish() {
  if (pos_ != size_) corrupt("unexpected data after the end of the search");
}

}  // namespace agree::checker
