// bench/receiver's contender: the harness's telemetry receiver (the same
// class a run hosts, ledger included) on 127.0.0.1, one thread. Prints
// "listening PORT" once it accepts; on SIGTERM prints what its ledger took
// in, "exports E records R order-ids D", so the script can check that
// every batch wrk sent was decoded, not just answered.
//   receiver_bench_server
#include <chrono>
#include <csignal>
#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "stubs/telemetry_receiver.hpp"

int main() {
  boost::asio::io_context io(1);
  const auto start = std::chrono::steady_clock::now();
  firedrill::stubs::TelemetryReceiver receiver(
      io,
      [start] {
        return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
      },
      1 << 16);
  boost::asio::signal_set stop(io, SIGTERM, SIGINT);
  stop.async_wait([&](const boost::system::error_code&, int) {
    const auto seen = receiver.ledger().take();
    std::printf("exports %zu records %zu order-ids %zu\n", seen.exports, seen.records, seen.first_arrival.size());
    std::fflush(stdout);
    io.stop();
  });
  std::printf("listening %d\n", receiver.port());
  std::fflush(stdout);
  io.run();
}
