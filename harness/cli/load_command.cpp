// firedrill load: drives the order load of a scenario at a URL on its own,
// with no pod, faults or checks — to measure how fast the generator goes
// (closed loop, as wrk) or how closely it holds an open-model rate. Prints
// one figure per line ("name: value"), for people and for bench/load.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/url/parse.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "history/history_json.hpp"
#include "load/open_model.hpp"
#include "load/load_run.hpp"

namespace firedrill::cli {
namespace {

// Nearest rank over sorted samples, in their unit.
double percentile(const std::vector<std::int64_t>& v, double p) {
  if (v.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return static_cast<double>(v[std::clamp<std::size_t>(rank, 1, v.size()) - 1]);
}

std::string spread_ms(std::vector<std::int64_t>& us) {
  std::sort(us.begin(), us.end());
  return fmt::format("p50 {:.3f} p99 {:.3f} max {:.3f}", percentile(us, 0.50) / 1e3, percentile(us, 0.99) / 1e3,
                     us.empty() ? 0.0 : static_cast<double>(us.back()) / 1e3);
}

// http://HOST:PORT/PATH with HOST an address or a name of this machine.
bool parse_target(const std::string& url, load::LoadSettings& s, std::string& error) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "http" || !u->has_authority() || u->host().empty()) {
    error = "expected --url http://HOST:PORT/PATH (plain HTTP)";
    return false;
  }
  const std::string port = u->has_port() ? std::string(u->port()) : "80";
  boost::asio::io_context io;
  boost::system::error_code ec;
  auto found = boost::asio::ip::tcp::resolver(io).resolve(std::string(u->encoded_host()), port, ec);
  if (ec || found.empty()) {
    error = fmt::format("cannot resolve {}:{}: {}", std::string(u->encoded_host()), port, ec.message());
    return false;
  }
  s.target = found.begin()->endpoint();
  s.api.place_path = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  if (u->has_query()) s.api.place_path += "?" + std::string(u->encoded_query());
  return true;
}

}  // namespace

int load_command(const LoadArgs& a) {
  load::LoadSettings s;
  std::string error;
  if (!parse_target(a.url, s, error)) {
    std::fprintf(stderr, "firedrill load: %s\n", error.c_str());
    return 2;
  }
  if (a.closed_loop == a.rate.has_value()) {
    std::fprintf(stderr, "firedrill load: give either --closed-loop or --rate N (orders per second)\n");
    return 2;
  }
  s.closed_loop = a.closed_loop;
  s.rate = a.rate.value_or(0);
  s.connections = a.connections;
  s.threads = a.threads;
  s.duration_us = static_cast<std::int64_t>(a.duration_s * 1e6);
  if (a.orders) s.max_orders = *a.orders;
  s.request_timeout_us = static_cast<std::int64_t>(a.timeout_s * 1e6);
  s.seed = a.seed;

  std::printf("firedrill load: %s, %d connections, %d thread%s, %.1f s, %s, seed %llu\n",
              s.closed_loop ? "closed loop" : fmt::format("open model at {:.0f}/s", s.rate).c_str(), s.connections,
              s.threads, s.threads == 1 ? "" : "s", a.duration_s, a.url.c_str(),
              static_cast<unsigned long long>(s.seed));
  std::fflush(stdout);
  load::LoadRun run;
  try {
    run = load::run_load(s);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "firedrill load: %s\n", e.what());
    return 2;
  }

  std::size_t ok = 0, fail = 0, info = 0, sent = 0;
  std::int64_t first_sent = INT64_MAX, last_sent = INT64_MIN;
  std::vector<std::int64_t> lag, latency;
  lag.reserve(run.operations.size());
  latency.reserve(run.operations.size());
  for (const auto& op : run.operations) {
    (op.outcome == history::Outcome::ok ? ok : op.outcome == history::Outcome::fail ? fail : info)++;
    if (op.sent_us() != history::never) {
      ++sent;
      first_sent = std::min(first_sent, op.sent_us());
      last_sent = std::max(last_sent, op.sent_us());
      lag.push_back(op.sent_us() - op.intended_us());
    }
    if (op.completed_us() != history::never) latency.push_back(op.completed_us() - op.intended_us());
  }
  const double seconds = static_cast<double>(run.end_us - run.start_us) / 1e6;
  const double cpu = run.cpu_user_s + run.cpu_system_s;
  const std::size_t n = run.operations.size();
  std::printf("orders: %zu (ok %zu, fail %zu, info %zu)\n", n, ok, fail, info);
  std::printf("requests/s: %.1f\n", seconds > 0 ? static_cast<double>(n) / seconds : 0.0);
  std::printf("latency from intended send (ms): %s\n", spread_ms(latency).c_str());
  if (!s.closed_loop) {
    // The rate it held: the orders that went out over the span in which the
    // schedule wanted them out (plus one interval), whatever their lag.
    const double span = sent ? static_cast<double>(last_sent - run.start_us) / 1e6 + 1.0 / s.rate : 0;
    const double achieved = span > 0 ? static_cast<double>(sent) / span : 0;
    std::printf("send lag behind schedule (ms): %s\n", spread_ms(lag).c_str());
    // Why orders went out late, if they did: the generator's loop, or the
    // connection bound (every connection busy: the server was slow).
    std::printf("send lag causes: %llu launched over %.1f ms late (worst %.3f ms); %llu waited for a free connection (bound %d)\n",
                static_cast<unsigned long long>(run.launched_late),
                static_cast<double>(load::LoadCounters::late_launch_us) / 1e3,
                static_cast<double>(run.max_launch_lag_us) / 1e3,
                static_cast<unsigned long long>(run.connection_waits), s.connections);
    std::printf("achieved rate: %.1f/s of %.1f/s target, ratio %.4f\n", achieved, s.rate, achieved / s.rate);
  }
  std::printf("cpu seconds: %.3f (user %.3f, system %.3f), per 100k orders: %.3f\n", cpu, run.cpu_user_s,
              run.cpu_system_s, n ? cpu * 1e5 / static_cast<double>(n) : 0.0);
  const double growth = static_cast<double>(run.rss_after - run.rss_before);
  std::printf("history: %zu orders recorded (%zu bytes each), resident memory grew %.1f MB, %.1f bytes per order\n", n,
              sizeof(history::Operation), growth / 1e6, n ? growth / static_cast<double>(n) : 0.0);
  if (a.history) {
    std::ofstream out(*a.history);
    history::write_operations(out, run.operations);
    if (!out) {
      std::fprintf(stderr, "firedrill load: cannot write %s\n", a.history->c_str());
      return 3;
    }
    std::printf("history written: %s\n", a.history->c_str());
  }
  if (ok == 0) {
    std::fprintf(stderr, "firedrill load: no order was accepted; is %s an order endpoint that answers 201/202?\n",
                 a.url.c_str());
    return 1;
  }
  return 0;
}

}  // namespace firedrill::cli
