// cli/suite.hpp — `agree suite`: the bundled table of configurations with
// their expected verdicts, correct and broken variants alike.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace agree::cli {

struct SuiteRow {
  std::string protocol;
  std::string parameters;       // "procs=3 msgs=2 variant=no-tiebreak"; unnamed ones keep their defaults
  std::string verdict;          // holds | violated
  std::string property;         // the property violated first, or "" when it holds
  std::uint64_t states = 0;     // the contract's distinct-state count when the search is complete; 0: not pinned
  std::string why;              // what the row shows
};

const std::vector<SuiteRow>& suite_rows();  // the rows registered with add_suite_row (cli/cli.hpp)
void add_suite_row(SuiteRow row);

struct SuiteOptions {
  std::string filter;                    // only rows whose protocol or parameters name each of its words
  std::optional<std::string> trace_dir;  // write the counterexamples there too
  bool json = false;
};

// Runs every row the filter selects; prints a table; returns the number of
// rows that disagree. Throws std::invalid_argument when the filter selects none.
int run_suite(const SuiteOptions& o, std::ostream& out);

}  // namespace agree::cli
