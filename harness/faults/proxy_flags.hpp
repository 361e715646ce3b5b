// Command-line notation of `firedrill proxy` (its flags: cli/proxy_options):
// a fault as TYPE[:DIRECTION[:PROBABILITY[:k=v,k=v...]]], an upstream as
// HOST:PORT. Each parser returns the value or the message for the user;
// none of them exits or prints.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "faults/fault_spec.hpp"

namespace firedrill::faults {

// e.g. "latency:downstream:1:latency=200ms,jitter=20ms", "reset::0.1", "refuse".
// Empty fields take the defaults (both, 1). Validated like any FaultSpec.
std::variant<FaultSpec, std::string> parse_fault_flag(std::string_view text);

// "127.0.0.1:8080", "localhost:8080", "[::1]:8080". Loopback only: the
// proxy never reaches beyond this machine.
std::variant<boost::asio::ip::tcp::endpoint, std::string> parse_loopback_endpoint(std::string_view text);

// Where a listener goes, as Toxiproxy's users write it: HOST:PORT, port 0
// to 65535 (0: any free one). Whatever the host, firedrill binds
// 127.0.0.1; `host_is_local` says whether the host meant this machine
// anyway ("", 0.0.0.0, ::, localhost, a loopback address).
struct ListenAddress {
  int port = 0;
  bool host_is_local = true;
};
std::variant<ListenAddress, std::string> parse_listen_address(std::string_view text);

// --threads as given, with 0 meaning one per core this process may run on
// (its CPU affinity: taskset, a cpuset), as haproxy sizes nbthread.
int proxy_threads(int requested);

}  // namespace firedrill::faults
