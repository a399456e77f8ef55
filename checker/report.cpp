#include <cmath>
#include <stdexcept>

#include "agree/checker/options.hpp"

namespace agree::checker {

std::string to_string(Verdict v) {
  switch (v) {
    case Verdict::Holds: return "holds";
    case Verdict::Violated: return "violated";
    case Verdict::Incomplete: return "incomplete";
  }
  return "?";
}

std::string to_string(Reduce r) {
  switch (r) {
    case Reduce::None: return "none";
    case Reduce::Por: return "por";
    case Reduce::Symmetry: return "symmetry";
    case Reduce::All: return "all";
  }
  return "none";
}

Reduce parse_reduce(const std::string& text) {
  for (const Reduce r : {Reduce::None, Reduce::Por, Reduce::Symmetry, Reduce::All})
    if (to_string(r) == text) return r;
  throw std::invalid_argument("--reduce " + text + ": expected none, por, symmetry or all");
}

std::string to_string(Fairness f) {
  switch (f) {
    case Fairness::None: return "none";
    case Fairness::Weak: return "weak";
    case Fairness::Strong: return "strong";
  }
  return "none";
}

Fairness parse_fairness(const std::string& text) {
  for (const Fairness f : {Fairness::None, Fairness::Weak, Fairness::Strong})
    if (to_string(f) == text) return f;
  throw std::invalid_argument("--fairness " + text + ": expected none, weak or strong");
}

std::string to_string(Cut c) {
  switch (c) {
    case Cut::None: return "none";
    case Cut::MaxStates: return "max-states";
    case Cut::MaxDepth: return "max-depth";
    case Cut::TimeLimit: return "time-limit";
    case Cut::MemoryLimit: return "memory-limit";
    case Cut::Interrupted: return "interrupted";
    case Cut::LostRank: return "lost-rank";
  }
  return "?";
}

std::string Path::encode() const {
  std::string out = std::to_string(init);
  for (const auto a : actions) out += "/" + std::to_string(a);
  return out;
}

std::vector<std::string> Report::never_fired() const {
  std::vector<std::string> out;
  for (const auto& [kind, n] : fired)
    if (n == 0) out.push_back(kind);
  return out;
}

double Report::collision_probability() const {
  if (exact) return 0;
  const double n = static_cast<double>(distinct_states);
  const double m = static_cast<double>(transitions);
  return std::max(0.0, n * (m - n)) / std::ldexp(1.0, 64);
}

}  // namespace agree::checker
