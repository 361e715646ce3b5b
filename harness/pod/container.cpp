#include "pod/container.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/process/v2/environment.hpp>
// Boost 1.81 ships process_environment::on_setup only in this .ipp, which
// no public header includes in header-only mode.
#include <boost/process/v2/impl/environment.ipp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>
#include <fmt/format.h>

#include "pod/exit_watch.hpp"
#include "pod/guardian.hpp"

namespace firedrill::pod {
namespace asio = boost::asio;
namespace bp = boost::process::v2;

namespace {

// Marks every descriptor from 3 up close-on-exec. Boost 1.81's own
// close_all() skips the gaps between whitelisted descriptors (it compares an
// entry with itself), so without this the app inherits the harness's
// sockets — among them the fault proxy's listener, which then keeps
// accepting in the app after the proxy "refuses". stdin/stdout/stderr are
// already in place; Process v2's error pipe is close-on-exec anyway.
void close_inherited_descriptors() {
  if (::syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) == 0) return;
  // Kernels before 5.11: walk the descriptor table by hand.
  for (int fd = 3; fd < 65536; ++fd) {
    int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

// Runs in the child between fork and exec: its own process group (so the
// pod can be signalled and cleaned up as a unit), death with the harness,
// no descriptor of the harness, and the default signal dispositions the
// harness may have changed.
struct ChildSetup {
  template <class Launcher>
  bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*) {
    close_inherited_descriptors();
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (int sig = 1; sig < NSIG; ++sig) std::signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    return {};
  }
};

}  // namespace

struct Container::Impl {
  explicit Impl(asio::any_io_executor ex) : out(ex), err(ex) {}
  asio::readable_pipe out, err;
  std::optional<bp::basic_process<asio::any_io_executor>> process;
  std::unique_ptr<ExitWatch> exit_watch;
};

Container::Container(asio::any_io_executor ex, std::string name)
    : impl_(std::make_unique<Impl>(ex)), name_(std::move(name)) {}

Container::~Container() {
  // Still running only if the harness is unwinding: take it down with us.
  // basic_process's own destructor then reaps it.
  if (running()) kill_group();
}

std::shared_ptr<Container> Container::spawn(asio::any_io_executor ex, std::string name,
                                            const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                            std::function<std::int64_t()> now_us, OnExit on_exit) {
  std::shared_ptr<Container> c(new Container(ex, std::move(name)));
  if (argv.empty()) throw SpawnError("empty command");
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  bp::error_code ec;
  bp::process_environment environment(env);
  c->impl_->process.emplace(bp::default_process_launcher()(
      ex, ec, argv[0], args, environment, bp::process_stdio{nullptr, c->impl_->out, c->impl_->err}, ChildSetup{}));
  if (ec) throw SpawnError(fmt::format("cannot start {}: {}", argv[0], ec.message()));
  c->pid_ = c->impl_->process->id();
  // The child calls setpgid itself; doing it here too closes the race where
  // we signal the group before the child ran its setup.
  ::setpgid(c->pid_, c->pid_);
  Guardian::watch_group(c->pid_);
  c->start_watchers(std::move(now_us), std::move(on_exit));
  return c;
}

void Container::start_watchers(std::function<std::int64_t()> now_us, OnExit on_exit) {
  auto self = shared_from_this();
  // self is a parameter, not a capture: it must live in the coroutine frame.
  auto pump = [](std::shared_ptr<Container> self, asio::readable_pipe& pipe) -> asio::awaitable<void> {
    char buf[8192];
    while (true) {
      bp::error_code ec;
      std::size_t n = co_await pipe.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      if (n) self->output_.append(std::string_view(buf, n));
      if (ec) co_return;
    }
  };
  asio::co_spawn(impl_->out.get_executor(), pump(self, impl_->out), asio::detached);
  asio::co_spawn(impl_->err.get_executor(), pump(self, impl_->err), asio::detached);

  // Before the child can be reaped (that happens in the handler below).
  impl_->exit_watch = std::make_unique<ExitWatch>(pid_);
  impl_->process->handle().async_wait(
      [self, now_us = std::move(now_us), on_exit = std::move(on_exit)](bp::error_code ec, int raw) {
        ExitStatus st;
        st.at_us = now_us();
        // The exit thread usually saw it first (see exit_watch.hpp): move
        // the time back by how much earlier, on the same monotonic clock.
        if (const auto seen = self->impl_->exit_watch->exited_at()) {
          const auto earlier = std::chrono::steady_clock::now() - *seen;
          if (earlier.count() > 0) st.at_us -= std::chrono::duration_cast<std::chrono::microseconds>(earlier).count();
        }
        if (ec) {
          st.code = -1;
        } else if (WIFSIGNALED(raw)) {
          st.signal = WTERMSIG(raw);
        } else {
          st.code = WEXITSTATUS(raw);
        }
        self->exit_ = st;
        self->kill_group();
        self->exit_waiters_.notify();
        if (on_exit) on_exit(st);
      });
}

bool Container::signal(int sig) {
  if (!running()) return false;
  return ::kill(pid_, sig) == 0;
}

asio::awaitable<bool> Container::wait_exit(std::int64_t timeout_us) {
  auto self = shared_from_this();  // keep alive across the suspension
  co_return co_await exit_waiters_.wait_for([this] { return !running(); }, std::chrono::microseconds(timeout_us));
}

void Container::kill_group() {
  if (pid_ > 1) ::kill(-pid_, SIGKILL);
}

}  // namespace firedrill::pod
