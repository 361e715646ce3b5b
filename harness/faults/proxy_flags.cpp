#include "faults/proxy_flags.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <thread>

#include <fmt/format.h>

namespace firedrill::faults {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep, std::size_t max_parts) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max_parts) {
    auto at = s.find(sep);
    if (at == std::string_view::npos) break;
    out.push_back(s.substr(0, at));
    s.remove_prefix(at + 1);
  }
  out.push_back(s);
  return out;
}

template <class T>
bool parse_int(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

std::variant<FaultSpec, std::string> parse_fault_flag(std::string_view text) {
  // The parameter list is the last field and may itself contain ':'
  // (durations never do, but a future parameter might), so split at most 4 ways.
  auto parts = split(text, ':', 4);
  FaultSpec spec;
  spec.type = std::string(parts[0]);
  if (parts.size() > 1 && !parts[1].empty()) {
    auto d = parse_direction(parts[1]);
    if (!d) return fmt::format("fault '{}': direction expected upstream, downstream or both, got '{}'", text, parts[1]);
    spec.direction = *d;
  }
  if (parts.size() > 2 && !parts[2].empty()) {
    double p = -1;
    auto [end, ec] = std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), p);
    if (ec != std::errc{} || end != parts[2].data() + parts[2].size() || p < 0 || p > 1)
      return fmt::format("fault '{}': probability expected a number from 0 to 1, got '{}'", text, parts[2]);
    spec.probability = p;
  }
  if (parts.size() > 3 && !parts[3].empty()) {
    for (auto kv : split(parts[3], ',', SIZE_MAX)) {
      auto eq = kv.find('=');
      if (eq == std::string_view::npos || eq == 0)
        return fmt::format("fault '{}': parameter expected key=value, got '{}'", text, kv);
      spec.params[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
    }
  }
  if (auto err = validate(spec)) return *err;
  return spec;
}

std::variant<boost::asio::ip::tcp::endpoint, std::string> parse_loopback_endpoint(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return fmt::format("'{}': expected HOST:PORT", text);
  std::string host(text.substr(0, colon));
  unsigned short port = 0;
  if (!parse_int(text.substr(colon + 1), port) || port == 0)
    return fmt::format("'{}': expected a port from 1 to 65535 after ':'", text);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(host, ec);
  if (ec) return fmt::format("'{}': expected an IP address or localhost before ':'", text);
  if (!addr.is_loopback()) return fmt::format("'{}': the upstream must be on loopback (127.0.0.0/8 or ::1)", text);
  return boost::asio::ip::tcp::endpoint(addr, port);
}

std::variant<ListenAddress, std::string> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  ListenAddress out;
  if (colon == std::string_view::npos || !parse_int(text.substr(colon + 1), out.port) || out.port < 0 || out.port > 65535)
    return fmt::format("'{}': expected HOST:PORT with a port from 0 to 65535", text);
  std::string host(text.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!host.empty() && host != "localhost" && host != "0.0.0.0" && host != "::") {
    boost::system::error_code ec;
    const auto addr = boost::asio::ip::make_address(host, ec);
    out.host_is_local = !ec && addr.is_loopback();
  }
  return out;
}

int proxy_threads(int requested) {
  if (requested > 0) return requested;
  // The cores this process may run on, not the machine's: under taskset or
  // a container's cpuset, a loop per machine core would only take turns on
  // the allowed ones (haproxy sizes nbthread the same way).
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  int cores = 0;
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) cores = CPU_COUNT(&allowed);
  if (cores <= 0) cores = static_cast<int>(std::thread::hardware_concurrency());
  return cores <= 0 ? 1 : std::min(cores, 256);
}

}  // namespace firedrill::faults
