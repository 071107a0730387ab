#include "wfsim/experiment.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "wfsim/simulation.h"

namespace wfsim {

int effective_threads(int requested, int replicates) {
  int t = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  if (t < 1) t = 1;
  return std::min(t, std::max(1, replicates));
}

RunResults run_experiment(const Scenario& scenario, const Catalog& catalog,
                          const ExperimentOptions& options) {
  RunResults out;
  out.axes = TimeAxes::for_horizon(scenario.start_month, scenario.months);
  for (int f = 0; f < FREQUENCY_COUNT; ++f)
    out.metrics[f] = metric_infos(static_cast<Frequency>(f), scenario);
  const int n = scenario.replicates;
  out.replicates.resize(static_cast<std::size_t>(n));

  std::atomic<int> next{0};
  std::mutex mu;
  int done = 0;
  std::exception_ptr error;
  auto worker = [&] {
    for (;;) {
      const int r = next.fetch_add(1);
      if (r >= n) return;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (error) return;
      }
      try {
        RecordSink* sink = options.sinks ? options.sinks->for_replicate(r) : nullptr;
        Simulation sim(scenario, catalog, r, SimulationOptions{options.panel, options.events}, sink);
        sim.run();
        if (options.replicate_done) options.replicate_done(r);
        out.replicates[static_cast<std::size_t>(r)] = sim.take_series();
        std::lock_guard<std::mutex> lock(mu);
        ++done;
        if (options.progress) options.progress(done, n);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        return;
      }
    }
  };
  const int t = effective_threads(options.threads, n);
  if (t == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (int i = 0; i < t; ++i) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
  }
  if (error) std::rethrow_exception(error);
  return out;
}

}  // namespace wfsim
