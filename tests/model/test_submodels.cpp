// Unit tests of the sub-models against analytic expectations.
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <map>

#include "wfsim/alias_table.h"
#include "wfsim/experiment.h"
#include "wfsim/learning_model.h"
#include "wfsim/random.h"
#include "wfsim/simulation.h"

using namespace wfsim;

namespace {

Scenario default_scenario() { return make_scenario(default_param_values()); }

// Shares and counts are checked within 4 standard errors: a fixed seed makes the test
// deterministic, and 4 SE leaves a false-alarm chance below 1e-4 for an honest model.
void check_share(double observed, double expected, double n) {
  const double se = std::sqrt(expected * (1 - expected) / n);
  INFO("observed " << observed << " expected " << expected << " se " << se);
  CHECK(std::abs(observed - expected) < 4 * se);
}

}  // namespace

TEST_CASE("Propensity gives the Gamma(shape 2, mean 100) shares of S7", "[learning]") {
  Scenario s = default_scenario();
  s.trend.clear();  // multiplier 1
  const LearningModel m(s);
  const boost::math::gamma_distribution<double> g(2.0, 50.0);
  // Analytic: P(<20) = 0.0616, P(<40) = 0.1912, P(<60) = 0.3374 (under / <40 / <60).
  const StreamKey key(99, 0);
  const int n = 200000;
  int below[3] = {0, 0, 0};
  for (int i = 0; i < n; ++i) {
    CounterStream rs(key, static_cast<std::uint32_t>(i), 0, Purpose::Hire);
    const double h = m.propensity_hours(static_cast<float>(draw_normal(rs)), 2016);
    below[0] += h < 20;
    below[1] += h < 40;
    below[2] += h < 60;
  }
  check_share(below[0] / double(n), boost::math::cdf(g, 20.0), n);
  check_share(below[1] / double(n), boost::math::cdf(g, 40.0), n);
  check_share(below[2] / double(n), boost::math::cdf(g, 60.0), n);
  // Hence S7: >= 40 h about 80%, super (>= 60 h) above 60%.
  CHECK(1 - below[1] / double(n) == Approx(0.81).margin(0.01));
  CHECK(1 - below[2] / double(n) > 0.6);
}

TEST_CASE("Propensity table follows the Gamma quantile function", "[learning]") {
  Scenario s = default_scenario();
  s.trend.clear();
  s.propensity_shape = 0.8;
  const LearningModel m(s);
  const boost::math::normal_distribution<double> nd;
  const boost::math::gamma_distribution<double> g(0.8, 100.0 / 0.8);
  for (double z : {-2.5, -1.0, 0.0, 0.7, 2.0}) {
    // The table interpolates on a grid of 4096 steps over [-6, 6]; 0.5% relative is far above
    // its interpolation error and far below any modelling effect.
    CHECK(m.propensity_hours(static_cast<float>(z), 2016) ==
          Approx(boost::math::quantile(g, boost::math::cdf(nd, z))).epsilon(0.005));
  }
}

TEST_CASE("Alias sampling matches its weights (chi-square)", "[alias]") {
  const std::vector<double> w = {1, 2, 3, 4, 10, 0.5, 0};
  const AliasTable t(w);
  const int n = 1000000;
  std::vector<int> count(w.size(), 0);
  const StreamKey key(5, 0);
  for (int i = 0; i < n / 4; ++i) {
    const Block b = key.block(static_cast<std::uint32_t>(i), 0, Purpose::Catalog);
    for (int j = 0; j < 4; ++j)
      ++count[static_cast<std::size_t>(t.draw(b.words[static_cast<std::size_t>(j)]))];
  }
  CHECK(count[6] == 0);  // zero weight is never drawn
  double sum = 0, chi2 = 0;
  for (double x : w) sum += x;
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    const double e = n * w[i] / sum;
    chi2 += (count[i] - e) * (count[i] - e) / e;
  }
  // 5 degrees of freedom; fail only beyond the 99.9% quantile.
  const double crit = boost::math::quantile(boost::math::chi_squared(5), 0.999);
  INFO("chi2 " << chi2 << " critical " << crit);
  CHECK(chi2 < crit);
}

TEST_CASE("Annual attrition gives the expected yearly exits", "[flows]") {
  Scenario s = default_scenario();
  s.headcount = 20000;
  s.months = 12;
  s.replicates = 1;
  s.catalog_size = 2000;
  const Catalog c = Catalog::generate(s, s.seed);
  Simulation sim(s, c, 0, {}, nullptr);
  sim.run();
  const double exits = sim.series().values[1][2][0];  // yearly exits
  // Holding headcount, each month 20000 people face hazard h = 1 - 0.92^(1/12): 12 * N * h.
  const double h = 1 - std::pow(1 - 0.08, 1.0 / 12);
  const double expected = 12 * 20000 * h;
  INFO("exits " << exits << " expected " << expected);
  CHECK(std::abs(exits - expected) < 4 * std::sqrt(expected * (1 - h)));
  CHECK(sim.series().values[1][0][0] == 20000);  // headcount held
}

