// cli/prove.cpp — `agree prove`: the symbolic side of the harness (Z3).
//
//   agree prove om  --generals N --traitors T [--rounds m]   is there a run of OM(m) breaking IC1/IC2?
//   agree prove sm  --generals N --traitors T [--rounds m]   the same for SM(m)
//   agree prove table [--max-generals 7 --max-traitors 2]     the grid of verdicts against the theorem
//   agree prove impossible --generals N --traitors 1 --rounds K   does any K-round protocol exist?
//
// Exit codes as `agree check`: 0 holds / a protocol exists, 1 violated / no
// protocol exists, 2 usage error, 3 unknown (a resource limit or Z3 gave up).
#include <iostream>
#include <optional>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agree/cli/command.hpp"
#include "agree/cli/options.hpp"
#include "agree/cli/output.hpp"
#include "agree/cli/registry.hpp"
#include "agree/model/om.hpp"
#include "agree/model/params.hpp"
#include "agree/prove/impossible.hpp"
#include "agree/prove/om_smt.hpp"
#include "agree/prove/sm_smt.hpp"
#include "agree/prove/table.hpp"
#include "agree/prove/trace.hpp"

namespace agree::cli {
namespace {

struct Flags {
  int generals = 4;
  int traitors = 1;
  int rounds = -1;  // -1: T (OM(T), SM(T))
  double timeout = 0;
  std::string smt2;
  bool json = false;
  std::string trace_dir = "traces";
  int max_generals = 7;
  int max_traitors = 2;
};

Flags flags;
CLI::App *om_cmd = nullptr, *sm_cmd = nullptr, *table_cmd = nullptr, *impossible_cmd = nullptr;

void add_common(CLI::App* c, bool trace) {
  c->add_option("--timeout", flags.timeout, "give up after SECONDS of solving (verdict unknown, exit 3; 0: no limit)")
      ->check(cli::number_in(0, 1e6, "seconds"))->type_name("SECONDS");
  c->add_option("--smt2", flags.smt2, "also write the query to FILE (SMT-LIB 2; re-run it with: z3 FILE)")->type_name("FILE");
  c->add_flag("--json", flags.json, "print one JSON object on stdout");
  if (trace) c->add_option("--trace-dir", flags.trace_dir, "where witness traces go (never overwritten)");
}

void add_size(CLI::App* c, const char* rounds_help) {
  // The ranges of `agree check om` and `sm` (the same for both), so that one
  // parameter has one range on every command.
  const auto specs = model::om::Om::param_specs();
  const auto range = [&](const std::string& name) {
    for (const auto& s : specs)
      if (s.name == name) return cli::count_in(static_cast<std::uint64_t>(s.min), static_cast<std::uint64_t>(s.max));
    throw std::logic_error("om has no parameter " + name);
  };
  c->add_option("--generals", flags.generals, "generals N, p0 is the commander")->required()->check(range("generals"))->type_name("N");
  c->add_option("--traitors", flags.traitors, "traitors T")->required()->check(range("traitors"))->type_name("T");
  c->add_option("--rounds", flags.rounds, rounds_help)->check(range("rounds"))->type_name("M");
}

nlohmann::json null_or(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }

std::string verdict_word(prove::Answer a) {
  // The query asks for a violation: sat means violated.
  return a == prove::Answer::Sat ? "violated" : a == prove::Answer::Unsat ? "holds" : "unknown";
}

// The parameters as `agree check` prints them: rounds=auto when --rounds was
// not given (then m = T), else the number.
bool rounds_auto() { return flags.rounds < 0; }
std::string params_text(int generals, int traitors, int rounds) {
  return fmt::format("generals={} traitors={} rounds={}", generals, traitors,
                     rounds_auto() ? std::string("auto") : std::to_string(rounds));
}
nlohmann::json params_json(int generals, int traitors, int rounds) {
  return {{"generals", generals},
          {"traitors", traitors},
          {"rounds", rounds_auto() ? nlohmann::json("auto") : nlohmann::json(rounds)}};
}

int exit_for(prove::Answer a) {
  return a == prove::Answer::Sat ? cli::kExitViolated : a == prove::Answer::Unsat ? cli::kExitHolds : cli::kExitIncomplete;
}

// Writes a witness trace for `protocol` and returns its path; nullopt when the
// explicit model is not in this build.
std::optional<std::string> write_trace(const std::string& protocol, const std::optional<counterexamples::Trace>& t) {
  if (!t) return std::nullopt;
  std::string stem = protocol;
  if (const cli::Entry* e = cli::find_protocol(protocol)) {
    model::Params params(e->params);
    params.set_all(t->parameters);
    stem = cli::trace_stem(*e, params, t->property);
  }
  return counterexamples::write_new_file(flags.trace_dir, stem, ".trace", counterexamples::to_text(*t));
}

int run_om() {
  prove::om::Config c{flags.generals, flags.traitors, flags.rounds < 0 ? flags.traitors : flags.rounds};
  const prove::SolveOptions so{flags.timeout, flags.smt2};
  const auto r = prove::om::prove(c, so);
  std::optional<std::string> trace_path;
  std::optional<counterexamples::Trace> trace;
  if (r.witness) {
    trace = prove::om_trace(c, *r.witness, rounds_auto());
    trace_path = write_trace("om", trace);
  }
  const std::string params = params_text(c.generals, c.traitors, c.rounds);
  if (flags.json) {
    nlohmann::json j;
    j["command"] = "prove om";
    j["protocol"] = "om";
    j["parameters"] = params_json(c.generals, c.traitors, c.rounds);
    j["verdict"] = verdict_word(r.outcome.answer);
    j["z3"] = prove::to_string(r.outcome.answer);
    j["reason_unknown"] = r.outcome.answer == prove::Answer::Unknown ? nlohmann::json(r.outcome.reason_unknown)
                                                                     : nlohmann::json(nullptr);
    j["property"] = r.witness ? nlohmann::json(r.witness->property) : nlohmann::json(nullptr);
    j["seconds"] = r.outcome.seconds;
    j["trace"] = null_or(trace_path);
    j["smt2"] = flags.smt2.empty() ? nlohmann::json(nullptr) : nlohmann::json(flags.smt2);
    j["messages"] = r.messages;
    if (r.witness) {
      std::vector<int> traitors;
      for (std::size_t g = 0; g < r.witness->traitor.size(); ++g)
        if (r.witness->traitor[g]) traitors.push_back(static_cast<int>(g));
      j["witness"] = {{"traitors", traitors},
                      {"order", r.witness->order_attack ? "attack" : "retreat"},
                      {"strategy", prove::om::strategy_lines(*r.witness)},
                      {"explanation", r.witness->explanation}};
    } else {
      j["witness"] = nullptr;
    }
    j["statistics"] = r.outcome.statistics;
    std::cout << j.dump() << '\n';
    return exit_for(r.outcome.answer);
  }
  std::cout << "agree prove om  " << params << '\n';
  std::cout << fmt::format("  OM({}) over {} messages; free: the traitor set (exactly {}), the commander's order,\n"
                           "  every value a traitor sends; asked: a run that breaks IC1 or IC2\n",
                           c.rounds, r.messages, c.traitors);
  if (!flags.smt2.empty()) std::cout << "  query written to " << flags.smt2 << "  (z3 " << flags.smt2 << ")\n";
  std::cout << '\n' << fmt::format("z3: {} in {:.3f} s\n", prove::to_string(r.outcome.answer), r.outcome.seconds);
  switch (r.outcome.answer) {
    case prove::Answer::Unsat:
      std::cout << fmt::format("verdict: holds — IC1 and IC2 hold for every set of {} traitors and every traitor "
                               "strategy (OM({}), {} generals)\n",
                               c.traitors, c.rounds, c.generals);
      break;
    case prove::Answer::Unknown:
      std::cout << "verdict: unknown — Z3 gave up (" << r.outcome.reason_unknown << "); nothing is proved\n";
      break;
    case prove::Answer::Sat: {
      const auto& w = *r.witness;
      std::cout << "verdict: violated (" << w.property << ") — " << w.explanation << '\n';
      std::string traitors;
      for (std::size_t g = 0; g < w.traitor.size(); ++g)
        if (w.traitor[g]) traitors += (traitors.empty() ? "p" : ", p") + std::to_string(g);
      std::cout << "  traitors: " << traitors << "; the commander's order: " << (w.order_attack ? "attack" : "retreat")
                << '\n';
      std::cout << "  traitor strategy (every message a traitor sends, as agree check writes it: "
                   "send(path>receiver: value)):\n";
      for (const auto& line : prove::om::strategy_lines(w)) std::cout << "    " << line << '\n';
      std::string dec;
      for (std::size_t g = 1; g < w.decision.size(); ++g)
        dec += fmt::format("{}p{} {}{}", dec.empty() ? "" : ", ", g, w.decision[g] ? "attack" : "retreat",
                           w.traitor[g] ? " (traitor)" : "");
      std::cout << "  decisions by the OM recursion: " << dec << '\n';
      if (trace_path)
        std::cout << "\ntrace written to " << *trace_path << "  (agree replay " << *trace_path << ")\n";
      else
        std::cout << "\nno trace written: the explicit `om` model does not take these parameters (agree list)\n";
      break;
    }
  }
  return exit_for(r.outcome.answer);
}

int run_sm() {
  prove::sm::Config c{flags.generals, flags.traitors, flags.rounds < 0 ? flags.traitors : flags.rounds};
  const prove::SolveOptions so{flags.timeout, flags.smt2};
  const auto r = prove::sm::prove(c, so);
  std::optional<std::string> trace_path;
  if (r.witness) trace_path = write_trace("sm", prove::sm_trace(c, *r.witness, rounds_auto()));
  const std::string params = params_text(c.generals, c.traitors, c.rounds);
  if (flags.json) {
    nlohmann::json j;
    j["command"] = "prove sm";
    j["protocol"] = "sm";
    j["parameters"] = params_json(c.generals, c.traitors, c.rounds);
    j["verdict"] = verdict_word(r.outcome.answer);
    j["z3"] = prove::to_string(r.outcome.answer);
    j["reason_unknown"] = r.outcome.answer == prove::Answer::Unknown ? nlohmann::json(r.outcome.reason_unknown)
                                                                     : nlohmann::json(nullptr);
    j["property"] = r.witness ? nlohmann::json(r.witness->property) : nlohmann::json(nullptr);
    j["seconds"] = r.outcome.seconds;
    j["trace"] = null_or(trace_path);
    j["smt2"] = flags.smt2.empty() ? nlohmann::json(nullptr) : nlohmann::json(flags.smt2);
    j["deliveries"] = r.deliveries;
    if (r.witness) {
      std::vector<int> traitors;
      for (std::size_t g = 0; g < r.witness->traitor.size(); ++g)
        if (r.witness->traitor[g]) traitors.push_back(static_cast<int>(g));
      j["witness"] = {{"traitors", traitors},
                      {"order", r.witness->order_attack ? "attack" : "retreat"},
                      {"strategy", prove::sm::strategy_lines(*r.witness)},
                      {"explanation", r.witness->explanation}};
    } else {
      j["witness"] = nullptr;
    }
    j["statistics"] = r.outcome.statistics;
    std::cout << j.dump() << '\n';
    return exit_for(r.outcome.answer);
  }
  std::cout << "agree prove sm  " << params << '\n';
  std::cout << fmt::format("  SM({}) over {} possible signed deliveries; free: the traitor set (exactly {}), the "
                           "commander's order,\n  a traitor commander's signed values, every traitor's choice of "
                           "recipients; asked: a run that breaks IC1 or IC2\n",
                           c.rounds, r.deliveries, c.traitors);
  if (!flags.smt2.empty()) std::cout << "  query written to " << flags.smt2 << "  (z3 " << flags.smt2 << ")\n";
  std::cout << '\n' << fmt::format("z3: {} in {:.3f} s\n", prove::to_string(r.outcome.answer), r.outcome.seconds);
  switch (r.outcome.answer) {
    case prove::Answer::Unsat:
      std::cout << fmt::format("verdict: holds — IC1 and IC2 hold for every set of {} traitors and every traitor "
                               "strategy (SM({}), {} generals)\n",
                               c.traitors, c.rounds, c.generals);
      break;
    case prove::Answer::Unknown:
      std::cout << "verdict: unknown — Z3 gave up (" << r.outcome.reason_unknown << "); nothing is proved\n";
      break;
    case prove::Answer::Sat: {
      const auto& w = *r.witness;
      std::cout << "verdict: violated (" << w.property << ") — " << w.explanation << '\n';
      std::string traitors;
      for (std::size_t g = 0; g < w.traitor.size(); ++g)
        if (w.traitor[g]) traitors += (traitors.empty() ? "p" : ", p") + std::to_string(g);
      std::cout << "  traitors: " << traitors << "; the commander's order: " << (w.order_attack ? "attack" : "retreat")
                << '\n';
      std::cout << "  traitor strategy (every signed message a traitor sends, as agree check writes it: "
                   "send(value:signers > {receivers})):\n";
      for (const auto& line : prove::sm::strategy_lines(w)) std::cout << "    " << line << '\n';
      if (trace_path)
        std::cout << "\ntrace written to " << *trace_path << "  (agree replay " << *trace_path << ")\n";
      else
        std::cout << "\nno trace written: the explicit `sm` model does not take these parameters (agree list)\n";
      break;
    }
  }
  return exit_for(r.outcome.answer);
}

int run_table() {
  if (flags.max_generals < 2 || flags.max_generals > 12 || flags.max_traitors < 0 || flags.max_traitors > 4)
    throw model::ParamError("--max-generals must be in 2..12 and --max-traitors in 0..4");
  const prove::SolveOptions so{flags.timeout, ""};
  const auto t = prove::table::run(flags.max_generals, flags.max_traitors, so);
  const int exit = t.disagreements ? cli::kExitViolated : t.unknowns ? cli::kExitIncomplete : cli::kExitHolds;
  if (flags.json) {
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& c : t.cells)
      cells.push_back({{"protocol", c.protocol},
                       {"generals", c.generals},
                       {"traitors", c.traitors},
                       {"rounds", c.rounds},
                       {"verdict", verdict_word(c.answer)},
                       {"z3", prove::to_string(c.answer)},
                       {"expected", c.expected_holds ? "holds" : "violated"},
                       {"vacuous", c.vacuous},
                       {"agrees", c.agrees()},
                       {"seconds", c.seconds}});
    nlohmann::json j{{"command", "prove table"},
                     {"max_generals", flags.max_generals},
                     {"max_traitors", flags.max_traitors},
                     {"cells", cells},
                     {"disagreements", t.disagreements},
                     {"unknowns", t.unknowns},
                     {"seconds", t.seconds}};
    std::cout << j.dump() << '\n';
    return exit;
  }
  std::cout << "agree prove table  max-generals=" << flags.max_generals << " max-traitors=" << flags.max_traitors << "\n";
  std::cout << "  each cell: Z3's verdict on \"is there a run breaking IC1 or IC2?\" and the solver's time;\n"
               "  expected (Lamport, Shostak, Pease 1982): OM(T) holds iff N > 3T, SM(T) always; with at most one\n"
               "  loyal general (N - T <= 1) both hold vacuously (marked v). A cell that disagrees is marked !!\n";
  for (const std::string protocol : {"om", "sm"}) {
    std::cout << '\n' << (protocol == "om" ? "OM(T), oral messages" : "SM(T), signed messages") << "\n  T\\N ";
    for (int n = 2; n <= flags.max_generals; ++n) std::cout << fmt::format(" {:>18}", "N=" + std::to_string(n));
    std::cout << '\n';
    for (int tr = 0; tr <= flags.max_traitors; ++tr) {
      std::cout << fmt::format("  T={:<2}", tr);
      for (int n = 2; n <= flags.max_generals; ++n) {
        const prove::table::Cell* cell = nullptr;
        for (const auto& c : t.cells)
          if (c.protocol == protocol && c.generals == n && c.traitors == tr) cell = &c;
        if (!cell) {
          std::cout << fmt::format(" {:>18}", "-");
          continue;
        }
        const std::string mark = !cell->agrees() ? " !!" : cell->vacuous ? " v" : "";
        std::cout << fmt::format(" {:>18}",
                                 fmt::format("{}{} {:.3f}s", verdict_word(cell->answer), mark, cell->seconds));
      }
      std::cout << '\n';
    }
  }
  std::cout << '\n'
            << fmt::format("{} cells in {:.2f} s: {} agree with the theorem, {} disagree, {} unknown\n", t.cells.size(),
                           t.seconds, static_cast<int>(t.cells.size()) - t.disagreements - t.unknowns, t.disagreements,
                           t.unknowns);
  return exit;
}

int run_impossible() {
  const prove::impossible::Config c{flags.generals, flags.traitors, flags.rounds < 0 ? 2 : flags.rounds};
  const prove::SolveOptions so{flags.timeout, flags.smt2};
  const auto r = prove::impossible::prove(c, so);
  // Exit: 1 no protocol of the class exists, 0 one does (printed), 3 unknown.
  const int exit = r.outcome.answer == prove::Answer::Unsat ? cli::kExitViolated
                   : r.outcome.answer == prove::Answer::Sat ? cli::kExitHolds
                                                            : cli::kExitIncomplete;
  const std::string verdict = r.outcome.answer == prove::Answer::Unsat ? "impossible"
                              : r.outcome.answer == prove::Answer::Sat ? "possible"
                                                                       : "unknown";
  if (flags.json) {
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& rule : r.rules) {
      std::vector<int> attack_on;
      for (std::size_t v = 0; v < rule.table.size(); ++v)
        if (rule.table[v]) attack_on.push_back(static_cast<int>(v));
      rules.push_back({{"lieutenant", rule.lieutenant},
                       {"inputs", rule.inputs},
                       {"attack_on_views", attack_on},
                       {"is_majority", rule.is_majority},
                       {"text", prove::impossible::rule_text(rule)}});
    }
    nlohmann::json j{{"command", "prove impossible"},
                     {"parameters", {{"generals", c.generals}, {"traitors", c.traitors}, {"rounds", c.rounds}}},
                     {"verdict", verdict},
                     {"z3", prove::to_string(r.outcome.answer)},
                     {"reason_unknown", r.outcome.answer == prove::Answer::Unknown ? nlohmann::json(r.outcome.reason_unknown)
                                                                                 : nlohmann::json(nullptr)},
                     {"seconds", r.outcome.seconds},
                     {"trace", nullptr},
                     {"smt2", flags.smt2.empty() ? nlohmann::json(nullptr) : nlohmann::json(flags.smt2)},
                     {"class", prove::impossible::class_text(c)},
                     {"behaviours", r.behaviours},
                     {"constraints", r.constraints},
                     {"unknowns", r.unknowns},
                     {"rules", r.outcome.answer == prove::Answer::Sat ? rules : nlohmann::json(nullptr)},
                     {"statistics", r.outcome.statistics}};
    std::cout << j.dump() << '\n';
    return exit;
  }
  std::cout << fmt::format("agree prove impossible  generals={} traitors={} rounds={}\n", c.generals, c.traitors,
                           c.rounds);
  std::cout << "  the class of protocols: " << prove::impossible::class_text(c) << '\n';
  std::cout << fmt::format("  unknowns: {} decision-table entries; {} traitor behaviours enumerated, {} distinct "
                           "constraints\n",
                           r.unknowns, r.behaviours, r.constraints);
  if (!flags.smt2.empty()) std::cout << "  query written to " << flags.smt2 << "  (z3 " << flags.smt2 << ")\n";
  std::cout << '\n' << fmt::format("z3: {} in {:.3f} s\n", prove::to_string(r.outcome.answer), r.outcome.seconds);
  switch (r.outcome.answer) {
    case prove::Answer::Unsat:
      std::cout << fmt::format("verdict: impossible — no protocol of this class guarantees IC1 and IC2 for {} generals "
                               "and {} traitor{} in {} round{}: every choice of decision functions loses to some "
                               "traitor behaviour\n",
                               c.generals, c.traitors, c.traitors == 1 ? "" : "s", c.rounds, c.rounds == 1 ? "" : "s");
      break;
    case prove::Answer::Unknown:
      std::cout << "verdict: unknown — Z3 gave up (" << r.outcome.reason_unknown << "); nothing is proved\n";
      break;
    case prove::Answer::Sat:
      std::cout << "verdict: possible — a protocol of this class exists; the synthesised decision rule "
                   "(checked again against every traitor behaviour by plain evaluation):\n";
      for (const auto& rule : r.rules) {
        std::string in;
        for (const auto& x : rule.inputs) in += (in.empty() ? "" : ", ") + x;
        std::cout << fmt::format("  p{} receives the values of paths [{}]\n     and decides: {}\n", rule.lieutenant, in,
                                 prove::impossible::rule_text(rule));
      }
      std::cout << "  (a path lists the generals the value passed through; a view such as ARA reads the values in "
                   "the order listed, A attack, R retreat)\n";
      break;
  }
  return exit;
}

