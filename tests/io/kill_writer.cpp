// Test helper (not a Catch test): writes a results file with a big panel, slowly, so that
// test_kill.cpp can SIGKILL it mid-write. Prints "spooling" and "finishing" on stdout.
// Usage: io_kill_writer <out.h5> <replicates> <people> <batches> <sleep_us_per_batch>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "synthetic.h"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s out.h5 replicates people batches sleep_us\n", argv[0]);
    return 2;
  }
  const int reps = std::atoi(argv[2]), people = std::atoi(argv[3]), batches = std::atoi(argv[4]);
  const int sleep_us = std::atoi(argv[5]);
  try {
    const auto res = wfsim::test::synthetic_results(reps);
    wfsim::ResultsWriter w(argv[1], false, true, true);
    std::printf("spooling\n");
    std::fflush(stdout);
    for (int r = 0; r < reps; ++r)
      for (int b = 0; b < batches; ++b) {
        wfsim::test::feed_records(*w.sinks().for_replicate(r), r, people, 1);
        std::this_thread::sleep_for(std::chrono::microseconds(sleep_us));
      }
    std::printf("finishing\n");
    std::fflush(stdout);
    w.finish(res, wfsim::test::synthetic_meta(res));
    std::printf("done\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
