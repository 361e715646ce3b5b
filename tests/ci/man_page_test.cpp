// The man page (docs/firedrill.1, written by hand) keeps up with the CLI:
// every command and every flag that `firedrill COMMAND --help` lists is in
// it, and groff formats it without a warning.
#include <gtest/gtest.h>

#include <regex>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

TEST(ManPage, NamesEveryCommandAndFlagOfTheCli) {
  const auto page = read_file(source_path("docs/firedrill.1"));
  ASSERT_FALSE(page.empty());
  auto help = run_command({bin_path("firedrill"), "--help"}, 30);
  std::smatch m;
  static const std::regex command_re(R"(\n  ([a-z]+) {2,})"), flag_re(R"(\n  +--([a-z-]+))");
  std::vector<std::string> commands;
  for (std::sregex_iterator it(help.output.cbegin(), help.output.cend(), command_re), end; it != end; ++it)
    commands.push_back((*it)[1]);
  ASSERT_GE(commands.size(), 8u) << help.output;
  std::size_t flags = 0;
  for (const auto& command : commands) {
    EXPECT_NE(page.find(".B " + command + "\n"), std::string::npos) << "command " << command;
    auto sub = run_command({bin_path("firedrill"), command, "--help"}, 30);
    for (std::sregex_iterator it(sub.output.cbegin(), sub.output.cend(), flag_re), end; it != end; ++it) {
      const std::string flag = (*it)[1];
      if (flag == "help") continue;
      ++flags;
      std::string roff;  // the page writes each - of a flag as \-
      for (char c : flag) roff += c == '-' ? std::string("\\-") : std::string(1, c);
      EXPECT_NE(page.find("\\-\\-" + roff), std::string::npos) << command << " --" << flag;
    }
  }
  EXPECT_GE(flags, 40u) << "the --help texts were read";
}

TEST(ManPage, GroffFormatsItWithoutAWarning) {
  const auto groff = find_on_path({"groff"});
  if (groff.empty()) GTEST_SKIP() << "no groff on PATH (Debian's groff-base)";
  auto r = run_command({groff, "-man", "-Tutf8", "-ww", "-z", source_path("docs/firedrill.1")}, 30);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "") << "groff's warnings";
}

}  // namespace
}  // namespace firedrill::testing
