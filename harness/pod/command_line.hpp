// Splits a target command into words the way a POSIX shell would (quotes,
// backslashes, ${VAR}), without ever running a shell: the first word is the
// very process the harness signals and watches. Shell operators are refused
// with a hint, so `a | b` is never silently passed as arguments.
#pragma once
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace firedrill::pod {

struct CommandLineError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Throws CommandLineError naming the column and what was expected.
std::vector<std::string> split_command(std::string_view command, const VariableLookup& lookup);

// The folder of the bundled fixtures (the order service and its kin): in a
// build tree the executable's own folder; once installed (bin/firedrill),
// ../libexec/firedrill beside it.
std::string fixtures_dir();

// Looks up FIREDRILL_FIXTURES — and FIREDRILL_BIN, its older name, kept
// working — as fixtures_dir() first, then the environment.
VariableLookup default_lookup();

// The absolute path of `program`: as is if it contains '/', else from PATH.
std::optional<std::string> resolve_program(const std::string& program);

}  // namespace firedrill::pod
