// The telemetry receiver as a scenario hosts it: behind its own fault
// proxy (the `telemetry` dependency), over real sockets, with the bodies
// real SDKs send (chunked, gzip); a fault on the path keeps exports out
// of the ledger.
#include <gtest/gtest.h>

#include "gzip.hpp"
#include "otlp_bodies.hpp"

#include "engine/dependencies.hpp"
#include "support.hpp"

namespace firedrill::engine {
namespace {
using namespace firedrill::faults::test;

int port_of(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

// One POST, chunked in two pieces as SDKs stream it; returns the status line's code.
int post_chunked(int port, const std::string& type, const std::string& body, const std::string& encoding = "") {
  Client c;
  if (c.connect(port) != 0) return -1;
  const auto half = body.size() / 2;
  auto chunk = [](const std::string& s) { return fmt::format("{:x}\r\n{}\r\n", s.size(), s); };
  std::string req = "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type +
                    "\r\nTransfer-Encoding: chunked\r\n" + (encoding.empty() ? "" : "Content-Encoding: " + encoding + "\r\n") +
                    "\r\n" + chunk(body.substr(0, half)) + chunk(body.substr(half)) + "0\r\n\r\n";
  if (!c.send_all(req)) return -1;
  const std::string head = c.read_up_to(12, milliseconds(10000));
  return head.size() == 12 ? std::stoi(head.substr(9, 3)) : -1;
}

using telemetry::test::gzip;
using telemetry::test::spans_json;

TEST(TelemetryReceiver, TakesChunkedAndGzipExportsThroughItsProxyIntoTheLedger) {
  std::int64_t now = 1000;
  Dependencies deps({}, 7, [&] { return now; });
  const int port = port_of(deps.telemetry_url());
  EXPECT_EQ(post_chunked(port, "application/json", spans_json({"a-1", "a-2"})), 200);
  EXPECT_EQ(post_chunked(port, "application/json", gzip(spans_json({"a-3"})), "gzip"), 200);
  EXPECT_EQ(post_chunked(port, "application/json", "{\"resourceSpans\":[", ""), 400);
  auto seen = deps.telemetry().take();
  EXPECT_EQ(seen.records, 3u);
  EXPECT_EQ(seen.first_arrival.size(), 3u);
  EXPECT_TRUE(seen.first_arrival.contains(history::OrderId("a-3")));
  EXPECT_EQ(seen.last_arrival_us, 1000);
}

TEST(TelemetryReceiver, AFaultOnTheTelemetryPathKeepsExportsOut) {
  Dependencies deps({}, 7, [] { return std::int64_t{0}; });
  const auto id = deps.proxy("telemetry").add({"http-status", faults::Direction::both, 1.0, {{"status", "503"}}});
  EXPECT_EQ(post_chunked(port_of(deps.telemetry_url()), "application/json", spans_json({"b-1"})), 503);
  deps.proxy("telemetry").remove(id);
  EXPECT_EQ(deps.telemetry().take().records, 0u);
}

}  // namespace
}  // namespace firedrill::engine
