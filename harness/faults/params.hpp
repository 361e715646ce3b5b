// Reading a fault's string parameters into plain typed fields, with the
// error text a user sees. Must never guess: an unknown or malformed
// parameter is an error naming it, never a silent default.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "faults/fault_spec.hpp"

namespace firedrill::faults {

class Params {
 public:
  Params(const FaultSpec& spec, std::initializer_list<std::string_view> known);

  // Each reader returns the fallback when the parameter is absent and
  // `required` is false; on a bad value it records the first error.
  std::int64_t duration_us(std::string_view name, std::int64_t fallback, bool required = false);
  std::int64_t integer(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t fallback,
                       bool required = false);
  double number(std::string_view name, double min, double max, double fallback, bool required = false);
  // "true" or "false".
  bool flag(std::string_view name, bool fallback);

  // The first problem found (unknown parameter, missing, malformed), if any.
  const std::optional<std::string>& error() const { return error_; }

 private:
  const std::string* find(std::string_view name, bool required);
  void fail(std::string message);

  const FaultSpec& spec_;
  std::optional<std::string> error_;
};

}  // namespace firedrill::faults
