#include "engine/dependencies.hpp"

#include <boost/asio/post.hpp>
#include <fmt/format.h>

namespace firedrill::engine {

Dependencies::Dependencies(const suite::DependencySpec& spec, std::function<std::int64_t()> now_us)
    : payment_(std::make_unique<stubs::PaymentGateway>(io_, spec.payment_delay_us, std::move(now_us))),
      courier_(std::make_unique<stubs::CourierService>(io_, spec.courier_delay_us)),
      thread_([this] { io_.run(); }) {}

Dependencies::~Dependencies() {
  io_.stop();
  thread_.join();
  // Servers and their sessions are destroyed here, on this thread, after
  // the loop has stopped: nothing of theirs can run concurrently any more.
  payment_.reset();
  courier_.reset();
}

std::string Dependencies::payment_url() const { return fmt::format("http://127.0.0.1:{}", payment_->port()); }
std::string Dependencies::courier_url() const { return fmt::format("http://127.0.0.1:{}", courier_->port()); }

}  // namespace firedrill::engine
