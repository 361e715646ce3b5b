#include "suite/env_refs.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace firedrill::suite {

std::string port_variable(std::string_view container) {
  std::string out = "PORT_";
  for (char c : container) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> check_references(std::string_view value, const std::vector<std::string>& known) {
  for (std::size_t at = value.find("${"); at != std::string_view::npos; at = value.find("${", at + 2)) {
    const auto end = value.find('}', at + 2);
    if (end == std::string_view::npos) return fmt::format("an unclosed '${{' at character {}", at + 1);
    const std::string name(value.substr(at + 2, end - at - 2));
    if (std::find(known.begin(), known.end(), name) == known.end())
      return fmt::format("${{{}}} is not one of {}", name, fmt::join(known, ", "));
  }
  return std::nullopt;
}

std::string expand(std::string_view value, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = value.find("${"); at != std::string_view::npos; at = value.find("${", from)) {
    const auto end = value.find('}', at + 2);
    if (end == std::string_view::npos) break;
    out += value.substr(from, at - from);
    auto it = values.find(std::string(value.substr(at + 2, end - at - 2)));
    if (it != values.end()) out += it->second;
    from = end + 1;
  }
  out += value.substr(from);
  return out;
}

}  // namespace firedrill::suite
