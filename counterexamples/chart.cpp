#include "agree/counterexamples/chart.hpp"
#include "agree/counterexamples/render_json.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>
#include <tuple>

namespace agree::counterexamples {

namespace {

// The number of the first "pN" standing as a word in text, or -1.
int first_proc(const std::string& text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != 'p' || !std::isdigit(static_cast<unsigned char>(text[i + 1]))) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_')) continue;
    std::size_t j = i + 1;
    int n = 0;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) && n < 100000) n = n * 10 + (text[j++] - '0');
    if (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) continue;
    return n;
  }
  return -1;
}

// A protocol without the events() hook: one mark per step on the lane of the
// first pN in its text (an "env" lane for steps that name none).
void guess_lanes(Chart& c) {
  int max_proc = -1;
  bool unnamed = false;
  std::vector<int> lane_of(c.rows.size(), -1);
  for (std::size_t r = 1; r < c.rows.size(); ++r) {
    lane_of[r] = first_proc(c.rows[r].action);
    max_proc = std::max(max_proc, lane_of[r]);
    unnamed = unnamed || lane_of[r] < 0;
  }
  if (max_proc > 4096) max_proc = 4096;  // a text, not a process count
  c.lanes.clear();
  for (int q = 0; q <= max_proc; ++q) c.lanes.push_back(model::proc_name(q));
  const int env = static_cast<int>(c.lanes.size());
  if (unnamed) c.lanes.push_back("env");
  for (std::size_t r = 1; r < c.rows.size(); ++r) {
    const int lane = lane_of[r] >= 0 && lane_of[r] <= max_proc ? lane_of[r] : env;
    const std::string& a = c.rows[r].action;
    const auto kind = a.rfind("crash", 0) == 0 ? model::Event::Crash : model::Event::Local;
    c.rows[r].events = {{kind, lane, -1, a}};
  }
}

}  // namespace

void finish_chart(Chart& c) {
  if (c.generic) guess_lanes(c);
  // Make sure every lane an event names exists.
  int max_lane = static_cast<int>(c.lanes.size()) - 1;
  for (const auto& row : c.rows)
    for (const auto& e : row.events) max_lane = std::max({max_lane, e.from, e.to});
  for (int l = static_cast<int>(c.lanes.size()); l <= max_lane; ++l) c.lanes.push_back(model::proc_name(l));  // the pN convention

  // Pair each receipt with the earliest unmatched send of the same message.
  std::map<std::tuple<int, int, std::string>, std::vector<std::size_t>> pending;  // -> arrow indices, oldest first
  c.arrows.clear();
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    c.rows[r].receipts.clear();
    for (const auto& e : c.rows[r].events) {
      if (e.kind == model::Event::Send || e.kind == model::Event::Lie) {
        pending[{e.from, e.to, e.label}].push_back(c.arrows.size());
        c.arrows.push_back({e.from, e.to, r, Chart::kNever, e.label, e.kind == model::Event::Lie});
      } else if (e.kind == model::Event::Receive) {
        auto it = pending.find({e.from, e.to, e.label});
        if (it != pending.end() && !it->second.empty()) {
          c.arrows[it->second.front()].received = r;
          c.rows[r].receipts.push_back(it->second.front());
          it->second.erase(it->second.begin());
        } else {  // received without a recorded send (a hook that skips one): an arrow of one row
          c.rows[r].receipts.push_back(c.arrows.size());
          c.arrows.push_back({e.from, e.to, r, r, e.label, false});
        }
      }
    }
  }
}

std::string Chart::title() const {
  const std::size_t steps = rows.empty() ? 0 : rows.size() - 1;
  const char* verb = witness ? (reproduced ? " reached after " : " NOT reached after ")
                             : (reproduced ? " violated after " : " NOT violated after ");
  return protocol + " " + parameters + ": " + property + verb +
         std::to_string(steps) + (steps == 1 ? " step" : " steps");
}

std::string render(const Chart& c, std::string_view format) {
  if (format == "text") return render_text(c);
  if (format == "mermaid") return render_mermaid(c);
  if (format == "svg") return render_svg(c);
  if (format == "html") return render_html(c);
  if (format == "json") return render_json(c, 2);
  if (format == "itf") return render_itf(c, 2);
  throw std::invalid_argument("unknown format '" + std::string(format) + "' (known: " + std::string(kRenderFormats) + ")");
}

}  // namespace agree::counterexamples
