// The study's estimators (MODEL.md §7) re-run on a simulated panel: TI% OLS models (S10-S12),
// promotion logits (S13-S16) and descriptives (S4, S6-S9, S11, S14), returned as a flat list of
// named quantities next to the study's published numbers. engine/stats/ESTIMATORS.md gives each
// specification and its reading of the study's wording.
#pragma once

#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wfsim/run_results.h"

namespace wfsim {

struct StudyOptions {
  // TI models: person fixed effects (within estimator). Tenure is then left out: within a
  // person it moves one-for-one with the period dummies (see ESTIMATORS.md).
  bool person_fixed_effects = false;
  // Descriptives: leave out person-years of people hired during the year (tenure < 12 months
  // at the year's end), whose hours cover part of the year only.
  bool exclude_partial_years = true;
};

// One estimated quantity next to the study's value.
struct StudyQuantity {
  std::string id;    // "ti_per_badge", "promo_or_skill", ...
  std::string fact;  // "S11", ... ("" when the quantity anchors on no fact)
  double study_value = std::numeric_limits<double>::quiet_NaN();  // NaN: the study gives no number
  double estimate = std::numeric_limits<double>::quiet_NaN();     // NaN when the model failed
  double se = std::numeric_limits<double>::quiet_NaN();           // for odds ratios: se of log OR
  double ci95_low = std::numeric_limits<double>::quiet_NaN();
  double ci95_high = std::numeric_limits<double>::quiet_NaN();
  std::string note;  // how to read the study value / the estimate
};

struct StudyEstimates {
  std::vector<StudyQuantity> quantities;  // fixed order (see ESTIMATORS.md)
  std::vector<std::string> messages;      // one per model that failed, and sample notes
  long ti_rows = 0;                       // person-half rows used by the TI models
  long promotion_rows = 0;                // person-year rows used by the promotion logits
  long year_rows = 0;                     // person-year rows used by the descriptives

  const StudyQuantity* find(std::string_view id) const;  // nullptr if absent
  double estimate(std::string_view id) const;            // NaN if absent
};

// Person ids are clustered (and fixed effects grouped) by (replicate, person); pass one
// replicate at a time to get per-replicate estimates. Never throws for a model that cannot be
// estimated: its quantities are NaN and `messages` says why.
StudyEstimates estimate_study(std::span<const PersonHalfRow> halves, std::span<const PersonYearRow> years,
                              const StudyOptions& options = {});

}  // namespace wfsim
