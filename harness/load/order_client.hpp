// The client role (Jepsen): places one order over HTTP and fills in its
// history record — send, write, first byte and completion times, outcome
// and reason. Applies the stale keep-alive retry of SPEC §4. Never throws.
//
// It is on the load generator's hot path, so it does per order only what
// the record needs: the request is written into the connection's own
// buffer (no allocation once warm), sent with a direct non-blocking send,
// and the answer is parsed by Beast's parser without storing it; request
// timeouts come from one sweep over the busy connections, not a timer per
// request.
#pragma once
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "history/classify.hpp"
#include "history/clock.hpp"
#include "load/connection_pool.hpp"
#include "suite/suite.hpp"

namespace firedrill::load {

class OrderClient {
 public:
  // keep_alive reuses the pool's idle connections and leaves each one open
  // after its answer; new_per_order opens a connection for every order,
  // says `Connection: close`, and closes it once the answer is in.
  OrderClient(ConnectionPool& pool, boost::asio::ip::tcp::endpoint app, const suite::OrderApi& api,
              std::int64_t timeout_us, const history::Epoch& epoch,
              suite::ConnectionModel model = suite::ConnectionModel::keep_alive);
  ~OrderClient();
  OrderClient(const OrderClient&) = delete;
  OrderClient& operator=(const OrderClient&) = delete;

  boost::asio::awaitable<void> place(history::Operation& op);

  // How often the deadline sweep looks: a request times out between
  // timeout and timeout + sweep_interval_us after its attempt began.
  static constexpr std::int64_t sweep_interval_us = 10'000;

 private:
  struct Busy;  // the connections with an attempt under way, shared with the sweep
  boost::asio::awaitable<history::AttemptEnd> attempt(history::Operation& op, bool fresh, bool& reused);
  boost::asio::awaitable<history::AttemptEnd> exchange(Connection& c, history::Operation& op, bool& keep_alive);
  void write_request(Connection& c, const history::Operation& op);
  void write_request(Connection& c, std::string_view id);

  ConnectionPool& pool_;
  boost::asio::ip::tcp::endpoint app_;
  const suite::OrderApi& api_;
  std::int64_t timeout_us_;
  const history::Epoch& epoch_;
  bool new_per_order_;
  std::string head_;  // the request up to the idempotency key's value: the same for every order
  std::string body_;  // scratch for one order's body
  std::shared_ptr<Busy> busy_;
};

}  // namespace firedrill::load
