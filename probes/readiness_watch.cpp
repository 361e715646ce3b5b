#include "probes/readiness_watch.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "probes/probe_client.hpp"

namespace firedrill::probes {
namespace asio = boost::asio;

ReadinessWatch::ReadinessWatch(asio::any_io_executor ex, asio::ip::tcp::endpoint app, std::string path,
                               std::int64_t interval_us, const history::Epoch& epoch, OnChange on_change)
    : app_(app),
      path_(std::move(path)),
      interval_us_(interval_us),
      epoch_(epoch),
      on_change_(std::move(on_change)),
      pause_(std::move(ex)) {}

asio::awaitable<void> ReadinessWatch::run() {
  auto ex = co_await asio::this_coro::executor;
  // A probe slower than this counts as "not ready", like a kubelet timeout.
  const std::int64_t timeout_us = 500'000;
  while (!stopped_) {
    auto started = history::Clock::now();
    ProbeClient client(ex, app_, timeout_us, false);
    auto status = co_await client.get(path_);
    if (stopped_) break;
    const std::int64_t answered_us = epoch_.now_us();  // before the /proc scan below
    bool ready = status && *status == 200;
    // The kind of failure, without numbers that vary from probe to probe.
    std::string why = ready ? "" : client.last_failure();
    // A 200 counts once its listener is known to be the app's (checked on
    // the way to ready only: it reads /proc).
    if (ready && !last_.value_or(false) && verify_) {
      why = verify_();
      ready = why.empty();
    }
    if (!last_ || *last_ != ready || why != last_why_) {
      last_ = ready;
      last_why_ = why;
      on_change_(ready, answered_us, why);
    }
    pause_.expires_at(started + std::chrono::microseconds(interval_us_));
    boost::system::error_code ec;
    co_await pause_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace firedrill::probes
