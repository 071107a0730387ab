// Replicates of one scenario, run on a pool of threads. Each replicate has its own random
// streams (the replicate is part of every stream key); results are stored and reduced in
// replicate order, so they are bit-identical for any number of threads.
#pragma once

#include <functional>

#include "wfsim/catalog.h"
#include "wfsim/run_results.h"
#include "wfsim/scenario.h"

namespace wfsim {

struct ExperimentOptions {
  int threads = 0;  // 0: all hardware threads
  bool panel = false;
  bool events = false;
  RecordSinkFactory* sinks = nullptr;                 // person-level records (panel/events), may be null
  std::function<void(int done, int total)> progress;  // called from worker threads, serialised
  std::function<void(int replicate)> replicate_done;  // a replicate sent its last record (worker thread)
};

RunResults run_experiment(const Scenario& scenario, const Catalog& catalog, const ExperimentOptions& options);

// Resolves options.threads (0 -> hardware concurrency, at least 1, at most replicates).
int effective_threads(int requested, int replicates);

}  // namespace wfsim
