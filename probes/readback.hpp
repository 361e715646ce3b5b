// The read-back probe: after the scenario settles, asks the app for every
// order id the history holds (GET read-path) and records stored / absent /
// unknown. A few keep-alive connections in parallel, each request bounded.
#pragma once
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "checks/check.hpp"
#include "suite/suite.hpp"

namespace firedrill::probes {

// Asks for the id of every operation (spelled out one at a time: a list
// of a million id strings would cost more than the history itself).
boost::asio::awaitable<checks::Readback> read_back(boost::asio::ip::tcp::endpoint app, const suite::OrderApi& api,
                                                    const std::vector<history::Operation>& ops, int parallel = 16);

// read-path with {id} replaced.
std::string read_path_for(const suite::OrderApi& api, const std::string& id);

}  // namespace firedrill::probes
