// Polls the app's readiness endpoint for the whole scenario and reports each
// change (ready / not ready) with its time. A refused connection, a timeout
// or any status but 200 is "not ready". It observes; it never decides.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "history/clock.hpp"

namespace firedrill::probes {

class ReadinessWatch {
 public:
  // `why` says what a not-ready probe got ("connection refused", "answered
  // 503", ...); a new kind of answer while still not ready is a change too.
  using OnChange = std::function<void(bool ready, std::int64_t at_us, const std::string& why)>;
  ReadinessWatch(boost::asio::any_io_executor ex, boost::asio::ip::tcp::endpoint app, std::string path, std::int64_t interval_us,
                 const history::Epoch& epoch, OnChange on_change);
  // Polls until stop(); run it with co_spawn. The executor must be the
  // one given to the constructor.
  boost::asio::awaitable<void> run();
  // Ends run() at its next step: at once when it sleeps between probes,
  // after the probe under way otherwise (bounded by the probe timeout).
  void stop() {
    stopped_ = true;
    pause_.cancel();
  }
  // Asked before a 200 counts as ready: "" to let it count, or why it does
  // not (the listener on the port is someone else's, not the app's).
  void verify_ready_with(std::function<std::string()> verify) { verify_ = std::move(verify); }
  // Forget the last state (the app started again), so its
  // first 200 is reported as a change.
  void reset() {
    last_.reset();
    last_why_.clear();
  }
  bool ready() const { return last_.value_or(false); }

 private:
  boost::asio::ip::tcp::endpoint app_;
  std::string path_;
  std::int64_t interval_us_;
  const history::Epoch& epoch_;
  OnChange on_change_;
  std::function<std::string()> verify_;
  std::optional<bool> last_;
  std::string last_why_;
  bool stopped_ = false;
  boost::asio::steady_timer pause_;  // between two probes
};

}  // namespace firedrill::probes
