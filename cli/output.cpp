#include "agree/cli/output.hpp"

#include <fmt/format.h>

#include "agree/cli/render.hpp"

namespace agree::cli {

int exit_code(checker::Verdict v) {
  switch (v) {
    case checker::Verdict::Holds: return kExitHolds;
    case checker::Verdict::Violated: return kExitViolated;
    case checker::Verdict::Incomplete: return kExitIncomplete;
  }
  return kExitIncomplete;
}

std::string thousands(std::uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string trace_stem(const Entry& e, const model::Params& params, const std::string& property) {
  std::string stem = e.name;
  for (std::size_t i = 0; i < params.specs().size(); ++i) {
    const auto& spec = params.specs()[i];
    if (params.omitted(i)) continue;  // as in the parameters line: file names of old configurations stay
    stem += "-" + (spec.choices.empty() ? spec.name : std::string()) + params.value_text(i);
  }
  return stem + "-" + property;
}

namespace {
std::string search_text(const checker::Options& o, const checker::Report& rep) {
  std::string text = fmt::format("search {}, store {}, reduce {}, threads {}", o.search == checker::Search::Bfs ? "bfs" : "dfs",
                                 !rep.store.empty() ? rep.store : o.exact ? "exact (full states)" : "fingerprints (64-bit)",
                                 checker::to_string(o.reduce), o.threads);
  if (rep.ranks.empty()) return text;
  // A distributed search: the ranks, and what the busiest and the most idle did.
  std::uint64_t sent = 0, most = 0, least = ~std::uint64_t{0};
  double waited = 0;
  for (const auto& x : rep.ranks) {
    sent += x.bytes_sent;
    most = std::max(most, x.states);
    least = std::min(least, x.states);
    waited = std::max(waited, x.seconds_waiting);
  }
  return text + fmt::format(" a rank, ranks {} (states per rank {}..{}, {:.1f} MiB sent, at most {:.2f} s waiting)", rep.ranks.size(),
                            thousands(least), thousands(most), static_cast<double>(sent) / (1 << 20), waited);
}
}  // namespace

void print_report(std::ostream& out, const Entry& e, const checker::Options& o, const CheckResult& r, bool verbose,
                  const std::optional<std::string>& trace_path) {
  const auto& rep = r.report;
  out << "agree check " << e.name << "  " << r.parameters << '\n';
  out << "  " << (rep.search.empty() ? search_text(o, rep) : rep.search) << '\n';
  std::string checked;
  for (const auto& c : rep.checked) checked += (checked.empty() ? "" : ", ") + c;
  out << "  properties checked: " << (checked.empty() ? "(none)" : checked) << '\n';
  out << '\n';
  out << "verdict: " << checker::to_string(rep.verdict);
  if (!rep.violations.empty()) out << " (" << rep.violations.front().property << ")";
  if (rep.verdict == checker::Verdict::Incomplete)
    out << " — the search was cut short by " << checker::to_string(rep.cut) << "; nothing is proved";
  else if (rep.cut != checker::Cut::None)
    out << " (the search was also cut short by " << checker::to_string(rep.cut) << ")";
  out << '\n';
  // Stopped at the first violation: what follows covers only the part explored.
  const bool partial = rep.verdict == checker::Verdict::Violated && !o.keep_going;
  if (partial)
    out << "  (the search stopped at the first violation: the figures are for the part explored so far;"
           " --keep-going explores everything)\n";
  const double rate = rep.seconds > 0 ? static_cast<double>(rep.distinct_states) / rep.seconds : 0;
  out << fmt::format("  distinct states   {}\n", thousands(rep.distinct_states));
  out << fmt::format("  transitions       {}\n", thousands(rep.transitions));
  out << fmt::format("  depth             {}\n", rep.depth);
  out << fmt::format("  terminal states   {}\n", thousands(rep.terminal_states));
  if (!rep.search.empty())
    out << fmt::format("  runs covered      {}  (terminal states with their reduction weights)\n",
                       thousands(rep.weighted_terminals));
  for (const auto& [name, text] : rep.notes) out << fmt::format("  {:<17} {}\n", name, text);
  out << fmt::format("  seconds           {:.3f}  ({} states/s)\n", rep.seconds,
                     thousands(static_cast<std::uint64_t>(rate)));
  if (rep.distinct_states)
    out << fmt::format("  store             {:.1f} bytes/state, peak RSS {:.1f} MiB\n",
                       static_cast<double>(rep.store_bytes) / static_cast<double>(rep.distinct_states),
                       static_cast<double>(rep.peak_rss_bytes) / (1 << 20));
  for (const auto& reach : rep.reachability)
    out << "  reachability      " << reach.name << ": "
        << (reach.reached                                  ? "reached"
            : rep.verdict == checker::Verdict::Holds       ? "NOT reached (vacuous?)"
            : partial || rep.verdict == checker::Verdict::Incomplete ? "not reached so far"
                                                           : "not reached")
        << '\n';
  const auto never = rep.never_fired();
  if (!never.empty()) {
    std::string list;
    for (const auto& k : never) list += (list.empty() ? "" : ", ") + k;
    out << "  never fired       " << list << '\n';
  }
  if (rep.exact && rep.store.starts_with("packed"))
    out << "  no fingerprint collisions possible (packed states are their own keys)\n";
  else if (rep.exact)
    out << "  fingerprint collisions seen (exact store): " << rep.collisions << '\n';
  else
    out << fmt::format("  fingerprint collision probability: calculated (optimistic) {:.2g}\n",
                       rep.collision_probability());
  for (std::size_t i = 0; i < rep.violations.size(); ++i) {
    const auto& v = rep.violations[i];
    out << '\n'
        << "counterexample: " << v.property;
    if (v.path.cycle)
      out << " violated by a lasso: " << *v.path.cycle << " steps, then a cycle of " << r.steps[i].size() - *v.path.cycle
          << " repeated forever (the shortest way to a fair cycle)\n";
    else
      out << " violated after " << r.steps[i].size() << " steps"
          << (o.search == checker::Search::Bfs && rep.search.empty() ? " (a shortest run)" : "") << '\n';
    if (verbose) {
      out << "     init " << r.traces[i].init << '\n';
      for (std::size_t k = 0; k < r.steps[i].size(); ++k) out << fmt::format("  {:>3}  {}\n", k + 1, r.steps[i][k]);
      // The index of each step among the actions enabled before it: what --resume and the JSON's "path" replay.
      out << "  action path " << v.path.encode() << "  (each step's index among the enabled actions)\n";
    }
    out << '\n' << text_chart(e, r.traces[i]);  // the message sequence chart (cli/render.cpp): the steps, the outcome, why
  }
  if (trace_path) out << "\ntrace written to " << *trace_path << "  (agree replay " << *trace_path << ")\n";
}

nlohmann::json report_json(const Entry& e, const model::Params& params, const checker::Options& o,
                           const CheckResult& r, const std::optional<std::string>& trace_path) {
  const auto& rep = r.report;
  nlohmann::json j;
  j["protocol"] = e.name;
  nlohmann::json p = nlohmann::json::object();
  for (std::size_t i = 0; i < params.specs().size(); ++i) {
    const auto& spec = params.specs()[i];
    if (spec.choices.empty() && !params.is_auto(spec.name))
      p[spec.name] = params.get(spec.name);
    else
      p[spec.name] = params.value_text(i);
  }
  j["parameters"] = p;
  j["verdict"] = checker::to_string(rep.verdict);
  j["property"] = rep.violations.empty() ? nlohmann::json(nullptr) : nlohmann::json(rep.violations.front().property);
  j["distinct_states"] = rep.distinct_states;
  j["transitions"] = rep.transitions;
  j["depth"] = rep.depth;
  j["terminal_states"] = rep.terminal_states;
  j["seconds"] = rep.seconds;
  j["states_per_second"] = rep.seconds > 0 ? static_cast<double>(rep.distinct_states) / rep.seconds : 0.0;
  j["trace"] = trace_path ? nlohmann::json(*trace_path) : nlohmann::json(nullptr);
  j["cut"] = rep.cut == checker::Cut::None ? nlohmann::json(nullptr) : nlohmann::json(checker::to_string(rep.cut));
  // false when the search stopped early (a limit, or the first violation without --keep-going)
  j["complete"] = rep.verdict == checker::Verdict::Holds || (rep.verdict == checker::Verdict::Violated && o.keep_going);
  j["search"] = !rep.search.empty() ? "tree" : o.search == checker::Search::Bfs ? "bfs" : "dfs";
  if (!rep.search.empty()) j["runs_covered"] = rep.weighted_terminals;
  for (const auto& [name, text] : rep.notes) j["notes"][name] = text;
  j["store"] = o.exact ? "exact" : rep.store.starts_with("packed") ? "packed" : "fingerprint";
  j["reduce"] = checker::to_string(o.reduce);
  j["threads"] = o.threads;
  if (!rep.ranks.empty()) {  // a distributed search (checker/distributed.hpp): each rank's share
    nlohmann::json ranks = nlohmann::json::array();
    for (const auto& x : rep.ranks)
      ranks.push_back({{"states", x.states}, {"bytes_sent", x.bytes_sent}, {"bytes_received", x.bytes_received},
                       {"seconds_waiting", x.seconds_waiting}});
    j["ranks"] = ranks;
  }
  j["checked"] = rep.checked;
  nlohmann::json reach = nlohmann::json::object();
  for (const auto& x : rep.reachability) reach[x.name] = x.reached;
  j["reachability"] = reach;
  j["never_fired"] = rep.never_fired();
  j["store_bytes_per_state"] =
      rep.distinct_states ? static_cast<double>(rep.store_bytes) / static_cast<double>(rep.distinct_states) : 0.0;
  j["peak_rss_bytes"] = rep.peak_rss_bytes;
  if (rep.exact)
    j["fingerprint_collisions"] = rep.collisions;
  else
    j["collision_probability"] = rep.collision_probability();
  nlohmann::json cex = nlohmann::json::array();
  for (std::size_t i = 0; i < rep.violations.size(); ++i)
    cex.push_back({{"property", rep.violations[i].property},
                   {"steps", r.steps[i]},
                   {"init", r.traces[i].init},
                   {"path", rep.violations[i].path.encode()},
                   {"cycle", rep.violations[i].path.cycle ? nlohmann::json(*rep.violations[i].path.cycle) : nlohmann::json(nullptr)},
                   {"explanation", i < r.explanations.size() ? r.explanations[i] : std::string()}});
  j["counterexamples"] = cex;
  j["warnings"] = r.warnings;
  return j;
}

}  // namespace agree::cli
