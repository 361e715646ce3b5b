// The flags of `firedrill proxy`, defined once: the firedrill command line,
// bench/proxy (which runs `firedrill proxy`), the tests and the fuzzer all
// parse them with this code.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

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
};

void add_proxy_options(CLI::App& command, ProxyArgs& args);

// The words after `firedrill proxy`, parsed as the command line does: ""
// or CLI11's message (the tests and the fuzzer; no help, no exit).
std::string parse_proxy_args(const std::vector<std::string>& words, ProxyArgs& args);

int proxy_command(const ProxyArgs& args);

}  // namespace firedrill::cli
