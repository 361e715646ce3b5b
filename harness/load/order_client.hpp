// The client role (Jepsen): places one order over HTTP and fills in its
// history record — send, write, first byte and completion times, outcome
// and reason. Applies the stale keep-alive retry of SPEC §4. Never throws.
#pragma once
#include <functional>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "history/classify.hpp"
#include "history/clock.hpp"
#include "load/connection_pool.hpp"
#include "suite/suite.hpp"

namespace firedrill::load {

class OrderClient {
 public:
  OrderClient(ConnectionPool& pool, boost::asio::ip::tcp::endpoint app, const suite::OrderApi& api,
              std::int64_t timeout_us, const history::Epoch& epoch);
  boost::asio::awaitable<void> place(history::Operation& op);

 private:
  boost::asio::awaitable<history::AttemptEnd> attempt(history::Operation& op, const std::string& body, bool fresh,
                                                      bool& reused);

  ConnectionPool& pool_;
  boost::asio::ip::tcp::endpoint app_;
  const suite::OrderApi& api_;
  std::int64_t timeout_us_;
  const history::Epoch& epoch_;
};

}  // namespace firedrill::load
