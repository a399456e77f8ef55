// fuzz/trace_fuzz.cpp — libFuzzer target for the trace reader: any bytes go
// through counterexamples::parse_trace and, when they parse, cli::replay_trace.
// The only acceptable failure is a TraceError (a one-line message for the
// user); any other exception, crash, leak or UB is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "agree/cli/cli.hpp"
#include "agree/counterexamples/trace.hpp"

using namespace agree;  // the tests name agree's parts as model::, checker::, ...

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = (cli::add_builtin_protocols(), true);
  (void)ready;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto t = counterexamples::parse_trace(text, "fuzz.trace");
    (void)cli::replay_trace(t, "fuzz.trace", nullptr);
  } catch (const counterexamples::TraceError& e) {
    const std::string what = e.what();
    // One line, naming the file.
    if (what.find('\n') != std::string::npos || what.rfind("fuzz.trace", 0) != 0) {
      std::fprintf(stderr, "bad message: %s\n", what.c_str());
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected exception (not a TraceError): %s\n", e.what());
    std::abort();
  }
  return 0;
}
