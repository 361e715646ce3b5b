// firedrill proxy: the seeded fault proxy on its own, for people who want
// it outside a suite. Runs until SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "cli/proxy_options.hpp"
#include "faults/fault_proxy.hpp"
#include "faults/proxy_flags.hpp"

namespace firedrill::cli {

int proxy_command(const ProxyArgs& args) {
  if (args.api) return proxy_api_command(args);
  auto upstream = faults::parse_loopback_endpoint(args.upstream);
  if (auto* error = std::get_if<std::string>(&upstream)) {
    std::fprintf(stderr, "firedrill: --upstream: %s\n", error->c_str());
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> texts;  // where, spec
  for (const auto& f : args.faults) texts.push_back({"--fault", f});
  if (args.faults_file) {
    std::ifstream in(*args.faults_file);
    if (!in) {
      std::fprintf(stderr, "firedrill: %s: cannot read the faults file\n", args.faults_file->c_str());
      return 2;
    }
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      auto start = line.find_first_not_of(" \t");
      if (start == std::string::npos || line[start] == '#') continue;
      texts.push_back({*args.faults_file + ":" + std::to_string(n), line.substr(start)});
    }
  }
  std::vector<faults::FaultSpec> specs;
  for (const auto& [where, text] : texts) {
    auto spec = faults::parse_fault_flag(text);
    if (auto* error = std::get_if<std::string>(&spec)) {
      std::fprintf(stderr, "firedrill: %s: %s\n", where.c_str(), error->c_str());
      return 2;
    }
    specs.push_back(std::get<faults::FaultSpec>(spec));
  }
  const auto bounds = proxy_bounds(args);
  if (!bounds) return 2;
  boost::asio::io_context io;
  try {
    const int threads = faults::proxy_threads(args.threads);
    faults::FaultProxy proxy(io, std::get<boost::asio::ip::tcp::endpoint>(upstream), args.seed, args.http, args.listen,
                             threads, *bounds);
    for (auto& s : specs) proxy.add(s);
    std::printf("firedrill proxy: 127.0.0.1:%d -> %s, seed %llu, %zu faults, %d threads\n", proxy.port(),
                args.upstream.c_str(), static_cast<unsigned long long>(args.seed), specs.size(), threads);
    std::fflush(stdout);
    boost::asio::signal_set stop(io, SIGINT, SIGTERM);
    stop.async_wait([&](auto, int) {
      proxy.close();
      io.stop();
    });
    io.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "firedrill: proxy: %s\n", e.what());
    return 3;
  }
  return 0;
}

}  // namespace firedrill::cli
