// counterexamples/render_text.cpp — the chart for a terminal (plain ASCII).
//
//   step  action            p0                  p1                  p2
//      1  multicast(m0)     Msg(m0) ->p0,p1,p2  |                   |
//      3  propose(p1, m0)   |                   <-p0 Msg(m0) @1     |
//                                               Proposal(m0, 1) ->p0
//   >> 16 agree(p2, m1, 2)  |                   |                   <-p0 Agreed(m1, 2) @14
//
// One lane per process, one row per step (as many lines as its busiest lane
// needs); "@N" names the step a received message was sent in; ">>" marks the
// step after which the property fails; a traitor's lane is headed
// "pN (traitor)". Below the table: the outcome, why (Chart::explanation), what
// the fields mean (Chart::glossary), messages never received, and the final
// state's fields that differ from the initial state.
#include <algorithm>
#include <sstream>

#include "agree/counterexamples/svg_layout.hpp"  // detail::traitor_lanes

namespace agree::counterexamples {

namespace {

std::string lane_list(const Chart& c, const std::vector<int>& lanes) {
  std::string out;
  for (const int l : lanes) out += (out.empty() ? "" : ",") + c.lanes[static_cast<std::size_t>(l)];
  return out;
}

// The lines of each lane's cell in row r.
std::vector<std::vector<std::string>> cells(const Chart& c, std::size_t r) {
  std::vector<std::vector<std::string>> out(c.lanes.size());
  const auto& evs = c.rows[r].events;
  std::vector<bool> done(evs.size(), false);
  std::size_t receipt = 0;  // the k-th Receive of this row, to find its arrow
  for (std::size_t i = 0; i < evs.size(); ++i) {
    const auto& e = evs[i];
    if (done[i]) continue;
    const int lane = model::event_lane(e);
    if (lane < 0) continue;
    auto& cell = out[static_cast<std::size_t>(lane)];
    switch (e.kind) {
      case model::Event::Send:
      case model::Event::Lie: {
        // One line for the same message sent to several lanes in this step.
        std::vector<int> to{e.to};
        for (std::size_t j = i + 1; j < evs.size(); ++j)
          if (!done[j] && evs[j].kind == e.kind && evs[j].from == e.from && evs[j].label == e.label) {
            to.push_back(evs[j].to);
            done[j] = true;
          }
        cell.push_back((e.kind == model::Event::Lie ? "!LIE " : "") + e.label + " ->" + lane_list(c, to));
        break;
      }
      case model::Event::Receive: {
        std::string from = e.from >= 0 ? c.lanes[static_cast<std::size_t>(e.from)] : "?";
        std::string line = "<-" + from + " " + e.label;
        if (receipt < c.rows[r].receipts.size()) {
          const std::size_t sent = c.arrows[c.rows[r].receipts[receipt]].sent;
          if (sent != r) line += " @" + std::to_string(c.rows[sent].step);
        }
        ++receipt;
        cell.push_back(line);
        break;
      }
      case model::Event::Deliver: cell.push_back("* " + e.label); break;
      case model::Event::Decide: cell.push_back("= " + e.label); break;
      case model::Event::Crash: cell.push_back("X CRASH" + (e.label == "crash" || e.label.empty() ? "" : " " + e.label)); break;
      case model::Event::Local: cell.push_back(e.label); break;
    }
  }
  return out;
}

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

std::vector<std::string> wrap(const std::string& s, std::size_t w) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size(); i += w) out.push_back(s.substr(i, w));
  if (out.empty()) out.emplace_back();
  return out;
}

