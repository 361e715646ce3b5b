#include "support/run_firedrill.hpp"
#include "support/paths.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace firedrill::testing {

CommandResult run_command(const std::vector<std::string>& argv, int timeout_seconds) {
  CommandOptions o;
  o.timeout_seconds = timeout_seconds;
  return run_command(argv, o);
}

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
  CommandResult r;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return r;
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.insert(env.end(), options.env.begin(), options.env.end());
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    // Always /dev/null: CI may run us with no stdin at all, and `script`
    // (the pseudo-terminal test) needs one to read EOF from.
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::seconds(options.timeout_seconds);
  auto signal_at = options.signal ? start + std::chrono::milliseconds(options.signal_after_ms) : deadline;
  char buf[4096];
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (options.signal && now >= signal_at) {
      ::kill(pid, options.signal);
      signal_at = deadline;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(std::min(deadline, signal_at) - now);
    if (now >= deadline) {
      ::kill(pid, SIGKILL);
      r.timed_out = true;
      r.output += "\n[test: command timed out and was killed]\n";
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    r.output.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.max_rss_kb = usage.ru_maxrss;
  return r;
}

std::vector<int> processes_with_env(const std::string& name_value) {
  std::vector<int> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const int pid = std::atoi(e.path().filename().c_str());
    if (pid <= 1 || pid == ::getpid()) continue;
    const std::string env = read_file((e.path() / "environ").string());
    std::size_t at = 0;
    for (std::size_t end; (end = env.find('\0', at)) != std::string::npos; at = end + 1)
      if (env.compare(at, end - at, name_value) == 0) {
        out.push_back(pid);
        break;
      }
  }
  return out;
}

std::map<std::string, std::string> verdicts_from_junit(const std::string& xml) {
  // Our own output, one element per line: testsuite openings name the
  // scenario (suite.scenario), testcase openings the check and its verdict.
  static const std::regex element_re(
      R"re(<testsuite name="[^".]*\.([^"]+)"|<testcase name="([^"]+)"[^>]*?(/?)>(\s*<(failure|error|skipped))?)re");
  std::map<std::string, std::string> out;
  std::string scenario;
  for (std::sregex_iterator it(xml.cbegin(), xml.cend(), element_re), end; it != end; ++it) {
    const auto& m = *it;
    if (m[1].matched) {
      scenario = m[1];
      continue;
    }
    std::string verdict = "pass";
    if (m[3] != "/") {
      const std::string kind = m[5];
      verdict = kind == "failure" ? "fail" : kind == "error" ? "unknown" : kind == "skipped" ? "skipped" : "pass";
    }
    out[scenario + "/" + std::string(m[2])] = verdict;
  }
  return out;
}

std::vector<std::string> junit_dir_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("TEST-", 0) == 0 && name.ends_with(".xml")) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::map<std::string, std::string> verdicts_from_junit_dir(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& f : junit_dir_files(dir)) out.merge(verdicts_from_junit(read_file(f)));
  return out;
}

std::string find_on_path(std::initializer_list<const char*> names) {
  std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin");
  for (std::string dir; std::getline(path, dir, ':');)
    for (const char* name : names) {
      const std::string p = dir + "/" + name;
      if (!dir.empty() && ::access(p.c_str(), X_OK) == 0) return p;
    }
  return "";
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string schema_errors(const std::string& xml_path, const std::string& xsd_path) {
  auto r = run_command({"/usr/bin/xmllint", "--noout", "--schema", xsd_path, xml_path}, 60);
  return r.exit_code == 0 ? "" : r.output;
}

std::string junit_dir_schema_errors(const std::string& dir, const std::string& schemas_dir) {
  std::string errors;
  for (const auto& f : junit_dir_files(dir))
    for (const char* xsd : {"surefire-test-report-3.0.xsd", "surefire-test-report.xsd", "jenkins-junit-10.xsd"})
      errors += schema_errors(f, schemas_dir + "/" + xsd);
  return errors;
}

std::string json_schema_errors(const std::string& json_path) {
  const std::string script =
      "import json,sys,jsonschema\n"
      "s=json.load(open(sys.argv[1]));d=json.load(open(sys.argv[2]))\n"
      "jsonschema.Draft202012Validator.check_schema(s)\n"
      "jsonschema.validate(d,s,cls=jsonschema.Draft202012Validator)\n";
  auto r = run_command({"/usr/bin/python3", "-c", script, source_path("reports/firedrill-report.schema.json"), json_path}, 60);
  return r.exit_code == 0 ? "" : r.output;
}

}  // namespace firedrill::testing
