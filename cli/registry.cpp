#include "agree/cli/registry.hpp"

#include <stdexcept>

namespace agree::cli {

namespace {
std::vector<Entry>& entries() {
  static std::vector<Entry> r;
  return r;
}
}  // namespace

const std::vector<Entry>& registry() { return entries(); }

void add_entry(Entry e) {
  if (find_protocol(e.name)) throw std::invalid_argument("protocol '" + e.name + "' is registered twice");
  entries().push_back(std::move(e));
}

const Entry* find_protocol(const std::string& name) {
  for (const auto& e : registry())
    if (e.name == name) return &e;
  return nullptr;
}

std::string protocol_names() {
  std::string out;
  for (const auto& e : registry()) out += (out.empty() ? "" : ", ") + e.name;
  return out;
}

counterexamples::ReplayResult replay_trace(const counterexamples::Trace& t, const std::string& file,
                                           std::ostream* out) {
  using counterexamples::TraceError;
  const Entry* e = find_protocol(t.protocol);
  if (!e) throw TraceError(file, t.protocol_line, "unknown protocol '" + t.protocol + "' (known: " + protocol_names() + ")");
  if (t.model_version != e->version)
    throw TraceError(file, t.version_line,
                     "trace is for " + t.protocol + " model version " + std::to_string(t.model_version) +
                         ", this agree has version " + std::to_string(e->version));
  model::Params params(e->params);
  try {
    params.set_all(t.parameters);
    // A trace names every parameter (to_text writes them all): a missing one
    // would silently take its default and fail later at a confusing step.
    // One added later (omit_default) means its default when left out.
    for (const auto& spec : e->params)
      if (!spec.omit_default && t.parameters.rfind(spec.name + "=", 0) != 0 && t.parameters.find(" " + spec.name + "=") == std::string::npos)
        throw model::ParamError("parameter '" + spec.name + "' is missing");
    // Build once to run the protocol's own cross-parameter checks.
    return e->replay(params, t, file, out);
  } catch (const model::ParamError& err) {
    throw TraceError(file, t.parameters_line, err.what());
  }
}

}  // namespace agree::cli
