// OTLP export bodies for the tests, built by hand: protobuf field by field
// with the OTLP field numbers (so the decoder under test is not also the
// encoder), and OTLP/JSON spans carrying `order.id`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace firedrill::telemetry::test {

// Protobuf by hand: a tag, then the value.
inline std::string varint(std::uint64_t v) {
  std::string out;
  do {
    char b = static_cast<char>(v & 0x7f);
    v >>= 7;
    if (v) b = static_cast<char>(b | 0x80);
    out += b;
  } while (v);
  return out;
}
inline std::string field(int number, const std::string& bytes) {
  return varint(static_cast<std::uint64_t>(number) << 3 | 2) + varint(bytes.size()) + bytes;
}
inline std::string int_field(int number, std::uint64_t v) { return varint(static_cast<std::uint64_t>(number) << 3) + varint(v); }
inline std::string fixed64(int number) { return varint(static_cast<std::uint64_t>(number) << 3 | 1) + std::string(8, '\x01'); }

inline std::string order_attr(const std::string& id) { return field(1, "order.id") + field(2, field(1, id)); }
inline std::string int_attr(const std::string& key, std::uint64_t v) { return field(1, key) + field(2, int_field(3, v)); }

// ExportTraceServiceRequest: resource_spans(1) > scope_spans(2) > spans(2) > attributes(9).
inline std::string traces(const std::vector<std::string>& spans) {
  std::string scope = field(1, field(1, "firedrill-test"));  // InstrumentationScope, ignored
  for (const auto& s : spans) scope += field(2, s);
  return field(1, field(1, field(1, "resource")) + field(2, scope) + field(3, "https://schema"));
}
inline std::string span(const std::string& attributes) {
  return field(1, std::string(16, 'T')) + field(2, std::string(8, 'S')) + field(5, "POST /orders") + fixed64(7) +
         fixed64(8) + attributes + int_field(99, 7) + field(98, "unknown, ignored");
}
// A protobuf ExportTraceServiceRequest with one span per order id.
inline std::string spans_protobuf(const std::vector<std::string>& ids) {
  std::vector<std::string> spans;
  for (const auto& id : ids) spans.push_back(span(field(9, order_attr(id))));
  return traces(spans);
}
// ExportLogsServiceRequest: resource_logs(1) > scope_logs(2) > log_records(2) > attributes(6).
inline std::string log_protobuf(const std::string& id) {
  const std::string record = fixed64(1) + field(5, field(1, "order accepted")) + field(6, order_attr(id));
  return field(1, field(2, field(2, record)));
}

// An OTLP/JSON ExportTraceServiceRequest with one span per order id.
inline std::string spans_json(const std::vector<std::string>& ids) {
  std::string spans;
  for (const auto& id : ids)
    spans += (spans.empty() ? "" : ",") + std::string(R"({"name":"order","attributes":[{"key":"order.id","value":{"stringValue":")") +
             id + R"("}}]})";
  return R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + spans + "]}]}]}";
}

}  // namespace firedrill::telemetry::test
