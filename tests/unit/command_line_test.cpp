// The target command is split like a shell would, and run without one.
#include <gtest/gtest.h>

#include <filesystem>

#include "pod/command_line.hpp"

namespace firedrill::pod {
namespace {

const VariableLookup vars = [](std::string_view n) -> std::optional<std::string> {
  if (n == "FIREDRILL_BIN") return "/opt/fd/bin";
  if (n == "HOME") return "/home/u";
  return std::nullopt;
};

using Words = std::vector<std::string>;

TEST(SplitCommand, WordsQuotesAndEscapes) {
  EXPECT_EQ(split_command("app --flaw phantom", vars), (Words{"app", "--flaw", "phantom"}));
  EXPECT_EQ(split_command("  a   b\t c ", vars), (Words{"a", "b", "c"}));
  EXPECT_EQ(split_command("a 'b c' \"d e\"", vars), (Words{"a", "b c", "d e"}));
  EXPECT_EQ(split_command(R"(a b\ c "x\"y" 'q\n')", vars), (Words{"a", "b c", "x\"y", "q\\n"}));
  EXPECT_EQ(split_command("a ''", vars), (Words{"a", ""}));
  EXPECT_EQ(split_command("sh -c 'echo a | tee b'", vars), (Words{"sh", "-c", "echo a | tee b"}));
}

TEST(SplitCommand, Variables) {
  EXPECT_EQ(split_command("${FIREDRILL_BIN}/order-service", vars), (Words{"/opt/fd/bin/order-service"}));
  EXPECT_EQ(split_command("x $HOME/y \"$HOME z\" '$HOME'", vars), (Words{"x", "/home/u/y", "/home/u z", "$HOME"}));
}

TEST(SplitCommand, ShellSyntaxIsRefusedWithAHint) {
  for (const char* bad : {"a | b", "a; b", "a && b", "a > log", "a `b`", "$(b)", "a &"}) {
    try {
      split_command(bad, vars);
      ADD_FAILURE() << bad;
    } catch (const CommandLineError& e) {
      EXPECT_TRUE(std::string(e.what()).find("without a shell") != std::string::npos ||
                  std::string(e.what()).find("variable name") != std::string::npos)
          << bad << ": " << e.what();
    }
  }
}

TEST(SplitCommand, MalformedInput) {
  EXPECT_THROW(split_command("", vars), CommandLineError);
  EXPECT_THROW(split_command("a 'b", vars), CommandLineError);
  EXPECT_THROW(split_command("a \"b", vars), CommandLineError);
  EXPECT_THROW(split_command("a \\", vars), CommandLineError);
  EXPECT_THROW(split_command("${NOPE}/x", vars), CommandLineError);
  EXPECT_THROW(split_command("${unterminated", vars), CommandLineError);
}

TEST(ResolveProgram, PathLookup) {
  EXPECT_EQ(resolve_program("sh").value_or(""), "/usr/bin/sh");
  EXPECT_FALSE(resolve_program("no-such-program-here").has_value());
  EXPECT_FALSE(resolve_program("/nonexistent/app").has_value());
}

}  // namespace
}  // namespace firedrill::pod

namespace firedrill::pod {
namespace {

TEST(FixturesDir, BothNamesResolveToTheBundledFixturesFolder) {
  const auto lookup = default_lookup();
  const auto fixtures = lookup("FIREDRILL_FIXTURES"), old_name = lookup("FIREDRILL_BIN");
  ASSERT_TRUE(fixtures && old_name);
  EXPECT_EQ(*fixtures, *old_name) << "the older name keeps working";
  // In a build tree: the folder of the running executable (the installed
  // layout, bin/ + libexec/firedrill, is run from the .deb in tests/ci).
  EXPECT_EQ(*fixtures, fixtures_dir());
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(*fixtures) / "unit_tests")) << *fixtures;
}

}  // namespace
}  // namespace firedrill::pod
