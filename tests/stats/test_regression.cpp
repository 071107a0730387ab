// Tests of include/wfsim/stats/regression.h against closed-form answers and against statsmodels
// (fixtures written by tests/stats/fixtures/make_fixtures.py).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "wfsim/errors.h"
#include "wfsim/stats/regression.h"

using namespace wfsim;

namespace {

// A CSV with a header row; every field is kept as text.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::size_t col(const std::string& name) const {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (header[j] == name) return j;
    FAIL("column " << name << " not in fixture");
    return 0;
  }
  std::vector<double> numbers(const std::string& name) const {
    const std::size_t j = col(name);
    std::vector<double> v;
    for (const auto& r : rows) v.push_back(std::stod(r[j]));
    return v;
  }
  std::vector<std::int64_t> ids(const std::string& name) const {
    const std::size_t j = col(name);
    std::vector<std::int64_t> v;
    for (const auto& r : rows) v.push_back(std::stoll(r[j]));
    return v;
  }
};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, ',')) out.push_back(field);
  return out;
}

Csv read_fixture(const std::string& name) {
  const std::string path = std::string(WFSIM_SOURCE_DIR) + "/tests/stats/fixtures/" + name;
  std::ifstream in(path);
  REQUIRE(in.good());
  Csv csv;
  std::string line;
  std::getline(in, line);
  csv.header = split(line);
  while (std::getline(in, line))
    if (!line.empty()) csv.rows.push_back(split(line));
  return csv;
}

// statsmodels answers: results[model][term] = {value, se}
std::map<std::string, std::map<std::string, std::pair<double, double>>> read_results() {
  const Csv csv = read_fixture("results.csv");
  std::map<std::string, std::map<std::string, std::pair<double, double>>> out;
  for (const auto& r : csv.rows) out[r[0]][r[1]] = {std::stod(r[2]), std::stod(r[3])};
  return out;
}

// Relative tolerances: both sides solve the same normal equations in double precision, so they
// agree to ~1e-10; 1e-6 (coefficients) and 1e-5 (SEs, which go through an inverse and a
// sandwich) leave room for statsmodels' pinv and Newton stopping rule, and still catch any
// wrong convention (a dof factor is off by >= 1e-3 here).
bool close(double a, double b, double rel) { return std::abs(a - b) <= rel * std::max(std::abs(b), 1e-12); }

DesignMatrix fixture_design(const Csv& d, const std::string& category) {
  const auto x1 = d.numbers("x1"), x2 = d.numbers("x2");
  const auto cat = d.ids(category);
  DesignBuilder b(d.rows.size());
  b.intercept().numeric("x1", x1).numeric("x2", x2).categorical(category, cat);
  return b.build();
}

template <class Result>
void compare(const Result& r, const std::map<std::string, std::pair<double, double>>& expected, bool robust) {
  for (const auto& [term, vs] : expected) {
    if (term.front() == '_') continue;
    const int j = r.index(term);
    if (j < 0) continue;  // e.g. LSDV const and person dummies
    INFO(term);
    const Coefficient& c = r.coefficients[static_cast<std::size_t>(j)];
    CHECK(close(c.estimate, vs.first, 1e-6));
    CHECK(close(robust ? c.se : c.se_classical, vs.second, 1e-5));
  }
}

}  // namespace

TEST_CASE("design builder expands categoricals against the smallest level", "[stats][regression]") {
  const std::vector<std::int64_t> band = {7, 6, 8, 8, 6};
  const std::vector<double> t = {1, 2, 3, 4, 5};
  DesignBuilder b(5);
  b.intercept().numeric("t", t).categorical("band", band);
  const DesignMatrix m = b.build();
  REQUIRE(m.names == std::vector<std::string>{"const", "t", "band=7", "band=8"});
  CHECK(m.values(0, 2) == 1.0);
  CHECK(m.values(1, 2) == 0.0);
  CHECK(m.values(2, 3) == 1.0);
  CHECK(m.column("band=8") == 3);
  CHECK(m.column("band=6") == -1);

  DesignBuilder c(5);
  c.categorical("band", band, 8);
  CHECK(c.build().names == std::vector<std::string>{"band=6", "band=7"});
  const std::vector<std::int64_t> levels = {6, 7};
  DesignBuilder d(5);
  d.indicator("low", band, levels);
  CHECK(d.build().values.col(0).sum() == 3.0);
  CHECK_THROWS_AS(DesignBuilder(5).categorical("band", band, 9), EstimationError);
  CHECK_THROWS_AS(DesignBuilder(4).numeric("t", t), EstimationError);
}

