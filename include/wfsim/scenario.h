// The frozen, typed scenario the model runs on (MODEL.md §2 "Scenario"). Built from
// validated ParamValues; the model never sees YAML. Units are in the member names.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "wfsim/params.h"

namespace wfsim {

enum class Modality : std::uint8_t { Classroom = 0, Async = 1, Live = 2 };
inline constexpr int MODALITY_COUNT = 3;
enum class BadgeType : std::uint8_t { None = 0, Knowledge = 1, Skill = 2, Other = 3 };
inline constexpr int BADGE_TYPE_COUNT = 4;  // including None

struct RoleSpec {
  std::string name;
  double share = 0;               // of the initial population and of hires
  double ti_effect_pct = 0;       // TI% control
  double promotion_log_odds = 0;  // promotion control
  double strategic_interest = 1;  // multiplies strategic topics' recommendation weight
};

struct BandSpec {
  int band = 0;
  double share = 0;       // of the initial population
  double hire_share = 0;  // of new hires
  double salary_usd = 0;  // annual base salary at entry to the band
  double ti_effect_pct = 0;
  double promotion_log_odds = 0;  // added to the promotion intercept
  int capacity = 0;               // headcount limit for capacity alignment; 0 = none
};

struct TopicSpec {
  std::string name;
  bool strategic = false;
  double weight = 0;  // share of badge-bearing programs in the generated catalog
};

struct TrendYear {
  int year = 0;
  double multiplier = 1;         // on propensity
  double campaign_hours = 0;     // extra hours per person over the year (company campaigns)
  double target_compliance = 0;  // probability a person behind THINK 40 catches up
};

struct RequiredLearning {
  std::string name;
  std::string role;  // a role name or "all"
  std::string topic;
  double hours_per_year = 0;
};

struct Shock {
  std::string name;
  int start_month = 0;  // inclusive, month index (year * 12 + month - 1)
  int end_month = 0;    // inclusive
  double hours_multiplier = 1;
  std::array<double, MODALITY_COUNT> availability{1, 1, 1};
  double budget_multiplier = 1;
  double compliance_multiplier = 1;
};

enum class HiringPolicy { Hold, Growth };
enum class Alignment { None, Rate, Capacity };
enum class CatalogSource { Generate, Csv };

struct Scenario {
  std::string name;
  std::string description;

  // run
  int start_month = 0;  // month index
  int months = 0;
  int replicates = 1;
  std::uint64_t seed = 0;

  // population and flows
  int headcount = 0;
  double annual_attrition = 0;
  HiringPolicy hiring = HiringPolicy::Hold;
  double annual_growth = 0;
  double initial_tenure_mean_years = 0;
  std::vector<RoleSpec> roles;
  std::vector<BandSpec> bands;  // ordered by band number

  // learning time
  double propensity_mean_hours = 0;
  double propensity_shape = 0;
  double propensity_drift_correlation = 0;
  double monthly_noise = 0;
  std::array<double, 12> seasonality{};
  std::vector<TrendYear> trend;  // ordered by year
  double target_hours = 0;
  double target_compliance = 0;
  double target_margin_hours = 0;
  int catch_up_start_month = 10;  // calendar month 1..12
  bool nudging = false;
  double nudging_effect = 0;
  std::vector<RequiredLearning> required;
  std::vector<Shock> shocks;

  // enrolment
  double program_share = 0;
  double enrol_probability = 0;
  double dropout_monthly = 0;

  // modality
  std::array<double, MODALITY_COUNT> modality_preference{};
  double classroom_affinity_spread = 0;

  // catalog and recommendation
  CatalogSource catalog_source = CatalogSource::Generate;
  std::string catalog_csv;  // resolved path
  int catalog_size = 0;
  double internal_share = 0;
  double badge_program_share = 0;
  std::array<double, BADGE_TYPE_COUNT> badge_mix{};         // index by BadgeType (None unused)
  std::array<double, BADGE_TYPE_COUNT> pass_probability{};  // index by BadgeType
  double program_hours_median = 0;
  double program_hours_sigma = 0;
  double item_hours_median = 0;
  std::array<double, MODALITY_COUNT> catalog_modality_mix{};
  double external_fee_usd_per_hour = 0;
  std::vector<TopicSpec> topics;
  double strategic_emphasis = 1;
  double topic_interest = 0;  // share of enrolments in the person's favourite topic

  // performance (TI%)
  double ti_base_pct = 0;
  double ti_knowledge_effect_pct = 0;
  double ti_skill_effect_pct = 0;
  double ti_other_effect_pct = 0;
  double ti_strategic_multiplier = 1;
  double ti_person_sd_pct = 0;
  double ti_noise_sd_pct = 0;
  double ti_tenure_effect_pct_per_year = 0;
  double ti_selection_correlation = 0;

  // promotion
  double promotion_intercept = 0;
  double promotion_or_knowledge = 1;
  double promotion_or_skill = 1;
  double promotion_or_other = 1;
  double promotion_or_super = 1;
  double promotion_or_steady = 1;
  double promotion_tenure_log_odds_per_year = 0;
  double promotion_ti_log_odds_per_point = 0;
  Alignment alignment = Alignment::None;
  double promotion_target_rate = 0;

  // pay and cost
  double promotion_raise = 0;
  double merit_increase = 0;
  double skills_premium_per_badge = 0;
  double target_incentive_share = 0;
  double loaded_hourly_cost_usd = 0;

  // outputs
  bool panel = false;
  bool events = false;

  // helpers
  int role_index(const std::string& name) const;          // -1 if absent
  int topic_index(const std::string& name) const;         // -1 if absent
  int end_month() const { return start_month + months; }  // exclusive
};

// Builds the typed scenario from validated values; cross-key checks (shares summing to 1,
// shocks ending before they start, required learning naming an unknown topic) throw
// InputError listing every problem with its key path.
Scenario make_scenario(const ParamValues& values);

}  // namespace wfsim
