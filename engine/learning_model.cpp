#include "wfsim/learning_model.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>

namespace wfsim {
namespace {
constexpr int GRID = 4096;
constexpr double Z_MIN = -6.0, Z_MAX = 6.0;
}  // namespace

LearningModel::LearningModel(const Scenario& s) : s_(s), quantile_(GRID + 1) {
  const boost::math::normal_distribution<double> normal;
  for (int i = 0; i <= GRID; ++i) {
    const double z = Z_MIN + (Z_MAX - Z_MIN) * i / GRID;
    const double p = std::clamp(boost::math::cdf(normal, z), 1e-12, 1 - 1e-12);
    quantile_[static_cast<std::size_t>(i)] =
        static_cast<float>(boost::math::gamma_p_inv(s.propensity_shape, p) / s.propensity_shape);
  }
}

const TrendYear* LearningModel::trend_for(int year) const {
  const TrendYear* best = nullptr;
  for (const auto& t : s_.trend)
    if (t.year <= year) best = &t;
  if (!best && !s_.trend.empty()) best = &s_.trend.front();
  return best;
}

double LearningModel::trend_multiplier(int year) const {
  const TrendYear* t = trend_for(year);
  return t ? t->multiplier : 1.0;
}

double LearningModel::campaign_hours(int year) const {
  const TrendYear* t = trend_for(year);
  return t ? t->campaign_hours : 0.0;
}

double LearningModel::target_compliance(int year) const {
  const TrendYear* t = trend_for(year);
  return t ? t->target_compliance : s_.target_compliance;
}

double LearningModel::classroom_affinity(int pref_type) const {
  return 1.0 + (pref_type - 1) * s_.classroom_affinity_spread;
}

float LearningModel::propensity_hours(float latent, int year) const {
  const double x = (std::clamp(static_cast<double>(latent), Z_MIN, Z_MAX) - Z_MIN) / (Z_MAX - Z_MIN) * GRID;
  const int i = std::min(static_cast<int>(x), GRID - 1);
  const double f = x - i;
  const double q =
      quantile_[static_cast<std::size_t>(i)] * (1 - f) + quantile_[static_cast<std::size_t>(i) + 1] * f;
  return static_cast<float>(s_.propensity_mean_hours * q * trend_multiplier(year));
}

MonthConstants LearningModel::month_constants(int month_index) const {
  MonthConstants c;
  c.month = month_index;
  c.year = month_index / 12;
  c.cal_month = month_index % 12 + 1;
  double shock_hours = 1;
  for (const auto& sh : s_.shocks) {
    if (month_index < sh.start_month || month_index > sh.end_month) continue;
    shock_hours *= sh.hours_multiplier;
    for (int k = 0; k < MODALITY_COUNT; ++k)
      c.availability[static_cast<std::size_t>(k)] *= sh.availability[static_cast<std::size_t>(k)];
    c.budget *= sh.budget_multiplier;
    c.shock_compliance *= sh.compliance_multiplier;
  }
  // Propensity already carries the year's trend (propensity_hours), so only season and shocks here.
  c.hours_factor = s_.seasonality[static_cast<std::size_t>(c.cal_month - 1)] * shock_hours / 12.0;
  c.extra_hours =
      campaign_hours(c.year) * s_.seasonality[static_cast<std::size_t>(c.cal_month - 1)] * shock_hours / 12.0;
  c.required_factor = shock_hours / 12.0;
  c.compliance = target_compliance(c.year + 1);
  c.catch_up = c.cal_month >= s_.catch_up_start_month;
  c.months_left = 13 - c.cal_month;
  c.pace_target = s_.target_hours * (c.cal_month - 1) / 12.0;
  c.classroom_keep = std::min(1.0, c.availability[0]);
  for (int p = 0; p < PREF_TYPES; ++p) {
    std::array<double, MODALITY_COUNT> w{};
    double sum = 0;
    for (int k = 0; k < MODALITY_COUNT; ++k) {
      w[static_cast<std::size_t>(k)] = s_.modality_preference[static_cast<std::size_t>(k)] *
                                       c.availability[static_cast<std::size_t>(k)] *
                                       (k == 0 ? classroom_affinity(p) : 1.0);
      sum += w[static_cast<std::size_t>(k)];
    }
    for (int k = 0; k < MODALITY_COUNT; ++k)
      c.item_split[static_cast<std::size_t>(p)][static_cast<std::size_t>(k)] =
          sum > 0 ? w[static_cast<std::size_t>(k)] / sum : 0;
  }
  return c;
}

}  // namespace wfsim
