#include "wfsim/promotion_model.h"

namespace wfsim {

double PromotionModel::alignment_shift(std::span<const double> eta, double expected) {
  if (eta.empty()) return 0;
  if (expected <= 0) return -50;
  if (expected >= static_cast<double>(eta.size())) return 50;
  double lo = -50, hi = 50;
  for (int it = 0; it < 80; ++it) {
    const double mid = 0.5 * (lo + hi);
    double sum = 0;
    for (double e : eta) sum += sigmoid(e + mid);
    (sum < expected ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace wfsim
