#include "wfsim/scenario.h"

#include <cmath>

#include "wfsim/errors.h"

namespace wfsim {
namespace {

class Reader {
 public:
  explicit Reader(const ParamValues& v) : v_(v) {}

  double real(const std::string& path) const { return std::get<double>(v_.scalars.at(path)); }
  std::int64_t integer(const std::string& path) const { return std::get<std::int64_t>(v_.scalars.at(path)); }
  bool boolean(const std::string& path) const { return std::get<bool>(v_.scalars.at(path)); }
  const std::string& text(const std::string& path) const {
    return std::get<std::string>(v_.scalars.at(path));
  }
  const std::vector<double>& list(const std::string& path) const {
    return std::get<std::vector<double>>(v_.scalars.at(path));
  }
  const std::map<std::string, std::map<std::string, ParamValue>>& collection(const std::string& path) const {
    static const std::map<std::string, std::map<std::string, ParamValue>> empty;
    auto it = v_.collections.find(path);
    return it == v_.collections.end() ? empty : it->second;
  }

 private:
  const ParamValues& v_;
};

template <class T>
const T& field(const std::map<std::string, ParamValue>& rec, const std::string& name) {
  return std::get<T>(rec.at(name));
}

void check_shares(std::vector<InputProblem>& problems, const std::string& path, double sum) {
  if (std::abs(sum - 1.0) > 1e-6)
    problems.push_back({path, "shares must sum to 1, they sum to " + std::to_string(sum) +
                                  "; adjust them so they add up to 1"});
}

}  // namespace

int Scenario::role_index(const std::string& n) const {
  for (std::size_t i = 0; i < roles.size(); ++i)
    if (roles[i].name == n) return static_cast<int>(i);
  return -1;
}

int Scenario::topic_index(const std::string& n) const {
  for (std::size_t i = 0; i < topics.size(); ++i)
    if (topics[i].name == n) return static_cast<int>(i);
  return -1;
}

Scenario make_scenario(const ParamValues& values) {
  const Reader r(values);
  Scenario s;
  std::vector<InputProblem> problems;

  s.name = r.text("name");
  s.description = r.text("description");
  s.start_month = *parse_month(r.text("run.start_month"));
  s.months = static_cast<int>(r.integer("run.months"));
  s.replicates = static_cast<int>(r.integer("run.replicates"));
  s.seed = static_cast<std::uint64_t>(r.integer("run.seed"));

  s.headcount = static_cast<int>(r.integer("population.headcount"));
  s.annual_attrition = r.real("population.annual_attrition");
  s.hiring = r.text("population.hiring") == "growth" ? HiringPolicy::Growth : HiringPolicy::Hold;
  s.annual_growth = r.real("population.annual_growth");
  s.initial_tenure_mean_years = r.real("population.initial_tenure_mean_years");

  {
    const auto* spec = find_collection("population.roles");
    const auto& c = r.collection("population.roles");
    double sum = 0;
    for (const auto& key : ordered_keys(*spec, c)) {
      const auto& rec = c.at(key);
      RoleSpec role{key, field<double>(rec, "share"), field<double>(rec, "ti_effect_pct"),
                    field<double>(rec, "promotion_log_odds"), field<double>(rec, "strategic_interest")};
      sum += role.share;
      s.roles.push_back(role);
    }
    if (s.roles.empty())
      problems.push_back({"population.roles", "at least one role is needed; add e.g. 'CTS: {share: 1}'"});
    else
      check_shares(problems, "population.roles.<role>.share", sum);
    if (s.roles.size() > 250) problems.push_back({"population.roles", "at most 250 roles are supported"});
  }
  {
    const auto* spec = find_collection("population.bands");
    const auto& c = r.collection("population.bands");
    double sum = 0, hsum = 0;
    for (const auto& key : ordered_keys(*spec, c)) {
      const auto& rec = c.at(key);
      BandSpec b;
      b.band = std::stoi(key);
      b.share = field<double>(rec, "share");
      b.hire_share = field<double>(rec, "hire_share");
      b.salary_usd = field<double>(rec, "salary_usd");
      b.ti_effect_pct = field<double>(rec, "ti_effect_pct");
      b.promotion_log_odds = field<double>(rec, "promotion_log_odds");
      b.capacity = static_cast<int>(field<std::int64_t>(rec, "capacity"));
      sum += b.share;
      hsum += b.hire_share;
      s.bands.push_back(b);
    }
    if (s.bands.empty()) {
      problems.push_back({"population.bands", "at least one band is needed"});
    } else {
      check_shares(problems, "population.bands.<band>.share", sum);
      check_shares(problems, "population.bands.<band>.hire_share", hsum);
    }
  }

  s.propensity_mean_hours = r.real("learning.propensity_mean_hours");
  s.propensity_shape = r.real("learning.propensity_shape");
  s.propensity_drift_correlation = r.real("learning.propensity_drift_correlation");
  s.monthly_noise = r.real("learning.monthly_noise");
  {
    const auto& l = r.list("learning.seasonality");
    double sum = 0;
    for (double x : l) sum += x;
    if (sum <= 0) problems.push_back({"learning.seasonality", "at least one month must be above 0"});
    for (int m = 0; m < 12; ++m) s.seasonality[m] = sum > 0 ? l[m] * 12.0 / sum : 1.0;
  }
  {
    const auto* spec = find_collection("learning.trend");
    const auto& c = r.collection("learning.trend");
    for (const auto& key : ordered_keys(*spec, c)) {
      const auto& rec = c.at(key);
      s.trend.push_back({std::stoi(key), field<double>(rec, "multiplier"),
                         field<double>(rec, "campaign_hours"), field<double>(rec, "target_compliance")});
    }
  }
  s.target_hours = r.real("learning.target_hours");
  s.target_compliance = r.real("learning.target_compliance");
  s.target_margin_hours = r.real("learning.target_margin_hours");
  s.catch_up_start_month = static_cast<int>(r.integer("learning.catch_up_start_month"));
  s.nudging = r.boolean("learning.nudging.enabled");
  s.nudging_effect = r.real("learning.nudging.effect");
  s.program_share = r.real("learning.program_share");
  s.enrol_probability = r.real("learning.enrol_probability");
  s.dropout_monthly = r.real("learning.dropout_monthly");

  {
    const auto& p = r.list("modality.preference");
    for (int k = 0; k < MODALITY_COUNT; ++k) s.modality_preference[k] = p[k];
    if (p[0] + p[1] + p[2] <= 0)
      problems.push_back({"modality.preference", "at least one modality weight must be above 0"});
  }
  s.classroom_affinity_spread = r.real("modality.classroom_affinity_spread");

  s.catalog_source = r.text("catalog.source") == "csv" ? CatalogSource::Csv : CatalogSource::Generate;
  s.catalog_csv = r.text("catalog.csv_path");
  if (s.catalog_source == CatalogSource::Csv && s.catalog_csv.empty())
    problems.push_back(
        {"catalog.csv_path", "catalog.source is 'csv' but no csv_path is given; set the file"});
  s.catalog_size = static_cast<int>(r.integer("catalog.size"));
  s.internal_share = r.real("catalog.internal_share");
  s.badge_program_share = r.real("catalog.badge_program_share");
  s.badge_mix = {0, r.real("catalog.badge_mix.knowledge"), r.real("catalog.badge_mix.skill"),
                 r.real("catalog.badge_mix.other")};
  if (s.badge_mix[1] + s.badge_mix[2] + s.badge_mix[3] <= 0)
    problems.push_back({"catalog.badge_mix", "at least one badge type must have a share above 0"});
  s.pass_probability = {0, r.real("catalog.pass_probability.knowledge"),
                        r.real("catalog.pass_probability.skill"), r.real("catalog.pass_probability.other")};
  s.program_hours_median = r.real("catalog.program_hours_median");
  s.program_hours_sigma = r.real("catalog.program_hours_sigma");
  s.item_hours_median = r.real("catalog.item_hours_median");
  {
    const auto& m = r.list("catalog.modality_mix");
    for (int k = 0; k < MODALITY_COUNT; ++k) s.catalog_modality_mix[k] = m[k];
    if (m[0] + m[1] + m[2] <= 0)
      problems.push_back({"catalog.modality_mix", "at least one modality share must be above 0"});
  }
  s.external_fee_usd_per_hour = r.real("catalog.external_fee_usd_per_hour");
  {
    const auto& c = r.collection("catalog.topics");
    double sum = 0;
    for (const auto& [key, rec] : c) {
      s.topics.push_back({key, field<bool>(rec, "strategic"), field<double>(rec, "weight")});
      sum += s.topics.back().weight;
    }
    if (sum <= 0) problems.push_back({"catalog.topics", "at least one topic must have a weight above 0"});
    if (s.topics.size() > 250) problems.push_back({"catalog.topics", "at most 250 topics are supported"});
  }
  s.strategic_emphasis = r.real("recommendation.strategic_emphasis");
  s.topic_interest = r.real("recommendation.topic_interest");

  {
    const auto& c = r.collection("learning.required");
    for (const auto& [key, rec] : c) {
      RequiredLearning q{key, field<std::string>(rec, "role"), field<std::string>(rec, "topic"),
                         field<double>(rec, "hours_per_year")};
      const std::string where = "learning.required." + key;
      if (q.role != "all" && s.role_index(q.role) < 0)
        problems.push_back(
            {where + ".role", "unknown role '" + q.role + "'; use 'all' or a role of population.roles"});
      if (s.topic_index(q.topic) < 0)
        problems.push_back(
            {where + ".topic", "unknown topic '" + q.topic + "'; use a topic of catalog.topics"});
      s.required.push_back(q);
    }
  }
  {
    const auto& c = r.collection("shocks");
    for (const auto& [key, rec] : c) {
      Shock sh;
      sh.name = key;
      const std::string where = "shocks." + key;
      auto start = parse_month(field<std::string>(rec, "start"));
      auto end = parse_month(field<std::string>(rec, "end"));
      if (!start) problems.push_back({where + ".start", "a shock needs a start month YYYY-MM"});
      if (!end) problems.push_back({where + ".end", "a shock needs an end month YYYY-MM"});
      if (start && end && *end < *start)
        problems.push_back({where + ".end", "ends before it starts; end must be on or after start"});
      sh.start_month = start.value_or(0);
      sh.end_month = end.value_or(0);
      sh.hours_multiplier = field<double>(rec, "hours_multiplier");
      sh.availability = {field<double>(rec, "classroom_availability"),
                         field<double>(rec, "async_availability"), field<double>(rec, "live_availability")};
      sh.budget_multiplier = field<double>(rec, "budget_multiplier");
      sh.compliance_multiplier = field<double>(rec, "compliance_multiplier");
      s.shocks.push_back(sh);
    }
  }

  s.ti_base_pct = r.real("performance.base_pct");
  s.ti_knowledge_effect_pct = r.real("performance.knowledge_effect_pct");
  s.ti_skill_effect_pct = r.real("performance.skill_effect_pct");
  s.ti_other_effect_pct = r.real("performance.other_effect_pct");
  s.ti_strategic_multiplier = r.real("performance.strategic_multiplier");
  s.ti_person_sd_pct = r.real("performance.person_sd_pct");
  s.ti_noise_sd_pct = r.real("performance.noise_sd_pct");
  s.ti_tenure_effect_pct_per_year = r.real("performance.tenure_effect_pct_per_year");
  s.ti_selection_correlation = r.real("performance.selection_correlation");

  s.promotion_intercept = r.real("promotion.intercept");
  s.promotion_or_knowledge = r.real("promotion.or_knowledge");
  s.promotion_or_skill = r.real("promotion.or_skill");
  s.promotion_or_other = r.real("promotion.or_other");
  s.promotion_or_super = r.real("promotion.or_super");
  s.promotion_or_steady = r.real("promotion.or_steady");
  s.promotion_tenure_log_odds_per_year = r.real("promotion.tenure_log_odds_per_year");
  s.promotion_ti_log_odds_per_point = r.real("promotion.ti_log_odds_per_point");
  {
    const std::string& a = r.text("promotion.alignment");
    s.alignment = a == "rate" ? Alignment::Rate : a == "capacity" ? Alignment::Capacity : Alignment::None;
  }
  s.promotion_target_rate = r.real("promotion.target_rate");

  s.promotion_raise = r.real("pay.promotion_raise");
  s.merit_increase = r.real("pay.merit_increase");
  s.skills_premium_per_badge = r.real("pay.skills_premium_per_badge");
  s.target_incentive_share = r.real("pay.target_incentive_share");
  s.loaded_hourly_cost_usd = r.real("cost.loaded_hourly_usd");

  s.panel = r.boolean("outputs.panel");
  s.events = r.boolean("outputs.events");

  if (!problems.empty()) throw InputError(std::move(problems));
  return s;
}

}  // namespace wfsim