TEST_CASE("OLS simple regression matches cov/var and HC1 closed forms", "[stats][regression]") {
  const std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<double> y = {2.1, 3.9, 6.2, 7.8, 10.1, 12.3, 13.8, 16.4};
  const double n = 8;
  double mx = 0, my = 0;
  for (int i = 0; i < 8; ++i) mx += x[i] / n, my += y[i] / n;
  double sxx = 0, sxy = 0;
  for (int i = 0; i < 8; ++i) sxx += (x[i] - mx) * (x[i] - mx), sxy += (x[i] - mx) * (y[i] - my);
  const double slope = sxy / sxx, icpt = my - slope * mx;
  double rss = 0, meat = 0;
  for (int i = 0; i < 8; ++i) {
    const double e = y[i] - icpt - slope * x[i];
    rss += e * e;
    meat += (x[i] - mx) * (x[i] - mx) * e * e;
  }
  DesignBuilder b(8);
  b.intercept().numeric("x", x);
  const DesignMatrix m = b.build();

  const OlsResult r = fit_ols(y, m);
  // closed forms are exact; 1e-10 relative allows for rounding only
  CHECK(r.at("x").estimate == Approx(slope).epsilon(1e-10));
  CHECK(r.at("const").estimate == Approx(icpt).epsilon(1e-10));
  CHECK(r.at("x").se == Approx(std::sqrt(rss / (n - 2) / sxx)).epsilon(1e-10));
  CHECK(r.r_squared == Approx(1 - rss / ((sxy * sxy / sxx) + rss)).epsilon(1e-10));
  CHECK(r.df_resid == 6);
  CHECK_FALSE(r.clustered);

  // one cluster per row: CR1 = G/(G-1)(N-1)/(N-K) * sandwich = N/(N-K) * sandwich = HC1
  const std::vector<std::int64_t> own = {1, 2, 3, 4, 5, 6, 7, 8};
  OlsOptions o;
  o.clusters = own;
  const OlsResult rc = fit_ols(y, m, o);
  CHECK(rc.clustered);
  CHECK(rc.clusters == 8);
  CHECK(rc.at("x").se == Approx(std::sqrt(n / (n - 2) * meat / (sxx * sxx))).epsilon(1e-10));
  CHECK(rc.at("x").se_classical == Approx(r.at("x").se).epsilon(1e-12));
  // t-based CI with G-1 = 7 degrees of freedom (t_0.975,7 = 2.364624)
  CHECK((rc.at("x").ci95_high - rc.at("x").estimate) / rc.at("x").se == Approx(2.364624).epsilon(1e-6));
}

TEST_CASE("logit on a 2x2 table gives log odds and log odds ratio", "[stats][regression]") {
  // x=0: 30 ones, 70 zeros; x=1: 45 ones, 55 zeros
  std::vector<double> x, y;
  auto add = [&](double xv, double yv, int count) {
    for (int i = 0; i < count; ++i) x.push_back(xv), y.push_back(yv);
  };
  add(0, 1, 30);
  add(0, 0, 70);
  add(1, 1, 45);
  add(1, 0, 55);
  DesignBuilder b(x.size());
  b.intercept().numeric("x", x);
  const LogitResult r = fit_logit(y, b.build());
  CHECK(r.converged);
  // MLE of a saturated model: exact cell log odds; Newton converges to ~1e-12
  CHECK(r.at("const").estimate == Approx(std::log(30.0 / 70.0)).epsilon(1e-9));
  CHECK(r.at("x").estimate == Approx(std::log((45.0 / 55.0) / (30.0 / 70.0))).epsilon(1e-9));
  CHECK(r.at("x").se == Approx(std::sqrt(1 / 30.0 + 1 / 70.0 + 1 / 45.0 + 1 / 55.0)).epsilon(1e-9));
  CHECK(r.at("const").se == Approx(std::sqrt(1 / 30.0 + 1 / 70.0)).epsilon(1e-9));
  CHECK(r.odds_ratio("x") == Approx((45.0 / 55.0) / (30.0 / 70.0)).epsilon(1e-9));
  CHECK(r.odds_ratio_ci95_low("x") ==
        Approx(std::exp(r.at("x").estimate - 1.959964 * r.at("x").se)).epsilon(1e-6));
  const double ll = 30 * std::log(0.3) + 70 * std::log(0.7) + 45 * std::log(0.45) + 55 * std::log(0.55);
  CHECK(r.log_likelihood == Approx(ll).epsilon(1e-10));
  CHECK(r.log_likelihood_null == Approx(75 * std::log(0.375) + 125 * std::log(0.625)).epsilon(1e-10));
}

