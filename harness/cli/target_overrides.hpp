// --target, --sidecar and --sidecar-kind: the suite's pod with some of its
// containers swapped or changed from the command line, as a CI job runs a
// suite against a new build of one container, or as the conformance matrix
// runs the same pod with a broken sidecar. Only what the flags name
// changes: the containers' env, ready-path and restart policy stay the
// suite's.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "suite/suite.hpp"

namespace firedrill::cli {

struct TargetOverrides {
  std::optional<std::string> app_command;  // --target COMMAND
  // --sidecar NAME=COMMAND replaces that sidecar's command;
  // --sidecar NAME+=ARGS appends to it (a flaw, a drain window).
  std::vector<std::string> sidecars;
  std::vector<std::string> sidecar_kinds;  // --sidecar-kind NAME=native|classic
  bool empty() const { return !app_command && sidecars.empty() && sidecar_kinds.empty(); }
};

// Applies them in the order given. Throws suite::SuiteError naming the
// flag, what was given and what is expected (exit 2): a value without '=',
// a name the suite's pod has no sidecar by (listing the ones it has), a
// kind other than native or classic.
void apply_overrides(const TargetOverrides& overrides, suite::Suite& s);

}  // namespace firedrill::cli
