// What an OTLP/HTTP export carries for firedrill: the `order.id` attribute
// of each span (/v1/traces) and log record (/v1/logs), read from protobuf
// (the default, and the only encoding of the Go, Python and .NET
// exporters) or from OTLP/JSON. Unknown fields are ignored, as OTLP
// requires. Never throws, whatever the bytes: a malformed body is an error
// string. Field numbers are those of opentelemetry-proto's
// collector/{trace,logs}/v1 and common/v1 definitions.
#pragma once
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace firedrill::telemetry {

enum class Signal { traces, logs };

struct Decoded {
  std::size_t records = 0;             // spans or log records
  std::vector<std::string> order_ids;  // each record's order.id, in order; an int is written in decimal
};

// protobuf: ExportTraceServiceRequest / ExportLogsServiceRequest.
std::variant<Decoded, std::string> decode_protobuf(Signal signal, std::string_view body);
// OTLP/JSON: lowerCamelCase names (snake_case accepted too), int64 as a
// string or a number.
std::variant<Decoded, std::string> decode_json(Signal signal, std::string_view body);

}  // namespace firedrill::telemetry
