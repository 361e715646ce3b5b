// The flags of `firedrill proxy`, defined once: the firedrill command line,
// bench/proxy (which runs `firedrill proxy`), the tests and the fuzzer all
// parse them with this code.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "faults/fault_proxy.hpp"

namespace firedrill::cli {

struct ProxyArgs {
  int listen = 0;
  std::string upstream;
  std::uint64_t seed = 1;
  bool http = false;
  std::vector<std::string> faults;
  std::optional<std::string> faults_file;
  int threads = 0;  // 0: one per core
  std::string connect_timeout = "5s";
  std::string write_timeout = "30s";
  // Toxiproxy's HTTP API on HOST:PORT instead of one proxy from the flags.
  std::optional<std::string> api;
};

void add_proxy_options(CLI::App& command, ProxyArgs& args);

// --connect-timeout and --write-timeout as bounds, or nullopt after saying
// on stderr what was wrong (exit 2).
std::optional<faults::ProxyBounds> proxy_bounds(const ProxyArgs& args);

// The words after `firedrill proxy`, parsed as the command line does: ""
// or CLI11's message (the tests and the fuzzer; no help, no exit).
std::string parse_proxy_args(const std::vector<std::string>& words, ProxyArgs& args);

int proxy_command(const ProxyArgs& args);
// firedrill proxy --api: proxies and toxics come through Toxiproxy's API.
int proxy_api_command(const ProxyArgs& args);

}  // namespace firedrill::cli