TEST_CASE("OLS matches statsmodels, classical and clustered", "[stats][regression][statsmodels]") {
  const auto expected = read_results();
  const Csv d = read_fixture("ols.csv");
  const auto y = d.numbers("y");
  const auto cl = d.ids("cluster");
  const DesignMatrix m = fixture_design(d, "band");
  const OlsResult r = fit_ols(y, m);
  compare(r, expected.at("ols_nonrobust"), false);
  CHECK(close(r.r_squared, expected.at("ols_nonrobust").at("_r2").first, 1e-8));
  OlsOptions o;
  o.clusters = cl;
  const OlsResult rc = fit_ols(y, m, o);
  compare(rc, expected.at("ols_cluster"), true);
  CHECK(rc.clusters == 40);
}

TEST_CASE("OLS with person fixed effects matches statsmodels dummy-variable OLS",
          "[stats][regression][statsmodels]") {
  const auto expected = read_results();
  const Csv d = read_fixture("fe.csv");
  const auto y = d.numbers("y"), x1 = d.numbers("x1"), x2 = d.numbers("x2");
  const auto period = d.ids("period"), person = d.ids("person");
  DesignBuilder b(y.size());
  b.intercept().numeric("x1", x1).numeric("x2", x2).categorical("period", period);
  OlsOptions o;
  o.fixed_effects = person;
  o.clusters = person;
  const OlsResult r = fit_ols(y, b.build(), o);
  REQUIRE(r.fixed_effects);
  CHECK(r.dropped == std::vector<std::string>{"const"});
  CHECK(r.groups == 60);
  CHECK(r.k == 7);
  CHECK(r.df_resid == r.n - r.k - r.groups);
  // Slopes (Frisch-Waugh-Lovell) and classical SEs (df N-K-G) equal the dummy-variable fit.
  for (const auto& [term, vs] : expected.at("fe_lsdv_nonrobust")) {
    const int j = r.index(term);
    if (j < 0) continue;
    INFO(term);
    CHECK(close(r.coefficients[static_cast<std::size_t>(j)].estimate, vs.first, 1e-6));
    CHECK(close(r.coefficients[static_cast<std::size_t>(j)].se_classical, vs.second, 1e-5));
  }
  // Clustered: same sandwich (person-dummy scores sum to zero within each person), but the
  // dummy-variable fit counts the G person effects in K (areg); we follow xtreg, fe (effects
  // nested in clusters, K = slopes), so se_ours = se_lsdv * sqrt((N - K - G) / (N - K)).
  const double n = static_cast<double>(r.n), k = r.k, g = static_cast<double>(r.groups);
  const double dof = std::sqrt((n - k - g) / (n - k));
  for (const auto& [term, vs] : expected.at("fe_lsdv_cluster")) {
    const int j = r.index(term);
    if (j < 0) continue;
    INFO(term);
    CHECK(close(r.coefficients[static_cast<std::size_t>(j)].se, vs.second * dof, 1e-5));
  }
}

TEST_CASE("logit matches statsmodels, classical and clustered", "[stats][regression][statsmodels]") {
  const auto expected = read_results();
  const Csv d = read_fixture("logit.csv");
  const auto y = d.numbers("y");
  const auto cl = d.ids("cluster");
  const DesignMatrix m = fixture_design(d, "band");
  const LogitResult r = fit_logit(y, m);
  compare(r, expected.at("logit_nonrobust"), false);
  CHECK(close(r.log_likelihood, expected.at("logit_nonrobust").at("_llf").first, 1e-10));
  LogitOptions o;
  o.clusters = cl;
  const LogitResult rc = fit_logit(y, m, o);
  compare(rc, expected.at("logit_cluster"), true);
  CHECK(rc.clusters == 60);
  CHECK(rc.converged);
  CHECK(rc.iterations < 20);
}

