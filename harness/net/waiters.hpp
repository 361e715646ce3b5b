// Completion signals for coroutines on one event loop, in place of polling:
// a coroutine waits until a condition on the loop's own state holds, and
// whatever changes that state calls notify(). The asio idiom underneath is
// a timer per waiter that never expires by itself and is cancelled to wake
// it (with a real deadline when the wait is bounded).
//
// Single-threaded: notify() and the waits run on the same executor. Never
// use it to wait for another thread: post the change to this loop first.
#pragma once
#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace firedrill::net {

class Waiters {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  // Until pred() holds or the deadline passes; returns pred() then.
  template <class Pred>
  boost::asio::awaitable<bool> wait_until(Pred pred, time_point deadline = time_point::max()) {
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, deadline);
      Entry entry(timers_, timer);
      boost::system::error_code ec;
      co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
    co_return pred();
  }
  template <class Pred>
  boost::asio::awaitable<bool> wait_for(Pred pred, std::chrono::microseconds timeout) {
    co_return co_await wait_until(std::move(pred), std::chrono::steady_clock::now() + timeout);
  }

  // Wakes every waiter; each one looks at its condition again.
  void notify() {
    for (auto* t : *timers_) t->cancel();
  }

 private:
  using List = std::vector<boost::asio::steady_timer*>;
  // Registered for exactly as long as the wait. The list is shared with
  // the entries: a scenario cut short destroys its event loop, and with it
  // waiting coroutines, in no set order, possibly after this object.
  struct Entry {
    Entry(std::shared_ptr<List> list, boost::asio::steady_timer& t) : list(std::move(list)), t(&t) {
      this->list->push_back(&t);
    }
    ~Entry() { list->erase(std::find(list->begin(), list->end(), t)); }
    std::shared_ptr<List> list;
    boost::asio::steady_timer* t;
  };
  std::shared_ptr<List> timers_ = std::make_shared<List>();
};

// Coroutines started together and awaited together: spawn() any number,
// then `co_await wait()` returns once every one has ended. An exception in
// a task is kept and rethrown by wait() (a bug of ours must not vanish in a
// detached coroutine). The group must outlive its tasks: await wait()
// before it goes out of scope.
class TaskGroup {
 public:
  explicit TaskGroup(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}

  void spawn(boost::asio::awaitable<void> task) {
    ++running_;
    boost::asio::co_spawn(ex_, std::move(task), [this](std::exception_ptr e) {
      if (e && !error_) error_ = e;
      --running_;
      ended_.notify();
    });
  }
  boost::asio::awaitable<void> wait() {
    co_await ended_.wait_until([this] { return running_ == 0; });
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }
  std::size_t running() const { return running_; }

 private:
  boost::asio::any_io_executor ex_;
  std::size_t running_ = 0;
  std::exception_ptr error_;
  Waiters ended_;
};

}  // namespace firedrill::net
