// The dependencies the harness hosts for one scenario: the payment gateway
// and courier stubs, on their own thread and event loop so that their
// delays and load never disturb the load generator's schedule. Fresh
// ledgers per scenario.
#pragma once
#include <functional>
#include <memory>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "stubs/courier_service.hpp"
#include "stubs/payment_gateway.hpp"
#include "suite/suite.hpp"

namespace firedrill::engine {

class Dependencies {
 public:
  Dependencies(const suite::DependencySpec& spec, std::function<std::int64_t()> now_us);
  ~Dependencies();
  std::string payment_url() const;
  std::string courier_url() const;
  stubs::PaymentLedger& payments() { return payment_->ledger(); }
  stubs::CourierLedger& courier() { return courier_->ledger(); }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<stubs::PaymentGateway> payment_;
  std::unique_ptr<stubs::CourierService> courier_;
  std::thread thread_;
};

}  // namespace firedrill::engine
