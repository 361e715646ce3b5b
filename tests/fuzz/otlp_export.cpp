// Fuzz target: the telemetry receiver's OTLP/HTTP decoding (protobuf with
// libprotobuf's wire-format reader, OTLP/JSON, gzip). The first byte picks
// the request: bit 0 logs or traces, bit 1 JSON or protobuf, bit 2 gzip;
// the rest is the body. Properties: nothing throws or crashes; the status
// is one the receiver answers; a 200 holds at most one order id per record.
#include <set>
#include <string>

#include "fuzz_check.hpp"
#include "telemetry/otlp_export.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace firedrill::telemetry;
  if (size == 0) return 0;
  const std::uint8_t pick = data[0];
  const auto body = firedrill::fuzz::text_of(data + 1, size - 1);
  const ExportRequest request{"POST", pick & 1 ? "/v1/logs" : "/v1/traces",
                              pick & 2 ? "application/json" : "application/x-protobuf", pick & 4 ? "gzip" : "", body};
  const auto a = answer_export(request);
  static const std::set<int> statuses{200, 400, 413};
  FUZZ_CHECK(statuses.contains(a.status));
  if (a.status == 200) FUZZ_CHECK(a.decoded.order_ids.size() <= a.decoded.records);
  return 0;
}
