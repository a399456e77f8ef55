// counterexamples/render_svg_layout.cpp — where the SVG chart puts things
// (counterexamples/svg_layout.hpp): rows, lanes, arrows, marks and labels
// that never overlap.
#include <algorithm>
#include <cmath>
#include <map>

#include "agree/counterexamples/svg_layout.hpp"

namespace agree::counterexamples::detail {

namespace {

constexpr double kRowH = 30, kLaneW = 190, kTop = 96, kCharW = 7.3, kLine = 14;
constexpr int kMaxRounds = 64;  // rows grown and placement retried at most this often, then labels are pushed down

// DejaVu Sans advance widths of ' ' .. '~' in thousandths of an em.
constexpr unsigned short kRegular[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
    636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838};
constexpr unsigned short kBold[95] = {
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
    696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
    733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
    712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838};

// The boxes placed so far, in 32 px bands for a quick overlap test.
class Placed {
 public:
  [[nodiscard]] bool free(const Box& b) const {
    for (long k = band(b.y0); k <= band(b.y1); ++k) {
      const auto it = bands_.find(k);
      if (it == bands_.end()) continue;
      for (const Box& o : it->second)
        if (o.intersects(b)) return false;
    }
    return true;
  }
  void add(const Box& b) {
    for (long k = band(b.y0); k <= band(b.y1); ++k) bands_[k].push_back(b);
    all_.push_back(b);
  }
  [[nodiscard]] const std::vector<Box>& all() const { return all_; }

