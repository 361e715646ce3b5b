// The scale-to-zero activator (SPEC §3), as Knative's activator and Cloud
// Run's front end behave: the load goes to it, never to the app directly.
//
// serving ──(no request in flight or arriving for to-zero-after)──▶
// scaling down (routing stopped at once; idle upstream connections closed;
// the pod stopped with its sidecar semantics) ──▶ at zero ──(a request
// arrives)──▶ starting (the pod started on the same DATA_DIR; /readyz
// probed every 10 ms) ──(200)──▶ serving, the held requests released in
// arrival order.
//
// A request that comes while the pod is not serving is held; after
// hold-timeout it is answered 503, and beyond max-held at once. Every
// transition and every hold goes into the history (history/recorder.hpp).
// The activator helps no target along: an answer the app cuts is cut for
// the client too (its connection is reset), never retried; a pooled
// connection the app has closed is dropped before a request is written to
// it (upstream_pool.cpp).
//
// Single-threaded: everything runs on the scenario's executor.
#pragma once
#include <cstdint>
#include <list>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "activator/upstream_pool.hpp"
#include "history/recorder.hpp"
#include "net/waiters.hpp"

namespace firedrill::activator {

struct Settings {
  std::int64_t to_zero_after_us = 0;  // 0: never scale to zero (a warm pod, bench/activator)
  std::int64_t hold_timeout_us = 10'000'000;
  int max_held = 1000;
  std::string ready_path = "/readyz";
  std::string key_header = "Idempotency-Key";  // names a held request in the history
  std::int64_t probe_interval_us = 10'000;      // while starting, as Knative probes aggressively
  std::int64_t upstream_timeout_us = 30'000'000;
};

// What the activator does to the pod; the scenario implements it with its
// pod (sidecar order, grace, SIGKILL).
class PodControl {
 public:
  virtual ~PodControl() = default;
  virtual boost::asio::awaitable<void> scale_down() = 0;
  // false: the pod could not be started (a native sidecar never started).
  virtual boost::asio::awaitable<bool> cold_start() = 0;
  virtual bool app_running() const = 0;
};

enum class State { serving, scaling_down, at_zero, starting };

class Activator {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  // Listens on 127.0.0.1 (an ephemeral port) at once; the pod is assumed
  // warm and ready (the scenario started it).
  Activator(boost::asio::any_io_executor ex, boost::asio::ip::tcp::endpoint app, Settings settings,
            history::Recorder& rec, PodControl& pod);
  boost::asio::ip::tcp::endpoint endpoint() const { return endpoint_; }
  State state() const { return state_; }

  // Accepts, and watches for idleness, until close().
  void start();
  // No more scale-downs; returns once a transition under way has ended.
  boost::asio::awaitable<void> stop_scaling();
  // Closes the listener, the clients' connections and the upstream pool,
  // and waits for every session to end.
  boost::asio::awaitable<void> close();

 private:
  struct Held {
    boost::asio::steady_timer wake;
    bool released = false;
  };
  struct Answer {
    Response response;
    bool cut = false;  // the app cut it: reset the client's connection
  };

  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<Answer> handle(Request& req, std::int64_t arrived_us);  // arrival on the recorder's clock
  // held_since_us -1: not held; else its arrival, and `cycle` the one it was held in.
  boost::asio::awaitable<Answer> forward(Request& req, std::int64_t held_since_us, std::string_view key, int cycle);
  boost::asio::awaitable<void> idle_watch();
  boost::asio::awaitable<void> scale_down();
  boost::asio::awaitable<void> scale_up();
  void start_if_needed();
  void release_held();
  void lost_app();
  Response refusal(unsigned version, std::string why) const;

  boost::asio::any_io_executor ex_;
  boost::asio::ip::tcp::endpoint app_;
  Settings settings_;
  history::Recorder& rec_;
  PodControl& pod_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::endpoint endpoint_;
  UpstreamPool pool_;
  State state_ = State::serving;
  int cycle_ = 0;             // scale-downs (and losses of the app) so far
  int in_flight_ = 0;         // requests read and not yet answered, held ones included
  std::int64_t last_activity_us_ = 0;
  std::list<Held*> held_;     // in arrival order
  std::list<boost::asio::ip::tcp::socket*> clients_;
  boost::asio::steady_timer idle_wake_;
  bool scaling_ = true, closed_ = false;
  net::Waiters transitions_;  // a transition ended
  net::TaskGroup tasks_;
};

std::string_view to_string(State);

}  // namespace firedrill::activator
