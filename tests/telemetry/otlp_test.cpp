// The OTLP/HTTP receiver's decoding and answers: protobuf built field by
// field with the OTLP field numbers (and fields it must ignore), OTLP/JSON,
// gzip, and every refusal (400, 413 sent or inflated, 415, 404, 405).
#include <gtest/gtest.h>

#include "gzip.hpp"
#include "otlp_bodies.hpp"

#include "telemetry/otlp_export.hpp"

namespace firedrill::telemetry {
namespace {

using test::field;
using test::fixed64;
using test::int_attr;
using test::int_field;
using test::order_attr;
using test::span;
using test::traces;
using test::gzip;

ExportAnswer post(std::string target, std::string type, std::string body, std::string encoding = "") {
  return answer_export({"POST", target, type, encoding, body});
}

TEST(OtlpReceiver, ProtobufSpansYieldTheirOrderIdsAndUnknownFieldsAreIgnored) {
  const std::string body = traces({span(field(9, order_attr("ord-1")) + field(9, int_attr("http.status", 201))),
                                   span(field(9, int_attr("other", 1))),
                                   span(field(9, field(1, "order.id") + field(2, int_field(3, 42))))});
  auto a = post("/v1/traces", "application/x-protobuf", body);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "application/x-protobuf");
  EXPECT_EQ(a.body, "") << "an empty ExportTraceServiceResponse";
  EXPECT_EQ(a.decoded.records, 3u);
  EXPECT_EQ(a.decoded.order_ids, (std::vector<std::string>{"ord-1", "42"}));
}

TEST(OtlpReceiver, ProtobufLogRecordsCarryTheirAttributesInField6) {
  // ExportLogsServiceRequest: resource_logs(1) > scope_logs(2) > log_records(2) > attributes(6).
  const std::string record = fixed64(1) + field(5, field(1, "order accepted")) + field(6, order_attr("ord-7"));
  const std::string body = field(1, field(2, field(2, record)));
  auto a = post("/v1/logs", "application/x-protobuf", body);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.decoded.order_ids, (std::vector<std::string>{"ord-7"}));
}

TEST(OtlpReceiver, JsonSpansInCamelCaseOrSnakeCase) {
  const std::string body = R"({"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[
      {"traceId":"00","attributes":[{"key":"order.id","value":{"stringValue":"a-1"}}],"extra":{"x":1}},
      {"attributes":[{"key":"order.id","value":{"intValue":"17"}}]}]}]},
    {"scope_spans":[{"spans":[{"attributes":[{"key":"order.id","value":{"string_value":"b-2"}}]}]}]}]})";
  auto a = post("/v1/traces", "application/json; charset=utf-8", body);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "{}");
  EXPECT_EQ(a.decoded.order_ids, (std::vector<std::string>{"a-1", "17", "b-2"}));
}

TEST(OtlpReceiver, GzipBodiesAreInflated) {
  auto a = post("/v1/traces", "application/x-protobuf", gzip(traces({span(field(9, order_attr("z-1")))})), "gzip");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.decoded.order_ids, (std::vector<std::string>{"z-1"}));
}

TEST(OtlpReceiver, EveryRefusalHasItsStatus) {
  EXPECT_EQ(post("/v1/traces", "application/json", "{\"resourceSpans\": [").status, 400);
  EXPECT_EQ(post("/v1/traces", "application/x-protobuf", "\x0a\x7f" "short").status, 400);
  EXPECT_EQ(post("/v1/traces", "application/x-protobuf", "not gzip", "gzip").status, 400);
  EXPECT_EQ(post("/v1/traces", "text/plain", "{}").status, 415);
  EXPECT_EQ(post("/v1/traces", "application/json", "{}", "br").status, 415);
  EXPECT_EQ(post("/v1/metrics", "application/json", "{}").status, 404);
  EXPECT_EQ(answer_export({"GET", "/v1/traces", "application/json", "", ""}).status, 405);
  EXPECT_EQ(post("/v1/traces", "application/json", std::string(max_body_bytes + 1, ' ')).status, 413);
  // 30 MiB of zeros gzip to ~30 KiB: refused once inflated past 20 MiB.
  EXPECT_EQ(post("/v1/traces", "application/x-protobuf", gzip(std::string(30u << 20, '\0')), "gzip").status, 413);
  // A 400's body is a google.rpc.Status in the request's encoding.
  auto bad = post("/v1/traces", "application/json", "[1,");
  EXPECT_NE(bad.body.find("\"code\":3"), std::string::npos) << bad.body;
}

TEST(OtlpReceiver, AnEmptyExportIsAccepted) {
  EXPECT_EQ(post("/v1/traces", "application/x-protobuf", "").status, 200);
  EXPECT_EQ(post("/v1/logs", "application/json", "{}").status, 200);
}

}  // namespace
}  // namespace firedrill::telemetry
