#include "pod/pod.hpp"

#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "pod/command_line.hpp"
#include "pod/guardian.hpp"

extern char** environ;

namespace firedrill::pod {
namespace asio = boost::asio;

Pod::Pod(asio::any_io_executor ex, const suite::TargetSpec& target, PodEnvironment env, history::History& h,
         const history::Epoch& epoch)
    : ex_(std::move(ex)), target_(target), env_(std::move(env)), history_(h), epoch_(epoch) {}

Pod::~Pod() { kill_all(); }

void Pod::record(history::Event e) {
  e.generation = generation_;
  history_.events.push_back(std::move(e));
}

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
      history::Event e{st.at_us, history::EventKind::exit, name};
      e.signal = st.signal;
      e.exit_code = st.code;
      e.generation = gen;
      history_.events.push_back(std::move(e));
    };
    auto c = Container::spawn(ex_, name, argv, env, [this] { return epoch_.now_us(); }, on_exit);
    record({epoch_.now_us(), history::EventKind::pod_start, name, 0, 0, -1, false, spec->command});
    live_[name] = c;
    all_.push_back(c);
  }
}

bool Pod::app_running() const {
  auto it = live_.find("app");
  return it != live_.end() && it->second->running();
}

std::shared_ptr<Container> Pod::app() const {
  auto it = live_.find("app");
  return it == live_.end() ? nullptr : it->second;
}

void Pod::signal(const std::string& container, int sig, std::int64_t grace_us) {
  auto it = live_.find(container);
  if (it == live_.end() || !it->second->running()) return;
  history::Event e{epoch_.now_us(), history::EventKind::signal, container};
  e.signal = sig;
  record(std::move(e));
  it->second->signal(sig);
  if (sig == SIGTERM) asio::co_spawn(ex_, enforce_grace(it->second, grace_us), asio::detached);
}

asio::awaitable<void> Pod::enforce_grace(std::shared_ptr<Container> c, std::int64_t grace_us) {
  const int gen = generation_;
  if (co_await c->wait_exit(grace_us)) co_return;
  history::Event deadline{epoch_.now_us(), history::EventKind::grace_deadline, c->name()};
  deadline.generation = gen;
  history_.events.push_back(deadline);
  history::Event kill{epoch_.now_us(), history::EventKind::signal, c->name()};
  kill.signal = SIGKILL;
  kill.by_harness = true;
  kill.generation = gen;
  history_.events.push_back(kill);
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
  for (const auto& c : all_)
    if (c->name() == container) n += c->output().dropped_bytes();
  return n;
}

std::string Pod::output_of(const std::string& container) const {
  std::string out;
  for (const auto& c : all_)
    if (c->name() == container) out += c->output().text();
  return out;
}

asio::awaitable<void> Pod::kill_and_reap(std::int64_t timeout_us) {
  kill_all();
  for (auto& c : all_) co_await c->wait_exit(timeout_us);
}

void Pod::kill_all() {
  for (auto& c : all_)
    if (c->running()) {
      c->signal(SIGKILL);
      c->kill_group();
    }
}

}  // namespace firedrill::pod
