// Summaries over replicates: mean, standard deviation and a 95% confidence interval of the
// mean (Student t with n-1 degrees of freedom; the interval collapses to the mean when n=1).
#pragma once

#include <span>
#include <vector>

namespace wfsim {

struct Summary {
  double mean = 0, sd = 0, ci95_low = 0, ci95_high = 0;
  int n = 0;
};

Summary summarize(std::span<const double> values);
// Two-sided 97.5% quantile of Student's t with df degrees of freedom.
double t_quantile_975(int df);
// Per time point: values[replicate][t] -> summaries[t].
std::vector<Summary> summarize_series(const std::vector<std::vector<double>>& values);

}  // namespace wfsim
