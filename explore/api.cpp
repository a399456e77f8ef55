// explore/api.cpp — the endpoints of explore/api.hpp, over one Session.
#include "agree/explore/api.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <cstdio>
#include <optional>
#include <random>
#include <string_view>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "agree/checker/options.hpp"
#include "agree/counterexamples/trace.hpp"

namespace agree::explore {
namespace {

using nlohmann::json;

// A request the client got wrong: its status (4xx) and one line.
struct BadRequest : std::runtime_error {
  int status;
  BadRequest(int s, const std::string& what) : std::runtime_error(what), status(s) {}
};

// A piece of the request, echoed in a message: at most n bytes, and no
// control character (a decoded %0A must not break the one line).
std::string shorten(const std::string& s, std::size_t n = 40) {
  std::string out = s.size() > n ? s.substr(0, n) + "..." : s;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

// The query of one endpoint: only the names it takes, each at most once.
class Query {
 public:
  Query(const Request& r, std::initializer_list<const char*> allowed) {
    for (const auto& [key, value] : r.query) {
      const std::string& name = key;  // a structured binding cannot be captured before C++20's clang 16
      if (std::find_if(allowed.begin(), allowed.end(), [&name](const char* a) { return name == a; }) == allowed.end()) {
        std::string names;
        for (const char* a : allowed) names += std::string(names.empty() ? "" : ", ") + a;
        throw BadRequest(400, "unknown parameter '" + shorten(name) + "' for " + r.path +
                                  (names.empty() ? " (it takes none)" : " (it takes: " + names + ")"));
      }
      if (!values_.emplace(name, value).second) throw BadRequest(400, "parameter '" + name + "' is given twice");
    }
  }
  [[nodiscard]] std::optional<std::string> get(const std::string& name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  [[nodiscard]] std::uint64_t count(const std::string& name, std::uint64_t fallback, std::uint64_t lo, std::uint64_t hi) const {
    const auto v = get(name);
    if (!v) return fallback;
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (v->empty() || ec != std::errc() || end != v->data() + v->size() || n < lo || n > hi)
      throw BadRequest(400, name + ": '" + shorten(*v) + "' is not a whole number in " + std::to_string(lo) + ".." + std::to_string(hi));
    return n;
  }
  [[nodiscard]] double seconds(const std::string& name, double fallback, double hi) const {
    const auto v = get(name);
    if (!v) return fallback;
    double x = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
    if (v->empty() || ec != std::errc() || end != v->data() + v->size() || !std::isfinite(x) || x < 0.1 || x > hi)
      throw BadRequest(400, name + ": '" + shorten(*v) + "' is not a number of seconds in 0.1.." + json(hi).dump());
    return x;
  }
  [[nodiscard]] checker::Path path() const {
    try {
      return parse_path(get("path").value_or("0"));
    } catch (const PathError& e) {
      throw BadRequest(400, e.what());
    }
  }

 private:
  std::map<std::string, std::string> values_;
};

Response json_answer(const json& j, int status = 200) {
  Response r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);  // a request may echo bytes that are not UTF-8
  return r;
}

Response error_answer(int status, const std::string& message) { return json_answer(json{{"error", message}}, status); }

constexpr std::string_view kNonceSlot = "{{agree-nonce}}";

// 128 random bits in hex (a CSP nonce may be any base64 text, and hex is).
std::string make_nonce() {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    out += buf;
  }
  return out;
}

json optional_index(const std::optional<std::size_t>& k) { return k ? json(*k) : json(nullptr); }

json model_json(const Info& i, const ApiOptions& o) {
  json props = json::array();
  for (const auto& [name, expectation] : i.properties) props.push_back({{"name", name}, {"expectation", expectation}});
  json glossary = json::array();
  for (const auto& [field, meaning] : i.glossary) glossary.push_back({{"field", field}, {"meaning", meaning}});
  return {{"protocol", i.protocol}, {"summary", i.summary}, {"parameters", i.parameters}, {"model_version", i.version},
          {"inits", i.inits}, {"properties", props}, {"glossary", glossary},
          {"limits", {{"path_steps", kMaxPath}, {"walk_steps", kMaxPath}, {"check_seconds", o.max_check_seconds}}}};
}

json view_json(const View& v) {
  json fields = json::array();
  for (const auto& f : v.fields) fields.push_back({{"name", f.name}, {"value", f.value}, {"changed", f.changed}});
  json choices = json::array();
  for (const auto& c : v.choices)
    choices.push_back({{"index", c.index}, {"label", c.label}, {"kind", c.kind}, {"self_loop", c.self_loop},
                       {"returns_to", optional_index(c.returns_to)}, {"seen", c.seen}});
  json props = json::array();
  for (const auto& p : v.properties)
    props.push_back({{"name", p.name}, {"expectation", p.expectation}, {"description", p.description},
                     {"status", status_key(p.status)}, {"status_text", to_string(p.status)}, {"at", optional_index(p.at)},
                     {"explanation", p.explanation}});
  return {{"path", v.path.encode()}, {"steps", v.steps}, {"fields", fields}, {"choices", choices},
          {"terminal", v.choices.empty()}, {"same_as", optional_index(v.same_as)}, {"properties", props},
          {"chart_svg", v.chart_svg}};
}

json probe_json(const Probe& p) {
  const auto& r = p.report;
  return {{"verdict", checker::to_string(r.verdict)}, {"cut", r.cut == checker::Cut::None ? json(nullptr) : json(checker::to_string(r.cut))},
          {"distinct_states", r.distinct_states}, {"transitions", r.transitions}, {"depth", r.depth},
          {"seconds", r.seconds}, {"property", p.property ? json(*p.property) : json(nullptr)},
          {"path", p.path ? json(p.path->encode()) : json(nullptr)}};
}

}  // namespace

Response Api::route(const Request& r) const {
  if (r.method != "GET" && r.method != "HEAD") {
    auto a = error_answer(405, "method " + shorten(r.method, 16) + " is not allowed: the explorer answers GET only");
    a.headers.emplace_back("Allow", "GET, HEAD");
    return a;
  }
  if (const std::string why = refusal(r); !why.empty()) return error_answer(403, why);
  if (r.path == "/" || r.path == "/index.html") {
    Query q(r, {});
    Response a;
    a.content_type = "text/html; charset=utf-8";
    // The page reaches nothing but this server, and runs its own script
    // only: the one that carries this answer's nonce (not an inline handler,
    // not a script that a chart's text could smuggle in).
    const std::string nonce = make_nonce();
    a.body = page_html();
    for (std::size_t at; (at = a.body.find(kNonceSlot)) != std::string::npos;) a.body.replace(at, kNonceSlot.size(), nonce);
    a.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'unsafe-inline'; img-src data:; "
                           "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    return a;
  }
  if (r.path == "/api/model") {
    Query q(r, {});
    return json_answer(model_json(session_.info(), o_));
  }
  if (r.path == "/api/state") {
    Query q(r, {"path"});
    return json_answer(view_json(session_.view(q.path())));
  }
  if (r.path == "/api/walk") {
    Query q(r, {"path", "seed", "steps"});
    const auto seed = q.count("seed", 0, 0, UINT64_MAX);
    const auto steps = q.count("steps", 1, 1, kMaxPath);
    const Walk w = session_.walk(q.path(), seed, steps);
    return json_answer({{"path", w.path.encode()}, {"taken", w.taken}, {"stopped", w.stopped},
                        {"property", w.property.empty() ? json(nullptr) : json(w.property)}});
  }
  if (r.path == "/api/check") return check(r);
  if (r.path == "/api/trace") {
    Query q(r, {"path", "property"});
    const auto prop = q.get("property");
    if (!prop) throw BadRequest(400, "/api/trace needs property=NAME: the property the trace records");
    Response a;
    a.content_type = "text/plain; charset=utf-8";
    a.body = counterexamples::to_text(session_.trace_of(q.path(), *prop));
    a.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + session_.info().protocol + ".trace\"");
    return a;
  }
  return error_answer(404, "no such endpoint: " + shorten(r.path) +
                               " (the explorer serves /, /api/model, /api/state, /api/walk, /api/check, /api/trace)");
}

