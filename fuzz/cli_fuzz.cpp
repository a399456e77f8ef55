// fuzz/cli_fuzz.cpp — libFuzzer target for the command-line parser: the input,
// split at NUL bytes, is argv[1..] of `agree`, run through agree::cli::main
// in parse-only mode (agree::cli::set_parse_only): every option and
// protocol parameter is parsed and validated, nothing is run (no check, no
// file is read or written).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "agree/cli/cli.hpp"
#include "agree/cli/command.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  static const bool ready = [] {
    agree::cli::add_builtin_protocols();
    agree::cli::add_prove_command();
    agree::cli::set_parse_only(true);
    return true;
  }();
  (void)ready;
  std::vector<std::string> args{"agree"};
  std::string cur;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += static_cast<char>(data[i]);
    }
  }
  if (!cur.empty()) args.push_back(cur);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int code = agree::cli::main(static_cast<int>(args.size()), argv.data());
  // Parse-only: 0 (accepted) or 2 (a usage error); anything else is a finding.
  if (code != 0 && code != 2) __builtin_trap();
  return 0;
}
