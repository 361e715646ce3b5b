#include "engine/dependencies.hpp"

#include <fmt/format.h>

namespace firedrill::engine {
namespace asio = boost::asio;

namespace {
asio::ip::tcp::endpoint loopback(int port) {
  return {asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)};
}
faults::ProxyBounds bounds(const suite::ProxyBoundsSpec& b) { return {b.connect_timeout_us, b.write_timeout_us}; }
}  // namespace

Dependencies::Dependencies(const suite::DependencySpec& spec, std::uint64_t seed, std::function<std::int64_t()> now_us,
                           std::size_t expected_orders)
    : payment_(std::make_unique<stubs::PaymentGateway>(io_, spec.payment_delay_us, now_us, expected_orders)),
      courier_(std::make_unique<stubs::CourierService>(io_, spec.courier_delay_us, expected_orders)),
      telemetry_(std::make_unique<stubs::TelemetryReceiver>(io_, now_us, expected_orders)),
      // One generator per path, both derived from the run's seed, so a run
      // replays the same fault decisions on each path.
      payment_proxy_(std::make_unique<faults::FaultProxy>(io_, loopback(payment_->port()), seed * 2 + 1, true, 0, 1,
                                                          bounds(spec.payment_bounds))),
      courier_proxy_(std::make_unique<faults::FaultProxy>(io_, loopback(courier_->port()), seed * 2 + 2, true, 0, 1,
                                                          bounds(spec.courier_bounds))),
      // The telemetry path's generator is a third one, apart from the
      // other two (seed * 2 + 3 is odd like the payment's, never equal).
      telemetry_proxy_(std::make_unique<faults::FaultProxy>(io_, loopback(telemetry_->port()), seed * 2 + 3 + 0x5eed, true,
                                                            0, 1, bounds(spec.telemetry_bounds))),
      thread_([this] { io_.run(); }) {}

Dependencies::~Dependencies() {
  io_.stop();
  thread_.join();
  // Destroyed here, after the loop stopped: nothing of theirs can still run.
  payment_proxy_.reset();
  courier_proxy_.reset();
  telemetry_proxy_.reset();
  payment_.reset();
  courier_.reset();
  telemetry_.reset();
}

std::string Dependencies::payment_url() const { return fmt::format("http://127.0.0.1:{}", payment_proxy_->port()); }
std::string Dependencies::courier_url() const { return fmt::format("http://127.0.0.1:{}", courier_proxy_->port()); }
std::string Dependencies::telemetry_url() const { return fmt::format("http://127.0.0.1:{}", telemetry_proxy_->port()); }

faults::FaultProxy& Dependencies::proxy(const std::string& dependency) {
  if (dependency == "payment") return *payment_proxy_;
  return dependency == "telemetry" ? *telemetry_proxy_ : *courier_proxy_;
}

}  // namespace firedrill::engine
