#include "probes/readback.hpp"

#include <boost/asio/this_coro.hpp>

#include <fmt/format.h>

#include "net/waiters.hpp"
#include "probes/probe_client.hpp"

namespace firedrill::probes {
namespace asio = boost::asio;

std::string read_path_for(const suite::OrderApi& api, const std::string& id) {
  std::string path = api.read_path;
  auto pos = path.find("{id}");
  if (pos != std::string::npos) path.replace(pos, 4, id);
  return path;
}

asio::awaitable<checks::Readback> read_back(asio::ip::tcp::endpoint app, const suite::OrderApi& api,
                                            const std::vector<history::Operation>& ops, int parallel) {
  auto ex = co_await asio::this_coro::executor;
  checks::Readback result;
  result.ran = true;
  result.by_id.reserve(ops.size());  // no rehash, with both tables alive, at the largest size
  std::size_t next = 0;
  // An app that stops answering (SIGSTOPped, wedged, gone) would otherwise
  // cost every remaining id its timeout: once this many reads in a row got
  // no answer, the rest stays unknown and the read-back ends.
  constexpr int give_up_after = 2 * 16;
  constexpr std::int64_t timeout_us = 5'000'000;
  int unanswered_in_a_row = 0;
  auto worker = [&]() -> asio::awaitable<void> {
    ProbeClient client(ex, app, timeout_us, true);
    while (next < ops.size() && unanswered_in_a_row < give_up_after) {
      const history::OrderId& id = ops[next++].id;
      const std::string path = read_path_for(api, id.str());
      checks::Stored state = checks::Stored::unknown;
      for (int attempt = 0; attempt < 2 && state == checks::Stored::unknown; ++attempt) {
        auto status = co_await client.get(path);
        unanswered_in_a_row = status ? 0 : unanswered_in_a_row + 1;
        if (status == 200) state = checks::Stored::yes;
        if (status == 404) state = checks::Stored::no;
      }
      result.by_id[id] = state;
    }
  };
  net::TaskGroup workers(ex);
  for (int i = 0; i < parallel; ++i) workers.spawn(worker());
  co_await workers.wait();
  if (next < ops.size())
    result.note = fmt::format("the app stopped answering: {} read-backs in a row got no answer within {}s, so {} of {} ids "
                              "were not asked",
                              give_up_after, timeout_us / 1'000'000, ops.size() - next, ops.size());
  co_return result;
}

}  // namespace firedrill::probes
