#include "toxiproxy/routes.hpp"

#include <vector>

namespace firedrill::toxiproxy {
namespace {

// The path's segments, percent-decoded (mux matches the decoded path);
// nullopt for a path that is not absolute or decodes badly.
std::optional<std::vector<std::string>> segments(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (target.empty() || target.front() != '/') return std::nullopt;
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 1; i <= target.size(); ++i) {
    if (i == target.size() || target[i] == '/') {
      out.push_back(std::move(current));
      current.clear();
      continue;
    }
    char c = target[i];
    if (c == '%') {
      if (i + 2 >= target.size()) return std::nullopt;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      const int hi = hex(target[i + 1]), lo = hex(target[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    current.push_back(c);
  }
  return out;
}

Reply answer(const Collection::Result& r) {
  if (auto* e = std::get_if<ApiError>(&r)) return error_reply(*e);
  return json_reply(200, std::get<json::value>(r));
}

Reply no_content(const std::optional<ApiError>& e) {
  if (e) return error_reply(*e);
  return {204, "", ""};
}

Reply method_not_allowed() { return {405, "", ""}; }

}  // namespace

Reply route(Collection& c, const Request& req) {
  auto parts = segments(req.target);
  const Reply not_found{404, "text/plain; charset=utf-8", "404 page not found\n"};
  if (!parts) return not_found;
  const auto& s = *parts;
  auto named = [&](std::size_t i) { return i < s.size() && !s[i].empty(); };
  const std::string& m = req.method;

  // The route first (mux), then the browser check (middleware on routes).
  enum class Route { none, reset, proxies, populate, proxy, toxics, toxic, version } r = Route::none;
  if (s.size() == 1 && s[0] == "reset") r = Route::reset;
  else if (s.size() == 1 && s[0] == "proxies") r = Route::proxies;
  else if (s.size() == 1 && s[0] == "populate") r = Route::populate;
  else if (s.size() == 1 && s[0] == "version") r = Route::version;
  else if (s.size() == 2 && s[0] == "proxies" && named(1)) r = Route::proxy;
  else if (s.size() == 3 && s[0] == "proxies" && named(1) && s[2] == "toxics") r = Route::toxics;
  else if (s.size() == 4 && s[0] == "proxies" && named(1) && s[2] == "toxics" && named(3)) r = Route::toxic;
  if (r == Route::none) return not_found;
  if (req.user_agent.starts_with("Mozilla/")) return {403, "text/plain; charset=utf-8", "User agent not allowed\n"};

  const bool get = m == "GET", post = m == "POST", update = m == "POST" || m == "PATCH", del = m == "DELETE";
  switch (r) {
    case Route::reset:
      return post ? no_content(c.reset()) : method_not_allowed();
    case Route::proxies:
      if (get) return json_reply(200, c.proxies());
      if (!post) return method_not_allowed();
      if (auto created = c.create(req.body); std::holds_alternative<json::value>(created))
        return json_reply(201, std::get<json::value>(created));
      else
        return answer(created);
    case Route::populate: {
      if (!post) return method_not_allowed();
      auto [status, body] = c.populate(req.body);
      return json_reply(status, body);
    }
    case Route::version:
      if (!get) return method_not_allowed();
      return {200, "application/json;charset=utf-8", std::string("{\"version\": \"") + toxiproxy_api_version + "\"}\n"};
    case Route::proxy:
      if (get) return answer(c.show(s[1]));
      if (update) return answer(c.update(s[1], req.body));
      if (del) return no_content(c.remove(s[1]));
      return method_not_allowed();
    case Route::toxics:
      if (get) return answer(c.toxics(s[1]));
      if (post) return answer(c.add_toxic(s[1], req.body));  // 200, as Toxiproxy
      return method_not_allowed();
    case Route::toxic:
      if (get) return answer(c.show_toxic(s[1], s[3]));
      if (update) return answer(c.update_toxic(s[1], s[3], req.body));
      if (del) return no_content(c.remove_toxic(s[1], s[3]));
      return method_not_allowed();
    case Route::none:
      break;
  }
  return not_found;
}

}  // namespace firedrill::toxiproxy
