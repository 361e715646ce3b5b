// firedrill_proxy_bench: one FaultProxy run standalone from flags, for the
// proxy benchmark and manual poking. Runs until SIGINT/SIGTERM. Never
// listens beyond 127.0.0.1.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include "faults/fault_proxy.hpp"
#include "faults/proxy_flags.hpp"

int main(int argc, char** argv) {
  using namespace firedrill::faults;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = parse_proxy_options(args);
  if (auto* err = std::get_if<std::string>(&parsed)) {
    fmt::print(stderr, "firedrill_proxy_bench: {}\n", *err);
    return 2;
  }
  const auto& o = std::get<ProxyOptions>(parsed);
  boost::asio::io_context io(1);
  try {
    const int threads = proxy_threads(o.threads);
    FaultProxy proxy(io, o.upstream, o.seed, o.http_aware, o.listen_port, threads);
    for (const auto& f : o.faults) proxy.add(f);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) { proxy.close(); io.stop(); });
    fmt::print("listening on 127.0.0.1:{} -> {}:{} seed {} faults {} threads {}\n", proxy.port(),
               o.upstream.address().to_string(), o.upstream.port(), o.seed, o.faults.size(), threads);
    std::fflush(stdout);
    io.run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "firedrill_proxy_bench: {}\n", e.what());
    return 3;
  }
  return 0;
}
