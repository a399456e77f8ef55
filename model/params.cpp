#include "agree/model/params.hpp"

#include <charconv>
#include <sstream>

#include "agree/model/suggest.hpp"

namespace agree::model {

Params::Params(std::vector<ParamSpec> specs) : specs_(std::move(specs)) {
  for (const auto& s : specs_) values_.push_back(s.def);
}

std::size_t Params::index(const std::string& name) const {
  for (std::size_t i = 0; i < specs_.size(); ++i)
    if (specs_[i].name == name) return i;
  std::vector<std::string> known;
  for (const auto& s : specs_) known.push_back(s.name);
  throw ParamError(unknown("parameter", name, known));
}

void Params::set(const std::string& name, const std::string& text) {
  const std::size_t i = index(name);
  const ParamSpec& s = specs_[i];
  if (!s.choices.empty()) {
    for (std::size_t c = 0; c < s.choices.size(); ++c)
      if (s.choices[c] == text) {
        values_[i] = static_cast<std::int64_t>(c);
        return;
      }
    throw ParamError(name + ": '" + text + "' is not one of " + joined(s.choices) + did_you_mean(text, s.choices));
  }
  if (!s.auto_text.empty() && text == "auto") {
    values_[i] = kAuto;
    return;
  }
  std::int64_t v = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(first, last, v);
  if (text.empty() || ec == std::errc::invalid_argument || ptr != last)
    throw ParamError(name + ": '" + text + "' is not a whole number");
  if (ec == std::errc::result_out_of_range || v < s.min || v > s.max)
    throw ParamError(name + ": " + text + " is out of range " + std::to_string(s.min) + ".." +
                     std::to_string(s.max));
  values_[i] = v;
}

void Params::set_all(const std::string& text) {
  std::istringstream in(text);
  std::string item;
  std::vector<std::string> seen;
  while (in >> item) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ParamError("parameter '" + item + "' is not of the form name=value");
    const std::string name = item.substr(0, eq);
    for (const auto& n : seen)
      if (n == name) throw ParamError("parameter '" + name + "' is given twice");
    seen.push_back(name);
    set(name, item.substr(eq + 1));
  }
}

std::int64_t Params::get(const std::string& name) const { return values_[index(name)]; }

const std::string& Params::choice(const std::string& name) const {
  const std::size_t i = index(name);
  return specs_[i].choices.at(static_cast<std::size_t>(values_[i]));
}

std::string Params::value_text(std::size_t i) const {
  if (!specs_[i].choices.empty()) return specs_[i].choices.at(static_cast<std::size_t>(values_[i]));
  if (values_[i] == kAuto) return "auto";
  return std::to_string(values_[i]);
}

std::string Params::to_string() const {
  std::string out;
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    if (omitted(i)) continue;
    out += (out.empty() ? "" : " ") + specs_[i].name + "=" + value_text(i);
  }
  return out;
}

}  // namespace agree::model