 private:
  static long band(double y) { return static_cast<long>(y >= 0 ? y / 32 : y / 32 - 1); }
  std::map<long, std::vector<Box>> bands_;
  std::vector<Box> all_;
};

bool one_lane(model::Event::Kind k) {
  return k != model::Event::Send && k != model::Event::Lie && k != model::Event::Receive;
}

// Rows' heights before labels: a message sent and received in the same step
// (a synchronous round) gets a line of its own, and the row's one-lane marks
// a line after those.
std::vector<double> base_heights(const Chart& c) {
  std::vector<std::size_t> instant(c.rows.size(), 0), marks(c.rows.size(), 0);
  for (const auto& a : c.arrows)
    if (a.received == a.sent) ++instant[a.sent];
  for (std::size_t r = 0; r < c.rows.size(); ++r)
    for (const auto& e : c.rows[r].events)
      if (one_lane(e.kind)) marks[r] = 1;
  std::vector<double> h(c.rows.size());
  for (std::size_t r = 0; r < c.rows.size(); ++r)
    h[r] = kRowH * static_cast<double>(std::max<std::size_t>(1, instant[r] + (instant[r] ? marks[r] : 0)));
  return h;
}

// The lanes, the steps' column and the one-lane marks (their texts merged per
// lane, kind and row); nothing here depends on the rows' heights.
void set_columns(const Chart& c, SvgLayout& l) {
  const std::size_t lanes = std::max<std::size_t>(c.lanes.size(), 1);
  l.action_chars = 10;
  for (const auto& row : c.rows) l.action_chars = std::max(l.action_chars, row.action.size() + (row.step == 0 ? 5 : 0));
  l.action_chars = std::min<std::size_t>(l.action_chars, 48);
  l.left = 52 + kCharW * static_cast<double>(l.action_chars) + 24;
  l.traitor = traitor_lanes(c);
  l.traitor.resize(c.lanes.size(), false);
  l.crash_row.assign(lanes, Chart::kNever);
  for (std::size_t k = 0; k < c.lanes.size(); ++k) {
    l.lane_x.push_back(l.left + kLaneW / 2 + kLaneW * static_cast<double>(k));
    const double w = text_width(c.lanes[k], 12, true) + (l.traitor[k] ? text_width(" traitor", 10) : 0) + 20;
    l.header_w.push_back(std::min(std::max(72.0, w), kLaneW - 12));
  }
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    std::map<std::pair<int, int>, std::string> merged;  // (lane, kind) -> labels
    for (const auto& e : c.rows[r].events) {
      const int lane = model::event_lane(e);
      if (!one_lane(e.kind) || lane < 0 || static_cast<std::size_t>(lane) >= c.lanes.size()) continue;
      std::string& text = merged[{lane, static_cast<int>(e.kind)}];
      text += (text.empty() ? "" : ", ") + e.label;
      if (e.kind == model::Event::Crash && l.crash_row[static_cast<std::size_t>(lane)] == Chart::kNever)
        l.crash_row[static_cast<std::size_t>(lane)] = r;
    }
    for (const auto& [key, text] : merged) {
      const auto kind = static_cast<model::Event::Kind>(key.second);
      l.marks.push_back({r, key.first, kind, 0, 0, {kind == model::Event::Crash ? "crash" : text}});
    }
  }
}

// The rows' tops from their heights (base + what labels added), and every
// arrow's and mark's position from those.
void set_rows(const Chart& c, SvgLayout& l, const std::vector<double>& extra) {
  const std::size_t n = c.rows.size();
  l.top.assign(n + 1, kTop - kRowH / 2);
  for (std::size_t r = 0; r < n; ++r) l.top[r + 1] = l.top[r] + l.base[r] + extra[r];
  bool pending = false;
  for (const auto& a : c.arrows) pending = pending || a.received == Chart::kNever;
  l.bottom = l.top[n] + (pending ? kRowH + extra[n] : 0);
  l.arrows.clear();
  std::vector<std::size_t> line_in_row(n, 0);
  for (const auto& a : c.arrows) {
    SvgLayout::ArrowPath p;
    const bool lost = a.received == Chart::kNever, instant = a.sent == a.received;
    p.x1 = l.lane_x[static_cast<std::size_t>(a.from)];
    p.y1 = instant ? l.top[a.sent] + kRowH * (static_cast<double>(line_in_row[a.sent]++) + 0.5) : l.row_y(a.sent);
    p.x2 = l.lane_x[static_cast<std::size_t>(a.to)];
    p.y2 = lost ? l.bottom - kRowH * 0.3 : instant ? p.y1 : l.row_y(a.received);
    p.loop = a.from == a.to;
    if (p.loop) p.y2 = std::max(p.y2, p.y1 + 10);
    p.label.text = (a.lie ? "LIE " : "") + a.label;
    l.arrows.push_back(std::move(p));
  }
  for (auto& m : l.marks) m.x = l.lane_x[static_cast<std::size_t>(m.lane)], m.y = l.mark_y(m.row);
}

TextBox at(const std::string& text, double x, double y, TextBox::Anchor a) { return {text, x, y, kLabelPx, a, false}; }

// Where an arrow's label may go, best first: above or below the line at
// points along it (nearer the head first), or beside a loop to its own lane.
std::vector<TextBox> candidates(const SvgLayout::ArrowPath& p) {
  std::vector<TextBox> out;
  if (p.loop) {
    for (const double f : {0.5, 0.3, 0.7, 0.1, 0.9})
      out.push_back(at(p.label.text, p.x1 + 38, p.y1 + (p.y2 - p.y1) * f + 4, TextBox::Start));
    return out;
  }
  static constexpr double kSloped[] = {0.72, 0.6, 0.84, 0.5, 0.38, 0.26, 0.9, 0.16};
  static constexpr double kFlat[] = {0.5, 0.36, 0.64, 0.24, 0.76};
  const bool flat = p.y1 == p.y2;
  for (const double t : flat ? std::vector<double>(std::begin(kFlat), std::end(kFlat))
                             : std::vector<double>(std::begin(kSloped), std::end(kSloped))) {
    const double x = p.x1 + (p.x2 - p.x1) * t, y = p.y1 + (p.y2 - p.y1) * t;
    out.push_back(at(p.label.text, x, y - 5, TextBox::Middle));
    out.push_back(at(p.label.text, x, y + 14, TextBox::Middle));
  }
  return out;
}

// Beside a mark: below it to the right or the left, lines lower, level with it.
std::vector<TextBox> candidates(const SvgLayout::Mark& m) {
  const std::string& t = m.label.text;
  if (m.kind == model::Event::Crash)
    return {at(t, m.x + 12, m.y + 4, TextBox::Start), at(t, m.x - 12, m.y + 4, TextBox::End),
            at(t, m.x + 12, m.y + 18, TextBox::Start), at(t, m.x - 12, m.y + 18, TextBox::End)};
  std::vector<TextBox> out;
  for (int k = 0; k < 6; ++k) {
    out.push_back(at(t, m.x + 9, m.y + 15 + kLine * k, TextBox::Start));
    out.push_back(at(t, m.x - 9, m.y + 15 + kLine * k, TextBox::End));
    if (k == 0) out.push_back(at(t, m.x + 10, m.y + 4, TextBox::Start)), out.push_back(at(t, m.x - 10, m.y + 4, TextBox::End));
  }
  return out;
}

// The row a point lies in (rows.size(): below the last row).
std::size_t row_at(const SvgLayout& l, double y) {
  const auto it = std::upper_bound(l.top.begin(), l.top.end(), y);
  return it == l.top.begin() ? 0 : static_cast<std::size_t>(it - l.top.begin() - 1);
}

// Puts `label` at its first free candidate, one that crosses no lifeline if
// there is one; false when none is free. With `force` a label that finds none
// is moved down from its first candidate until free.
bool place(TextBox& label, const std::vector<TextBox>& cands, Placed& placed, const std::vector<double>& lane_x, bool force) {
  const auto crosses_lane = [&](const Box& b) {
    return std::any_of(lane_x.begin(), lane_x.end(), [&](double x) { return b.x0 < x && x < b.x1; });
  };
  for (const bool clear_of_lanes : {true, false})
    for (const auto& cand : cands)
      if (placed.free(cand.box()) && !(clear_of_lanes && crosses_lane(cand.box()))) {
        label = cand;
        placed.add(label.box());
        return true;
      }
  if (!force) return false;
  label = cands.front();
  while (!placed.free(label.box())) label.y += 2;  // terminates: finitely many boxes
  placed.add(label.box());
  return true;
}

// One round: what stays clear (lane headers, the steps' column, the marks,
// the arrows' heads), then the marks' labels, each kept in its row, then the
// arrows' labels in the order of sending. Returns the height each row should
// have in addition to its base: more than `extra` where labels found no room
// (an arrow's: one line more somewhere between its send and its receipt).
std::vector<double> place_labels(const Chart& c, SvgLayout& l, Placed& placed, const std::vector<double>& extra, bool force) {
  for (std::size_t k = 0; k < l.lane_x.size(); ++k)
    placed.add({l.lane_x[k] - l.header_w[k] / 2, 46, l.lane_x[k] + l.header_w[k] / 2, 72});
  placed.add({0, l.top.front(), l.left - 12, l.top.back()});
  for (const auto& m : l.marks) {  // the shapes: a cross, a diamond, a dot, a square
    const double h = m.kind == model::Event::Crash ? 8 : m.kind == model::Event::Decide ? 7 : m.kind == model::Event::Deliver ? 5 : 4;
    placed.add({m.x - h, m.y - h, m.x + h, m.y + h});
  }
  for (const auto& a : l.arrows) {  // the heads: 7 px long, pointing at the lane from 3 px off it
    const double tip = a.loop ? a.x1 + 3 : a.x2 - (a.x2 > a.x1 ? 3 : -3);
    placed.add({tip - 7.5, a.y2 - 4.5, tip + 7.5, a.y2 + 4.5});
  }
  std::vector<double> wanted = extra;
  for (auto& m : l.marks) {
    place(m.label, candidates(m), placed, l.lane_x, true);
    const double spill = m.label.box().y1 + 1 - (l.top[m.row] + l.base[m.row]);  // a mark's label stays in its row
    wanted[m.row] = std::max(wanted[m.row], std::ceil(spill));
  }
  for (std::size_t i = 0; i < l.arrows.size(); ++i) {
    auto& p = l.arrows[i];
    const auto& a = c.arrows[i];
    const auto cands = candidates(p);
    // Growing a row helps only between the send and the receipt, and never a message of one step.
    const std::size_t last = a.received == Chart::kNever ? c.rows.size() : std::max(a.sent, a.received - 1);
    if (place(p.label, cands, placed, l.lane_x, force || a.sent == a.received)) continue;
    const std::size_t r = std::clamp(row_at(l, cands.front().y), a.sent, last);
    wanted[r] = std::max(wanted[r], extra[r] + kLine);
  }
  return wanted;
}

// Wide enough for every label and lane, and for the verdict right of every
// label level with it.
void set_width(const Chart& c, SvgLayout& l, const Placed& placed, bool standalone) {
  const double lanes = static_cast<double>(std::max<std::size_t>(c.lanes.size(), 1));
  l.width = std::max(l.left + kLaneW * lanes + 150, 1000.0);
  for (const auto& b : placed.all()) l.width = std::max(l.width, b.x1 + 16);
  if (standalone) l.width = std::max(l.width, text_width(c.title(), 15, true) + 32);
  l.has_verdict = !c.rows.empty() && !c.property.empty();  // a chart of a path being explored may mark nothing
  if (!l.has_verdict) return;
  const std::size_t v = c.violating_row();
  l.verdict = {(c.reproduced ? "\u2190 " : "") + (!c.reproduced ? "not reproduced" : c.property + (c.witness ? " reached" : " violated")),
               0, l.row_y(v) + 4, kVerdictPx, TextBox::End, true};
  const double w = text_width(l.verdict.text, kVerdictPx, true);
  const Box band = l.verdict.box();
  for (const auto& b : placed.all())
    if (b.y0 < band.y1 && band.y0 < b.y1) l.width = std::max(l.width, b.x1 + 10 + w + 14);
  l.verdict.x = l.width - 14;
}

}  // namespace

