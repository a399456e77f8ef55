// checker/checkpoint.hpp — the breadth-first search saved to a file, so that a
// run of hours survives a reboot, a Ctrl-C or a time limit (--checkpoint,
// --resume; the search side is in checker/bfs.hpp, and for the distributed
// search, one such file per rank, in checker/distributed_checkpoint.hpp).
//
// The file is binary, little-endian as the machine writes it:
//
//   "AGREECKP" magic, u32 format version
//   identity: protocol name, model version (model::version_of<P>()), the resolved
//             parameter string, the reduce mode, exact or fingerprint store,
//             the properties checked (a resume must check the same ones)
//   the search, a record per part (each part writes and reads its own):
//             counters (checker/bfs.hpp), the visited fingerprints per segment
//             (shared_store.hpp), the trail's parent edges per level
//             (trail.hpp), reachability and the violations found so far
//             (monitor.hpp), the current level's states, which of its
//             64-state chunks are still to expand, and the part of the next
//             level built so far (frontier.hpp)
//   u64 XXH3 checksum of everything before it
//
// Written to FILE.tmp-PID in the same directory, flushed, fsync'ed, renamed
// over FILE, and the directory fsync'ed: a save cut short (a crash, SIGKILL,
// a full disk) leaves the previous checkpoint whole. A resume first checks
// the checksum over the whole file, so a truncated or corrupted file is
// refused with one line (std::invalid_argument: exit 2), never half-loaded;
// every length read is also checked against what the file still holds.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agree/checker/options.hpp"

namespace agree::checker {

// 2 (agree 0.2): each part of the search writes its own record — counters,
// visited table, trail, property monitor, frontier, in that order.
inline constexpr std::uint32_t kCheckpointFormat = 2;

// What a checkpoint was made for; a resume with anything different is refused.
struct CheckpointIdentity {
  std::string protocol;
  std::int64_t version = 0;
  std::string parameters;
  std::string reduce;
  bool exact = false;
  bool packed = false;  // states packed in words (checker/codec.hpp): other keys in the table
  std::vector<std::string> properties;  // checked ones, then reachability ones, in order
};

// The checkpoint file of rank `rank` of `ranks` (the distributed search):
// PATH.rank-R-of-K.
std::string rank_checkpoint_path(const std::string& path, int rank, int ranks);
// How many ranks wrote the checkpoint files PATH.rank-0-of-K found beside
// `path` (0: none), for a resume started with another number of ranks.
int checkpoint_ranks(const std::string& path);

// Refuses options a checkpoint cannot serve (DFS, tree search, --exact).
void check_checkpoint_options(const Options& o, std::string_view search);
// Fails early (std::invalid_argument) if no checkpoint can be written beside `path`.
void check_checkpoint_writable(const std::string& path);

class CheckpointWriter {
 public:
  explicit CheckpointWriter(std::string path);
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  void bytes(const void* data, std::size_t n);
  void u64(std::uint64_t v) { bytes(&v, sizeof v); }
  void str(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void identity(const CheckpointIdentity& id);
  // Checksum, flush, fsync, rename over the target. Throws std::runtime_error.
  void commit() {
    prepare();
    publish();
  }
  // commit() in two steps, for a set of files that must change together (the
  // distributed search's, one per rank): prepare() makes the new file whole on
  // disk beside the target, publish() renames it over the target.
  void prepare();
  void publish();
  [[nodiscard]] std::uint64_t written() const { return written_; }

 private:
  std::string path_, tmp_;
  std::FILE* file_ = nullptr;
  void* hash_ = nullptr;  // XXH3_state_t
  std::uint64_t written_ = 0;
  bool committed_ = false;
};

class CheckpointReader {
 public:
  // Opens the file and verifies its checksum; throws std::invalid_argument.
  explicit CheckpointReader(std::string path);
  ~CheckpointReader();
  CheckpointReader(const CheckpointReader&) = delete;
  CheckpointReader& operator=(const CheckpointReader&) = delete;

  void bytes(void* data, std::size_t n);
  std::uint64_t u64() {
    std::uint64_t v = 0;
    bytes(&v, sizeof v);
    return v;
  }
  // A count of items of `item_bytes` each that the rest of the file must hold.
  std::uint64_t count(std::size_t item_bytes);
  std::string str() {
    std::string s(static_cast<std::size_t>(count(1)), '\0');
    bytes(s.data(), s.size());
    return s;
  }
  // Reads the identity and refuses (std::invalid_argument) any difference from `expected`.
  void expect_identity(const CheckpointIdentity& expected);
  // At the checksum: refuses trailing garbage or a short read.
  void finish();
  [[noreturn]] void corrupt(const std::string& what) const;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t size_ = 0, pos_ = 0;  // pos_: bytes read, size_: payload bytes (without the checksum)
};

}  // namespace agree::checker
