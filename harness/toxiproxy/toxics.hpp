// A Toxiproxy toxic (name, type, stream, toxicity, attributes) and the
// firedrill fault it becomes. Toxiproxy's seven types keep their attribute
// names and units (milliseconds; bandwidth in KB/s; slicer's delay in
// microseconds); firedrill's own fault types are extra toxic types whose
// attributes are that fault's parameters. Pure data: no sockets, no clocks.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "faults/fault_spec.hpp"
#include "toxiproxy/api_json.hpp"

namespace firedrill::toxiproxy {

struct Toxic {
  std::string name;
  std::string type;
  std::string stream;           // as given; "upstream" or "downstream" in any case
  json::value toxicity = 1;     // as given, reported back unchanged; the fault's probability
  json::object attributes;      // as reported: a Toxiproxy type lists all of its attributes
  bool upstream() const;
};

// Toxiproxy's AddToxicJson: defaults (downstream, toxicity 1, name
// "TYPE_STREAM"), then its checks in its order; `taken` tells whether a
// name is already a toxic of the proxy. Unknown attributes of a Toxiproxy
// type are ignored, each with a line in `warnings`. Beyond Toxiproxy, a
// negative attribute is refused (400), as is a bad parameter of a
// firedrill type.
std::variant<Toxic, ApiError> new_toxic(const json::value& body, const std::function<bool(std::string_view)>& taken,
                                        std::vector<std::string>& warnings);

// Toxiproxy's UpdateToxicJson: the attributes and toxicity given replace
// the old ones; name, type and stream stay.
std::variant<Toxic, ApiError> updated_toxic(const Toxic& toxic, const json::value& body,
                                            std::vector<std::string>& warnings);

// The fault a checked toxic asks for (validates with faults::validate).
faults::FaultSpec fault_spec(const Toxic& toxic);

// As Toxiproxy marshals a ToxicWrapper: attributes, name, type, stream, toxicity.
json::value to_json(const Toxic& toxic);

// Toxiproxy's own toxic types, for the README table and the tests.
std::vector<std::string_view> toxiproxy_types();

}  // namespace firedrill::toxiproxy
