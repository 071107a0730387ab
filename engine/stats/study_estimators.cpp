#include "wfsim/stats/study_estimators.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

#include "wfsim/errors.h"
#include "wfsim/stats/regression.h"

namespace wfsim {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

std::int64_t person_key(std::int32_t replicate, std::int32_t person) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(static_cast<std::uint32_t>(replicate)) << 32 |
                                   static_cast<std::uint32_t>(person));
}

StudyQuantity quantity(std::string id, std::string fact, double study_value, std::string note) {
  StudyQuantity q;
  q.id = std::move(id);
  q.fact = std::move(fact);
  q.study_value = study_value;
  q.note = std::move(note);
  return q;
}

// Fills q from an OLS coefficient times `scale` (CI from the model's reference distribution).
void from_ols(StudyQuantity& q, const OlsResult& r, const std::string& name, double scale = 1.0) {
  const Coefficient& c = r.at(name);
  q.estimate = scale * c.estimate;
  q.se = std::abs(scale) * c.se;
  q.ci95_low = std::min(scale * c.ci95_low, scale * c.ci95_high);
  q.ci95_high = std::max(scale * c.ci95_low, scale * c.ci95_high);
}

// Ratio a/b of two coefficients with a delta-method SE and a normal 95% CI.
void ratio_from_ols(StudyQuantity& q, const OlsResult& r, const std::string& a, const std::string& b) {
  const int ia = r.index(a), ib = r.index(b);
  if (ia < 0 || ib < 0) throw EstimationError("ratio: coefficient '" + (ia < 0 ? a : b) + "' not estimated");
  const double va = r.coefficients[static_cast<std::size_t>(ia)].estimate;
  const double vb = r.coefficients[static_cast<std::size_t>(ib)].estimate;
  const double ratio = va / vb;
  const double ga = 1.0 / vb, gb = -va / (vb * vb);
  const double var = ga * ga * r.cov(ia, ia) + gb * gb * r.cov(ib, ib) + 2 * ga * gb * r.cov(ia, ib);
  q.estimate = ratio;
  q.se = std::sqrt(std::max(var, 0.0));
  q.ci95_low = ratio - Z_975 * q.se;
  q.ci95_high = ratio + Z_975 * q.se;
}

void odds_ratio_from_logit(StudyQuantity& q, const LogitResult& r, const std::string& name) {
  const Coefficient& c = r.at(name);
  q.estimate = std::exp(c.estimate);
  q.se = c.se;
  q.ci95_low = std::exp(c.ci95_low);
  q.ci95_high = std::exp(c.ci95_high);
}

// Runs one model; an EstimationError leaves its quantities NaN and records a message.
void guarded(StudyEstimates& out, const std::string& model, const std::function<void()>& body) {
  try {
    body();
  } catch (const EstimationError& e) {
    out.messages.push_back(model + ": " + e.what());
  }
}

void note_dropped(StudyEstimates& out, const std::string& model, const OlsResult& r) {
  if (r.dropped.empty()) return;
  std::string list;
  for (const auto& name : r.dropped) list += (list.empty() ? "" : ", ") + name;
  out.messages.push_back(model + ": absorbed by the person fixed effects (constant within person): " + list);
}

std::size_t add(StudyEstimates& out, StudyQuantity q) {
  out.quantities.push_back(std::move(q));
  return out.quantities.size() - 1;
}

// ---- TI models (S10-S12) ------------------------------------------------------------

