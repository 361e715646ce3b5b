// How the pod starts and stops, in Kubernetes' order (SPEC §1; KEP-753 for
// native sidecars). Start: native sidecars one at a time in the order
// written, each once it is started; then the app and the classic sidecars
// together. Stop: SIGTERM to the app and the classic sidecars together;
// once they exited, the native sidecars in reverse order, each after the
// previous one exited; at the grace deadline SIGKILL to what of the first
// group still runs, and the native sidecars not yet stopped get SIGTERM and
// the kubelet's 2 s more, then SIGKILL.
#include <csignal>
#include <filesystem>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "pod/pod.hpp"
#include "probes/probe_client.hpp"

namespace firedrill::pod {
namespace asio = boost::asio;

namespace {
// How often a native sidecar's start is looked at while the pod waits for it.
constexpr auto start_poll = std::chrono::milliseconds(20);
}  // namespace

// A sidecar still running from before (the app alone exited: a timeline
// SIGTERM, a crash) is kept, as the kubelet keeps a pod's other
// containers while one restarts; only what is not running is started.
bool Pod::still_running(const std::string& name) const {
  auto it = live_.find(name);
  return it != live_.end() && it->second.container->running();
}

asio::awaitable<bool> Pod::start(std::int64_t start_bound_us) {
  if (stopped_) empty_sidecar_data_dirs();
  stopped_ = false;
  stopping_ = false;
  cancel_restarts();
  restarts_.clear();  // the back-off starts over
  for (const auto& s : target_.sidecars) {
    if (s.kind != suite::SidecarKind::native || still_running(s.name)) continue;
    const int gen = launch(s);
    if (!co_await wait_started(s, start_bound_us)) {
      recorder_.start_note(
          s.name, gen,
          fmt::format("native sidecar not started within {:.3f}s ({}): the app is not started, as the kubelet would "
                      "not start it",
                      static_cast<double>(start_bound_us) / 1e6,
                      s.ready_path.empty() ? std::string("its process never kept running")
                                           : fmt::format("its ready-path {} on port {} never answered 200", s.ready_path,
                                                         port_of(s.name))));
      co_return false;
    }
  }
  launch(target_.app);
  for (const auto& s : target_.sidecars)
    if (s.kind == suite::SidecarKind::classic && !still_running(s.name)) launch(s);
  co_return true;
}

// A pod stop ended the pod: the next start is a new pod, and a sidecar's
// DATA_DIR is its emptyDir, which Kubernetes deletes with the pod. Only the
// app's DATA_DIR (its volume) carries over. So a shipper that exits on
// SIGTERM with batches still spooled has lost them, as it would on a
// platform; a restart of the container alone keeps them.
void Pod::empty_sidecar_data_dirs() {
  for (const auto& [name, dir] : env_.sidecar_data_dirs) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (!ec) std::filesystem::create_directories(dir, ec);
    if (ec) throw SpawnError(fmt::format("cannot empty the DATA_DIR of sidecar {}, {}: {}", name, dir, ec.message()));
  }
}

// Started: its ready-path answered 200, or, without one, its process runs.
// A start that dies meanwhile is restarted (native sidecars always are) and
// the wait goes on with the next one, within the same bound.
asio::awaitable<bool> Pod::wait_started(const suite::ContainerSpec& spec, std::int64_t bound_us) {
  const std::int64_t deadline = recorder_.now_us() + bound_us;
  std::optional<probes::ProbeClient> probe;
  if (!spec.ready_path.empty())
    probe.emplace(ex_, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port_of(spec.name))),
                  500'000, false);
  asio::steady_timer pause(ex_);
  while (recorder_.now_us() < deadline) {
    auto it = live_.find(spec.name);
    const bool running = it != live_.end() && it->second.container->running();
    if (running && !probe) co_return true;
    if (running && (co_await probe->get(spec.ready_path)) == 200) co_return true;
    pause.expires_after(start_poll);
    boost::system::error_code ec;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return false;
}

asio::awaitable<void> Pod::terminate_and_wait(const std::vector<std::string>& names, std::int64_t deadline_us) {
  std::vector<std::shared_ptr<Container>> signalled;
  for (const auto& name : names)
    if (auto c = send_signal(name, SIGTERM)) signalled.push_back(std::move(c));
  for (const auto& c : signalled) co_await c->wait_exit(std::max<std::int64_t>(deadline_us - recorder_.now_us(), 0));
}

void Pod::kill_now(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    auto it = live_.find(name);
    if (it != live_.end() && it->second.container->running()) kill_at_deadline(*it->second.container, it->second.generation);
  }
}

asio::awaitable<void> Pod::stop(std::int64_t grace_us) {
  stopping_ = true;  // what exits now is the stop's doing: nothing restarts
  cancel_restarts();
  const std::int64_t deadline = recorder_.now_us() + grace_us;
  std::vector<std::string> first, natives;
  first.push_back(std::string(history::app_container));
  for (const auto& s : target_.sidecars)
    (s.kind == suite::SidecarKind::classic ? first : natives).push_back(s.name);
  co_await terminate_and_wait(first, deadline);
  kill_now(first);  // whatever of them outlived the grace period
  std::vector<std::string> left, not_signalled;
  for (auto it = natives.rbegin(); it != natives.rend(); ++it) {
    const auto c = live_.find(*it);
    if (c == live_.end()) continue;
    if (recorder_.now_us() >= deadline) {
      left.push_back(*it);
      not_signalled.push_back(*it);
      continue;
    }
    const std::vector<std::string> one{*it};  // named: GCC 12 miscompiles a braced list in a co_await
    co_await terminate_and_wait(one, deadline);
    if (c->second.container->running()) left.push_back(*it);
  }
  if (!left.empty()) {
    // The kubelet's minimum grace for sidecars: SIGTERM to those that had
    // none, then 2 s more for all of them, then SIGKILL.
    const std::int64_t until = recorder_.now_us() + sidecar_minimum_grace_us;
    for (const auto& name : not_signalled) send_signal(name, SIGTERM);
    for (const auto& name : left)
      if (auto c = live_.find(name); c != live_.end())
        co_await c->second.container->wait_exit(std::max<std::int64_t>(until - recorder_.now_us(), 0));
    kill_now(left);
  }
  // A bounded margin for the kernel to deliver the SIGKILLs and for the
  // pidfds to report the exits.
  for (const auto& [name, s] : live_) co_await s.container->wait_exit(5'000'000);
  stopped_ = true;
}

}  // namespace firedrill::pod
