// exit_stamp: the app of bench/exit-timing. Sleeps DELAY_US, then reads
// CLOCK_MONOTONIC and CLOCK_REALTIME as the very last thing before _exit(0)
// and leaves them in $DATA_DIR/stamp through a shared mapping (a store, not
// a system call, between the clock read and the exit).
//
//   exit_stamp DELAY_US
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>

int main(int argc, char** argv) {
  const long delay_us = argc > 1 ? std::atol(argv[1]) : 0;
  const char* dir = std::getenv("DATA_DIR");
  if (!dir) return 2;
  const std::string path = std::string(dir) + "/stamp";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ::ftruncate(fd, 2 * sizeof(std::int64_t)) != 0) return 2;
  auto* stamp = static_cast<volatile std::int64_t*>(
      ::mmap(nullptr, 2 * sizeof(std::int64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
  if (stamp == MAP_FAILED) return 2;
  ::usleep(static_cast<useconds_t>(delay_us));
  timespec mono{}, real{};
  ::clock_gettime(CLOCK_REALTIME, &real);
  ::clock_gettime(CLOCK_MONOTONIC, &mono);
  stamp[1] = static_cast<std::int64_t>(real.tv_sec) * 1'000'000'000 + real.tv_nsec;
  stamp[0] = static_cast<std::int64_t>(mono.tv_sec) * 1'000'000'000 + mono.tv_nsec;
  ::_exit(0);
}