void ti_models(std::span<const PersonHalfRow> halves, const StudyOptions& options, StudyEstimates& out) {
  const std::size_t per_badge = add(out, quantity("ti_per_badge", "S11", 1.0,
                                                  "TI points per badge held at the period's start; S11's "
                                                  "+5 points for 5 badges read as 1 point per badge"));
  const std::size_t five = add(
      out, quantity("ti_5_badges", "S11", 5.0, "5 x per-badge effect; '5% higher TI' read as +5 TI points"));
  const std::size_t knowledge =
      add(out, quantity("ti_knowledge", "S12", NaN, "TI points per knowledge badge"));
  const std::size_t skill = add(out, quantity("ti_skill", "S12", NaN, "TI points per skill badge"));
  const std::size_t other = add(out, quantity("ti_other", "", NaN, "TI points per other-type badge"));
  const std::size_t ratio =
      add(out, quantity("ti_skill_knowledge_ratio", "S12", 2.0,
                        "skill / knowledge coefficient ('almost double'); delta-method SE"));
  const std::size_t strategic = add(out, quantity("ti_strategic", "S12", NaN,
                                                  "TI points per strategic badge; study: 'much stronger' "
                                                  "than non-strategic, no number"));
  const std::size_t nonstrategic =
      add(out, quantity("ti_nonstrategic", "S12", NaN, "TI points per non-strategic badge"));
  const std::size_t strat_ratio = add(out, quantity("ti_strategic_nonstrategic_ratio", "S12", NaN,
                                                    "strategic / non-strategic coefficient; study: > 1"));

  std::vector<double> y, total, k, s, o, strat, nonstrat, tenure;
  std::vector<std::int64_t> band, role, period, person;
  for (const auto& r : halves) {
    if (!std::isfinite(r.ti_pct)) continue;
    y.push_back(r.ti_pct);
    k.push_back(r.badges_knowledge);
    s.push_back(r.badges_skill);
    o.push_back(r.badges_other);
    const double t = static_cast<double>(r.badges_knowledge) + r.badges_skill + r.badges_other;
    total.push_back(t);
    strat.push_back(r.badges_strategic);
    nonstrat.push_back(t - r.badges_strategic);
    tenure.push_back(r.tenure_months / 12.0);
    band.push_back(r.band);
    role.push_back(r.role);
    period.push_back(r.half);
    person.push_back(person_key(r.replicate, r.person));
  }
  out.ti_rows = static_cast<long>(y.size());
  if (static_cast<long>(y.size()) < static_cast<long>(halves.size()))
    out.messages.push_back("TI models: " + std::to_string(halves.size() - y.size()) +
                           " person-half rows without a finite ti_pct left out");

  OlsOptions ols_options;
  ols_options.clusters = person;
  if (options.person_fixed_effects) ols_options.fixed_effects = person;
  auto design = [&](const std::vector<std::pair<std::string, const std::vector<double>*>>& learning) {
    DesignBuilder b(y.size());
    b.intercept();
    for (const auto& [name, values] : learning) b.numeric(name, *values);
    if (!options.person_fixed_effects) b.numeric("tenure_years", tenure);
    b.categorical("band", band).categorical("role", role).categorical("period", period);
    return b.build();
  };

  guarded(out, "TI model (a) total badges", [&] {
    const OlsResult r = fit_ols(y, design({{"badges", &total}}), ols_options);
    note_dropped(out, "TI model (a) total badges", r);
    from_ols(out.quantities[per_badge], r, "badges");
    from_ols(out.quantities[five], r, "badges", 5.0);
  });
  guarded(out, "TI model (b) badges by type", [&] {
    const OlsResult r = fit_ols(
        y, design({{"badges_knowledge", &k}, {"badges_skill", &s}, {"badges_other", &o}}), ols_options);
    note_dropped(out, "TI model (b) badges by type", r);
    from_ols(out.quantities[knowledge], r, "badges_knowledge");
    from_ols(out.quantities[skill], r, "badges_skill");
    from_ols(out.quantities[other], r, "badges_other");
    ratio_from_ols(out.quantities[ratio], r, "badges_skill", "badges_knowledge");
  });
  guarded(out, "TI model (c) strategic badges", [&] {
    const OlsResult r =
        fit_ols(y, design({{"badges_strategic", &strat}, {"badges_nonstrategic", &nonstrat}}), ols_options);
    note_dropped(out, "TI model (c) strategic badges", r);
    from_ols(out.quantities[strategic], r, "badges_strategic");
    from_ols(out.quantities[nonstrategic], r, "badges_nonstrategic");
    ratio_from_ols(out.quantities[strat_ratio], r, "badges_strategic", "badges_nonstrategic");
  });
}

// ---- promotion logits (S13-S16) -----------------------------------------------------

