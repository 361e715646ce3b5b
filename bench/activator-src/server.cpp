// bench/activator's contender: the scale-to-zero activator with the pod
// warm (it never scales to zero here), in front of a backend on
// 127.0.0.1:PORT. Prints "listening PORT" once it accepts. One thread, as
// haproxy gets one in the same script.
//   activator_bench_server BACKEND_PORT
#include <cstdio>
#include <cstdlib>

#include <boost/asio/io_context.hpp>

#include "activator/activator.hpp"

namespace {
// A pod that is always up: the bench measures forwarding, not the pod.
struct WarmPod final : firedrill::activator::PodControl {
  boost::asio::awaitable<void> scale_down() override { co_return; }
  boost::asio::awaitable<bool> cold_start() override { co_return true; }
  bool app_running() const override { return true; }
};
}  // namespace

int main(int argc, char** argv) {
  const int port = argc == 2 ? std::atoi(argv[1]) : 0;
  if (port <= 0 || port > 65535) {
    std::fprintf(stderr, "usage: activator_bench_server BACKEND_PORT\n");
    return 2;
  }
  boost::asio::io_context io(1);
  firedrill::history::History history;
  firedrill::history::Epoch epoch;
  firedrill::history::Recorder rec(history, epoch);
  WarmPod pod;
  firedrill::activator::Settings settings;  // to_zero_after 0: never scales to zero
  firedrill::activator::Activator act(io.get_executor(),
                                      {boost::asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)},
                                      settings, rec, pod);
  act.start();
  std::printf("listening %u\n", act.endpoint().port());
  std::fflush(stdout);
  io.run();
}
