// Test helper: writes a synthetic results file with panel and events, for check_results_file.py.
// Usage: io_make_sample <out.h5>   (replaces an existing file)
#include <cstdio>

#include "synthetic.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s out.h5\n", argv[0]);
    return 2;
  }
  try {
    const auto res = wfsim::test::synthetic_results(3);
    wfsim::ResultsWriter w(argv[1], true, true, true);
    for (int r = 0; r < 3; ++r) wfsim::test::feed_records(*w.sinks().for_replicate(r), r, 200, 3);
    w.finish(res, wfsim::test::synthetic_meta(res));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