void promotion_models(std::span<const PersonYearRow> years, StudyEstimates& out) {
  const std::size_t base = add(out, quantity("promo_base_rate", "S14", 0.077,
                                             "mean of promoted_next_year over observed person-years"));
  const std::size_t per_badge = add(
      out, quantity("promo_or_badge", "S14", 1.09, "odds ratio per badge earned in the year (7.7% -> 8.4%)"));
  const std::size_t knowledge = add(
      out, quantity("promo_or_knowledge", "S15", NaN, "odds ratio per knowledge badge earned in the year"));
  const std::size_t skill =
      add(out, quantity("promo_or_skill", "S15", 1.16, "odds ratio per skill badge earned in the year"));
  const std::size_t other =
      add(out, quantity("promo_or_other", "", NaN, "odds ratio per other-type badge earned in the year"));
  const std::size_t super_or = add(
      out,
      quantity("promo_or_super", "S16", 1.62, "super learners (>= 60 h) vs under 40 h (under + adequate)"));
  const std::size_t steady_or = add(
      out,
      quantity("promo_or_steady", "S16", 1.26, "steady learners (40-59 h) vs under 40 h (under + adequate)"));

  std::vector<double> y, total, k, s, o, tenure, ti;
  std::vector<std::int64_t> band, category, person;
  long unobserved = 0, missing_ti = 0;
  for (const auto& r : years) {
    if (r.promoted_next_year != 0 && r.promoted_next_year != 1) {
      ++unobserved;
      continue;
    }
    if (!std::isfinite(r.ti_mean)) {
      ++missing_ti;
      continue;
    }
    y.push_back(r.promoted_next_year);
    k.push_back(r.badges_year_knowledge);
    s.push_back(r.badges_year_skill);
    o.push_back(r.badges_year_other);
    total.push_back(static_cast<double>(r.badges_year_knowledge) + r.badges_year_skill + r.badges_year_other);
    tenure.push_back(r.tenure_months / 12.0);
    ti.push_back(r.ti_mean);
    band.push_back(r.band);
    category.push_back(r.learner_category);
    person.push_back(person_key(r.replicate, r.person));
  }
  out.promotion_rows = static_cast<long>(y.size());
  if (missing_ti > 0)
    out.messages.push_back("promotion models: " + std::to_string(missing_ti) +
                           " person-years without a finite ti_mean left out");
  (void)unobserved;
  if (!y.empty()) {
    double sum = 0;
    for (double v : y) sum += v;
    out.quantities[base].estimate = sum / static_cast<double>(y.size());
  } else {
    out.messages.push_back("promotion models: no person-year with an observed promotion outcome");
  }

  LogitOptions logit_options;
  logit_options.clusters = person;
  auto design = [&](const std::function<void(DesignBuilder&)>& learning) {
    DesignBuilder b(y.size());
    b.intercept();
    learning(b);
    b.numeric("tenure_years", tenure).categorical("band", band).numeric("ti_mean", ti);
    return b.build();
  };
  guarded(out, "promotion model (a) badges", [&] {
    const LogitResult r =
        fit_logit(y, design([&](DesignBuilder& b) { b.numeric("badges", total); }), logit_options);
    odds_ratio_from_logit(out.quantities[per_badge], r, "badges");
  });
  guarded(out, "promotion model (b) badges by type", [&] {
    const LogitResult r =
        fit_logit(y, design([&](DesignBuilder& b) {
                    b.numeric("badges_knowledge", k).numeric("badges_skill", s).numeric("badges_other", o);
                  }),
                  logit_options);
    odds_ratio_from_logit(out.quantities[knowledge], r, "badges_knowledge");
    odds_ratio_from_logit(out.quantities[skill], r, "badges_skill");
    odds_ratio_from_logit(out.quantities[other], r, "badges_other");
  });
  guarded(out, "promotion model (c) learner category", [&] {
    const std::int64_t super_level[] = {3}, steady_level[] = {2};
    const LogitResult r =
        fit_logit(y, design([&](DesignBuilder& b) {
                    b.indicator("super", category, super_level).indicator("steady", category, steady_level);
                  }),
                  logit_options);
    odds_ratio_from_logit(out.quantities[super_or], r, "super");
    odds_ratio_from_logit(out.quantities[steady_or], r, "steady");
  });
}

// ---- descriptives (S4, S6-S9, S11) --------------------------------------------------

