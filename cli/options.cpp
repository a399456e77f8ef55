#include "agree/cli/options.hpp"

#include <charconv>
#include <cmath>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "agree/model/suggest.hpp"

namespace agree::cli {

CLI::Validator count_in(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& v) -> std::string {
        std::uint64_t n = 0;
        const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (v.empty() || v[0] == '-' || v[0] == '+' || ec == std::errc::invalid_argument || p != v.data() + v.size())
          return "'" + v + "' is not a whole number";
        if (ec == std::errc::result_out_of_range || n < min || n > max)
          return v + " is out of range " + std::to_string(min) + ".." + std::to_string(max);
        return "";
      },
      "");  // no description: the placeholder (type_name) says what to give
}

CLI::Validator number_in(double min, double max, const std::string& unit) {
  return CLI::Validator(
      [min, max, unit](std::string& v) -> std::string {
        double d = 0;
        const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
        if (v.empty() || ec != std::errc() || p != v.data() + v.size() || !std::isfinite(d))
          return "'" + v + "' is not a number of " + unit;
        if (d < min || d > max) return v + " is out of range " + fmt::format("{:.15g}..{:.15g}", min, max);
        return "";
      },
      "");
}

std::string param_help(const model::ParamSpec& p) {
  if (!p.choices.empty())
    return p.help + " (" + model::joined(p.choices) + "; default " + p.choices.at(static_cast<std::size_t>(p.def)) + ")";
  return p.help + fmt::format(" ({}..{}; default {})", p.min, p.max, p.auto_text.empty() ? std::to_string(p.def) : p.auto_text);
}

std::string param_error_message(const std::string& error, const std::vector<model::ParamSpec>& specs,
                                const std::string& command) {
  std::string msg = error;
  for (const auto& p : specs)
    if (msg.rfind(p.name + ":", 0) == 0) msg = "--" + msg;
  return msg + " (see " + command + " --help)";
}

std::string options_help(const std::function<void(CLI::App&)>& add) {
  CLI::App dummy{"", "agree"};
  add(dummy);
  const std::string text = dummy.help();
  const auto at = text.find("Options:");
  return at == std::string::npos ? "" : text.substr(at);
}

namespace {

const CLI::App* deepest(const CLI::App& app) {
  const CLI::App* at = &app;
  for (;;) {
    const auto subs = at->get_subcommands();
    if (subs.empty()) return at;
    at = subs.back();
  }
}

// The words after "...not expected: " in an ExtrasError.
std::vector<std::string> extras_of(const std::string& what) {
  std::vector<std::string> out;
  const auto colon = what.find(": ");
  std::istringstream in(colon == std::string::npos ? "" : what.substr(colon + 2));
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// An option-like extra first (CLI11 lists them in reverse: "3 --procz").
std::string unexpected(const CLI::App& sub, const std::vector<std::string>& extras) {
  if (extras.empty()) return "unexpected arguments";
  std::string x = extras.front();
  for (const auto& e : extras)
    if (e.rfind("-", 0) == 0) x = e;
  std::vector<std::string> names;
  if (x.rfind("-", 0) == 0) {
    for (const CLI::Option* o : sub.get_options())
      if (!o->get_lnames().empty()) names.push_back("--" + o->get_lnames().front());
    const std::string c = model::closest(x, names);
    return "unknown option '" + x + "'" + (c.empty() ? "" : " (did you mean " + c + "?)");
  }
  for (const CLI::App* s : sub.get_subcommands([](const CLI::App*) { return true; })) names.push_back(s->get_name());
  if (!names.empty()) return model::unknown("protocol", x, names);
  return "unexpected argument '" + x + "'";
}

}  // namespace

std::string command_path(const CLI::App& app) {
  std::string path = "agree";
  for (const CLI::App* at = &app;;) {
    const auto subs = at->get_subcommands();
    if (subs.empty()) return path;
    at = subs.back();
    path += " " + at->get_name();
  }
}

std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App& sub = *deepest(app);
  const std::string help = " (see " + command_path(app) + " --help)";
  const std::string what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) return unexpected(sub, extras_of(what)) + help;
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const auto colon = what.find(':');
    if (colon != std::string::npos && what.find("required", colon) != std::string::npos)
      return what.substr(0, colon) + " needs a value" + help;
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) && what.rfind("A subcommand is required", 0) == 0) {
    std::vector<std::string> names;
    for (const CLI::App* s : sub.get_subcommands([](const CLI::App*) { return true; })) names.push_back(s->get_name());
    return command_path(app) + " needs one of: " + model::joined(names) + help;
  }
  return what + help;
}

std::vector<std::pair<CLI::App*, const Entry*>> add_protocol_subcommands(CLI::App* command, GivenParams& given,
                                                                        const std::function<void(CLI::App*)>& add_flags) {
  std::vector<std::pair<CLI::App*, const Entry*>> subs;
  for (const auto& e : registry()) {
    CLI::App* sub = command->add_subcommand(e.name, e.summary);
    for (const auto& p : e.params)
      sub->add_option_function<std::string>(
             "--" + p.name, [&given, name = e.name, pname = p.name](const std::string& v) { given[name][pname] = v; },
             param_help(p))
          ->type_name(param_placeholder(p));
    add_flags(sub);
    subs.emplace_back(sub, &e);
  }
  return subs;
}

}  // namespace agree::cli
