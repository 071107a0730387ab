// General regression estimators for panels: a design-matrix builder, OLS (classical and
// cluster-robust standard errors, optional person fixed effects by the within estimator) and
// logit by Newton-Raphson (classical and cluster-robust standard errors, odds ratios).
// They implement the study's estimators of MODEL.md §7 (S10-S16); engine/stats/ESTIMATORS.md
// states every convention (small-sample factors, degrees of freedom, CIs) and its source.
// Failures throw EstimationError with a message that names the problem and, where possible,
// the offending column.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wfsim {

// A dense design matrix with named columns.
struct DesignMatrix {
  Eigen::MatrixXd values;          // rows x columns
  std::vector<std::string> names;  // one per column

  Eigen::Index rows() const { return values.rows(); }
  Eigen::Index cols() const { return values.cols(); }
  int column(const std::string& name) const;  // -1 if absent
};

// Builds a DesignMatrix column by column, in the order of the calls:
//   DesignBuilder b(n);
//   b.intercept().numeric("tenure_years", tenure).categorical("band", band_codes);
// Categorical columns expand to one 0/1 dummy per observed level except the reference
// (default: the smallest observed level), named "<name>=<level>".
class DesignBuilder {
 public:
  explicit DesignBuilder(std::size_t rows);

  DesignBuilder& intercept(const std::string& name = "const");
  DesignBuilder& numeric(const std::string& name, std::span<const double> values);
  DesignBuilder& categorical(const std::string& name, std::span<const std::int64_t> codes);
  DesignBuilder& categorical(const std::string& name, std::span<const std::int64_t> codes,
                             std::int64_t reference);
  // Dummies for the listed levels only (the reference is every other level), e.g. learner
  // category {3} -> "super" against categories 0-2.
  DesignBuilder& indicator(const std::string& name, std::span<const std::int64_t> codes,
                           std::span<const std::int64_t> levels);

  std::size_t rows() const { return rows_; }
  DesignMatrix build() const;

 private:
  void add(const std::string& name, std::vector<double> column);
  std::size_t rows_;
  std::vector<std::string> names_;
  std::vector<std::vector<double>> columns_;
};

// One estimated coefficient. se is the reported standard error: cluster-robust when clusters
// were given, classical otherwise; the CI uses the matching reference distribution.
struct Coefficient {
  std::string name;
  double estimate = 0;
  double se = 0;            // reported (cluster-robust if clustered)
  double se_classical = 0;  // model-based
  double ci95_low = 0, ci95_high = 0;
};

struct OlsOptions {
  // Cluster id per row (e.g. person); empty: classical SEs only.
  std::span<const std::int64_t> clusters;
  // Fixed-effect group per row (e.g. person); empty: no fixed effects. When given, y and X are
  // demeaned within groups, the intercept and columns constant within every group are dropped
  // (listed in OlsResult::dropped).
  std::span<const std::int64_t> fixed_effects;
};

struct OlsResult {
  std::vector<Coefficient> coefficients;  // in design order (minus dropped columns)
  Eigen::MatrixXd cov;                    // reported covariance (cluster if clustered)
  Eigen::MatrixXd cov_classical;
  std::vector<std::string> dropped;  // columns dropped by the within transformation
  long n = 0;                        // observations
  int k = 0;                         // estimated coefficients
  long df_resid = 0;                 // n - k (- groups with fixed effects)
  long clusters = 0;                 // 0 when not clustered
  long groups = 0;                   // fixed-effect groups, 0 when none
  double r_squared = 0;              // within R² with fixed effects
  double sigma = 0;                  // residual standard error
  bool clustered = false;
  bool fixed_effects = false;

  int index(const std::string& name) const;              // -1 if absent
  const Coefficient& at(const std::string& name) const;  // throws EstimationError if absent
};

OlsResult fit_ols(std::span<const double> y, const DesignMatrix& x, const OlsOptions& options = {});

struct LogitOptions {
  std::span<const std::int64_t> clusters;  // empty: classical SEs only
  int max_iterations = 100;
  double tolerance = 1e-10;  // on the Newton step, relative to 1 + |b|
};

struct LogitResult {
  std::vector<Coefficient> coefficients;  // log-odds scale; CIs with z = 1.959964
  Eigen::MatrixXd cov;                    // reported covariance (cluster if clustered)
  Eigen::MatrixXd cov_classical;
  long n = 0;
  int k = 0;
  long clusters = 0;
  bool clustered = false;
  double log_likelihood = 0;
  double log_likelihood_null = 0;  // intercept-only model
  double pseudo_r_squared = 0;     // McFadden
  int iterations = 0;
  bool converged = false;
  double max_step = 0;  // size of the last Newton step

  int index(const std::string& name) const;
  const Coefficient& at(const std::string& name) const;
  double odds_ratio(const std::string& name) const;
  // exp(b -/+ 1.959964 se) with the reported se.
  double odds_ratio_ci95_low(const std::string& name) const;
  double odds_ratio_ci95_high(const std::string& name) const;
};

// y must be 0/1. Throws EstimationError on empty or non-finite input, a singular design,
// perfect or quasi-perfect separation, or non-convergence.
LogitResult fit_logit(std::span<const double> y, const DesignMatrix& x, const LogitOptions& options = {});

// Throws EstimationError naming the first column (in design order) that is a linear
// combination of the columns before it, if X does not have full column rank.
void check_full_rank(const DesignMatrix& x, const std::string& context);

inline constexpr double Z_975 = 1.959963984540054;

}  // namespace wfsim
