// counterexamples/svg_layout.hpp — where the SVG chart puts things (shared by
// the renderers, not part of the public API).
//
// layout_svg (render_svg_layout.cpp) places every lane, row, arrow, mark and
// label of a Chart; render_svg.cpp draws what it placed. Labels (message
// names, mark texts, the verdict) never overlap: each label's box is computed
// from its text's estimated width (text_width), tried at several positions
// along its arrow or beside its mark, and when none is free the row it wants
// grows by a line and the placement starts over (deterministic: the same chart
// always gets the same picture).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "agree/counterexamples/chart.hpp"

namespace agree::counterexamples::detail {

// The width in px of text set in DejaVu Sans (the charts' first font: its
// advance widths; the fallbacks are narrower), bold or not. Text is UTF-8;
// a character outside ASCII counts one em.
double text_width(std::string_view utf8, double font_px, bool bold = false);

// A lane is a traitor's when it sends any Lie.
std::vector<bool> traitor_lanes(const Chart& c);

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  [[nodiscard]] bool intersects(const Box& b) const { return x0 < b.x1 && b.x0 < x1 && y0 < b.y1 && b.y0 < y1; }
};

// One line of text at baseline (x, y), anchored at its start, middle or end.
struct TextBox {
  enum Anchor { Start, Middle, End };
  std::string text;
  double x = 0, y = 0, size = 11;
  Anchor anchor = Start;
  bool bold = false;
  // What is kept clear of other labels: the font's ascent to its descent,
  // and 1.5 px either side (the white halo the labels are drawn with).
  [[nodiscard]] Box box() const;
};

inline constexpr double kLabelPx = 11;    // arrow and mark labels
inline constexpr double kVerdictPx = 12;  // the verdict, bold

struct SvgLayout {
  struct ArrowPath {
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // x2, y2: where the head ends (a loop: its lowest point)
    bool loop = false;                      // to its own lane
    TextBox label;
  };
  struct Mark {  // one kind of one-lane event of one lane in one row, labels merged
    std::size_t row = 0;
    int lane = 0;
    model::Event::Kind kind = model::Event::Local;
    double x = 0, y = 0;
    TextBox label;
  };
  enum class Key { Message, Lie, Lost, Crash, Deliver, Decide, Local, Traitor, Violation, Reached };
  struct LegendItem {
    Key key;
    double x = 0, y = 0;  // the symbol's left end, on the line's middle
    TextBox text;
  };
  struct GlossaryItem {  // a field and its meaning, or a line more of the meaning (name "")
    std::string name, meaning;
    double x = 0, y = 0;  // baseline start
  };

  double width = 0, height = 0;
  double left = 0;          // the lanes start here (the steps' column before)
  double bottom = 0;        // the lifelines end here
  std::size_t action_chars = 0;
  std::vector<double> top;  // row r spans top[r] .. top[r + 1]
  std::vector<double> lane_x, header_w;
  std::vector<bool> traitor;
  std::vector<std::size_t> crash_row;  // per lane: the row of its first crash, or Chart::kNever
  std::vector<ArrowPath> arrows;       // parallel to Chart::arrows
  std::vector<Mark> marks;             // by row, then lane, then kind
  bool has_verdict = false;
  TextBox verdict;
  std::vector<TextBox> explanation;    // the explanation's lines, under the chart
  std::vector<LegendItem> legend;      // only what the chart uses
  double glossary_y = 0;               // the glossary's heading baseline (when there is one)
  std::vector<GlossaryItem> glossary;

  [[nodiscard]] double row_y(std::size_t r) const;   // the row's first line: sends and receipts
  [[nodiscard]] double mark_y(std::size_t r) const;  // its one-lane marks
  std::vector<double> base;                          // each row's height before labels grew it
};

SvgLayout layout_svg(const Chart& c, bool standalone);

// Below the lanes (render_svg_footer.cpp): the explanation, the legend and the
// glossary, wrapped to l.width; sets l.height. Inline (in the HTML page, which
// shows the explanation and the glossary elsewhere) the legend alone.
// draw_footer draws them.
void layout_footer(const Chart& c, SvgLayout& l, bool standalone);
void draw_footer(std::ostream& o, const SvgLayout& l);

// What the drawing shares.
inline constexpr const char* kMsg = "#1c4e9c";
inline constexpr const char* kLie = "#9c36b5";
inline constexpr const char* kCrash = "#c92a2a";
inline constexpr const char* kDeliver = "#2b8a3e";
inline constexpr const char* kDecide = "#e67700";
std::string num(double v);  // "12", "12.5": one decimal at most
std::string text_element(const TextBox& t, const std::string& cls, const std::string& fill = "");

}  // namespace agree::counterexamples::detail
