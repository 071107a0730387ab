// Tests of include/wfsim/stats/study_estimators.h: recovery of known generative coefficients
// from a panel simulated here (no confounding), and graceful failure.
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "wfsim/stats/study_estimators.h"

using namespace wfsim;

namespace {

// Generative truth. TI: points per badge held at the start of the half, by type; the strategic
// flag is drawn independently of the type and has no effect of its own, so the total-badge,
// strategic and non-strategic slopes all equal the mix-weighted mean effect.
constexpr double TI_KNOWLEDGE = 0.7, TI_SKILL = 1.4, TI_OTHER = 0.5;
constexpr double P_KNOWLEDGE = 0.55, P_SKILL = 0.30;  // other: 0.15
constexpr double TI_MEAN_EFFECT = P_KNOWLEDGE * TI_KNOWLEDGE + P_SKILL * TI_SKILL + 0.15 * TI_OTHER;
// Promotion (log odds): per badge earned in the year, by type; learner categories (separate panel).
constexpr double LO_KNOWLEDGE = 0.06, LO_SKILL = 0.15, LO_OTHER = 0.03;
constexpr double LO_SUPER = 0.5, LO_STEADY = 0.25;

struct Panel {
  std::vector<PersonHalfRow> halves;
  std::vector<PersonYearRow> years;
};

// 3000 people over 2015-2019 (10 halves); bands 6-9 fixed per person (band 9 is the top band,
// so its promotion outcome is unobserved); person effects independent of learning.
// promotion_by_category: the outcome depends on the learner category instead of badges.
Panel simulate(bool promotion_by_category, unsigned seed) {
  boost::random::mt19937 rng(seed);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> unif;
  boost::random::poisson_distribution<int> badges_per_half(1.0);
  boost::random::gamma_distribution<double> hours_dist(2.0, 50.0);
  Panel p;
  const int persons = 3000;
  const double band_ti[] = {0, 2, 4, 6}, role_ti[] = {0, -1.5, 3}, band_lo[] = {0, -0.3, -0.6, 0};
  for (int i = 0; i < persons; ++i) {
    const int band = boost::random::uniform_int_distribution<int>(6, 9)(rng);
    const int role = boost::random::uniform_int_distribution<int>(0, 2)(rng);
    int tenure = boost::random::uniform_int_distribution<int>(12, 240)(rng);
    const double alpha = 8.0 * normal(rng);
    int k = 0, s = 0, o = 0, strat = 0;
    for (int year = 2015; year <= 2019; ++year) {
      int ky = 0, sy = 0, oy = 0, sty = 0;
      double ti_sum = 0, hours = 0;
      for (int h = 1; h <= 2; ++h) {
        const int half = year * 10 + h;
        const double ti = 100 + TI_KNOWLEDGE * k + TI_SKILL * s + TI_OTHER * o + band_ti[band - 6] +
                          role_ti[role] + 0.3 * tenure / 12.0 + 0.8 * (half % 10) + 0.5 * (year - 2015) +
                          alpha + 10.0 * normal(rng);
        const double half_hours = 0.5 * hours_dist(rng);
        p.halves.push_back({0, i, half, role, band, tenure, half_hours, k, s, o, strat, ti});
        ti_sum += ti;
        hours += half_hours;
        const int earned = badges_per_half(rng);
        for (int b = 0; b < earned; ++b) {
          const double u = unif(rng);
          if (u < P_KNOWLEDGE) {
            ++k, ++ky;
          } else if (u < P_KNOWLEDGE + P_SKILL) {
            ++s, ++sy;
          } else {
            ++o, ++oy;
          }
          if (unif(rng) < 0.4) ++strat, ++sty;
        }
        tenure += 6;
      }
      const int category = hours >= 60 ? 3 : hours >= 40 ? 2 : hours >= 20 ? 1 : 0;
      const double ti_mean = ti_sum / 2;
      double eta = -3.0 + band_lo[band - 6] + 0.02 * tenure / 12.0 + 0.01 * (ti_mean - 100);
      if (promotion_by_category) {
        eta += LO_SUPER * (category == 3) + LO_STEADY * (category == 2) - 0.2;
      } else {
        eta += LO_KNOWLEDGE * ky + LO_SKILL * sy + LO_OTHER * oy;
      }
      const bool promoted = unif(rng) < 1.0 / (1.0 + std::exp(-eta));
      const int outcome = band == 9 ? -1 : promoted ? 1 : 0;
      p.years.push_back(
          {0, i, year, role, band, tenure, hours, category, ky, sy, oy, sty, k + s + o, ti_mean, outcome});
    }
  }
  return p;
}

// With a fixed seed the check is deterministic; |estimate - truth| < 4 SE would fail with
// probability ~6e-5 per quantity for an unbiased estimator with a correct SE, so a failure
// means bias or a wrong SE, not bad luck. The TI models are correctly specified (by type) or
// correct in expectation (total, strategic: E[type counts | total] is linear since types are
// drawn independently); the promotion logits are correctly specified for the model checked.
void check_recovers(const StudyEstimates& e, const std::string& id, double truth, bool odds_ratio = false) {
  const StudyQuantity* q = e.find(id);
  REQUIRE(q != nullptr);
  INFO(id << " estimate " << q->estimate << " se " << q->se << " truth " << truth);
  REQUIRE(std::isfinite(q->estimate));
  REQUIRE(q->se > 0);
  const double est = odds_ratio ? std::log(q->estimate) : q->estimate;
  CHECK(std::abs(est - truth) < 4 * q->se);
  CHECK(q->ci95_low < q->estimate);
  CHECK(q->ci95_high > q->estimate);
}

}  // namespace

