// The dependencies the harness hosts for one scenario: the payment gateway
// and courier stubs and the telemetry receiver, each behind its own seeded
// fault proxy (the app's PAYMENT_URL, COURIER_URL and
// OTEL_EXPORTER_OTLP_ENDPOINT point at the proxies, as at an ambassador).
// They run on their own thread and event loop so that their delays, faults
// and load never disturb the load generator's schedule. Fresh ledgers per
// scenario.
#pragma once
#include <functional>
#include <memory>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "faults/fault_proxy.hpp"
#include "stubs/courier_service.hpp"
#include "stubs/payment_gateway.hpp"
#include "stubs/telemetry_receiver.hpp"
#include "suite/suite.hpp"

namespace firedrill::engine {

class Dependencies {
 public:
  // `expected_orders` sizes the ledgers for the whole scenario up front.
  Dependencies(const suite::DependencySpec& spec, std::uint64_t seed, std::function<std::int64_t()> now_us,
               std::size_t expected_orders = 0);
  ~Dependencies();
  std::string payment_url() const;
  std::string courier_url() const;
  std::string telemetry_url() const;
  stubs::PaymentLedger& payments() { return payment_->ledger(); }
  stubs::CourierLedger& courier() { return courier_->ledger(); }
  stubs::TelemetryLedger& telemetry() { return telemetry_->ledger(); }
  // Work the app has got done on its dependencies so far: orders dispatched
  // plus new charges. Retries of work already done do not count, so an app
  // retrying forever is not "still working".
  std::size_t work_done() const { return courier_->ledger().orders() + payment_->ledger().charges(); }
  // The fault proxy in front of "payment", "courier" or "telemetry".
  faults::FaultProxy& proxy(const std::string& dependency);

 private:
  boost::asio::io_context io_;
  std::unique_ptr<stubs::PaymentGateway> payment_;
  std::unique_ptr<stubs::CourierService> courier_;
  std::unique_ptr<stubs::TelemetryReceiver> telemetry_;
  std::unique_ptr<faults::FaultProxy> payment_proxy_;
  std::unique_ptr<faults::FaultProxy> courier_proxy_;
  std::unique_ptr<faults::FaultProxy> telemetry_proxy_;
  std::thread thread_;
};

}  // namespace firedrill::engine
