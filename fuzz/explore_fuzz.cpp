// fuzz/explore_fuzz.cpp — libFuzzer target for the web explorer's request
// handler (explore/api.hpp): the input is read as a request — a method, a
// URL path (url), the Host, Origin and Sec-Fetch-Site headers (host, origin,
// fetch-site) and query parameters, each as a line "KEY VALUE" (the
// corpus in tests/fuzz-corpus/explore shows the form) — and handed to
// Api::handle over ISIS without the tie-break, as the server would hand it.
// Any answer is fine if it is well formed: a status in 200..499 (a 500 is a
// finding: the handler met an exception it did not expect), a JSON body with
// one one-line "error" for every 4xx (HEAD: no body at all), and no crash,
// leak, UB or hang.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "agree/cli/cli.hpp"
#include "agree/explore/api.hpp"
#include "agree/explore/model_session.hpp"
#include "agree/model/isis.hpp"

using namespace agree;

namespace {

explore::Session& session() {
  static const auto s = [] {
    model::Params params(model::isis::Isis::param_specs());
    params.set_all("procs=2 msgs=2 crash=0 variant=no-tiebreak");
    return explore::make_session(model::isis::Isis(params), params.to_string());
  }();
  return *s;
}

[[noreturn]] void finding(const std::string& what, const explore::Response& a) {
  std::fprintf(stderr, "%s: status %d, body %s\n", what.c_str(), a.status, a.body.substr(0, 400).c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  explore::ApiOptions o;
  o.max_check_seconds = 0.5;  // a check from here may run, briefly
  o.allowed_hosts = {"127.0.0.1:8765", "localhost:8765"};
  static const explore::Api* api = new explore::Api(session(), o);
  explore::Request r;
  r.host = "127.0.0.1:8765";
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(in, line);) {
    const auto space = line.find(' ');
    const std::string key = line.substr(0, space), value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "method") r.method = value;
    else if (key == "url") r.path = value;
    else if (key == "host") r.host = value;
    else if (key == "origin") r.origin = value;
    else if (key == "fetch-site") r.fetch_site = value;
    else r.query.emplace_back(key, value);
  }
  const explore::Response a = api->handle(r);
  if (a.status < 200 || a.status >= 500) finding("unexpected status", a);
  if (r.method == "HEAD") {
    if (!a.body.empty()) finding("a HEAD answer with a body", a);
  } else if (a.status >= 400) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(a.body);
    } catch (const std::exception&) {
      finding("a 4xx body that is not JSON", a);
    }
    if (!j.contains("error") || !j["error"].is_string() || j["error"].get<std::string>().find('\n') != std::string::npos)
      finding("a 4xx without a one-line error", a);
  }
  return 0;
}
