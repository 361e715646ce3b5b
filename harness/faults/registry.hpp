// The faults known by name. Each file of types/ provides one factory; this
// list is explicit (not static self-registration) so a static library can
// never silently lose a fault at link time.
#pragma once
#include <span>
#include <string_view>

#include "faults/fault.hpp"

namespace firedrill::faults {

struct Registration {
  std::string_view name;
  bool http;  // acts per request; needs an HTTP-aware proxy
  Built (*make)(const FaultSpec&);
};

std::span<const Registration> registrations();
const Registration* find_registration(std::string_view name);

// Parses and checks a spec (type, probability, direction, parameters).
Built build(const FaultSpec& spec);

}  // namespace firedrill::faults
