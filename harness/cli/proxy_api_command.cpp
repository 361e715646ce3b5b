// firedrill proxy --api HOST:PORT: Toxiproxy's HTTP API on firedrill's
// fault proxy. Proxies and toxics come through the API; the seed, HTTP
// awareness, bounds and threads are flags and hold for every proxy. Runs
// until SIGINT/SIGTERM, then stops every proxy it started.
#include <csignal>
#include <cstdio>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "cli/proxy_options.hpp"
#include "faults/proxy_flags.hpp"
#include "faults/worker_threads.hpp"
#include "toxiproxy/api_server.hpp"
#include "toxiproxy/collection.hpp"
#include "toxiproxy/routes.hpp"

namespace firedrill::cli {
namespace asio = boost::asio;

int proxy_api_command(const ProxyArgs& args) {
  // The API listens where the proxies do: on loopback only. A wildcard or
  // localhost (what a Toxiproxy set-up often says) is bound on 127.0.0.1;
  // port 0 takes any free port (tests), which is printed.
  auto listen = faults::parse_listen_address(*args.api);
  if (std::holds_alternative<std::string>(listen) || !std::get<faults::ListenAddress>(listen).host_is_local) {
    std::fprintf(stderr,
                 "firedrill: --api '%s': expected HOST:PORT on this machine's loopback, such as 127.0.0.1:8474 "
                 "(0.0.0.0 and localhost are bound on 127.0.0.1)\n",
                 args.api->c_str());
    return 2;
  }
  const asio::ip::tcp::endpoint api_at(asio::ip::address_v4::loopback(),
                                       static_cast<unsigned short>(std::get<faults::ListenAddress>(listen).port));
  const auto bounds = proxy_bounds(args);
  if (!bounds) return 2;

  asio::io_context io;
  try {
    const int threads = faults::proxy_threads(args.threads);
    // Every API proxy spreads its connections over io and these loops, as
    // the flag proxy does over its own; they outlive every proxy.
    std::unique_ptr<faults::WorkerThreads> shared;
    if (threads > 1) shared = std::make_unique<faults::WorkerThreads>(threads - 1);
    toxiproxy::Collection collection(io, shared.get(), {args.seed, args.http, *bounds}, [](const std::string& line) {
      std::fprintf(stderr, "firedrill proxy: warning: %s\n", line.c_str());
    });
    toxiproxy::ApiServer server(io, api_at,
                                [&](const toxiproxy::Request& r) { return toxiproxy::route(collection, r); });
    std::printf("firedrill proxy: Toxiproxy %s API on 127.0.0.1:%d, seed %llu, %d threads%s\n",
                toxiproxy::toxiproxy_api_version, server.port(), static_cast<unsigned long long>(args.seed), threads,
                args.http ? ", HTTP-aware" : "");
    std::fflush(stdout);
    asio::signal_set stop(io, SIGINT, SIGTERM);
    stop.async_wait([&](auto, int) {
      server.close();
      collection.close();
      io.stop();
    });
    io.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "firedrill: proxy --api: %s\n", e.what());
    return 3;
  }
  return 0;
}

}  // namespace firedrill::cli
