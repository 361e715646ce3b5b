#include "telemetry/otlp_export.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "telemetry/gzip_body.hpp"

namespace firedrill::telemetry {
namespace {

bool starts_with_type(std::string_view content_type, std::string_view type) {
  return content_type.substr(0, content_type.find(';')) == type;
}

// google.rpc.Status { int32 code = 1; string message = 2; }, as OTLP asks
// for an error body, in the request's encoding.
std::string status_body(bool json, int code, const std::string& message) {
  if (json) return boost::json::serialize(boost::json::object{{"code", code}, {"message", message}});
  std::string out;
  {
    google::protobuf::io::StringOutputStream s(&out);
    google::protobuf::io::CodedOutputStream o(&s);
    using google::protobuf::internal::WireFormatLite;
    WireFormatLite::WriteInt32(1, code, &o);
    WireFormatLite::WriteString(2, message, &o);
  }
  return out;
}

}  // namespace

ExportAnswer answer_export(const ExportRequest& r) {
  ExportAnswer a;
  const std::string_view path = r.target.substr(0, r.target.find('?'));
  if (path == "/v1/traces") a.signal = Signal::traces;
  else if (path == "/v1/logs") a.signal = Signal::logs;
  else return {404, "text/plain", "not an OTLP path: POST /v1/traces or /v1/logs\n"};
  if (r.method != "POST") return {405, "text/plain", "OTLP exports are POSTed\n"};
  const bool json = starts_with_type(r.content_type, "application/json");
  if (!json && !starts_with_type(r.content_type, "application/x-protobuf"))
    return {415, "text/plain", "expected Content-Type application/x-protobuf or application/json\n"};
  const std::string content_type = json ? "application/json" : "application/x-protobuf";
  if (r.body.size() > max_body_bytes) return {413, content_type, status_body(json, 8, "body above 20 MiB")};
  std::string inflated;
  std::string_view body = r.body;
  if (r.content_encoding == "gzip") {
    auto z = inflate_gzip(r.body, max_body_bytes);
    if (z.too_large) return {413, content_type, status_body(json, 8, "body above 20 MiB once inflated")};
    if (!z.error.empty()) return {400, content_type, status_body(json, 3, "Content-Encoding gzip: " + z.error)};
    inflated = std::move(z.body);
    body = inflated;
  } else if (!r.content_encoding.empty() && r.content_encoding != "identity") {
    return {415, "text/plain", "expected Content-Encoding gzip or none\n"};
  }
  auto decoded = json ? decode_json(a.signal, body) : decode_protobuf(a.signal, body);
  if (auto* why = std::get_if<std::string>(&decoded)) return {400, content_type, status_body(json, 3, *why)};
  a.content_type = content_type;
  a.body = json ? "{}" : "";  // an empty Export{Trace,Logs}ServiceResponse: everything accepted
  a.decoded = std::get<Decoded>(std::move(decoded));
  return a;
}

}  // namespace firedrill::telemetry