TEST_CASE("A logit intercept gives its rate on a large population", "[promotion]") {
  Scenario s = default_scenario();
  s.headcount = 60000;
  s.months = 12;
  s.catalog_size = 2000;
  s.promotion_or_knowledge = s.promotion_or_skill = s.promotion_or_other = 1;
  s.promotion_or_super = s.promotion_or_steady = 1;
  s.promotion_tenure_log_odds_per_year = 0;
  s.promotion_ti_log_odds_per_point = 0;
  for (auto& b : s.bands) b.promotion_log_odds = 0;
  for (auto& r : s.roles) r.promotion_log_odds = 0;
  s.promotion_intercept = std::log(0.077 / (1 - 0.077));
  const Catalog c = Catalog::generate(s, s.seed);
  Simulation sim(s, c, 0, {}, nullptr);
  sim.run();
  const double rate = sim.series().values[1][18][0];  // promotion_rate
  const double eligible = 60000 * (1 - s.bands.back().share);
  check_share(rate, 0.077, eligible);
}

TEST_CASE("Rate alignment hits the target rate whatever the learning effects", "[promotion]") {
  Scenario s = default_scenario();
  s.headcount = 30000;
  s.months = 12;
  s.catalog_size = 2000;
  s.promotion_intercept = -1.0;  // far from the target on purpose
  s.alignment = Alignment::Rate;
  s.promotion_target_rate = 0.05;
  const Catalog c = Catalog::generate(s, s.seed);
  Simulation sim(s, c, 0, {}, nullptr);
  sim.run();
  check_share(sim.series().values[1][18][0], 0.05, 30000 * 0.93);
}

TEST_CASE("Same seed gives identical results for any thread count", "[reproducibility]") {
  Scenario s = default_scenario();
  s.headcount = 800;
  s.months = 24;
  s.replicates = 5;
  s.catalog_size = 3000;
  const Catalog c = Catalog::generate(s, s.seed);
  ExperimentOptions o1;
  o1.threads = 1;
  ExperimentOptions o2;
  o2.threads = 2;
  ExperimentOptions o3;
  o3.threads = 3;
  const RunResults a = run_experiment(s, c, o1);
  const RunResults b = run_experiment(s, c, o2);
  const RunResults d = run_experiment(s, c, o3);
  REQUIRE(a.replicates.size() == 5);
  for (std::size_t r = 0; r < 5; ++r)
    for (int f = 0; f < FREQUENCY_COUNT; ++f) {
      // NaN-aware exact comparison through the bytes.
      const auto& x = a.replicates[r].values[f];
      for (std::size_t m = 0; m < x.size(); ++m) {
        CHECK(std::memcmp(x[m].data(), b.replicates[r].values[f][m].data(), x[m].size() * sizeof(double)) ==
              0);
        CHECK(std::memcmp(x[m].data(), d.replicates[r].values[f][m].data(), x[m].size() * sizeof(double)) ==
              0);
      }
    }
  // Different replicates draw different numbers.
  CHECK(a.replicates[0].values[0][3] != a.replicates[1].values[0][3]);
}

TEST_CASE("Common random numbers: a lever change keeps everyone else's draws", "[reproducibility]") {
  Scenario s = default_scenario();
  s.headcount = 500;
  s.months = 12;
  s.catalog_size = 2000;
  Scenario t = s;
  t.target_hours = 60;
  const Catalog c = Catalog::generate(s, s.seed);
  Simulation a(s, c, 0, {}, nullptr), b(t, c, 0, {}, nullptr);
  // Same people: roles, bands, latent propensities, person effects.
  CHECK(a.population().role == b.population().role);
  CHECK(a.population().band_index == b.population().band_index);
  CHECK(a.population().latent == b.population().latent);
  CHECK(a.population().person_effect_pct == b.population().person_effect_pct);
  a.run();
  b.run();
  // Attrition does not depend on the target: the same people left, the same hires came.
  CHECK(a.population().id == b.population().id);
}

TEST_CASE("Topic interest sends enrolments to the person's favourite topic", "[recommendation]") {
  Scenario s = default_scenario();
  s.headcount = 2000;
  s.months = 24;
  s.catalog_size = 20000;
  s.annual_attrition = 0;  // everyone stays, so each badge's person is still in the population
  s.topic_interest = 1;    // every (non-required) enrolment in the favourite topic
  const Catalog c = Catalog::generate(s, s.seed);
  MemorySink sink;
  Simulation sim(s, c, 0, {false, true}, &sink);
  sim.run();
  const Population& p = sim.population();
  std::map<std::int32_t, int> favourite;
  for (std::size_t i = 0; i < p.slots(); ++i) favourite[p.id[i]] = p.favourite_topic[i];
  REQUIRE(sink.badge_events.size() > 1000);
  std::size_t same = 0;
  for (const auto& e : sink.badge_events) same += e.topic == favourite.at(e.person);
  CHECK(same == sink.badge_events.size());
  // Favourite topics follow the topic weights: Cloud is the most common (S9 weights).
  std::map<int, int> count;
  for (std::size_t i = 0; i < p.slots(); ++i) ++count[p.favourite_topic[i]];
  const int cloud = s.topic_index("Cloud");
  for (const auto& [t, n] : count) CHECK(n <= count[cloud]);
}
