// model/suggest.hpp — "did you mean ...?" for a name that is not known: a
// protocol, command, option, variant or property.
//
// A candidate is suggested when it is the same name written another way
// (case, '_' for '-', a '-' left out: total_order, no-tie-break) or within a
// small edit distance of it (isiss, chek, --procz): at most one edit for
// names of up to four letters, two up to eight, three beyond. Ties go to the
// first candidate, so suggestions follow the order the caller lists them in.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace agree::model {

namespace detail {

inline std::string fold(std::string_view s) {
  std::string out;
  for (const char c : s)
    if (c != '-' && c != '_' && c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Levenshtein distance with adjacent transpositions (optimal string alignment).
inline std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace detail

// The candidate closest to `word`, or "" when none is close enough.
inline std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string w = detail::fold(word);
  if (w.empty() || word.size() > 64) return "";
  const std::size_t budget = w.size() <= 4 ? 1 : w.size() <= 8 ? 2 : 3;
  std::string best;
  std::size_t best_d = budget + 1;
  for (const auto& c : candidates) {
    if (c == word) continue;
    const std::size_t dist = detail::distance(w, detail::fold(c));
    if (dist < best_d) best = c, best_d = dist;
  }
  return best;
}

// " (did you mean X?)", or "" when nothing is close.
inline std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string c = closest(word, candidates);
  return c.empty() ? "" : " (did you mean " + c + "?)";
}

inline std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// "unknown protocol 'isiss' (did you mean isis? known: sequencer, isis, ...)":
// the one sentence for a name that is not known, whatever it names.
inline std::string unknown(std::string_view kind, std::string_view word, const std::vector<std::string>& known) {
  const std::string c = closest(word, known);
  return "unknown " + std::string(kind) + " '" + std::string(word) + "' (" + (c.empty() ? "" : "did you mean " + c + "? ") +
         "known: " + joined(known) + ")";
}

}  // namespace agree::model
