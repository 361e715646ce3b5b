// The Toxiproxy API's state: proxies by name, each with its toxics, and
// each enabled proxy a running FaultProxy on 127.0.0.1. Each operation
// does what Toxiproxy 2.12's does (proxy_collection.go, proxy.go,
// toxic_collection.go), answers as it does, and when it refuses, changes
// nothing. Lives on the API's io thread: the server calls it from there
// and nothing else touches it.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "faults/fault_proxy.hpp"
#include "toxiproxy/toxics.hpp"

namespace firedrill::faults {
class WorkerThreads;
}

namespace firedrill::toxiproxy {

struct CollectionSettings {
  std::uint64_t seed = 1;    // every proxy's, as the flag proxy's
  bool http_aware = false;   // every proxy's (needed by http-status, http-delay, fail-first)
  faults::ProxyBounds bounds;
};

class Collection {
 public:
  // Proxies run on `io` and, when given, the loops of `shared`, which must
  // outlive the collection. `log` gets each warning (unknown attributes, a
  // listen host that is not loopback).
  Collection(boost::asio::io_context& io, faults::WorkerThreads* shared, CollectionSettings settings,
             std::function<void(const std::string&)> log);
  ~Collection();

  using Result = std::variant<json::value, ApiError>;
  json::value proxies() const;                                     // GET /proxies
  // Bodies are parsed where Toxiproxy parses them: after the lookups that
  // come first (a missing proxy is a 404 whatever the body).
  Result create(std::string_view body);                            // POST /proxies
  // POST /populate: {"proxies": [...]} and, on an error, the error's fields.
  std::pair<int, json::value> populate(std::string_view body);
  Result show(const std::string& name) const;                      // GET /proxies/{proxy}
  Result update(const std::string& name, std::string_view body);   // POST|PATCH /proxies/{proxy}
  std::optional<ApiError> remove(const std::string& name);         // DELETE /proxies/{proxy}
  std::optional<ApiError> reset();                                 // POST /reset
  Result toxics(const std::string& proxy) const;                   // GET .../toxics
  Result add_toxic(const std::string& proxy, std::string_view body);
  Result show_toxic(const std::string& proxy, const std::string& toxic) const;
  Result update_toxic(const std::string& proxy, const std::string& toxic, std::string_view body);
  std::optional<ApiError> remove_toxic(const std::string& proxy, const std::string& toxic);

  // Stops every proxy (the API is shutting down).
  void close();

 private:
  struct ToxicEntry {
    Toxic toxic;
    faults::FaultProxy::FaultId id = 0;  // in the running FaultProxy; 0 while disabled
  };
  struct Proxy {
    std::string name;
    std::string listen;  // "127.0.0.1:PORT": what is bound, or will be
    std::string upstream;  // as given
    boost::asio::ip::tcp::endpoint upstream_at;
    bool enabled = false;
    std::vector<ToxicEntry> toxics;  // in the order added
    std::unique_ptr<faults::FaultProxy> running;
  };
  // A proxy's fields as a create, update or populate gives them, checked.
  struct Fields {
    std::string name, listen, upstream;
    boost::asio::ip::tcp::endpoint upstream_at;
    bool enabled = true;
  };

  // Reads a proxy's fields from `in` over what `fields` holds.
  static std::optional<ApiError> read(const json::object& in, Fields& fields);
  // firedrill's own checks, beyond Toxiproxy's: listen parses (and is made
  // 127.0.0.1), upstream is on this machine. `where`: " at proxy N" or "".
  std::optional<ApiError> check(Fields& fields, const std::string& where);
  std::optional<ApiError> start(Proxy& p);
  void stop(Proxy& p);
  json::value to_json(const Proxy& p) const;

  boost::asio::io_context& io_;
  faults::WorkerThreads* shared_;
  CollectionSettings settings_;
  std::function<void(const std::string&)> log_;
  // Sorted by name: GET /proxies lists them as Go's json.Marshal of a map does.
  std::map<std::string, Proxy> proxies_;
};

}  // namespace firedrill::toxiproxy
