#include "wfsim/stats/regression.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "wfsim/errors.h"
#include "wfsim/stats/summary.h"

namespace wfsim {

namespace {

// Estimates, reported and classical standard errors, and CIs estimate +- crit x se.
std::vector<Coefficient> coefficient_table(const std::vector<std::string>& names, const Eigen::VectorXd& b,
                                           const Eigen::MatrixXd& cov, const Eigen::MatrixXd& cov_classical,
                                           double crit) {
  std::vector<Coefficient> out;
  for (Eigen::Index j = 0; j < b.size(); ++j) {
    Coefficient c;
    c.name = names[static_cast<std::size_t>(j)];
    c.estimate = b(j);
    c.se_classical = std::sqrt(cov_classical(j, j));
    c.se = std::sqrt(cov(j, j));
    c.ci95_low = c.estimate - crit * c.se;
    c.ci95_high = c.estimate + crit * c.se;
    out.push_back(c);
  }
  return out;
}

std::string fmt_num(double v) {
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

// Maps arbitrary ids to dense indices 0..G-1 in order of first appearance.
std::vector<Eigen::Index> dense_ids(std::span<const std::int64_t> ids, Eigen::Index& count) {
  std::unordered_map<std::int64_t, Eigen::Index> index;
  index.reserve(ids.size());
  std::vector<Eigen::Index> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto [it, inserted] = index.emplace(ids[i], static_cast<Eigen::Index>(index.size()));
    out[i] = it->second;
  }
  count = static_cast<Eigen::Index>(index.size());
  return out;
}

void check_inputs(std::span<const double> y, const DesignMatrix& x, const std::string& context) {
  if (x.names.size() != static_cast<std::size_t>(x.cols()))
    throw EstimationError(context + ": design has " + std::to_string(x.cols()) + " columns but " +
                          std::to_string(x.names.size()) + " names");
  if (y.empty() || x.rows() == 0)
    throw EstimationError(context + ": empty sample (no rows); check the filters that selected the data");
  if (static_cast<Eigen::Index>(y.size()) != x.rows())
    throw EstimationError(context + ": outcome has " + std::to_string(y.size()) + " rows but design has " +
                          std::to_string(x.rows()));
  if (x.cols() == 0) throw EstimationError(context + ": design has no columns");
  for (std::size_t i = 0; i < y.size(); ++i)
    if (!std::isfinite(y[i]))
      throw EstimationError(context + ": non-finite outcome at row " + std::to_string(i) +
                            "; drop or impute missing values first");
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (!std::isfinite(x.values(i, j)))
        throw EstimationError(context + ": non-finite value in column '" + x.names[j] + "' at row " +
                              std::to_string(i) + "; drop or impute missing values first");
}

void check_rows_exceed_cols(Eigen::Index n, Eigen::Index k, const std::string& context) {
  if (n <= k)
    throw EstimationError(context + ": " + std::to_string(n) + " observations for " + std::to_string(k) +
                          " coefficients; need more rows than columns (drop controls or add data)");
}

// (X'X)^{-1} from a full-rank pivoted QR of X: X P = Q R  =>  (X'X)^{-1} = P (R'R)^{-1} P'.
Eigen::MatrixXd xtx_inverse(const Eigen::ColPivHouseholderQR<Eigen::MatrixXd>& qr, Eigen::Index k) {
  Eigen::MatrixXd r = qr.matrixR().topLeftCorner(k, k).triangularView<Eigen::Upper>();
  Eigen::MatrixXd rinv = r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(k, k));
  Eigen::MatrixXd inner = rinv * rinv.transpose();
  const auto& perm = qr.colsPermutation();
  return perm * inner * perm.transpose();
}

// Sum over clusters of (sum_i s_i)(sum_i s_i)' for score rows s_i = scores.row(i).
Eigen::MatrixXd cluster_meat(const Eigen::MatrixXd& scores, const std::vector<Eigen::Index>& cluster,
                             Eigen::Index groups) {
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(scores.cols(), groups);
  for (Eigen::Index i = 0; i < scores.rows(); ++i) sums.col(cluster[i]) += scores.row(i).transpose();
  return sums * sums.transpose();
}

// Cluster-robust sandwich bread * meat * bread with the CR1 small-sample factor
// G/(G-1) * (N-1)/(N-K) (Stata; statsmodels' default use_correction=True, for OLS and logit).
// `k` is the number of estimated slopes (with fixed effects nested in clusters: the slopes only,
// as Stata xtreg, fe; see ESTIMATORS.md). Sets `groups` to the number of clusters.
Eigen::MatrixXd clustered_cov(const Eigen::MatrixXd& scores, std::span<const std::int64_t> clusters,
                              const Eigen::MatrixXd& bread, Eigen::Index n, Eigen::Index k,
                              const std::string& ctx, Eigen::Index& groups) {
  groups = 0;
  const auto cl = dense_ids(clusters, groups);
  if (groups < 2) throw EstimationError(ctx + ": cluster-robust SEs need at least 2 clusters");
  const Eigen::MatrixXd meat = cluster_meat(scores, cl, groups);
  const double gd = static_cast<double>(groups), nd = static_cast<double>(n), kd = static_cast<double>(k);
  const double factor = gd / (gd - 1.0) * (nd - 1.0) / (nd - kd);
  return factor * bread * meat * bread;
}

template <class Result>
int find_index(const Result& r, const std::string& name) {
  for (std::size_t j = 0; j < r.coefficients.size(); ++j)
    if (r.coefficients[j].name == name) return static_cast<int>(j);
  return -1;
}

template <class Result>
const Coefficient& find_coefficient(const Result& r, const std::string& name) {
  const int j = find_index(r, name);
  if (j < 0) throw EstimationError("no coefficient named '" + name + "' in the fitted model");
  return r.coefficients[static_cast<std::size_t>(j)];
}

bool is_constant_nonzero(const Eigen::VectorXd& col) {
  return col.size() > 0 && col(0) != 0 && (col.array() == col(0)).all();
}

}  // namespace