TEST_CASE("TI and promotion estimators recover generative coefficients", "[stats][study]") {
  const Panel p = simulate(false, 20240611u);
  const StudyEstimates e = estimate_study(p.halves, p.years);
  for (const auto& m : e.messages) INFO(m);
  CHECK(e.ti_rows == 30000);
  check_recovers(e, "ti_per_badge", TI_MEAN_EFFECT);
  check_recovers(e, "ti_5_badges", 5 * TI_MEAN_EFFECT);
  CHECK(e.find("ti_5_badges")->se == Approx(5 * e.find("ti_per_badge")->se));
  check_recovers(e, "ti_knowledge", TI_KNOWLEDGE);
  check_recovers(e, "ti_skill", TI_SKILL);
  check_recovers(e, "ti_other", TI_OTHER);
  check_recovers(e, "ti_skill_knowledge_ratio", TI_SKILL / TI_KNOWLEDGE);
  check_recovers(e, "ti_strategic", TI_MEAN_EFFECT);
  check_recovers(e, "ti_nonstrategic", TI_MEAN_EFFECT);

  check_recovers(e, "promo_or_knowledge", LO_KNOWLEDGE, true);
  check_recovers(e, "promo_or_skill", LO_SKILL, true);
  check_recovers(e, "promo_or_other", LO_OTHER, true);
  CHECK(std::isfinite(e.estimate("promo_or_badge")));
  CHECK(e.promotion_rows ==
        static_cast<long>(std::count_if(p.years.begin(), p.years.end(),
                                        [](const auto& r) { return r.promoted_next_year >= 0; })));
  CHECK(e.estimate("promo_base_rate") > 0.03);
  CHECK(e.estimate("promo_base_rate") < 0.15);

  // study values carried next to the estimates
  CHECK(e.find("ti_5_badges")->fact == "S11");
  CHECK(e.find("ti_5_badges")->study_value == 5.0);
  CHECK(e.find("promo_or_super")->study_value == 1.62);
  CHECK(std::isnan(e.find("ti_strategic")->study_value));

  // descriptives: shares add up; badge type shares near the generative mix (n ~ 30000 badges,
  // binomial SE of a share ~ 0.003, so 0.02 is > 6 SE)
  const double shares = e.estimate("share_under") + e.estimate("share_adequate") +
                        e.estimate("share_steady") + e.estimate("share_super");
  CHECK(shares == Approx(1.0).epsilon(1e-12));
  CHECK(e.estimate("share_think40") == Approx(e.estimate("share_super") + e.estimate("share_steady")));
  CHECK(e.estimate("badge_share_knowledge") == Approx(P_KNOWLEDGE).margin(0.02));
  CHECK(e.estimate("badge_share_skill") == Approx(P_SKILL).margin(0.02));
  CHECK(e.estimate("badge_share_strategic") == Approx(0.4).margin(0.02));
  // yearly hours: Gamma(2, 50) per half summed over two halves, mean 100 h (SE ~ 0.6 h)
  CHECK(e.estimate("hours_mean") == Approx(100.0).margin(4.0));
  // stock after 10 halves at 1 badge per half
  CHECK(e.estimate("badge_stock_mean_last_year") == Approx(10.0).margin(0.3));
}

TEST_CASE("TI estimators with person fixed effects recover the coefficients", "[stats][study]") {
  const Panel p = simulate(false, 7u);
  StudyOptions o;
  o.person_fixed_effects = true;
  const StudyEstimates e = estimate_study(p.halves, p.years, o);
  for (const auto& m : e.messages) INFO(m);
  check_recovers(e, "ti_per_badge", TI_MEAN_EFFECT);
  check_recovers(e, "ti_knowledge", TI_KNOWLEDGE);
  check_recovers(e, "ti_skill", TI_SKILL);
  check_recovers(e, "ti_strategic", TI_MEAN_EFFECT);
  check_recovers(e, "ti_nonstrategic", TI_MEAN_EFFECT);
  // roles never change within a person here: absorbed by the effects, and said so
  bool absorbed = false;
  for (const auto& m : e.messages) absorbed = absorbed || m.find("role=1") != std::string::npos;
  CHECK(absorbed);
}

TEST_CASE("learner-category logit recovers super and steady odds ratios", "[stats][study]") {
  const Panel p = simulate(true, 99u);
  const StudyEstimates e = estimate_study(p.halves, p.years);
  for (const auto& m : e.messages) INFO(m);
  check_recovers(e, "promo_or_super", LO_SUPER, true);
  check_recovers(e, "promo_or_steady", LO_STEADY, true);
}

TEST_CASE("a model that cannot be estimated yields NaN and a message", "[stats][study][errors]") {
  const StudyEstimates empty = estimate_study({}, {});
  CHECK(std::isnan(empty.estimate("ti_per_badge")));
  CHECK(std::isnan(empty.estimate("promo_or_skill")));
  CHECK(std::isnan(empty.estimate("hours_mean")));
  CHECK_FALSE(empty.messages.empty());
  CHECK(std::isnan(empty.estimate("no_such_quantity")));

  Panel p = simulate(false, 3u);
  for (auto& r : p.years)
    if (r.promoted_next_year == 1) r.promoted_next_year = 0;  // nobody promoted: logits fail
  const StudyEstimates e = estimate_study(p.halves, p.years);
  CHECK(std::isfinite(e.estimate("ti_per_badge")));
  CHECK(std::isnan(e.estimate("promo_or_badge")));
  CHECK(e.estimate("promo_base_rate") == 0.0);
  bool mentioned = false;
  for (const auto& m : e.messages) mentioned = mentioned || m.find("no variation") != std::string::npos;
  CHECK(mentioned);
}
