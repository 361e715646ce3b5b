#include "pod/pod.hpp"

#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "pod/command_line.hpp"
#include "pod/guardian.hpp"
#include "pod/socket_owner.hpp"

extern char** environ;

namespace firedrill::pod {
namespace asio = boost::asio;

Pod::Pod(asio::any_io_executor ex, const suite::TargetSpec& target, PodEnvironment env, history::Recorder& recorder,
         std::function<void()> on_exit)
    : ex_(std::move(ex)), target_(target), env_(std::move(env)), recorder_(recorder), on_exit_(std::move(on_exit)) {}

Pod::~Pod() { kill_all(); }

std::vector<std::string> Pod::environment_for_children() const {
  // The harness's own environment (PATH, HOME, ...) plus the suite's
  // variables, then the SPEC §1 contract, which nothing may override.
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos) vars[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }
  for (const auto& [k, v] : target_.env) vars[k] = v;
  const auto& n = target_.env_names;
  vars[n.port] = std::to_string(env_.port);
  vars[n.payment_url] = env_.payment_url;
  vars[n.courier_url] = env_.courier_url;
  vars[n.data_dir] = env_.data_dir;
  vars[run_marker_name] = Guardian::marker();
  std::vector<std::string> out;
  for (const auto& [k, v] : vars) out.push_back(k + "=" + v);
  return out;
}

void Pod::start() {
  ++generation_;
  live_.clear();
  auto env = environment_for_children();
  std::vector<const suite::ContainerSpec*> specs{&target_.app};
  for (const auto& s : target_.sidecars) specs.push_back(&s);
  for (const auto* spec : specs) {
    std::vector<std::string> argv;
    try {
      argv = split_command(spec->command, default_lookup());
    } catch (const CommandLineError& e) {
      throw SpawnError(fmt::format("{}: command of {}: {}", spec->where.str(), spec->name, e.what()));
    }
    auto program = resolve_program(argv[0]);
    if (!program)
      throw SpawnError(fmt::format("{}: cannot start {}: '{}' is not an executable file{}", spec->where.str(),
                                   spec->name, argv[0], argv[0].find('/') == std::string::npos ? " on PATH" : ""));
    argv[0] = *program;
    const int gen = generation_;
    const std::string name = spec->name;
    auto on_exit = [this, alive = std::weak_ptr<bool>(alive_), gen, name](const ExitStatus& st) {
      if (alive.expired()) return;  // the pod (and its history) is gone
      recorder_.exited(name, gen, st.at_us, st.code, st.signal);
      if (on_exit_) on_exit_();
    };
    auto c = Container::spawn(ex_, name, argv, env, [this] { return recorder_.now_us(); }, on_exit);
    recorder_.started(name, generation_, spec->command);
    live_[name] = c;
    all_.push_back({generation_, c});
  }
}

bool Pod::app_running() const {
  auto a = app();
  return a && a->running();
}

std::shared_ptr<Container> Pod::app() const {
  auto it = live_.find(std::string(history::app_container));
  return it == live_.end() ? nullptr : it->second;
}

void Pod::signal(const std::string& container, int sig, std::int64_t grace_us) {
  auto it = live_.find(container);
  if (it == live_.end()) return;
  if (!it->second->running()) {
    // Recorded as such: a SIGTERM that found no app must make the drain
    // checks unknown, never let them pass by leaving no trace.
    recorder_.signalled(container, generation_, sig, false, false);
    return;
  }
  recorder_.signalled(container, generation_, sig);
  it->second->signal(sig);
  if (sig == SIGTERM) asio::co_spawn(ex_, enforce_grace(it->second, grace_us), asio::detached);
}

asio::awaitable<void> Pod::enforce_grace(std::shared_ptr<Container> c, std::int64_t grace_us) {
  const int gen = generation_;
  if (co_await c->wait_exit(grace_us)) co_return;
  recorder_.grace_ended(c->name(), gen);
  recorder_.signalled(c->name(), gen, SIGKILL, true);
  c->signal(SIGKILL);
  c->kill_group();
}

asio::awaitable<void> Pod::stop(std::int64_t grace_us) {
  auto containers = live_;
  for (auto& [name, c] : containers) signal(name, SIGTERM, grace_us);
  // enforce_grace SIGKILLs at the deadline; allow a bounded margin for the
  // kernel to deliver it and for the pidfd to report the exit.
  for (auto& [name, c] : containers) co_await c->wait_exit(grace_us + 5'000'000);
}

asio::awaitable<bool> Pod::wait_app_exit(std::int64_t timeout_us) {
  auto a = app();
  if (!a) co_return true;
  co_return co_await a->wait_exit(timeout_us);
}

std::size_t Pod::output_dropped_of(const std::string& container) const {
  std::size_t n = 0;
  for (const auto& [gen, c] : all_)
    if (c->name() == container) n += c->output().dropped_bytes();
  return n;
}

std::string Pod::output_of(const std::string& container) const {
  std::string out;
  for (const auto& [gen, c] : all_) {
    if (c->name() != container) continue;
    out += history::start_header(gen);
    out += c->output().text();
    if (!out.ends_with('\n')) out += '\n';
  }
  return out;
}

asio::awaitable<void> Pod::kill_and_reap(std::int64_t timeout_us) {
  kill_all();
  for (auto& [gen, c] : all_) co_await c->wait_exit(timeout_us);
  // SIGKILL takes effect when the process next runs: on a loaded machine
  // the rest of a container's group may take milliseconds to die after its
  // main process. Wait for the groups to empty, as a runtime waits for its
  // cgroup, so the leftover hunt finds what escaped them (setsid daemons),
  // not what is dying. This polls: nothing tells of the death of a process
  // we did not fork.
  std::vector<pid_t> groups;
  for (const auto& [gen, c] : all_) groups.push_back(c->pid());
  asio::steady_timer pause(ex_);
  for (int i = 0; i < 400 && live_members_of_groups(groups) > 0; ++i) {
    pause.expires_after(std::chrono::milliseconds(5));
    boost::system::error_code ec;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

std::string Pod::foreign_listener(int port) const {
  const auto holders = holders_of(port);
  if (!holders.listening) return "";
  std::vector<pid_t> groups;
  for (const auto& [gen, c] : all_) groups.push_back(c->pid());
  // Any listener that is not the pod's may be the one a client reaches
  // (127.0.0.1, 0.0.0.0 and a dual-stack [::] all take 127.0.0.1), so one
  // is enough to make the port someone else's.
  for (pid_t pid : holders.listeners)
    if (!belongs_to_run(pid, groups, Guardian::marker())) return describe_process(pid);
  if (holders.unseen) return "a process whose sockets this harness cannot see (another user's?)";
  return "";
}

void Pod::take_down_leftovers() {
  for (const auto& l : find_leftovers(Guardian::marker())) {
    recorder_.leftover(generation_, fmt::format("pid {}: {}", l.pid,
                                                l.command.empty() ? std::string("(command unknown)") : l.command));
    ::kill(l.pid, SIGKILL);
  }
  kill_marked_processes(Guardian::marker());
}

void Pod::kill_all() {
  for (auto& [gen, c] : all_)
    if (c->running()) {
      // Its exit is the harness's doing: recorded, so no check takes it for a crash.
      recorder_.signalled(c->name(), gen, SIGKILL, true);
      c->signal(SIGKILL);
      c->kill_group();
    }
}

}  // namespace firedrill::pod
