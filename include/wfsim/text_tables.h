// Terminal tables of results (the yearly summary printed by `wfsim run` and `wfsim summary`).
#pragma once

#include <string>

#include "wfsim/run_results.h"

namespace wfsim {

// Yearly table: headcount, mean and median hours, learner-category shares, badges by type,
// strategic share, badge stock, TI mean, promotion rate, learning cost. Means over
// replicates; "±" columns give the half-width of the 95% CI. Fits 120 columns.
std::string yearly_summary_table(const RunResults& results);

}  // namespace wfsim
