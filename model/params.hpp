// model/params.hpp — a protocol's parameters: their names, ranges and values.
//
// The same Params object is filled from the command line (`--procs 3`) and from
// a trace header (`parameters: procs=3 ...`), through one validating path, so a
// bad value gets the same one-line message from both.
#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace agree::model {

struct ParamSpec {
  std::string name;                  // as in protocols.md: "procs", "msgs", "crash", "variant", ...
  std::string help;
  std::int64_t def = 0;              // default value; for a choice, the index of the default
  std::int64_t min = 0;              // inclusive range of an integer parameter
  std::int64_t max = 0;
  std::vector<std::string> choices;  // non-empty: a named choice (variant, rule)
  std::string auto_text;             // non-empty: the default is derived ("crash+1"); def is kAuto
  // A parameter added after traces that do not name it (isis `senders`, vote
  // `quorum`): at its default it is left out of to_string(), so the traces and
  // parameter lines of every configuration that existed before stay as they
  // were, and a trace that does not name it means its default.
  bool omit_default = false;
};

inline constexpr std::int64_t kAuto = std::numeric_limits<std::int64_t>::min();

// Thrown for any bad parameter; the message is one line, meant for the user.
struct ParamError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Params {
 public:
  Params() = default;
  explicit Params(std::vector<ParamSpec> specs);

  // Set from text, validating the value: "3", "no-tiebreak". Throws ParamError.
  void set(const std::string& name, const std::string& text);
  // Parse "procs=3 msgs=2 variant=correct" (the trace header form). Throws ParamError.
  void set_all(const std::string& text);

  [[nodiscard]] std::int64_t get(const std::string& name) const;    // integer, or kAuto
  [[nodiscard]] const std::string& choice(const std::string& name) const;
  [[nodiscard]] bool is_auto(const std::string& name) const { return get(name) == kAuto; }
  [[nodiscard]] const std::vector<ParamSpec>& specs() const { return specs_; }
  // "procs=3 msgs=2 crash=0 variant=correct": every parameter, in spec order,
  // except one marked omit_default that has its default value.
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] std::string value_text(std::size_t i) const;
  // Parameter i is marked omit_default and has its default: to_string() and
  // trace file names leave it out.
  [[nodiscard]] bool omitted(std::size_t i) const { return specs_[i].omit_default && values_[i] == specs_[i].def; }

 private:
  [[nodiscard]] std::size_t index(const std::string& name) const;
  std::vector<ParamSpec> specs_;
  std::vector<std::int64_t> values_;
};

}  // namespace agree::model
