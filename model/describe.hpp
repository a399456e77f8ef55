// model/describe.hpp — how a state prints, and the names a model gets by
// default: its type's name, its action variant's alternatives, its state's
// fields (model/protocol.hpp uses these when a model says nothing).
#pragma once

#include <array>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace agree::model {

// A state printed field by field; `agree replay` shows only the fields whose
// text changed (TLC's style), the HTML viewer all of them.
using Description = std::vector<std::pair<std::string, std::string>>;

namespace detail {

// The unqualified name of T, from the compiler's signature of this function
// (GCC and Clang write "... [with T = ns::Name]" / "[T = ns::Name]").
template <class T>
std::string_view type_name() {
  std::string_view f = __PRETTY_FUNCTION__;
  const auto eq = f.find("T = ");
  if (eq == std::string_view::npos) return "model";
  f.remove_prefix(eq + 4);
  f = f.substr(0, f.find_first_of(";]"));
  if (const auto lt = f.find('<'); lt != std::string_view::npos) f = f.substr(0, lt);
  if (const auto colon = f.rfind("::"); colon != std::string_view::npos) f.remove_prefix(colon + 2);
  return f;
}

inline std::string lower(std::string_view s) {
  std::string out;
  for (const char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <class T>
inline constexpr bool kIsVariant = false;
template <class... Ts>
inline constexpr bool kIsVariant<std::variant<Ts...>> = true;
template <class T>
concept IsVariant = kIsVariant<T>;

// "Pass" for token::Pass: an action kind per alternative, in the variant's order.
template <class V>
std::vector<std::string> alternative_names() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return std::vector<std::string>{lower(type_name<std::variant_alternative_t<I, V>>())...};
  }(std::make_index_sequence<std::variant_size_v<V>>{});
}

// One field's value as text: numbers, booleans, containers as [a, b],
// optionals as - or the value, nested states as {a, b}.
template <class T>
std::string show(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_enum_v<T>) {
    return std::to_string(static_cast<long long>(v));
  } else if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_signed_v<T>) return std::to_string(static_cast<long long>(v));
    else return std::to_string(static_cast<unsigned long long>(v));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return std::string(std::string_view(v));
  } else if constexpr (requires { v.fields(); }) {
    return show(v.fields());
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    std::string out = "{";
    std::apply([&](const auto&... xs) {
      std::size_t i = 0;
      ((out += (i++ ? ", " : "") + show(xs)), ...);
    }, v);
    return out + "}";
  } else if constexpr (requires { v.has_value(); *v; }) {
    return v ? show(*v) : std::string("-");
  } else {
    std::string out = "[";
    std::size_t i = 0;
    for (const auto& x : v) out += (i++ ? ", " : "") + show(x);
    return out + "]";
  }
}

// Each member that fields() lists, named by State::field_names() where the
// state gives them ("token", "holder"), else field0, field1, ...
template <class S>
Description describe_fields(const S& s) {
  Description out;
  const auto refs = s.fields();
  std::apply([&](const auto&... xs) { (out.emplace_back(std::string(), show(xs)), ...); }, refs);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if constexpr (requires { S::field_names(); }) {
      const auto names = S::field_names();
      if (i < std::size(names)) {
        out[i].first = std::string(names[i]);
        continue;
      }
    }
    out[i].first = "field" + std::to_string(i);
  }
  return out;
}

}  // namespace detail
}  // namespace agree::model
