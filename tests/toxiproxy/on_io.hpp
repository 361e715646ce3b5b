// Runs `f` on the io thread and waits for it: the collection and the API
// server belong to that thread, and the tests call them as the server does.
#pragma once
#include <future>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace firedrill::toxiproxy::test {

template <class F>
void on_io(boost::asio::io_context& io, F f) {
  std::promise<void> done;
  boost::asio::post(io, [&] {
    f();
    done.set_value();
  });
  done.get_future().get();
}

}  // namespace firedrill::toxiproxy::test
