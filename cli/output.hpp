// cli/output.hpp — how a check result is shown: to people and to scripts.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "agree/cli/registry.hpp"

namespace agree::cli {

// Exit codes: a contract with users' scripts (README.md, "Exit codes").
inline constexpr int kExitHolds = 0;
inline constexpr int kExitViolated = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitIncomplete = 3;

int exit_code(checker::Verdict v);

std::string thousands(std::uint64_t n);
// `verbose` adds each counterexample's numbered step list and action path
// (the chart shows the steps already).
void print_report(std::ostream& out, const Entry& e, const checker::Options& o, const CheckResult& r, bool verbose,
                  const std::optional<std::string>& trace_path);
nlohmann::json report_json(const Entry& e, const model::Params& params, const checker::Options& o,
                           const CheckResult& r, const std::optional<std::string>& trace_path);
// File name stem for a trace: "isis-procs3-msgs2-crash0-no-tiebreak-total-order".
std::string trace_stem(const Entry& e, const model::Params& params, const std::string& property);

}  // namespace agree::cli
