// One OTLP/HTTP export request as the receiver answers it, without a
// socket (the receiver, the tests and the fuzzer call it): POST /v1/traces
// or /v1/logs; protobuf or JSON; gzip or not. 200 with an empty export
// response in the request's encoding; 400 for a body that does not decode
// (with a google.rpc.Status saying why), 413 above 20 MiB once inflated,
// 415 for another content type, 404 for another path, 405 for another
// method. Never throws.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "telemetry/otlp_decode.hpp"

namespace firedrill::telemetry {

// OTLP's recommended maximum is none; 20 MiB holds any exporter's batch.
inline constexpr std::size_t max_body_bytes = 20u << 20;

struct ExportRequest {
  std::string_view method, target, content_type, content_encoding, body;
};

struct ExportAnswer {
  int status = 200;
  std::string content_type;
  std::string body;
  Signal signal = Signal::traces;
  Decoded decoded;  // what a 200 took in
};

ExportAnswer answer_export(const ExportRequest& request);

}  // namespace firedrill::telemetry
