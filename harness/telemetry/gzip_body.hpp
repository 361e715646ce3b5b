// A gzip request body (Content-Encoding: gzip, which OTLP exporters send
// when asked to compress), inflated with zlib up to a bound: a small body
// that inflates past it (a zip bomb) is refused, never held.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace firedrill::telemetry {

struct Inflated {
  std::string body;
  bool too_large = false;  // past `limit` inflated
  std::string error;       // not gzip, or cut short
};

Inflated inflate_gzip(std::string_view gzip, std::size_t limit);

}  // namespace firedrill::telemetry
