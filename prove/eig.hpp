// prove/eig.hpp — the message tree of OM(m) and of full-information relay:
// every path (the distinct generals a value passed through, starting at the
// commander p0) and every message (a path and a receiver not on it), in one
// canonical order: paths by length, then lexicographically; receivers
// ascending. The same tree labels OM's oral messages (protocols.md §om) and
// the views of the full-information protocols of `agree prove impossible`.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace agree::prove {

using Path = std::vector<int>;

class Eig {
 public:
  struct Msg {
    int path;  // index into paths()
    int to;    // the receiver, not on the path
  };

  // Paths of length 1 .. max_len over generals 0 .. n-1, and their messages.
  // Throws std::length_error beyond `limit` messages.
  Eig(int n, int max_len, std::size_t limit = 1'000'000) : n_(n) {
    std::vector<Path> frontier{{0}};
    for (int len = 1; len <= max_len && !frontier.empty(); ++len) {
      std::vector<Path> next;
      for (const auto& p : frontier) {
        const int pi = static_cast<int>(paths_.size());
        paths_.push_back(p);
        path_index_[p] = pi;
        for (int j = 0; j < n; ++j)
          if (!on(p, j)) {
            msg_index_[{pi, j}] = static_cast<int>(msgs_.size());
            msgs_.push_back({pi, j});
            if (msgs_.size() > limit)
              throw std::length_error("more than " + std::to_string(limit) + " messages: too large to encode");
            if (len < max_len) {
              Path q = p;
              q.push_back(j);
              next.push_back(std::move(q));
            }
          }
      }
      frontier = std::move(next);
    }
  }

  [[nodiscard]] int generals() const { return n_; }
  [[nodiscard]] const std::vector<Path>& paths() const { return paths_; }
  [[nodiscard]] const std::vector<Msg>& msgs() const { return msgs_; }
  [[nodiscard]] int path(const Path& p) const { return path_index_.at(p); }
  [[nodiscard]] bool has_path(const Path& p) const { return path_index_.count(p) != 0; }
  [[nodiscard]] int msg(const Path& p, int to) const { return msg_index_.at({path(p), to}); }
  [[nodiscard]] int msg(int path_index, int to) const { return msg_index_.at({path_index, to}); }
  [[nodiscard]] int sender(const Msg& m) const { return paths_[static_cast<std::size_t>(m.path)].back(); }

  static bool on(const Path& p, int g) {
    for (const int x : p)
      if (x == g) return true;
    return false;
  }
  // "0>2>1": a path in the names of the SMT variables (the --smt2 query).
  static std::string text(const Path& p) {
    std::string s;
    for (const int x : p) s += (s.empty() ? "" : ">") + std::to_string(x);
    return s;
  }
  // "p0.p2.p1": a path as `agree prove` prints it, in the notation of the
  // explicit om model (model/om.hpp: send(p0.p2.p1>p3: attack)).
  static std::string name(const Path& p) {
    std::string s;
    for (const int x : p) s += (s.empty() ? "p" : ".p") + std::to_string(x);
    return s;
  }

 private:
  int n_;
  std::vector<Path> paths_;
  std::map<Path, int> path_index_;
  std::vector<Msg> msgs_;
  std::map<std::pair<int, int>, int> msg_index_;
};

}  // namespace agree::prove
