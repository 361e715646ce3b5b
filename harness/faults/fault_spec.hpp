// What a user asks for: one fault on one dependency path, as plain data
// (type, direction, probability, string parameters), and its validation.
// Must never touch sockets or clocks: suites and the CLI validate with it
// long before any proxy exists.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace firedrill::faults {

// upstream = bytes from the client (the service under test) to the
// dependency; downstream = the dependency's answers back to the client.
enum class Direction { upstream, downstream, both };

struct FaultSpec {
  std::string type;
  Direction direction = Direction::both;
  double probability = 1.0;  // TCP faults: per connection; HTTP faults: per request
  std::map<std::string, std::string> params;
};

// nullopt = OK; otherwise one line naming the fault, the parameter and what
// was expected, e.g. "latency: 'jitter' expected a duration such as 200ms, got 'x'".
std::optional<std::string> validate(const FaultSpec& spec);

// Every registered fault name, in a stable order (for "valid: ..." messages).
std::vector<std::string_view> fault_names();

std::string_view to_string(Direction d);
std::optional<Direction> parse_direction(std::string_view text);

}  // namespace firedrill::faults