// ---- DesignMatrix / DesignBuilder ---------------------------------------------------

int DesignMatrix::column(const std::string& name) const {
  for (std::size_t j = 0; j < names.size(); ++j)
    if (names[j] == name) return static_cast<int>(j);
  return -1;
}

DesignBuilder::DesignBuilder(std::size_t rows) : rows_(rows) {}

void DesignBuilder::add(const std::string& name, std::vector<double> column) {
  if (std::find(names_.begin(), names_.end(), name) != names_.end())
    throw EstimationError("design: duplicate column name '" + name + "'");
  names_.push_back(name);
  columns_.push_back(std::move(column));
}

DesignBuilder& DesignBuilder::intercept(const std::string& name) {
  add(name, std::vector<double>(rows_, 1.0));
  return *this;
}

DesignBuilder& DesignBuilder::numeric(const std::string& name, std::span<const double> values) {
  if (values.size() != rows_)
    throw EstimationError("design: column '" + name + "' has " + std::to_string(values.size()) +
                          " rows, expected " + std::to_string(rows_));
  add(name, std::vector<double>(values.begin(), values.end()));
  return *this;
}

DesignBuilder& DesignBuilder::categorical(const std::string& name, std::span<const std::int64_t> codes) {
  if (codes.empty()) {
    if (rows_ != 0) throw EstimationError("design: categorical '" + name + "' has no rows");
    return *this;
  }
  return categorical(name, codes, *std::min_element(codes.begin(), codes.end()));
}

DesignBuilder& DesignBuilder::categorical(const std::string& name, std::span<const std::int64_t> codes,
                                          std::int64_t reference) {
  if (codes.size() != rows_)
    throw EstimationError("design: categorical '" + name + "' has " + std::to_string(codes.size()) +
                          " rows, expected " + std::to_string(rows_));
  std::set<std::int64_t> levels(codes.begin(), codes.end());
  if (!levels.empty() && !levels.count(reference))
    throw EstimationError("design: reference level " + std::to_string(reference) + " of '" + name +
                          "' does not occur in the data");
  for (std::int64_t level : levels) {
    if (level == reference) continue;
    std::vector<double> col(rows_);
    for (std::size_t i = 0; i < rows_; ++i) col[i] = codes[i] == level ? 1.0 : 0.0;
    add(name + "=" + std::to_string(level), std::move(col));
  }
  return *this;
}

