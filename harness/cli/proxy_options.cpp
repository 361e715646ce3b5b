#include "cli/proxy_options.hpp"

#include <algorithm>

namespace firedrill::cli {

void add_proxy_options(CLI::App& cmd, ProxyArgs& a) {
  cmd.add_option("--listen", a.listen, "port on 127.0.0.1 (0: any free port)")->check(CLI::Range(0, 65535));
  cmd.add_option("--upstream", a.upstream, "HOST:PORT on this machine")->required();
  cmd.add_option("--seed", a.seed, "seed for every fault decision")->capture_default_str();
  cmd.add_flag("--http", a.http, "understand HTTP (needed by http-status, http-delay, fail-first)");
  cmd.add_option("--fault", a.faults, "TYPE[:DIRECTION[:PROBABILITY[:k=v,...]]], repeatable");
  cmd.add_option("--faults-file", a.faults_file, "a file with one --fault value per line");
  cmd.add_option("--threads", a.threads, "event-loop threads carrying connections (0: one per core, as haproxy)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  cmd.add_option("--connect-timeout", a.connect_timeout,
                 "reset a client's connection when the upstream connect takes longer, e.g. 5s")
      ->capture_default_str();
  cmd.add_option("--write-timeout", a.write_timeout,
                 "end a connection when a write makes no progress for this long, e.g. 30s")
      ->capture_default_str();
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
