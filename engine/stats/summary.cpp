#include "wfsim/stats/summary.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace wfsim {

double t_quantile_975(int df) {
  if (df < 1) return 0;
  boost::math::students_t dist(static_cast<double>(df));
  return boost::math::quantile(dist, 0.975);
}

Summary summarize(std::span<const double> values) {
  Summary s;
  s.n = static_cast<int>(values.size());
  if (s.n == 0) return s;
  double sum = 0;
  for (double v : values) sum += v;  // fixed order: replicate order
  s.mean = sum / s.n;
  if (s.n > 1) {
    double ss = 0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / (s.n - 1));
    const double half = t_quantile_975(s.n - 1) * s.sd / std::sqrt(static_cast<double>(s.n));
    s.ci95_low = s.mean - half;
    s.ci95_high = s.mean + half;
  } else {
    s.ci95_low = s.ci95_high = s.mean;
  }
  return s;
}

std::vector<Summary> summarize_series(const std::vector<std::vector<double>>& values) {
  std::vector<Summary> out;
  if (values.empty()) return out;
  const std::size_t len = values.front().size();
  std::vector<double> col(values.size());
  for (std::size_t t = 0; t < len; ++t) {
    for (std::size_t r = 0; r < values.size(); ++r) col[r] = values[r][t];
    out.push_back(summarize(col));
  }
  return out;
}

}  // namespace wfsim
