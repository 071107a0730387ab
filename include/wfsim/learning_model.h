// Learning time and modality (MODEL.md §4.1, §4.2; S3, S4, S6, S7, S17, S19).
// Monthly hours = propensity x seasonality x trend x shocks x noise (x nudge), plus
// campaign and required hours, plus the THINK-40 catch-up of compliers behind the target.
// Everything that is the same for every person in a month is computed once in MonthConstants.
#pragma once

#include <array>
#include <vector>

#include "wfsim/scenario.h"

namespace wfsim {

inline constexpr int PREF_TYPES = 3;  // classroom affinity low, mid, high

struct MonthConstants {
  int month = 0;  // month index
  int year = 0;
  int cal_month = 1;            // 1..12
  double hours_factor = 0;      // seasonality x trend x shock / 12: multiplies the yearly propensity
  double extra_hours = 0;       // campaign hours of the month (per person)
  double required_factor = 0;   // multiplier on required hours / 12 (shocks)
  double compliance = 0;        // catch-up probability for next year's draw (used in December)
  double shock_compliance = 1;  // multiplier on compliance this month
  bool catch_up = false;        // compliers behind the target catch up this month
  double months_left = 1;       // months left in the year, this one included
  double pace_target = 0;       // hours expected by the start of this month (nudging)
  std::array<double, MODALITY_COUNT> availability{1, 1, 1};
  double budget = 1;
  double classroom_keep = 1;  // share of classroom programme hours still held in class
  std::array<std::array<double, MODALITY_COUNT>, PREF_TYPES> item_split{};  // short-item hours by modality
};

class LearningModel {
 public:
  explicit LearningModel(const Scenario& s);

  // Yearly propensity in hours from the N(0,1) latent: mean x Gamma(shape)/shape quantile.
  float propensity_hours(float latent, int year) const;
  MonthConstants month_constants(int month_index) const;
  double trend_multiplier(int year) const;
  double campaign_hours(int year) const;
  double target_compliance(int year) const;
  double classroom_affinity(int pref_type) const;

 private:
  const Scenario& s_;
  std::vector<float> quantile_;  // Gamma(shape)/shape quantiles on a grid of the latent
  const TrendYear* trend_for(int year) const;
};

enum LearnerCategory : int { UNDER = 0, ADEQUATE = 1, STEADY = 2, SUPER = 3 };
// S7: super >= 60 h, steady 40-59 h, adequate 20-39 h, under < 20 h.
inline int learner_category(double hours) {
  return hours >= 60 ? SUPER : hours >= 40 ? STEADY : hours >= 20 ? ADEQUATE : UNDER;
}

}  // namespace wfsim
