// cli/options.hpp — one voice for the command line: the validators every
// command's options use, and the rewriting of CLI11's own messages.
//
// Every bad value reads "NAME: VALUE is out of range MIN..MAX" or "NAME: 'VALUE'
// is not a whole number", whether NAME is a protocol parameter (--procs) or an
// option (--threads), on every command; every usage error ends with the help
// of the command it was given to: "(see agree check isis --help)". Names that
// are not known get "did you mean ...?" (model/suggest.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "agree/cli/registry.hpp"
#include "agree/model/params.hpp"

namespace agree::cli {

// A whole number in min..max (decimal digits only: "-1", "0x10" and "1e3" are
// not counts, and 99999999999999999999999 is out of range, not saturated).
CLI::Validator count_in(std::uint64_t min, std::uint64_t max);
// A finite number in min..max; `unit` names it in the message ("seconds").
CLI::Validator number_in(double min, double max, const std::string& unit);

// A protocol parameter's help with its range or choices and default:
// "group members p0..p(N-1) (1..16; default 3)". The same for every command.
std::string param_help(const model::ParamSpec& p);
// The placeholder of a protocol parameter: N for a number, NAME for a choice.
inline const char* param_placeholder(const model::ParamSpec& p) { return p.choices.empty() ? "N" : "NAME"; }

// A model::ParamError (a bad --procs, or a combination the model refuses) in
// the command line's voice: "--procs: 99 is out of range 1..16 (see agree
// check isis --help)".
std::string param_error_message(const std::string& error, const std::vector<model::ParamSpec>& specs,
                                const std::string& command);
// The options CLI11 would list for a command, as its help prints them: for a
// footer that shows them where the command itself has none (check, simulate).
std::string options_help(const std::function<void(CLI::App&)>& add);

// The parameter values given on a command line: given[protocol][parameter] = text.
using GivenParams = std::map<std::string, std::map<std::string, std::string>>;
// Under `command` (check, simulate, explore), one subcommand per registered
// protocol, taking the protocol's parameters (--procs N ..., into `given`) and
// then the command's own options (add_flags). Returns each subcommand with
// its entry, in the registry's order.
std::vector<std::pair<CLI::App*, const Entry*>> add_protocol_subcommands(CLI::App* command, GivenParams& given,
                                                                        const std::function<void(CLI::App*)>& add_flags);

// CLI11's message for a parse error, rewritten in agree's voice and pointing
// at the help of the (sub)command that was being parsed.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e);

// "agree check isis": the command path of the deepest subcommand that parsed.
std::string command_path(const CLI::App& app);

}  // namespace agree::cli