// Below the table: the outcome, why, what the fields mean, the messages never
// received and the final state's fields that differ from the initial state.
void summary(std::ostream& out, const Chart& c) {
  out << '\n' << (c.reproduced ? ">> " : "   ") << c.outcome << '\n';
  if (!c.explanation.empty()) out << "   why: " << c.explanation << '\n';
  if (!c.glossary.empty()) {
    out << "  ";
    for (std::size_t i = 0; i < c.glossary.size(); ++i)
      out << (i ? "; " : " ") << c.glossary[i].first << ": " << c.glossary[i].second;
    out << '\n';
  }
  std::vector<std::string> lost;
  for (const auto& a : c.arrows)
    if (a.received == Chart::kNever)
      lost.push_back(a.label + " " + c.lanes[static_cast<std::size_t>(a.from)] + "->" + c.lanes[static_cast<std::size_t>(a.to)] +
                     " @" + std::to_string(c.rows[a.sent].step));
  if (!lost.empty()) {
    out << "   never received (in flight, or its receiver crashed):";
    for (std::size_t i = 0; i < lost.size(); ++i) out << (i ? ", " : " ") << lost[i];
    out << '\n';
  }
  if (!c.rows.empty()) {
    const auto& first = c.rows.front().state;
    const auto& last = c.rows.back().state;
    out << "   final state (fields that differ from the initial state):\n";
    bool any = false;
    for (std::size_t k = 0; k < last.size(); ++k) {
      if (k < first.size() && first[k] == last[k]) continue;
      out << "      " << last[k].first << " = " << last[k].second << '\n';
      any = true;
    }
    if (!any) out << "      (none)\n";
  }
}

}  // namespace

std::string render_text(const Chart& c) {
  std::ostringstream out;
  out << c.title() << '\n';
  if (c.generic) out << "(no events() hook for " << c.protocol << ": each step is drawn on the first process it names)\n";
  out << '\n';

  // A traitor's lane (one that sends a lie) says so in its header.
  const std::vector<bool> traitor = detail::traitor_lanes(c);
  std::vector<std::string> names;
  for (std::size_t l = 0; l < c.lanes.size(); ++l) names.push_back(c.lanes[l] + (traitor[l] ? " (traitor)" : ""));
  std::vector<std::vector<std::vector<std::string>>> all;
  std::size_t width = 8, action_w = 6;
  for (const auto& l : names) width = std::max(width, l.size());
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    all.push_back(cells(c, r));
    for (const auto& cell : all.back())
      for (const auto& line : cell) width = std::max(width, line.size());
    action_w = std::max(action_w, c.rows[r].action.size() + (r == 0 ? 5 : 0));
  }
  width = std::min<std::size_t>(width, 28);
  action_w = std::min<std::size_t>(action_w, 40);

  std::string head = " step  " + pad("action", action_w);
  for (const auto& l : names) head += "  " + pad(l, width);
  while (!head.empty() && head.back() == ' ') head.pop_back();
  out << head << '\n';
  std::string rule = " ----  " + std::string(action_w, '-');
  for (std::size_t l = 0; l < c.lanes.size(); ++l) rule += "  " + std::string(width, '-');
  out << rule << '\n';

  std::vector<bool> crashed(c.lanes.size(), false);
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const auto& row = c.rows[r];
    if (c.cycle && r == *c.cycle + 1)
      out << "  ,-- the cycle: steps " << row.step << ".." << c.rows.back().step << " repeat forever\n";
    std::vector<std::vector<std::string>> lines(c.lanes.size());
    std::size_t height = 1;
    for (std::size_t l = 0; l < c.lanes.size(); ++l) {
      for (const auto& line : all[r][l])
        for (auto& piece : wrap(line, width)) lines[l].push_back(std::move(piece));
      height = std::max(height, lines[l].size());
    }
    for (std::size_t h = 0; h < height; ++h) {
      std::string text;
      if (h == 0) {
        const std::string num = std::to_string(row.step);
        const bool bad = r == c.violating_row() && r > 0 && c.reproduced;
        text = (bad ? ">>" : "  ") + std::string(num.size() < 3 ? 3 - num.size() : 0, ' ') + num + "  " +
               pad(r == 0 ? "init " + row.action : row.action, action_w);
      } else {
        text = std::string(7 + action_w, ' ');
      }
      for (std::size_t l = 0; l < c.lanes.size(); ++l)
        text += "  " + pad(h < lines[l].size() ? lines[l][h] : crashed[l] ? "" : "|", width);
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out << text << '\n';
    }
    for (const auto& e : row.events)
      if (e.kind == model::Event::Crash && model::event_lane(e) >= 0) crashed[static_cast<std::size_t>(model::event_lane(e))] = true;
  }

  if (c.cycle) out << "  `-- back to the state after step " << c.rows[*c.cycle].step << "\n";
  summary(out, c);
  return out.str();
}

}  // namespace agree::counterexamples
