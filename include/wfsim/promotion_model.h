// Promotion once a year (MODEL.md §4.5; S13-S16): logit of moving up one band in the
// next year on the year's learning (badges by type, learner category) with band, role,
// tenure and TI controls; optional alignment to a target rate or to band capacity.
#pragma once

#include <cmath>
#include <span>
#include <vector>

#include "wfsim/learning_model.h"
#include "wfsim/scenario.h"

namespace wfsim {

class PromotionModel {
 public:
  explicit PromotionModel(const Scenario& s)
      : s_(s),
        b_knowledge_(std::log(s.promotion_or_knowledge)),
        b_skill_(std::log(s.promotion_or_skill)),
        b_other_(std::log(s.promotion_or_other)),
        b_super_(std::log(s.promotion_or_super)),
        b_steady_(std::log(s.promotion_or_steady)) {}

  double log_odds(int role, int band_index, int knowledge, int skill, int other, int category,
                  double tenure_years, double ti_mean) const {
    double eta = s_.promotion_intercept + s_.bands[static_cast<std::size_t>(band_index)].promotion_log_odds +
                 s_.roles[static_cast<std::size_t>(role)].promotion_log_odds + knowledge * b_knowledge_ +
                 skill * b_skill_ + other * b_other_;
    if (category == SUPER)
      eta += b_super_;
    else if (category == STEADY)
      eta += b_steady_;
    eta += s_.promotion_tenure_log_odds_per_year * (tenure_years < 20 ? tenure_years : 20);
    if (std::isfinite(ti_mean)) eta += s_.promotion_ti_log_odds_per_point * (ti_mean - 100.0);
    return eta;
  }

  // Shift delta such that sum sigmoid(eta + delta) = expected (bisection; fixed iterations).
  static double alignment_shift(std::span<const double> eta, double expected);

 private:
  const Scenario& s_;
  double b_knowledge_, b_skill_, b_other_, b_super_, b_steady_;
};

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace wfsim
