#include "agree/explore/session.hpp"

#include <charconv>

namespace agree::explore {

std::string to_string(Status s) {
  switch (s) {
    case Status::Holds: return "holds";
    case Status::Violated: return "violated here";
    case Status::Unjudged: return "judged only in terminal states";
    case Status::Reached: return "reached";
    case Status::Unreached: return "not reached yet";
  }
  return "?";
}

std::string status_key(Status s) {
  switch (s) {
    case Status::Holds: return "holds";
    case Status::Violated: return "violated";
    case Status::Unjudged: return "unjudged";
    case Status::Reached: return "reached";
    case Status::Unreached: return "unreached";
  }
  return "?";
}

checker::Path parse_path(const std::string& text) {
  checker::Path path;
  if (text.empty()) return path;
  std::size_t start = 0, item = 0;
  while (true) {
    const std::size_t slash = text.find('/', start);
    const std::string_view piece = std::string_view(text).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), n);
    if (piece.empty() || ec != std::errc() || end != piece.data() + piece.size()) {
      std::string shown = piece.size() > 20 ? std::string(piece.substr(0, 20)) + "..." : std::string(piece);
      for (char& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';  // the message stays one line
      throw PathError("path: '" + shown + "' at position " + std::to_string(item + 1) +
                      " is not a number (a path is the initial state's index, then action indices, separated by '/': 0/3/1)");
    }
    if (item == 0) path.init = n;
    else path.actions.push_back(n);
    if (path.actions.size() > kMaxPath) throw PathError("a path has at most " + std::to_string(kMaxPath) + " steps");
    ++item;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return path;
}

}  // namespace agree::explore
