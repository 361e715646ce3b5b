#include "faults/worker_threads.hpp"

namespace firedrill::faults {

WorkerThreads::WorkerThreads(int count) {
  try {
    for (int i = 0; i < count; ++i) {
      loops_.push_back(std::make_unique<Loop>());
      loops_.back()->thread = std::thread([io = &loops_.back()->io] { io->run(); });
    }
  } catch (...) {
    // e.g. no more threads allowed (ulimit -u): stop those already running
    // rather than destroy them joinable (std::terminate).
    stop_all();
    throw;
  }
}

WorkerThreads::~WorkerThreads() { stop_all(); }

void WorkerThreads::stop_all() {
  for (auto& l : loops_) l->io.stop();
  for (auto& l : loops_)
    if (l->thread.joinable()) l->thread.join();
  // The hub goes while its loop still exists (it closes its epoll set
  // there); connections suspended on the loop go with the loop, and their
  // registrations see the hub gone.
  for (auto& l : loops_) l->worker.reset();
  loops_.clear();
}

std::vector<Worker*> WorkerThreads::workers() const {
  std::vector<Worker*> out;
  for (const auto& l : loops_) out.push_back(l->worker.get());
  return out;
}

}  // namespace firedrill::faults
