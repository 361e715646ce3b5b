#include "cli/proxy_options.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "suite/values.hpp"

namespace firedrill::cli {

void add_proxy_options(CLI::App& cmd, ProxyArgs& a) {
  auto* listen = cmd.add_option("--listen", a.listen, "port on 127.0.0.1 (0: any free port)")->check(CLI::Range(0, 65535));
  auto* upstream = cmd.add_option("--upstream", a.upstream, "HOST:PORT on this machine (required without --api)");
  cmd.add_option("--seed", a.seed, "seed for every fault decision")->capture_default_str();
  cmd.add_flag("--http", a.http, "understand HTTP (needed by http-status, http-delay, fail-first)");
  auto* fault = cmd.add_option("--fault", a.faults, "TYPE[:DIRECTION[:PROBABILITY[:k=v,...]]], repeatable");
  auto* faults_file = cmd.add_option("--faults-file", a.faults_file, "a file with one --fault value per line");
  cmd.add_option("--threads", a.threads, "event-loop threads carrying connections (0: one per core, as haproxy)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  cmd.add_option("--connect-timeout", a.connect_timeout,
                 "reset a client's connection when the upstream connect takes longer, e.g. 5s")
      ->capture_default_str();
  cmd.add_option("--write-timeout", a.write_timeout,
                 "end a connection when a write makes no progress for this long, e.g. 30s")
      ->capture_default_str();
  // With --api, proxies and toxics come through the API, not the flags.
  auto* api = cmd.add_option("--api", a.api,
                             "serve Toxiproxy's HTTP API on HOST:PORT (loopback; Toxiproxy's is 127.0.0.1:8474): "
                             "proxies and toxics are then created through it");
  for (auto* one_proxy : {upstream, listen, fault, faults_file}) api->excludes(one_proxy);
  cmd.parse_complete_callback([upstream, api] {
    if (upstream->count() == 0 && api->count() == 0) throw CLI::RequiredError("--upstream (or --api)");
  });
}

std::optional<faults::ProxyBounds> proxy_bounds(const ProxyArgs& args) {
  faults::ProxyBounds bounds;
  for (auto [flag, text, into] : {std::tuple{"--connect-timeout", &args.connect_timeout, &bounds.connect_timeout_us},
                                  std::tuple{"--write-timeout", &args.write_timeout, &bounds.write_timeout_us}}) {
    const auto us = suite::parse_duration_us(*text);
    if (!us || *us <= 0) {
      std::fprintf(stderr, "firedrill: %s '%s': expected a duration above zero, such as 5s or 500ms\n", flag,
                   text->c_str());
      return std::nullopt;
    }
    *into = *us;
  }
  return bounds;
}

std::string parse_proxy_args(const std::vector<std::string>& words, ProxyArgs& args) {
  CLI::App app{"firedrill proxy"};
  add_proxy_options(app, args);
  std::vector<std::string> reversed(words.rbegin(), words.rend());  // CLI11 takes argv last word first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

}  // namespace firedrill::cli