DesignBuilder& DesignBuilder::indicator(const std::string& name, std::span<const std::int64_t> codes,
                                        std::span<const std::int64_t> levels) {
  if (codes.size() != rows_)
    throw EstimationError("design: indicator '" + name + "' has " + std::to_string(codes.size()) +
                          " rows, expected " + std::to_string(rows_));
  std::vector<double> col(rows_);
  for (std::size_t i = 0; i < rows_; ++i)
    col[i] = std::find(levels.begin(), levels.end(), codes[i]) != levels.end() ? 1.0 : 0.0;
  add(name, std::move(col));
  return *this;
}

DesignMatrix DesignBuilder::build() const {
  DesignMatrix m;
  m.names = names_;
  m.values.resize(static_cast<Eigen::Index>(rows_), static_cast<Eigen::Index>(columns_.size()));
  for (std::size_t j = 0; j < columns_.size(); ++j)
    for (std::size_t i = 0; i < rows_; ++i)
      m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = columns_[j][i];
  return m;
}

// ---- rank check ---------------------------------------------------------------------

void check_full_rank(const DesignMatrix& x, const std::string& context) {
  const Eigen::Index k = x.cols();
  Eigen::MatrixXd scaled = x.values;
  for (Eigen::Index j = 0; j < k; ++j) {
    const double norm = scaled.col(j).norm();
    if (norm == 0)
      throw EstimationError(context + ": column '" + x.names[j] +
                            "' is all zero (a level or variable with no observations); drop it");
    scaled.col(j) /= norm;
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(scaled);
  qr.setThreshold(1e-10);
  if (qr.rank() == k) return;
  // Name the first column (in design order) lying in the span of the columns before it.
  for (Eigen::Index j = 1; j < k; ++j) {
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> prefix(scaled.leftCols(j + 1));
    prefix.setThreshold(1e-10);
    if (prefix.rank() <= j) {
      // which earlier columns does it combine? report those with sizeable weights
      Eigen::VectorXd w = scaled.leftCols(j).colPivHouseholderQr().solve(scaled.col(j));
      std::string with;
      for (Eigen::Index m = 0; m < j; ++m)
        if (std::abs(w(m)) > 1e-6) with += (with.empty() ? "'" : ", '") + x.names[m] + "'";
      throw EstimationError(context + ": singular design: column '" + x.names[j] +
                            "' is (nearly) a linear combination of " +
                            (with.empty() ? "earlier columns" : with) +
                            "; drop one of them (e.g. a duplicate column, a full set of dummies with an "
                            "intercept, or a control collinear with the fixed effects)");
    }
  }
  throw EstimationError(context + ": singular design (rank " + std::to_string(qr.rank()) + " < " +
                        std::to_string(k) + " columns)");
}

// ---- OLS ------------------------------------------------------------------------------

int OlsResult::index(const std::string& name) const { return find_index(*this, name); }
const Coefficient& OlsResult::at(const std::string& name) const { return find_coefficient(*this, name); }

OlsResult fit_ols(std::span<const double> y_in, const DesignMatrix& x_in, const OlsOptions& options) {
  const std::string ctx = "OLS";
  check_inputs(y_in, x_in, ctx);
  const Eigen::Index n = x_in.rows();
  if (!options.clusters.empty() && static_cast<Eigen::Index>(options.clusters.size()) != n)
    throw EstimationError(ctx + ": " + std::to_string(options.clusters.size()) + " cluster ids for " +
                          std::to_string(n) + " rows");
  if (!options.fixed_effects.empty() && static_cast<Eigen::Index>(options.fixed_effects.size()) != n)
    throw EstimationError(ctx + ": " + std::to_string(options.fixed_effects.size()) +
                          " fixed-effect ids for " + std::to_string(n) + " rows");

  OlsResult res;
  Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(y_in.data(), n);
  DesignMatrix x;
  Eigen::Index groups = 0;
  if (!options.fixed_effects.empty()) {
    res.fixed_effects = true;
    const auto g = dense_ids(options.fixed_effects, groups);
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(groups);
    for (Eigen::Index i = 0; i < n; ++i) counts(g[i]) += 1;
    auto demean = [&](Eigen::Ref<Eigen::VectorXd> v) {
      Eigen::VectorXd sums = Eigen::VectorXd::Zero(groups);
      for (Eigen::Index i = 0; i < n; ++i) sums(g[i]) += v(i);
      for (Eigen::Index i = 0; i < n; ++i) v(i) -= sums(g[i]) / counts(g[i]);
    };
    demean(y);
    std::vector<Eigen::Index> keep;
    Eigen::MatrixXd xd = x_in.values;
    for (Eigen::Index j = 0; j < xd.cols(); ++j) {
      const double before = xd.col(j).norm();
      demean(xd.col(j));
      // constant within every group (time-invariant, or the intercept): absorbed by the effects
      if (xd.col(j).norm() <= 1e-10 * std::max(before, 1e-300)) {
        res.dropped.push_back(x_in.names[j]);
      } else {
        keep.push_back(j);
      }
    }
    x.values.resize(n, static_cast<Eigen::Index>(keep.size()));
    for (std::size_t c = 0; c < keep.size(); ++c) {
      x.values.col(static_cast<Eigen::Index>(c)) = xd.col(keep[c]);
      x.names.push_back(x_in.names[keep[c]]);
    }
    if (keep.empty())
      throw EstimationError(ctx +
                            ": with fixed effects every column is constant within groups; nothing to "
                            "estimate");
    res.groups = groups;
  } else {
    x = x_in;
  }
  const Eigen::Index k = x.cols();
  const Eigen::Index df = n - k - groups;
  if (df <= 0)
    throw EstimationError(ctx + ": " + std::to_string(n) + " observations for " + std::to_string(k) +
                          " coefficients" +
                          (groups ? " and " + std::to_string(groups) + " fixed effects" : "") +
                          "; need more rows than parameters");
  check_full_rank(x, ctx);

  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x.values);
  const Eigen::VectorXd b = qr.solve(y);
  const Eigen::MatrixXd xtx_inv = xtx_inverse(qr, k);
  const Eigen::VectorXd resid = y - x.values * b;
  const double rss = resid.squaredNorm();
  const double sigma2 = rss / static_cast<double>(df);
  res.cov_classical = sigma2 * xtx_inv;
  double tss = 0;
  bool has_const = false;
  for (Eigen::Index j = 0; j < k && !res.fixed_effects; ++j)
    has_const = has_const || is_constant_nonzero(x.values.col(j));
  if (res.fixed_effects || has_const) {
    tss = (y.array() - y.mean()).square().sum();  // demeaned y has mean 0 under fixed effects
  } else {
    tss = y.squaredNorm();
  }
  res.r_squared = tss > 0 ? 1.0 - rss / tss : 0.0;
  res.n = n;
  res.k = static_cast<int>(k);
  res.df_resid = df;
  res.sigma = std::sqrt(sigma2);

  double crit = t_quantile_975(static_cast<int>(std::min<Eigen::Index>(df, 1 << 30)));
  res.cov = res.cov_classical;
  if (!options.clusters.empty()) {
    Eigen::Index g_count = 0;
    const Eigen::MatrixXd scores = x.values.array().colwise() * resid.array();
    res.cov = clustered_cov(scores, options.clusters, xtx_inv, n, k, ctx, g_count);
    res.clustered = true;
    res.clusters = g_count;
    crit = t_quantile_975(static_cast<int>(g_count - 1));
  }
  res.coefficients = coefficient_table(x.names, b, res.cov, res.cov_classical, crit);
  return res;
}

