// explore/session.hpp — exploring a protocol by hand: what a person sees at
// one point of a path, and what they can do from there.
//
// A Session holds one configured model and answers questions about paths
// (checker::Path: an initial state, then action indices into the
// deterministic list of enabled actions, the same form a counterexample
// takes). It keeps no cursor: every question names its path, so a path can
// be shared and reloaded (the web explorer puts it in its URL, "0/3/1/2").
// What it remembers is which states it has shown, so that a step that leads
// to one of them can say so.
//
// Nothing here prints or speaks HTTP: explore/api.hpp turns requests into
// these calls and their answers into JSON, explore/server.hpp serves them.
// make_session<P> (explore/model_session.hpp) builds one for any protocol.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "agree/checker/options.hpp"
#include "agree/counterexamples/trace.hpp"

namespace agree::explore {

// A path that does not fit the model: an action index past the enabled
// actions, an initial state that does not exist, a path longer than kMaxPath.
struct PathError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Steps in a path: what a URL can hold (the server takes request lines of
// at most 8,192 bytes, cpp-httplib's limit; a step costs "/" and its index).
inline constexpr std::size_t kMaxPath = 1500;
inline constexpr std::size_t kMaxSeen = 1u << 22;    // states remembered as shown (then no more are added)

struct Field {
  std::string name, value;
  bool changed = false;  // its text differs from the state before the last step
};

// An action enabled in the current state, as a button.
struct Choice {
  std::uint32_t index = 0;      // its place in the enabled list: the path's next number
  std::string label;            // format_action, the model's own notation
  std::string kind;             // its action kind (model::action_kinds_of)
  bool self_loop = false;       // the state stays as it is
  std::optional<std::size_t> returns_to;  // leads to the state after this step of the path (0: the initial state)
  bool seen = false;            // leads to a state this session has shown before
};

enum class Status {
  Holds,      // always: holds here; terminal: this state is terminal and it holds
  Violated,   // always or terminal: fails here
  Unjudged,   // terminal: this state is not terminal, so the property says nothing yet
  Reached,    // sometimes: some state of the path satisfies it
  Unreached,  // sometimes: no state of the path does yet
};
std::string to_string(Status s);  // "holds", "violated here", "judged only in terminal states", "reached", "not reached yet"
std::string status_key(Status s);  // "holds", "violated", "unjudged", "reached", "unreached"

struct PropertyStatus {
  std::string name, expectation, description;
  Status status = Status::Holds;
  std::optional<std::size_t> at;  // Reached: the first step whose state satisfies it; Violated: the first step that broke it
  std::string explanation;        // Violated: why, in words (Property::explain), when the property has it
};

// Everything about the last state of a path.
struct View {
  checker::Path path;
  std::vector<std::string> steps;       // steps[0] the initial state's name, then each action's text
  std::vector<Field> fields;            // the state after the last step, field by field
  std::vector<Choice> choices;          // empty: a terminal state
  std::vector<PropertyStatus> properties;
  std::optional<std::size_t> same_as;   // the last state equals the state after this earlier step
  std::string chart_svg;                // the path as the sequence chart `agree render` draws
};

struct Info {
  std::string protocol, summary, parameters;
  int version = 0;
  std::vector<std::string> inits;       // the initial states' names, by index
  std::vector<std::pair<std::string, std::string>> properties;  // name, expectation
  std::vector<std::pair<std::string, std::string>> glossary;    // what the fields mean
};

// A seeded random run from the end of a path.
struct Walk {
  checker::Path path;        // the given path and the steps taken
  std::size_t taken = 0;
  std::string stopped;       // "terminal", "violated" (an always or terminal property fails), "steps" (the bound)
  std::string property;      // "violated": which
};

// The checker run from the end of a path, as if it were the initial state.
struct Probe {
  checker::Report report;             // its figures; verdict Incomplete when the time limit cut it
  std::optional<std::string> property;  // the property violated, if one is
  std::optional<checker::Path> path;  // the given path followed by a shortest counterexample from its end
};
struct ProbeOptions {
  double seconds = 5;                  // time limit
  std::uint64_t memory_limit_mib = 1024;
  const std::atomic<bool>* interrupt = nullptr;
};

class Session {
 public:
  virtual ~Session() = default;
  [[nodiscard]] virtual Info info() const = 0;
  // Throws PathError. Remembers the states of the path as shown.
  virtual View view(const checker::Path& path) = 0;
  // Up to `steps` random steps (none when the path's end already violates a
  // property; stops early at a terminal state or a violation); the same seed
  // takes the same steps. Throws PathError.
  virtual Walk walk(const checker::Path& from, std::uint64_t seed, std::size_t steps) = 0;
  // Throws PathError.
  virtual Probe probe(const checker::Path& from, const ProbeOptions& o) = 0;
  // The path a trace of this model takes (its steps matched against the
  // enabled actions' text, as replay does). Throws counterexamples::TraceError
  // naming the line that does not fit.
  [[nodiscard]] virtual checker::Path path_of(const counterexamples::Trace& t, const std::string& file) const = 0;
  // The path as a trace file's contents, recording `property` (which must be
  // one of the model's; `agree replay` says whether the path shows it).
  // Throws PathError.
  [[nodiscard]] virtual counterexamples::Trace trace_of(const checker::Path& path, const std::string& property) const = 0;
};

// "0/3/1/2" <-> Path (the initial state first). Throws PathError for a text
// that is not numbers separated by '/', or longer than kMaxPath steps.
checker::Path parse_path(const std::string& text);

}  // namespace agree::explore
