#include "cli/target_overrides.hpp"

#include <fmt/format.h>

namespace firedrill::cli {
namespace {

struct NameValue {
  std::string name, value;
  bool append = false;  // NAME+=VALUE
};

NameValue split(const std::string& flag, const std::string& given, bool may_append) {
  const auto eq = given.find('=');
  if (eq == std::string::npos || eq == 0)
    throw suite::SuiteError(fmt::format("{} '{}': expected NAME={}", flag, given,
                                        may_append ? "COMMAND or NAME+=ARGS" : "native or NAME=classic"));
  NameValue nv{given.substr(0, eq), given.substr(eq + 1)};
  if (may_append && nv.name.ends_with('+')) {
    nv.name.pop_back();
    nv.append = true;
  }
  if (nv.name.empty())
    throw suite::SuiteError(fmt::format("{} '{}': expected a sidecar's name before '='", flag, given));
  return nv;
}

suite::ContainerSpec& sidecar_named(suite::Suite& s, const std::string& flag, const std::string& given,
                                    const std::string& name) {
  std::string names;
  for (auto& sc : s.target.sidecars) {
    if (sc.name == name) return sc;
    names += (names.empty() ? "" : ", ") + sc.name;
  }
  throw suite::SuiteError(fmt::format("{} '{}': {} has no sidecar named '{}' ({})", flag, given, s.path, name,
                                      names.empty() ? "its pod has no sidecars" : "it has " + names));
}

}  // namespace

void apply_overrides(const TargetOverrides& o, suite::Suite& s) {
  // Only the command: the suite's restart-policy still applies.
  if (o.app_command) {
    s.target.app.command = *o.app_command;
    s.target.app.where = {"--target", 0, 0};
  }
  for (const auto& given : o.sidecars) {
    const auto nv = split("--sidecar", given, true);
    auto& sc = sidecar_named(s, "--sidecar", given, nv.name);
    if (nv.value.empty())
      throw suite::SuiteError(fmt::format("--sidecar '{}': expected a command after '{}'", given, nv.append ? "+=" : "="));
    sc.command = nv.append ? sc.command + " " + nv.value : nv.value;
    sc.where = {"--sidecar", 0, 0};
  }
  for (const auto& given : o.sidecar_kinds) {
    const auto nv = split("--sidecar-kind", given, false);
    auto& sc = sidecar_named(s, "--sidecar-kind", given, nv.name);
    if (nv.value == "native") sc.kind = suite::SidecarKind::native;
    else if (nv.value == "classic") sc.kind = suite::SidecarKind::classic;
    else throw suite::SuiteError(fmt::format("--sidecar-kind '{}': expected native or classic after '='", given));
  }
}

}  // namespace firedrill::cli
