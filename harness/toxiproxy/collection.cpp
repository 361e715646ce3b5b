#include "toxiproxy/collection.hpp"


#include <fmt/format.h>

#include "faults/proxy_flags.hpp"
#include "faults/registry.hpp"
#include "faults/worker_threads.hpp"

namespace firedrill::toxiproxy {
namespace {

std::variant<json::value, ApiError> parse(std::string_view body) {
  auto parsed = parse_body(body);
  if (auto* why = std::get_if<std::string>(&parsed)) return bad_request_body(*why);
  return std::get<json::value>(std::move(parsed));
}

}  // namespace

Collection::Collection(boost::asio::io_context& io, faults::WorkerThreads* shared, CollectionSettings settings,
                       std::function<void(const std::string&)> log)
    : io_(io), shared_(shared), settings_(settings), log_(std::move(log)) {}

Collection::~Collection() { close(); }

void Collection::close() {
  for (auto& [name, p] : proxies_) stop(p);
}

// ---- proxies ----

std::optional<ApiError> Collection::read(const json::object& in, Fields& f) {
  for (auto [key, into] : {std::pair{"name", &f.name}, {"listen", &f.listen}, {"upstream", &f.upstream}})
    if (auto e = read_string(in, key, *into)) return bad_request_body(*e);
  if (auto e = read_bool(in, "enabled", f.enabled)) return bad_request_body(*e);
  return std::nullopt;
}

std::optional<ApiError> Collection::check(Fields& f, const std::string& where) {
  // Toxiproxy binds "" on every interface; firedrill binds loopback only
  // (SPEC §6) and says so in `listen`.
  auto listen = faults::parse_listen_address(f.listen.empty() ? ":0" : f.listen);
  if (auto* why = std::get_if<std::string>(&listen)) return bad_request_body(fmt::format("listen{}: {}", where, *why));
  const int port = std::get<faults::ListenAddress>(listen).port;
  if (!std::get<faults::ListenAddress>(listen).host_is_local)
    log_(fmt::format("proxy '{}': listen '{}' is not on this machine's loopback; bound on 127.0.0.1 (firedrill "
                     "listens on loopback only)",
                     f.name, f.listen));
  f.listen = fmt::format("127.0.0.1:{}", port);
  auto upstream = faults::parse_loopback_endpoint(f.upstream);
  if (auto* why = std::get_if<std::string>(&upstream))
    return bad_request_body(fmt::format("upstream{}: {} (firedrill proxies to this machine only)", where, *why));
  f.upstream_at = std::get<boost::asio::ip::tcp::endpoint>(upstream);
  return std::nullopt;
}

std::optional<ApiError> Collection::start(Proxy& p) {
  const int port = std::stoi(p.listen.substr(p.listen.rfind(':') + 1));
  try {
    p.running = shared_ ? std::make_unique<faults::FaultProxy>(io_, p.upstream_at, settings_.seed,
                                                               settings_.http_aware, port, *shared_, settings_.bounds)
                        : std::make_unique<faults::FaultProxy>(io_, p.upstream_at, settings_.seed,
                                                               settings_.http_aware, port, 1, settings_.bounds);
  } catch (const std::exception& e) {
    // Not an ApiError in Toxiproxy either: its start error is a 500.
    return ApiError{500, fmt::format("listen tcp {}: {}", p.listen, e.what())};
  }
  p.listen = fmt::format("127.0.0.1:{}", p.running->port());
  p.enabled = true;
  for (auto& t : p.toxics) {
    try {
      t.id = p.running->add(fault_spec(t.toxic));
    } catch (const std::exception& e) {  // checked when it was added: never expected
      log_(fmt::format("proxy '{}': toxic '{}' not applied: {}", p.name, t.toxic.name, e.what()));
    }
  }
  return std::nullopt;
}

void Collection::stop(Proxy& p) {
  p.running.reset();  // closes the listener and every connection before it returns
  p.enabled = false;
  for (auto& t : p.toxics) t.id = 0;
}

json::value Collection::to_json(const Proxy& p) const {
  json::object o;
  o["name"] = p.name;
  o["listen"] = p.listen;
  o["upstream"] = p.upstream;
  o["enabled"] = p.enabled;
  json::array toxics;
  // Toxiproxy lists the upstream chain, then the downstream one.
  for (bool upstream : {true, false})
    for (const auto& t : p.toxics)
      if (t.toxic.upstream() == upstream) toxics.push_back(toxiproxy::to_json(t.toxic));
  o["toxics"] = std::move(toxics);
  return o;
}

json::value Collection::proxies() const {
  json::object o;
  for (const auto& [name, p] : proxies_) o[name] = to_json(p);
  return o;
}

Collection::Result Collection::create(std::string_view body) {
  auto parsed = parse(body);
  if (auto* e = std::get_if<ApiError>(&parsed)) return *e;
  const auto& v = std::get<json::value>(parsed);
  if (!v.is_object()) return bad_request_body("expected a JSON object");
  Fields f;
  if (auto e = read(v.get_object(), f)) return *e;
  if (f.name.empty()) return missing_field("name");
  if (f.upstream.empty()) return missing_field("upstream");
  if (proxies_.contains(f.name)) return proxy_already_exists();
  if (auto e = check(f, "")) return *e;
  Proxy p{f.name, f.listen, f.upstream, f.upstream_at, false, {}, nullptr};
  if (f.enabled)
    if (auto e = start(p)) return *e;
  auto& added = proxies_[f.name] = std::move(p);
  return to_json(added);
}

std::pair<int, json::value> Collection::populate(std::string_view body) {
  json::array done;
  auto answer = [&](std::optional<ApiError> error) {
    json::object o;
    int status = 201;
    if (error) {
      o["error"] = error->message;
      o["status"] = status = error->status;
    }
    // Go marshals the empty list of proxies as null.
    o["proxies"] = done.empty() ? json::value(nullptr) : json::value(done);
    return std::pair{status, json::value(std::move(o))};
  };
  auto parsed = parse(body);
  if (auto* e = std::get_if<ApiError>(&parsed)) return answer(*e);
  const auto& v = std::get<json::value>(parsed);
  if (!v.is_array()) return answer(bad_request_body("expected a JSON array of proxies"));
  // Every entry is checked before any is applied.
  std::vector<Fields> wanted;
  for (std::size_t i = 0; i < v.get_array().size(); ++i) {
    const auto& item = v.get_array()[i];
    const std::string where = fmt::format(" at proxy {}", i + 1);
    if (!item.is_object()) return answer(bad_request_body("expected a JSON object" + where));
    Fields f;
    if (auto e = read(item.get_object(), f)) return answer(*e);
    if (f.name.empty()) return answer(missing_field("name" + where));
    if (f.upstream.empty()) return answer(missing_field("upstream" + where));
    if (auto e = check(f, where)) return answer(*e);
    wanted.push_back(std::move(f));
  }
  for (auto& f : wanted) {
    // Toxiproxy's AddOrReplace: the same listen and upstream keep the
    // proxy as it is (toxics, enabled); a different one replaces it.
    auto it = proxies_.find(f.name);
    if (it != proxies_.end()) {
      if (it->second.listen == f.listen && it->second.upstream == f.upstream) {
        done.push_back(to_json(it->second));
        continue;
      }
      stop(it->second);
    }
    Proxy p{f.name, f.listen, f.upstream, f.upstream_at, false, {}, nullptr};
    if (f.enabled)
      if (auto e = start(p)) return answer(*e);
    auto& added = proxies_[f.name] = std::move(p);
    done.push_back(to_json(added));
  }
  return answer(std::nullopt);
}

Collection::Result Collection::show(const std::string& name) const {
  auto it = proxies_.find(name);
  if (it == proxies_.end()) return proxy_not_found();
  return to_json(it->second);
}

Collection::Result Collection::update(const std::string& name, std::string_view body) {
  auto it = proxies_.find(name);
  if (it == proxies_.end()) return proxy_not_found();
  Proxy& p = it->second;
  auto parsed = parse(body);
  if (auto* e = std::get_if<ApiError>(&parsed)) return *e;
  const auto& v = std::get<json::value>(parsed);
  if (!v.is_object()) return bad_request_body("expected a JSON object");
  Fields f{p.name, p.listen, p.upstream, p.upstream_at, p.enabled};
  if (auto e = read(v.get_object(), f)) return *e;
  f.name = p.name;  // a name in the body renames nothing
  if (auto e = check(f, "")) return *e;
  // proxy.Update: a new listen or upstream restarts the proxy, toxics kept.
  if (f.listen != p.listen || f.upstream != p.upstream) {
    stop(p);
    p.listen = f.listen;
    p.upstream = f.upstream;
    p.upstream_at = f.upstream_at;
  }
  if (f.enabled != p.enabled) {
    if (!f.enabled) stop(p);
    else if (auto e = start(p)) return *e;
  }
  return to_json(p);
}

std::optional<ApiError> Collection::remove(const std::string& name) {
  auto it = proxies_.find(name);
  if (it == proxies_.end()) return proxy_not_found();
  stop(it->second);
  proxies_.erase(it);
  return std::nullopt;
}

std::optional<ApiError> Collection::reset() {
  for (auto& [name, p] : proxies_) {
    if (!p.enabled)
      if (auto e = start(p)) return e;
    for (const auto& t : p.toxics) p.running->remove(t.id);  // removal drops no bytes
    p.toxics.clear();
  }
  return std::nullopt;
}

// ---- toxics ----

Collection::Result Collection::toxics(const std::string& proxy) const {
  auto it = proxies_.find(proxy);
  if (it == proxies_.end()) return proxy_not_found();
  return to_json(it->second).as_object().at("toxics");
}

Collection::Result Collection::add_toxic(const std::string& proxy, std::string_view body) {
  auto it = proxies_.find(proxy);
  if (it == proxies_.end()) return proxy_not_found();
  Proxy& p = it->second;
  auto parsed = parse(body);
  if (auto* e = std::get_if<ApiError>(&parsed)) return *e;
  std::vector<std::string> warnings;
  auto made = new_toxic(
      std::get<json::value>(parsed),
      [&](std::string_view name) {
        for (const auto& t : p.toxics)
          if (t.toxic.name == name) return true;
        return false;
      },
      warnings);
  for (const auto& w : warnings) log_(fmt::format("proxy '{}': {}", p.name, w));
  if (auto* e = std::get_if<ApiError>(&made)) return *e;
  auto& toxic = std::get<Toxic>(made);
  const auto spec = fault_spec(toxic);
  // Checked here too while the proxy is disabled: a toxic taken now must
  // apply when it is enabled.
  if (faults::find_registration(spec.type)->http && !settings_.http_aware)
    return bad_request_body(fmt::format("{}: needs an HTTP-aware proxy (start firedrill proxy --api with --http)",
                                        toxic.type));
  ToxicEntry entry{toxic, 0};
  if (p.running) {
    try {
      entry.id = p.running->add(spec);
    } catch (const std::invalid_argument& e) {
      return bad_request_body(e.what());
    }
  }
  p.toxics.push_back(std::move(entry));
  return toxiproxy::to_json(p.toxics.back().toxic);
}

Collection::Result Collection::show_toxic(const std::string& proxy, const std::string& toxic) const {
  auto it = proxies_.find(proxy);
  if (it == proxies_.end()) return proxy_not_found();
  for (const auto& t : it->second.toxics)
    if (t.toxic.name == toxic) return toxiproxy::to_json(t.toxic);
  return toxic_not_found();
}

Collection::Result Collection::update_toxic(const std::string& proxy, const std::string& toxic,
                                            std::string_view body) {
  auto it = proxies_.find(proxy);
  if (it == proxies_.end()) return proxy_not_found();
  Proxy& p = it->second;
  for (auto& t : p.toxics) {
    if (t.toxic.name != toxic) continue;
    auto parsed = parse(body);
    if (auto* e = std::get_if<ApiError>(&parsed)) return *e;
    std::vector<std::string> warnings;
    auto made = updated_toxic(t.toxic, std::get<json::value>(parsed), warnings);
    for (const auto& w : warnings) log_(fmt::format("proxy '{}': {}", p.name, w));
    if (auto* e = std::get_if<ApiError>(&made)) return *e;
    auto& updated = std::get<Toxic>(made);
    if (p.running) {
      try {
        // In its place in the chain, as Toxiproxy's chainUpdateToxic.
        p.running->replace(t.id, fault_spec(updated));
      } catch (const std::invalid_argument& e) {
        return bad_request_body(e.what());
      }
    }
    t.toxic = std::move(updated);
    return toxiproxy::to_json(t.toxic);
  }
  return toxic_not_found();
}

std::optional<ApiError> Collection::remove_toxic(const std::string& proxy, const std::string& toxic) {
  auto it = proxies_.find(proxy);
  if (it == proxies_.end()) return proxy_not_found();
  Proxy& p = it->second;
  for (auto t = p.toxics.begin(); t != p.toxics.end(); ++t) {
    if (t->toxic.name != toxic) continue;
    if (p.running) p.running->remove(t->id);
    p.toxics.erase(t);
    return std::nullopt;
  }
  return toxic_not_found();
}

}  // namespace firedrill::toxiproxy