TEST_CASE("estimators reject bad samples with clear messages", "[stats][regression][errors]") {
  using Catch::Matchers::Contains;
  const std::vector<double> none;
  CHECK_THROWS_WITH(fit_ols(none, DesignBuilder(0).intercept().build()), Contains("empty sample"));
  CHECK_THROWS_WITH(fit_logit(none, DesignBuilder(0).intercept().build()), Contains("empty sample"));

  const std::vector<double> x = {1, 2, 3, 4, 5, 6};
  const std::vector<double> y = {1, 3, 2, 5, 4, 6};
  {  // more columns than rows
    const std::vector<double> x2 = {1, 4, 9}, y3 = {1, 2, 3}, x3 = {0, 1, 0};
    DesignBuilder b(3);
    b.intercept().numeric("x", std::span<const double>(x.data(), 3)).numeric("x2", x2).numeric("x3", x3);
    CHECK_THROWS_WITH(fit_ols(y3, b.build()), Contains("need more rows"));
  }
  {  // duplicate column: named
    DesignBuilder b(6);
    b.intercept().numeric("x", x).numeric("x_copy", x);
    CHECK_THROWS_WITH(fit_ols(y, b.build()), Contains("'x_copy'") && Contains("singular"));
  }
  {  // full set of dummies plus an intercept
    const std::vector<double> d0 = {1, 1, 1, 0, 0, 0}, d1 = {0, 0, 0, 1, 1, 1};
    DesignBuilder b(6);
    b.intercept().numeric("d0", d0).numeric("d1", d1);
    CHECK_THROWS_WITH(fit_ols(y, b.build()), Contains("'d1'") && Contains("'const'"));
  }
  {  // non-finite input
    std::vector<double> bad = x;
    bad[2] = std::nan("");
    DesignBuilder b(6);
    b.intercept().numeric("x", bad);
    CHECK_THROWS_WITH(fit_ols(y, b.build()), Contains("non-finite") && Contains("'x'"));
  }
  {  // perfect separation by a continuous covariate
    const std::vector<double> yb = {0, 0, 0, 1, 1, 1};
    DesignBuilder b(6);
    b.intercept().numeric("x", x);
    CHECK_THROWS_WITH(fit_logit(yb, b.build()), Contains("separation"));
  }
  {  // quasi-complete separation by a dummy: named
    const std::vector<double> yb = {0, 1, 0, 1, 1, 1};
    const std::vector<double> d = {0, 0, 0, 1, 1, 1};
    DesignBuilder b(6);
    b.intercept().numeric("x", x).numeric("super", d);
    CHECK_THROWS_WITH(fit_logit(yb, b.build()), Contains("separation") && Contains("'super'"));
  }
  {  // quasi-complete separation not detectable per column (overlap at one point only)
    const std::vector<double> xs = {1, 2, 3, 3, 4, 5, 6, 7};
    const std::vector<double> yb = {0, 0, 0, 1, 1, 1, 1, 1};
    DesignBuilder b(8);
    b.intercept().numeric("x", xs);
    CHECK_THROWS_WITH(fit_logit(yb, b.build()), Contains("separation"));
  }
  {  // outcome not 0/1, outcome without variation
    const std::vector<double> y2 = {0, 2, 0, 1, 1, 0};
    const std::vector<double> y0 = {0, 0, 0, 0, 0, 0};
    DesignBuilder b(6);
    b.intercept().numeric("x", x);
    CHECK_THROWS_WITH(fit_logit(y2, b.build()), Contains("0 or 1"));
    CHECK_THROWS_WITH(fit_logit(y0, b.build()), Contains("no variation"));
  }
  {  // fixed effects absorb everything
    const std::vector<std::int64_t> person = {1, 1, 1, 2, 2, 2};
    const std::vector<double> trait = {3, 3, 3, 5, 5, 5};
    DesignBuilder b(6);
    b.intercept().numeric("trait", trait);
    OlsOptions o;
    o.fixed_effects = person;
    CHECK_THROWS_WITH(fit_ols(y, b.build(), o), Contains("constant within groups"));
  }
}
