// Simulated study panels (MODEL.md §7): a scenario's replicates restricted to the study's window
// (tech sellers Jan 2014 - Sep 2019, S5) with the study's estimators (estimate_study) run on each
// replicate separately. Shared by `wfsim replicate-study` and `wfsim calibrate` (indirect
// inference), so both read the model through exactly the same lens.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "wfsim/catalog.h"
#include "wfsim/run_results.h"
#include "wfsim/scenario.h"
#include "wfsim/stats/study_estimators.h"

namespace wfsim {

// The study's panel: Jan 2014 - Sep 2019 (S5). TI is measured per half-year, so the last
// complete period is 2019-H1; promotion "in the year ahead" of year y is observed for
// y <= 2018 only (the decision for 2019 takes effect in January 2020, after the panel ended).
inline constexpr int STUDY_FIRST_YEAR = 2014;
inline constexpr int STUDY_LAST_YEAR = 2019;
inline constexpr int STUDY_LAST_HALF = 20191;  // half code year*10 + 1|2
inline constexpr int STUDY_LAST_PROMOTION_YEAR = 2018;

// One replicate's panel, restricted to the study's window, and what the estimators gave.
struct StudyReplicate {
  StudyEstimates estimates;
  long distinct_people = 0;
};

// Restricts the sink's rows to the study's window (in place) and estimates.
StudyReplicate estimate_study_window(MemorySink& sink, const StudyOptions& options = {});

// Throws InputError (where = `source`) if the scenario's horizon misses the study's panel.
void check_study_horizon(const Scenario& scenario, const std::string& source);

struct StudyPanels {
  RunResults results;                      // the run's aggregate series (all replicates)
  std::vector<StudyReplicate> replicates;  // in replicate order
};

// Runs scenario.replicates replicates on `threads` workers (0: all cores); each replicate's panel
// is estimated on the worker that simulated it and freed right after (at most `threads` panels in
// memory). Identical output for any thread count.
StudyPanels simulate_study_panels(const Scenario& scenario, const Catalog& catalog, int threads,
                                  const std::function<void(int done, int total)>& progress = {});

}  // namespace wfsim