int run_prove() {
  try {
    if (om_cmd->parsed()) return run_om();
    if (sm_cmd->parsed()) return run_sm();
    if (table_cmd->parsed()) return run_table();
    if (impossible_cmd->parsed()) return run_impossible();
  } catch (const model::ParamError& e) {
    std::cerr << "agree: error: " << e.what() << '\n';
    return cli::kExitUsage;
  } catch (const std::length_error& e) {
    std::cerr << "agree: error: " << e.what() << '\n';
    return cli::kExitUsage;
  } catch (const z3::exception& e) {
    std::cerr << "agree: error: z3: " << e.msg() << '\n';
    return cli::kExitIncomplete;
  }
  return cli::kExitUsage;
}

}  // namespace

Command prove_command() {
  return Command
    {"prove", 40,
     [](CLI::App& app) {
       auto* p = app.add_subcommand("prove", "prove or refute agreement symbolically with Z3 (OM, SM, impossibility)");
       p->require_subcommand(1);
       om_cmd = p->add_subcommand("om", "OM(m): is there a traitor strategy that breaks IC1 or IC2?");
       add_size(om_cmd, "m of OM(m) (default: T)");
       add_common(om_cmd, true);
       sm_cmd = p->add_subcommand("sm", "SM(m): is there a traitor strategy that breaks IC1 or IC2?");
       add_size(sm_cmd, "m of SM(m) (default: T)");
       add_common(sm_cmd, true);
       table_cmd = p->add_subcommand("table", "OM(T) and SM(T) for every N and T up to a bound, against the theorem");
       table_cmd->add_option("--max-generals", flags.max_generals, "N = 2 .. this (default 7)")
           ->check(cli::count_in(2, 12))->type_name("N");
       table_cmd->add_option("--max-traitors", flags.max_traitors, "T = 0 .. this (default 2)")
           ->check(cli::count_in(0, 4))->type_name("T");
       table_cmd->add_option("--timeout", flags.timeout, "give up on a cell after SECONDS (unknown; 0: no limit)")
           ->check(cli::number_in(0, 1e6, "seconds"))->type_name("SECONDS");
       table_cmd->add_flag("--json", flags.json, "print one JSON object on stdout");
       impossible_cmd = p->add_subcommand(
           "impossible", "is there ANY K-round full-information protocol that beats T traitors? (synthesis)");
       add_size(impossible_cmd, "K, the number of rounds (default 2)");
       add_common(impossible_cmd, false);
       return p;
     },
     [] { return run_prove(); }};
}

void add_prove_command() { register_command(prove_command()); }

}  // namespace agree::cli