// ---- logit ----------------------------------------------------------------------------

int LogitResult::index(const std::string& name) const { return find_index(*this, name); }
const Coefficient& LogitResult::at(const std::string& name) const { return find_coefficient(*this, name); }
double LogitResult::odds_ratio(const std::string& name) const { return std::exp(at(name).estimate); }
double LogitResult::odds_ratio_ci95_low(const std::string& name) const { return std::exp(at(name).ci95_low); }
double LogitResult::odds_ratio_ci95_high(const std::string& name) const {
  return std::exp(at(name).ci95_high);
}

namespace {

// log(1 + exp(t)) without overflow
double softplus(double t) { return t > 0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t)); }

double logit_loglik(const Eigen::VectorXd& y, const Eigen::VectorXd& eta) {
  double ll = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) ll += y(i) * eta(i) - softplus(eta(i));
  return ll;
}

Eigen::VectorXd logistic(const Eigen::VectorXd& eta) {
  Eigen::VectorXd p(eta.size());
  for (Eigen::Index i = 0; i < eta.size(); ++i)
    p(i) = eta(i) >= 0 ? 1.0 / (1.0 + std::exp(-eta(i))) : std::exp(eta(i)) / (1.0 + std::exp(eta(i)));
  return p;
}

}  // namespace

LogitResult fit_logit(std::span<const double> y_in, const DesignMatrix& x, const LogitOptions& options) {
  const std::string ctx = "logit";
  check_inputs(y_in, x, ctx);
  const Eigen::Index n = x.rows(), k = x.cols();
  for (std::size_t i = 0; i < y_in.size(); ++i)
    if (y_in[i] != 0.0 && y_in[i] != 1.0)
      throw EstimationError(ctx + ": outcome must be 0 or 1, found " + fmt_num(y_in[i]) + " at row " +
                            std::to_string(i));
  if (!options.clusters.empty() && static_cast<Eigen::Index>(options.clusters.size()) != n)
    throw EstimationError(ctx + ": " + std::to_string(options.clusters.size()) + " cluster ids for " +
                          std::to_string(n) + " rows");
  check_rows_exceed_cols(n, k, ctx);
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(y_in.data(), n);
  const double ybar = y.mean();
  if (ybar == 0.0 || ybar == 1.0)
    throw EstimationError(ctx + ": the outcome has no variation (all " + std::string(ybar == 0 ? "0" : "1") +
                          "); the model cannot be estimated");
  check_full_rank(x, ctx);

  // Quasi-complete separation by a 0/1 column: among its 1-rows the outcome never varies, so
  // the likelihood keeps rising as that coefficient goes to +/- infinity.
  for (Eigen::Index j = 0; j < k; ++j) {
    const auto col = x.values.col(j);
    if (!((col.array() == 0.0) || (col.array() == 1.0)).all() || (col.array() == 1.0).all()) continue;
    double ones = 0, y_sum = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      if (col(i) == 1.0) {
        ones += 1;
        y_sum += y(i);
      }
    if (ones > 0 && (y_sum == 0 || y_sum == ones))
      throw EstimationError(ctx + ": quasi-complete separation: every row with '" + x.names[j] +
                            "' = 1 has outcome " + (y_sum == 0 ? "0" : "1") +
                            ", so its coefficient is infinite; drop or merge that category");
  }

  LogitResult res;
  res.n = n;
  res.k = static_cast<int>(k);
  res.log_likelihood_null =
      static_cast<double>(n) * (ybar * std::log(ybar) + (1 - ybar) * std::log(1 - ybar));
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  Eigen::VectorXd eta = Eigen::VectorXd::Zero(n);
  double ll = logit_loglik(y, eta);
  Eigen::MatrixXd hessian(k, k);
  Eigen::VectorXd step = Eigen::VectorXd::Zero(k);
  for (int it = 1; it <= options.max_iterations; ++it) {
    const Eigen::VectorXd p = logistic(eta);
    const Eigen::VectorXd w = (p.array() * (1.0 - p.array())).matrix();
    const Eigen::VectorXd grad = x.values.transpose() * (y - p);
    hessian = x.values.transpose() * (x.values.array().colwise() * w.array()).matrix();
    Eigen::LDLT<Eigen::MatrixXd> ldlt(hessian);
    step = ldlt.solve(grad);
    if (ldlt.info() != Eigen::Success || !step.allFinite())
      throw EstimationError(ctx + ": the information matrix became singular at iteration " +
                            std::to_string(it) + "; fitted probabilities hit 0 or 1 (perfect separation)");
    // step halving keeps the likelihood from falling
    double scale = 1.0;
    Eigen::VectorXd b_new = b + step;
    Eigen::VectorXd eta_new = x.values * b_new;
    double ll_new = logit_loglik(y, eta_new);
    int halvings = 0;
    for (; halvings < 40 && !(ll_new >= ll - 1e-12 * std::abs(ll)); ++halvings) {
      scale *= 0.5;
      b_new = b + scale * step;
      eta_new = x.values * b_new;
      ll_new = logit_loglik(y, eta_new);
    }
    if (halvings == 40) {
      // no step raises the likelihood: at the optimum only if the score is numerically zero
      const double score = grad.cwiseAbs().maxCoeff() / static_cast<double>(n);
      if (score < 1e-8) {
        res.converged = true;
        res.iterations = it;
        break;
      }
      throw EstimationError(ctx + ": line search failed at iteration " + std::to_string(it) + " with score " +
                            fmt_num(score) +
                            " per row; the likelihood is numerically "
                            "flat (quasi-complete separation or extreme covariate scales)");
    }
    res.max_step = (scale * step).cwiseAbs().maxCoeff();
    double rel = 0;
    for (Eigen::Index j = 0; j < k; ++j)
      rel = std::max(rel, std::abs(scale * step(j)) / (1.0 + std::abs(b_new(j))));
    b = b_new;
    eta = eta_new;
    ll = ll_new;
    res.iterations = it;
    if (ll > -1e-9)
      throw EstimationError(ctx +
                            ": perfect separation: the covariates predict the outcome exactly "
                            "(log-likelihood -> 0); the coefficients are infinite");
    if (rel < options.tolerance) {
      res.converged = true;
      break;
    }
  }
  if (!res.converged) {
    Eigen::Index worst = 0;
    step.cwiseAbs().maxCoeff(&worst);
    throw EstimationError(ctx + ": no convergence after " + std::to_string(res.iterations) +
                          " Newton iterations (last step " + fmt_num(res.max_step) + "); coefficient of '" +
                          x.names[worst] + "' keeps moving (now " + fmt_num(b(worst)) +
                          "): likely quasi-complete separation; drop or merge that variable");
  }
  Eigen::Index extreme = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    if (std::abs(eta(i)) > 30) ++extreme;
  if (extreme > 0)
    throw EstimationError(ctx + ": quasi-complete separation: " + std::to_string(extreme) +
                          " fitted probabilities are numerically 0 or 1 (|linear predictor| > 30)");

  // covariance at the solution
  const Eigen::VectorXd p = logistic(eta);
  const Eigen::VectorXd w = (p.array() * (1.0 - p.array())).matrix();
  hessian = x.values.transpose() * (x.values.array().colwise() * w.array()).matrix();
  const Eigen::MatrixXd hinv = hessian.ldlt().solve(Eigen::MatrixXd::Identity(k, k));
  res.cov_classical = hinv;
  res.cov = hinv;
  res.log_likelihood = ll;
  res.pseudo_r_squared = 1.0 - ll / res.log_likelihood_null;
  if (!options.clusters.empty()) {
    Eigen::Index g_count = 0;
    const Eigen::MatrixXd scores = x.values.array().colwise() * (y - p).array();
    res.cov = clustered_cov(scores, options.clusters, hinv, n, k, ctx, g_count);
    res.clustered = true;
    res.clusters = g_count;
  }
  res.coefficients = coefficient_table(x.names, b, res.cov, res.cov_classical, Z_975);
  return res;
}

}  // namespace wfsim