double text_width(std::string_view s, double font_px, bool bold) {
  const auto* table = bold ? kBold : kRegular;
  double em = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto ch = static_cast<unsigned char>(s[i]);
    if (ch >= 32 && ch < 127) em += table[ch - 32] / 1000.0;
    else if (ch >= 0xC0 || ch < 0x80) em += 1;  // a code point's first byte (continuation bytes 0x80-0xBF add nothing)
  }
  return em * font_px;
}

Box TextBox::box() const {
  const double w = text_width(text, size, bold);
  const double x0 = anchor == Start ? x : anchor == Middle ? x - w / 2 : x - w;
  return {x0 - 1.5, y - 0.93 * size, x0 + w + 1.5, y + 0.24 * size};
}

std::vector<bool> traitor_lanes(const Chart& c) {
  std::vector<bool> out(c.lanes.size(), false);
  for (const auto& row : c.rows)
    for (const auto& e : row.events)
      if (e.kind == model::Event::Lie && e.from >= 0 && static_cast<std::size_t>(e.from) < out.size())
        out[static_cast<std::size_t>(e.from)] = true;
  return out;
}

double SvgLayout::row_y(std::size_t r) const { return top[r] + kRowH / 2; }
double SvgLayout::mark_y(std::size_t r) const { return top[r] + base[r] - kRowH / 2; }

SvgLayout layout_svg(const Chart& c, bool standalone) {
  SvgLayout l;
  set_columns(c, l);
  l.base = base_heights(c);
  // Place; where labels find no room, grow rows and start over.
  std::vector<double> extra(c.rows.size() + 1, 0);
  Placed placed;
  for (int round = 0;; ++round) {
    set_rows(c, l, extra);
    placed = Placed();
    const auto wanted = place_labels(c, l, placed, extra, round == kMaxRounds);
    const bool enough = std::equal(wanted.begin(), wanted.end(), extra.begin(), [](double w, double e) { return w <= e; });
    if (enough || round == kMaxRounds) break;  // the last round placed every label, pushed down where it had to
    for (std::size_t r = 0; r < extra.size(); ++r) extra[r] = std::max(extra[r], wanted[r]);
  }
  for (const auto& b : placed.all()) l.bottom = std::max(l.bottom, b.y1 + 4);
  set_width(c, l, placed, standalone);
  layout_footer(c, l, standalone);
  return l;
}

}  // namespace agree::counterexamples::detail
