#include "toxiproxy/toxics.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "faults/registry.hpp"

namespace firedrill::toxiproxy {
namespace {

using faults::FaultSpec;
using Values = std::map<std::string, std::int64_t>;

// One of Toxiproxy's types: its attributes in the order its Go struct
// declares them (the order they are reported in), and the fault it is.
struct ToxiproxyType {
  std::string_view name;
  std::vector<std::string_view> attributes;
  FaultSpec (*fault)(const Values&);
};

std::string ms(std::int64_t v) { return std::to_string(v) + "ms"; }

// Toxicity 0 faults are left out of the data path entirely: a toxic that
// does nothing (noop) becomes one.
FaultSpec nothing() { return {"latency", faults::Direction::both, 0.0, {{"latency", "0ms"}}}; }

const std::vector<ToxiproxyType>& types() {
  static const std::vector<ToxiproxyType> table = {
      {"latency", {"latency", "jitter"},
       [](const Values& v) {
         return FaultSpec{"latency", {}, 1, {{"latency", ms(v.at("latency"))}, {"jitter", ms(v.at("jitter"))}}};
       }},
      // A rate of 0 passes nothing until the toxic is removed, then all of
      // it (Toxiproxy's loop sends empty slices forever; testcontainers'
      // setConnectionCut relies on it): a hold that only removal ends.
      {"bandwidth", {"rate"},
       [](const Values& v) {
         if (v.at("rate") == 0) return FaultSpec{"latency", {}, 1, {{"latency", "8760h"}}};
         // Toxiproxy's KB is 1000 bytes (it sleeps len / rate ms); firedrill's is 1024.
         return FaultSpec{"bandwidth", {}, 1, {{"rate", fmt::format("{}", static_cast<double>(v.at("rate")) * 1000.0 / 1024.0)}}};
       }},
      {"slow_close", {"delay"},
       [](const Values& v) { return FaultSpec{"slow-close", {}, 1, {{"delay", ms(v.at("delay"))}}}; }},
      // Drops what it reads, closes after `timeout` (0: never by itself)
      // and, as its Cleanup does, when removed.
      {"timeout", {"timeout"},
       [](const Values& v) {
         if (v.at("timeout") == 0) return FaultSpec{"blackhole", {}, 1, {{"close-on-removal", "true"}}};
         return FaultSpec{"blackhole", {}, 1, {{"close-after", ms(v.at("timeout"))}}};
       }},
      {"reset_peer", {"timeout"},
       [](const Values& v) { return FaultSpec{"reset", {}, 1, {{"after", ms(v.at("timeout"))}}}; }},
      // Toxiproxy recurses forever on an average_size of 0; one byte is
      // the smallest slice there is.
      {"slicer", {"average_size", "size_variation", "delay"},
       [](const Values& v) {
         return FaultSpec{"slicer",
                          {},
                          1,
                          {{"size", std::to_string(std::max<std::int64_t>(v.at("average_size"), 1))},
                           {"variation", std::to_string(v.at("size_variation"))},
                           {"delay", std::to_string(v.at("delay")) + "us"}}};
       }},
      {"limit_data", {"bytes"},
       [](const Values& v) { return FaultSpec{"cut", {}, 1, {{"bytes", std::to_string(v.at("bytes"))}}}; }},
      {"noop", {}, [](const Values&) { return nothing(); }},
  };
  return table;
}

const ToxiproxyType* find_type(std::string_view name) {
  for (const auto& t : types())
    if (t.name == name) return &t;
  return nullptr;
}

// firedrill's own faults, by their own names; Toxiproxy's names win where
// both have one (latency, bandwidth, slicer).
bool is_firedrill_type(std::string_view name) {
  if (find_type(name)) return false;
  auto names = faults::fault_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Merges `given` onto `attributes` as Go decodes into an existing struct:
// known names (any case) replace, nulls leave, unknown names are ignored
// with a warning. A firedrill type keeps every attribute (its parameters).
std::optional<ApiError> merge_attributes(const Toxic& toxic, const json::value* given, json::object& attributes,
                                         std::vector<std::string>& warnings) {
  if (!given || given->is_null()) return std::nullopt;
  if (!given->is_object()) return bad_request_body("attributes: expected an object");
  const auto& in = given->get_object();
  if (const ToxiproxyType* type = find_type(toxic.type)) {
    for (const auto& kv : in) {
      const bool known = std::any_of(type->attributes.begin(), type->attributes.end(),
                                     [&](std::string_view a) { return lower(a) == lower(kv.key()); });
      if (!known)
        warnings.push_back(fmt::format("toxic '{}' ({}): attribute '{}' is not one of {}'s and is ignored, as "
                                       "Toxiproxy does",
                                       toxic.name, toxic.type, std::string_view(kv.key()), toxic.type));
    }
    for (auto a : type->attributes) {
      std::int64_t v = attributes.contains(a) ? attributes.at(a).as_int64() : 0;
      if (auto e = read_int(in, a, v)) return bad_request_body(*e);
      // A deliberate difference: Toxiproxy takes a negative duration or
      // size and misbehaves (a negative sleep, a slice recursion).
      if (v < 0)
        return bad_request_body(fmt::format("{}: attribute '{}' is {}; firedrill refuses negative durations and "
                                            "sizes",
                                            toxic.type, a, v));
      attributes[a] = v;
    }
    return std::nullopt;
  }
  for (const auto& kv : in) {
    const auto& v = kv.value();
    if (v.is_null()) continue;
    if (!v.is_string() && !v.is_number() && !v.is_bool())
      return bad_request_body(fmt::format("attributes: '{}' expected a string, number or boolean",
                                          std::string_view(kv.key())));
    attributes[kv.key()] = v;
  }
  return std::nullopt;
}

// The whole toxic is checked as the fault it becomes, before it is taken.
std::optional<ApiError> check_fault(const Toxic& toxic) {
  if (auto error = faults::validate(fault_spec(toxic))) return bad_request_body(*error);
  return std::nullopt;
}

}  // namespace

bool Toxic::upstream() const { return lower(stream) == "upstream"; }

std::vector<std::string_view> toxiproxy_types() {
  std::vector<std::string_view> names;
  for (const auto& t : types())
    if (t.name != "noop") names.push_back(t.name);
  return names;
}

std::variant<Toxic, ApiError> new_toxic(const json::value& body, const std::function<bool(std::string_view)>& taken,
                                        std::vector<std::string>& warnings) {
  if (!body.is_object()) return bad_request_body("expected a JSON object");
  const auto& in = body.get_object();
  Toxic t;
  t.stream = "downstream";
  if (auto e = read_string(in, "name", t.name)) return bad_request_body(*e);
  if (auto e = read_string(in, "type", t.type)) return bad_request_body(*e);
  if (auto e = read_string(in, "stream", t.stream)) return bad_request_body(*e);
  double toxicity = 1;
  if (auto e = read_number(in, "toxicity", toxicity)) return bad_request_body(*e);
  if (const json::value* v = field(in, "toxicity")) t.toxicity = *v;
  const std::string stream = lower(t.stream);
  if (stream != "upstream" && stream != "downstream") return invalid_stream();
  if (t.name.empty()) t.name = t.type + "_" + t.stream;
  if (!find_type(t.type) && !is_firedrill_type(t.type)) return invalid_toxic_type();
  if (taken(t.name)) return toxic_already_exists();
  if (auto e = merge_attributes(t, field(in, "attributes"), t.attributes, warnings)) return *e;
  if (const ToxiproxyType* type = find_type(t.type))  // every attribute reported, 0 where not given
    for (auto a : type->attributes)
      if (!t.attributes.contains(a)) t.attributes[a] = 0;
  if (auto e = check_fault(t)) return *e;
  return t;
}

std::variant<Toxic, ApiError> updated_toxic(const Toxic& toxic, const json::value& body,
                                            std::vector<std::string>& warnings) {
  if (!body.is_object()) return bad_request_body("expected a JSON object");
  const auto& in = body.get_object();
  Toxic t = toxic;
  double toxicity = 0;
  if (auto e = read_number(in, "toxicity", toxicity)) return bad_request_body(*e);
  if (const json::value* v = field(in, "toxicity")) t.toxicity = *v;
  // A firedrill type's parameters are replaced as a whole set when given:
  // a fault's parameters belong together (Toxiproxy's attributes are a
  // fixed struct, merged field by field).
  json::object attributes = find_type(t.type) || !field(in, "attributes") ? t.attributes : json::object{};
  if (auto e = merge_attributes(t, field(in, "attributes"), attributes, warnings)) return *e;
  t.attributes = std::move(attributes);
  if (auto e = check_fault(t)) return *e;
  return t;
}

FaultSpec fault_spec(const Toxic& toxic) {
  FaultSpec spec;
  if (const ToxiproxyType* type = find_type(toxic.type)) {
    Values v;
    for (auto a : type->attributes) v[std::string(a)] = toxic.attributes.contains(a) ? toxic.attributes.at(a).as_int64() : 0;
    spec = type->fault(v);
  } else {
    spec.type = toxic.type;
    for (const auto& kv : toxic.attributes) {
      const auto& v = kv.value();
      spec.params[kv.key()] = v.is_string() ? std::string(v.get_string()) : to_text(v);
    }
  }
  spec.direction = toxic.upstream() ? faults::Direction::upstream : faults::Direction::downstream;
  // An HTTP fault acts on requests (and answers them) whatever the stream:
  // Toxiproxy's default stream, downstream, must not refuse it.
  if (const auto* r = faults::find_registration(spec.type); r && r->http) spec.direction = faults::Direction::both;
  // Toxiproxy rolls toxicity per connection as firedrill's probability
  // does; outside [0, 1] it means never or always there too.
  if (spec.probability > 0) {
    const double toxicity = toxic.toxicity.is_number() ? toxic.toxicity.to_number<double>() : 1.0;
    spec.probability = std::clamp(toxicity, 0.0, 1.0);
  }
  return spec;
}

json::value to_json(const Toxic& toxic) {
  json::object o;
  o["attributes"] = toxic.attributes;
  o["name"] = toxic.name;
  o["type"] = toxic.type;
  o["stream"] = toxic.stream;
  o["toxicity"] = toxic.toxicity;
  return o;
}

}  // namespace firedrill::toxiproxy
