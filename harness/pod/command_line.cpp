#include "pod/command_line.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

namespace firedrill::pod {
namespace {

class Splitter {
 public:
  Splitter(std::string_view s, const VariableLookup& lookup) : s_(s), lookup_(lookup) {}

  std::vector<std::string> run() {
    std::vector<std::string> words;
    while (true) {
      while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n')) ++i_;
      if (i_ >= s_.size()) break;
      words.push_back(word());
    }
    if (words.empty()) throw CommandLineError("the command is empty: expected a program and its arguments");
    return words;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw CommandLineError(fmt::format("column {}: {}", i_ + 1, what));
  }

  std::string word() {
    std::string w;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n') break;
      if (c == '\'') {
        auto end = s_.find('\'', i_ + 1);
        if (end == std::string_view::npos) fail("unterminated single quote");
        w.append(s_.substr(i_ + 1, end - i_ - 1));
        i_ = end + 1;
      } else if (c == '"') {
        ++i_;
        while (true) {
          if (i_ >= s_.size()) fail("unterminated double quote");
          char d = s_[i_];
          if (d == '"') { ++i_; break; }
          if (d == '\\' && i_ + 1 < s_.size() && std::string_view("\"\\$`").find(s_[i_ + 1]) != std::string_view::npos) {
            w += s_[i_ + 1];
            i_ += 2;
          } else if (d == '$') {
            w += variable();
          } else if (d == '`') {
            fail("command substitution is shell syntax; firedrill runs the command without a shell (wrap it as sh -c '...' if you need one)");
          } else {
            w += d;
            ++i_;
          }
        }
      } else if (c == '\\') {
        if (i_ + 1 >= s_.size()) fail("a backslash at the end of the command escapes nothing");
        w += s_[i_ + 1];
        i_ += 2;
      } else if (c == '$') {
        w += variable();
      } else if (std::string_view("|&;<>()`").find(c) != std::string_view::npos) {
        fail(fmt::format("'{}' is shell syntax; firedrill runs the command without a shell (wrap it as sh -c '...' if you need one)", c));
      } else {
        w += c;
        ++i_;
      }
    }
    return w;
  }

  // At '$': ${NAME} or $NAME.
  std::string variable() {
    ++i_;
    std::string name;
    if (i_ < s_.size() && s_[i_] == '{') {
      auto end = s_.find('}', i_);
      if (end == std::string_view::npos) fail("unterminated ${...}");
      name = std::string(s_.substr(i_ + 1, end - i_ - 1));
      i_ = end + 1;
    } else {
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) name += s_[i_++];
    }
    if (name.empty() || name.front() == '(') fail("expected a variable name after '$' such as ${FIREDRILL_FIXTURES}");
    for (char c : name)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') fail(fmt::format("'{}' is not a variable name", name));
    auto v = lookup_(name);
    if (!v) fail(fmt::format("variable {} is not set", name));
    return *v;
  }

  std::string_view s_;
  const VariableLookup& lookup_;
  std::size_t i_ = 0;
};

}  // namespace

std::vector<std::string> split_command(std::string_view command, const VariableLookup& lookup) {
  return Splitter(command, lookup).run();
}

std::string fixtures_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const auto dir = exe.parent_path();
  // The FHS layout of `cmake --install` and the .deb: PREFIX/bin/firedrill
  // with the fixtures in PREFIX/libexec/firedrill.
  if (dir.filename() == "bin") {
    const auto installed = dir.parent_path() / "libexec" / "firedrill";
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return dir.string();
}

VariableLookup default_lookup() {
  return [](std::string_view name) -> std::optional<std::string> {
    if (name == "FIREDRILL_FIXTURES" || name == "FIREDRILL_BIN") {
      if (auto dir = fixtures_dir(); !dir.empty()) return dir;
    }
    if (const char* v = std::getenv(std::string(name).c_str())) return std::string(v);
    return std::nullopt;
  };
}

std::optional<std::string> resolve_program(const std::string& program) {
  namespace fs = std::filesystem;
  if (program.find('/') != std::string::npos) {
    if (::access(program.c_str(), X_OK) != 0) return std::nullopt;
    return fs::absolute(program).string();
  }
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!rest.empty()) {
    auto colon = rest.find(':');
    auto dir = rest.substr(0, colon);
    auto candidate = (fs::path(dir.empty() ? "." : dir) / program).string();
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

}  // namespace firedrill::pod
