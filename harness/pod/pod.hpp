// The pod: the app plus its sidecars, each with its SPEC §1 environment,
// started, stopped and restarted as Kubernetes does (lifecycle.cpp):
// native sidecars start first, in order, each once started, and stop after
// the app, one at a time in reverse; classic sidecars start and stop with
// the app; SIGKILL at the grace deadline (native sidecars left then get
// SIGTERM and 2 s more). Containers can also be signalled one by one.
// Every start, signal and exit is recorded in the history; each container
// counts its own starts (start #1, #2, ...), as the kubelet counts restarts.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "history/recorder.hpp"
#include "pod/container.hpp"
#include "pod/restart_backoff.hpp"
#include "suite/suite.hpp"

namespace firedrill::pod {

struct PodEnvironment {
  int port = 0;  // the app's
  std::string payment_url;
  std::string courier_url;
  std::string data_dir;  // the app's
  // Each sidecar's own port and DATA_DIR, by name (SPEC §1).
  std::map<std::string, int> sidecar_ports;
  std::map<std::string, std::string> sidecar_data_dirs;
  std::string telemetry_url;  // OTEL_EXPORTER_OTLP_ENDPOINT: the harness's receiver, through its fault proxy
};

// The kubelet's minimum grace for sidecars still running at the pod's
// grace deadline: SIGTERM then, SIGKILL this much later.
inline constexpr std::int64_t sidecar_minimum_grace_us = 2'000'000;

class Pod {
 public:
  // `on_exit` runs after every container exit has been recorded (the
  // scenario's waits for "ready or crashed" wake on it).
  Pod(boost::asio::any_io_executor ex, const suite::TargetSpec& target, PodEnvironment env, history::Recorder& recorder,
      std::function<void()> on_exit = {});
  ~Pod();

  // Starts the app anew, and every sidecar that is not running (restart
  // back-offs start over): native sidecars one by one, each once it is
  // started (its ready-path answered 200, or its process runs when it has
  // none), then the app and the classic sidecars together. After a pod
  // stop this is a new pod: every sidecar's DATA_DIR (its emptyDir) is
  // emptied first; the app's (its volume) is kept. A sidecar still
  // running (only the app had exited) is kept, as the kubelet keeps it. False when a native sidecar was not
  // started within `start_bound_us`: the app is then not started, as the
  // kubelet would not start it, and a start note says why. Throws SpawnError.
  boost::asio::awaitable<bool> start(std::int64_t start_bound_us);
  // The app's current start number (1 = first).
  int generation() const;
  // Runs after a restart-policy restart has started a container again,
  // with that container's name.
  void on_restart(std::function<void(const std::string&)> f) { on_restart_ = std::move(f); }
  // The back-off of restart-policy always (tests shorten it).
  void set_restart_backoff(RestartBackoff b) { backoff_ = b; }
  bool app_running() const;
  std::shared_ptr<Container> app() const;

  // Sends `sig` to one container and records it. A SIGTERM arms that
  // container's grace deadline: SIGKILL if it has not exited by then.
  void signal(const std::string& container, int sig, std::int64_t grace_us);
  // Pod stop in Kubernetes' order (see the top); returns once every
  // container has exited.
  boost::asio::awaitable<void> stop(std::int64_t grace_us);
  // Waits (bounded) until the app of the current generation exited.
  boost::asio::awaitable<bool> wait_app_exit(std::int64_t timeout_us);

  // Everything each container wrote, across generations, oldest first,
  // each start under its history::start_header.
  std::string output_of(const std::string& container) const;
  // How many earlier bytes of that output the bounded capture cut.
  std::size_t output_dropped_of(const std::string& container) const;
  // Immediate SIGKILL of every live container (harness shutdown path).
  void kill_all();
  // kill_all, then wait (bounded) until every exit has been observed, so no
  // exit handler can fire after the pod is gone.
  boost::asio::awaitable<void> kill_and_reap(std::int64_t timeout_us);
  // Who else listens on `port`: "" when nobody does or only processes of
  // the pod do (its containers' process groups, or carriers of the run's
  // marker); otherwise a sentence naming the first other holder
  // ("pid 12 (...)").
  std::string foreign_listener(int port) const;
  // Once every container has exited, whatever of the run is still alive
  // outlived its pod (a setsid() daemon, an orphan): records each one for
  // no-leftover-processes, then kills it.
  void take_down_leftovers();

 private:
  // Spawns one container as its next start; returns that start's number.
  int launch(const suite::ContainerSpec& spec);
  // True once a native sidecar's current start is started (lifecycle.cpp).
  boost::asio::awaitable<bool> wait_started(const suite::ContainerSpec& spec, std::int64_t bound_us);
  // Sends SIGTERM to each of `names` that still runs, without arming its
  // grace (the stop keeps its own deadline); waits until each exited or
  // `deadline_us` (the recorder's clock).
  boost::asio::awaitable<void> terminate_and_wait(const std::vector<std::string>& names, std::int64_t deadline_us);
  // SIGKILL (recorded as the grace deadline's) to each of `names` that runs.
  void kill_now(const std::vector<std::string>& names);
  // Sends and records `sig`; the container when it was running, else
  // nullptr (recorded as a signal that found nothing).
  std::shared_ptr<Container> send_signal(const std::string& container, int sig);
  bool restarts_always(const suite::ContainerSpec& spec) const;
  bool still_running(const std::string& name) const;
  int port_of(const std::string& container) const;
  std::vector<const suite::ContainerSpec*> containers() const;  // the app, then the sidecars
  // The grace period ran out: recorded, then SIGKILL to the container's group.
  void kill_at_deadline(Container& c, int gen);
  void restart_if_its_policy_says(const std::string& name, int generation, const ExitStatus& st);
  boost::asio::awaitable<void> restart_after(std::string name, std::shared_ptr<boost::asio::steady_timer> timer,
                                             std::string why, std::weak_ptr<bool> alive);
  void cancel_restarts();
  void empty_sidecar_data_dirs();  // a new pod's start (lifecycle.cpp)
  boost::asio::awaitable<void> enforce_grace(std::shared_ptr<Container> c, std::int64_t grace_us);
  int generation_of(const Container& c) const;
  std::vector<std::string> environment_for(const suite::ContainerSpec& spec) const;

  boost::asio::any_io_executor ex_;
  const suite::TargetSpec& target_;
  PodEnvironment env_;
  history::Recorder& recorder_;
  std::function<void()> on_exit_;
  std::function<void(const std::string&)> on_restart_;
  struct Started {
    int generation;
    std::shared_ptr<Container> container;
    std::int64_t at_us;                  // when it was started
    const suite::ContainerSpec* spec;
  };
  std::map<std::string, int> starts_;    // how many times each container was started
  std::map<std::string, Started> live_;  // each container's current start, by name
  std::vector<Started> all_;             // every start of every container
  struct Restarts {
    int count = 0;                                    // since the back-off was last reset
    std::shared_ptr<boost::asio::steady_timer> timer; // the pending restart
  };
  std::map<std::string, Restarts> restarts_;
  RestartBackoff backoff_;
  bool stopping_ = false;  // a pod stop (or the harness's kill) is under way: nothing restarts
  bool stopped_ = false;   // a pod stop ran: the next start is a new pod
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);   // exit handlers check it
};

}  // namespace firedrill::pod