std::string Api::refusal(const Request& r) const {
  if (r.fetch_site == "cross-site")
    return "a request from another site's page is refused (Sec-Fetch-Site: cross-site)";
  if (o_.allowed_hosts.empty()) return {};
  const auto& hosts = o_.allowed_hosts;
  if (std::find(hosts.begin(), hosts.end(), r.host) == hosts.end())
    return "Host '" + shorten(r.host) + "' is not this server's (open http://" + hosts.front() + "/)";
  if (!r.origin.empty() &&
      std::find_if(hosts.begin(), hosts.end(), [&r](const std::string& h) { return r.origin == "http://" + h; }) == hosts.end())
    return "Origin '" + shorten(r.origin) + "' is not this server's page";
  return {};
}

void Api::cancel() const {
  const std::lock_guard lock(mu_);
  if (running_) running_->store(true);
}

Response Api::check(const Request& r) const {
  Query q(r, {"path", "seconds"});
  ProbeOptions po;
  po.seconds = q.seconds("seconds", std::min(5.0, o_.max_check_seconds), o_.max_check_seconds);
  po.memory_limit_mib = o_.check_memory_mib;
  const auto path = q.path();
  auto mine = std::make_shared<std::atomic<bool>>(false);
  {
    const std::lock_guard lock(mu_);
    if (running_) running_->store(true);  // one at a time: the newer wins
    running_ = mine;
  }
  po.interrupt = mine.get();
  Probe p;
  try {
    p = session_.probe(path, po);
  } catch (...) {
    const std::lock_guard lock(mu_);
    if (running_ == mine) running_.reset();
    throw;
  }
  {
    const std::lock_guard lock(mu_);
    if (running_ == mine) running_.reset();
  }
  return json_answer(probe_json(p));
}

Response Api::handle(const Request& r) const {
  Response a;
  try {
    a = route(r);
  } catch (const BadRequest& e) {
    a = error_answer(e.status, e.what());
  } catch (const PathError& e) {
    a = error_answer(400, e.what());
  } catch (const std::invalid_argument& e) {
    a = error_answer(400, e.what());
  } catch (const std::exception& e) {
    a = error_answer(500, std::string("internal error: ") + e.what());
  }
  a.headers.emplace_back("Cache-Control", "no-store");
  a.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (r.method == "HEAD") a.body.clear();
  return a;
}

}  // namespace agree::explore
