// The naming rule of surefire_file_names.hpp.
#include "reports/surefire_file_names.hpp"

#include <cstdint>
#include <map>
#include <set>

#include <fmt/format.h>

namespace firedrill::reports {
namespace {

// Room for "TEST-", the hash, an ordinal and ".xml" within the 255 bytes
// of a file name that ext4, XFS, APFS and NTFS allow.
constexpr std::size_t max_base = 200;

bool is_safe(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

std::string safe_name(const std::string& raw) {
  std::string out = raw;
  for (char& c : out)
    if (!is_safe(c)) c = '_';
  return out;
}

// The key two names collide on where a file system ignores case; safe
// names are ASCII, so ASCII folding is all there is.
std::string folded(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// FNV-1a: fixed by its definition, so a name is the same on every
// machine and in every release.
std::string short_hash(const std::string& suite, const std::string& scenario) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](unsigned char c) { h = (h ^ c) * 0x100000001b3ull; };
  for (unsigned char c : suite) mix(c);
  mix(0);  // "a.b"+"c" and "a"+"b.c" differ
  for (unsigned char c : scenario) mix(c);
  return fmt::format("{:08x}", static_cast<std::uint32_t>(h ^ (h >> 32)));
}

}  // namespace

std::vector<std::string> surefire_file_names(const std::vector<engine::RunResult>& runs) {
  struct Entry {
    const std::string* suite;
    const std::string* scenario;
    std::string base;
    bool cut = false;
  };
  std::vector<Entry> entries;
  std::map<std::string, int> uses;  // folded base → how many scenarios have it
  for (const auto& run : runs)
    for (const auto& s : run.scenarios) {
      Entry e{&run.suite_name, &s.name, safe_name(run.suite_name + "." + s.name)};
      if (e.base.size() > max_base) {
        e.base.resize(max_base);
        e.cut = true;
      }
      ++uses[folded(e.base)];
      entries.push_back(std::move(e));
    }
  // The unique names first, so they stay plain whatever the others become.
  auto plain = [&](const Entry& e) { return !e.cut && uses[folded(e.base)] == 1; };
  std::vector<std::string> names(entries.size());
  std::set<std::string> taken;
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (plain(entries[i])) {
      names[i] = entries[i].base;
      taken.insert(folded(names[i]));
    }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (plain(entries[i])) continue;
    const std::string hashed = entries[i].base + "-" + short_hash(*entries[i].suite, *entries[i].scenario);
    std::string name = hashed;
    for (int n = 2; taken.count(folded(name)); ++n) name = hashed + "-" + std::to_string(n);
    taken.insert(folded(name));
    names[i] = name;
  }
  for (auto& name : names) name = "TEST-" + name + ".xml";
  return names;
}

}  // namespace firedrill::reports
