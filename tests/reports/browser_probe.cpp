#include "reports/browser_probe.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <boost/json.hpp>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// A browser start on a loaded 2-core machine can take tens of seconds;
// probe_page.mjs bounds each step itself, this bounds the whole.
constexpr int probe_timeout_seconds = 240;

std::string chromium_path() {
  const char* env = std::getenv("FIREDRILL_CHROMIUM");  // probe_page.mjs reads the same override
  return env ? env : "/usr/bin/chromium";
}

std::string node_path() { return find_on_path({"node", "nodejs"}); }

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

Rendered rendered(const json::object& o) {
  const auto& b = o.at("box").as_object();
  return {o.at("visible").as_bool(),
          {b.at("x").to_number<double>(), b.at("y").to_number<double>(), b.at("width").to_number<double>(),
           b.at("height").to_number<double>()},
          std::string(o.at("text").as_string())};
}

}  // namespace

bool Box::inside(const Box& o) const {
  constexpr double slack = 0.5;
  return x >= o.x - slack && y >= o.y - slack && x + w <= o.x + o.w + slack && y + h <= o.y + o.h + slack;
}

bool Box::overlaps(const Box& o) const { return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h; }

std::string missing_browser_tools() {
  if (::access(chromium_path().c_str(), X_OK) != 0)
    return "no chromium at " + chromium_path() + " (apt-get install chromium; .ci/install-deps does)";
  if (node_path().empty()) return "no node on PATH (Node.js 20 or newer; .ci/install-deps installs one)";
  if (!fs::exists(source_path("tests/reports/node_modules/playwright-core/package.json")))
    return "playwright-core is not installed: run `npm ci` in tests/reports (.ci/install-deps does)";
  return "";
}

std::optional<PageProbe> probe_page(const std::string& html, const std::string& full_png, const std::string& top_png,
                                    const std::vector<std::string>& selectors, std::string& error) {
  std::vector<std::string> argv{node_path(), source_path("tests/reports/probe_page.mjs"), html, full_png, top_png};
  argv.insert(argv.end(), selectors.begin(), selectors.end());
  const auto run = run_command(argv, probe_timeout_seconds);
  // stdout and stderr arrive together: the JSON is the last thing printed.
  const auto start = run.output.rfind("{\"browser\":");
  if (run.exit_code != 0 || start == std::string::npos) {
    error = "probe_page.mjs exited " + std::to_string(run.exit_code) + ":\n" + run.output;
    return std::nullopt;
  }
  try {
    const json::object o = json::parse(run.output.substr(start)).as_object();
    PageProbe p{std::string(o.at("browser").as_string()), strings(o.at("requests")), strings(o.at("errors")), {}};
    for (const auto& [selector, items] : o.at("found").as_object())
      for (const auto& item : items.as_array()) p.found[std::string(selector)].push_back(rendered(item.as_object()));
    for (const auto& s : selectors) p.found[s];  // a selector that matched nothing is an empty list, not absent
    return p;
  } catch (const std::exception& e) {
    error = std::string("cannot read probe_page.mjs output: ") + e.what() + "\n" + run.output;
    return std::nullopt;
  }
}

}  // namespace firedrill::testing