void descriptives(std::span<const PersonYearRow> years, const StudyOptions& options, StudyEstimates& out) {
  const std::size_t hours_mean =
      add(out, quantity("hours_mean", "S6", 100.0, "mean yearly learning hours, pooled over years"));
  const std::size_t hours_median =
      add(out, quantity("hours_median", "", NaN, "median yearly hours, pooled (S4's 52 h is company-wide)"));
  const std::size_t share_super =
      add(out, quantity("share_super", "S7", 0.60, "share >= 60 h; study: > 60% every year, > 80% in 2019"));
  const std::size_t share_steady = add(out, quantity("share_steady", "S7", NaN, "share 40-59 h"));
  const std::size_t share_adequate = add(out, quantity("share_adequate", "S7", NaN, "share 20-39 h"));
  const std::size_t share_under = add(out, quantity("share_under", "S7", NaN, "share < 20 h"));
  const std::size_t share_think40 = add(out, quantity("share_think40", "S7", 0.80,
                                                      "share >= 40 h (super + steady); study: about 80% "
                                                      "each year, > 90% in 2019"));
  const std::size_t b_knowledge = add(out, quantity("badge_share_knowledge", "S8", 0.50,
                                                    "knowledge share of badges earned; study: over half"));
  const std::size_t b_skill =
      add(out, quantity("badge_share_skill", "S8", 0.30, "skill share of badges earned; study: about 30%"));
  const std::size_t b_other = add(
      out, quantity("badge_share_other", "S8", NaN, "other-type share of badges earned; study: the rest"));
  const std::size_t b_strategic =
      add(out, quantity("badge_share_strategic", "S9", NaN, "strategic share of badges earned"));
  const std::size_t stock = add(out, quantity("badge_stock_mean_last_year", "S11", 5.0,
                                              "mean badge stock at the end of the panel's last year"));

  std::vector<double> hours;
  double cats[4] = {0, 0, 0, 0};
  double bk = 0, bs = 0, bo = 0, bstrat = 0;
  int last_year = std::numeric_limits<int>::min();
  for (const auto& r : years) last_year = std::max(last_year, static_cast<int>(r.year));
  double stock_sum = 0, stock_n = 0;
  for (const auto& r : years) {
    bk += r.badges_year_knowledge;
    bs += r.badges_year_skill;
    bo += r.badges_year_other;
    bstrat += r.badges_year_strategic;
    if (r.year == last_year) {
      stock_sum += r.badge_stock;
      stock_n += 1;
    }
    if (options.exclude_partial_years && r.tenure_months < 12) continue;
    if (!std::isfinite(r.hours)) continue;
    hours.push_back(r.hours);
    if (r.learner_category >= 0 && r.learner_category <= 3) cats[r.learner_category] += 1;
  }
  out.year_rows = static_cast<long>(hours.size());
  if (!hours.empty()) {
    const double n = static_cast<double>(hours.size());
    double sum = 0;
    for (double h : hours) sum += h;
    out.quantities[hours_mean].estimate = sum / n;
    std::vector<double> sorted = hours;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t m = sorted.size() / 2;
    out.quantities[hours_median].estimate = sorted.size() % 2 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    out.quantities[share_under].estimate = cats[0] / n;
    out.quantities[share_adequate].estimate = cats[1] / n;
    out.quantities[share_steady].estimate = cats[2] / n;
    out.quantities[share_super].estimate = cats[3] / n;
    out.quantities[share_think40].estimate = (cats[2] + cats[3]) / n;
  }
  const double badges = bk + bs + bo;
  if (badges > 0) {
    out.quantities[b_knowledge].estimate = bk / badges;
    out.quantities[b_skill].estimate = bs / badges;
    out.quantities[b_other].estimate = bo / badges;
    out.quantities[b_strategic].estimate = bstrat / badges;
  }
  if (stock_n > 0) out.quantities[stock].estimate = stock_sum / stock_n;
}

}  // namespace

const StudyQuantity* StudyEstimates::find(std::string_view id) const {
  for (const auto& q : quantities)
    if (q.id == id) return &q;
  return nullptr;
}

double StudyEstimates::estimate(std::string_view id) const {
  const StudyQuantity* q = find(id);
  return q ? q->estimate : NaN;
}

StudyEstimates estimate_study(std::span<const PersonHalfRow> halves, std::span<const PersonYearRow> years,
                              const StudyOptions& options) {
  StudyEstimates out;
  ti_models(halves, options, out);
  promotion_models(years, out);
  descriptives(years, options, out);
  return out;
}

}  // namespace wfsim
