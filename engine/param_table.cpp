// The one table of scenario parameters. Provenance: S-ids are facts of MODEL.md §1;
// "derived from" names the facts and the reasoning; ASSUMPTION marks a modelling choice.
#include <limits>

#include "wfsim/params.h"

namespace wfsim {
namespace {

constexpr double INF = std::numeric_limits<double>::infinity();

ParamSpec real(std::string name, std::string unit, std::string def, double lo, double hi, std::string prov,
               std::string desc, bool lo_open = false, bool hi_open = false) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::Real;
  s.unit = std::move(unit);
  s.default_text = std::move(def);
  s.min = lo;
  s.max = hi;
  s.min_open = lo_open;
  s.max_open = hi_open;
  s.provenance = std::move(prov);
  s.description = std::move(desc);
  return s;
}

ParamSpec integer(std::string name, std::string unit, std::string def, double lo, double hi, std::string prov,
                  std::string desc) {
  ParamSpec s =
      real(std::move(name), std::move(unit), std::move(def), lo, hi, std::move(prov), std::move(desc));
  s.kind = ParamKind::Int;
  return s;
}

ParamSpec prob(std::string name, std::string def, std::string prov, std::string desc) {
  return real(std::move(name), "probability", std::move(def), 0, 1, std::move(prov), std::move(desc));
}

ParamSpec odds_ratio(std::string name, std::string def, std::string prov, std::string desc) {
  return real(std::move(name), "odds ratio", std::move(def), 0, INF, std::move(prov), std::move(desc), true,
              false);
}

ParamSpec other(ParamKind kind, std::string name, std::string unit, std::string def, std::string prov,
                std::string desc, std::vector<std::string> choices = {}) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = kind;
  s.unit = std::move(unit);
  s.default_text = std::move(def);
  s.choices = std::move(choices);
  s.provenance = std::move(prov);
  s.description = std::move(desc);
  return s;
}

ParamSpec real_list(std::string name, std::string unit, std::string def, std::size_t length, double lo,
                    double hi, std::string prov, std::string desc) {
  ParamSpec s =
      real(std::move(name), std::move(unit), std::move(def), lo, hi, std::move(prov), std::move(desc));
  s.kind = ParamKind::RealList;
  s.list_length = length;
  return s;
}

std::vector<ParamSpec> make_scalars() {
  const std::string A = "ASSUMPTION";
  return {
      other(ParamKind::Text, "name", "", "baseline", A, "Scenario name shown in outputs"),
      other(ParamKind::Text, "description", "", "", A, "One line saying which question the scenario answers"),
      // run
      other(ParamKind::Month, "run.start_month", "YYYY-MM", "2014-01", "S5",
            "First simulated month (the study's panel starts Jan 2014)"),
      integer("run.months", "months", "72", 1, 1140, "derived from S5",
              "Horizon in months (2014-01..2019-12 is 72)"),
      integer("run.replicates", "count", "20", 1, 100000, A,
              "Independent replicates; 20 gives 95% CIs of about +-0.45 replicate SDs"),
      integer("run.seed", "", "20201201", 0, 9007199254740991.0, A,
              "Seed of every random stream; same seed + scenario = same results"),
      // population
      integer("population.headcount", "people", "9500", 1, 1e8, "derived from S5",
              "Initial headcount; 9,500 with 8%/yr turnover gives ~14,000 distinct people over Jan 2014-Sep "
              "2019"),
      prob("population.annual_attrition", "0.08", "derived from S5",
           "Share of people leaving per year (monthly hazard 1-(1-a)^(1/12))"),
      other(ParamKind::Choice, "population.hiring", "", "hold", A,
            "hold: hire to keep headcount; growth: follow annual_growth", {"hold", "growth"}),
      real("population.annual_growth", "1/yr", "0", -0.5, 1, A,
           "Headcount growth per year when hiring is 'growth'"),
      real("population.initial_tenure_mean_years", "years", "8", 0, 40, A,
           "Mean tenure of the initial population (exponential)"),
      // learning time
      real("learning.propensity_mean_hours", "h/yr", "100", 0, 10000, "S6",
           "Mean of the persistent yearly learning propensity", true),
      real("learning.propensity_shape", "", "2", 0, 100, "derived from S7",
           "Gamma shape of the propensity; 2 with mean 100 gives S7's category shares", true),
      real("learning.propensity_drift_correlation", "", "0.8", 0, 1, A,
           "Year-to-year correlation of the latent propensity (people move between categories)"),
      real("learning.monthly_noise", "", "0.6", 0, 1, A,
           "Half-width of the uniform multiplicative month-to-month noise on hours"),
      real_list("learning.seasonality", "",
                "[1.15, 1.2, 1.2, 1.15, 1.1, 1.1, 0.85, 0.8, 0.85, 0.9, 0.85, 0.85]", 12, 0, 12,
                "S6 (shape: ASSUMPTION)",
                "Month-of-year multipliers Jan..Dec (normalised to mean 1); first half heavier"),
      real("learning.target_hours", "h/yr", "40", 0, 8760, "S4", "THINK 40 yearly learning target"),
      prob("learning.target_compliance", "0.1", A,
           "Yearly probability that a person behind the target catches up (years not in trend)"),
      real("learning.target_margin_hours", "h", "2", 0, 100, A,
           "Catch-up aims this many hours above the target (bunching just above 40 h, S4)"),
      integer("learning.catch_up_start_month", "month of year", "10", 1, 12, A,
              "Calendar month from which compliers behind the target catch up"),
      other(ParamKind::Bool, "learning.nudging.enabled", "", "false", "S3",
            "Personalised nudges to people behind pace"),
      real("learning.nudging.effect", "", "0.25", 0, 10, A,
           "Relative rise of hours of people behind pace while nudging is on"),
      prob("learning.program_share", "0.6", A,
           "Share of a learner's hours going to the badge programme in progress"),
      prob("learning.enrol_probability", "0.42", A,
           "Monthly probability that a person with no programme in progress enrols in one"),
      prob("learning.dropout_monthly", "0.02", A, "Monthly drop-out hazard of an enrolment"),
      // modality
      real_list("modality.preference", "", "[0.2, 0.64, 0.16]", 3, 0, INF, "derived from S17",
                "Weights of classroom, async online, live virtual (fitted to the Feb 2020 shares of hours)"),
      real("modality.classroom_affinity_spread", "", "0.5", 0, 0.99, A,
           "People's classroom affinity is 1-s, 1 or 1+s (three equal groups)"),
      // catalog
      other(ParamKind::Choice, "catalog.source", "", "generate", A,
            "generate: from the parameters below; csv: load catalog.csv_path", {"generate", "csv"}),
      other(ParamKind::Text, "catalog.csv_path", "path", "", A,
            "CSV of real resources (columns in scenarios/README.md), relative to the scenario file"),
      integer("catalog.size", "resources", "300000", 1, 1e8, "S1", "Number of learning resources"),
      prob("catalog.internal_share", "0.6", "S1", "Share of internal content (the rest is external)"),
      prob("catalog.badge_program_share", "0.1", A, "Share of resources that are badge-bearing programmes"),
      real("catalog.badge_mix.knowledge", "", "0.5", 0, 1, "derived from S8",
           "Relative share of knowledge-badge programmes (with pass rates gives >50% of badges)"),
      real("catalog.badge_mix.skill", "", "0.38", 0, 1, "derived from S8",
           "Relative share of skill-badge programmes (with pass rates gives ~30% of badges)"),
      real("catalog.badge_mix.other", "", "0.12", 0, 1, "derived from S8",
           "Relative share of other-badge programmes (contribution, performance, membership)"),
      prob("catalog.pass_probability.knowledge", "0.9", A, "Assessment pass probability, knowledge badges"),
      prob("catalog.pass_probability.skill", "0.7", "S8 (value: ASSUMPTION)",
           "Assessment pass probability, skill badges (hands-on, harder to pass)"),
      prob("catalog.pass_probability.other", "0.95", A, "Pass probability, other badges"),
      real("catalog.program_hours_median", "h", "25", 0, 1000, "derived from S2",
           "Median hours of a badge programme (S2 examples: 15, 20, 30, 60 h)", true),
      real("catalog.program_hours_sigma", "", "0.6", 0, 3, "derived from S2",
           "Log-normal sigma of programme hours"),
      real("catalog.item_hours_median", "h", "1.5", 0, 100, A, "Median hours of a short item", true),
      real_list("catalog.modality_mix", "", "[0.1, 0.75, 0.15]", 3, 0, 1, A,
                "Catalog shares of classroom, async online, live virtual resources"),
      real("catalog.external_fee_usd_per_hour", "USD/h", "10", 0, 10000, A,
           "Fee per hour of external (non-internal) content"),
      prob("recommendation.topic_interest", "0", "S3 (value: ASSUMPTION)",
           "Share of enrolments in the person's own favourite topic (drawn at hire from the topic weights)"),
      real("recommendation.strategic_emphasis", "", "1", 0, 100, "S9",
           "Multiplier on strategic topics' recommendation weight", true),
      // performance
      real("performance.base_pct", "TI pct", "95", 0, 1000, "S10 (level: ASSUMPTION)",
           "TI% of a person with no badges and average controls"),
      real("performance.knowledge_effect_pct", "TI points/badge", "0.466", -100, 100, "derived from S11, S12",
           "TI points per knowledge badge held; with the mix, 5 badges add ~5 points"),
      real("performance.skill_effect_pct", "TI points/badge", "0.932", -100, 100, "S12",
           "TI points per skill badge held (2x knowledge)"),
      real("performance.other_effect_pct", "TI points/badge", "0.466", -100, 100, A,
           "TI points per other badge held (as knowledge)"),
      real("performance.strategic_multiplier", "", "2", 0, 100, "S12 (value: ASSUMPTION)",
           "Multiplier on a strategic badge's effect", true),
      real("performance.person_sd_pct", "TI points", "15", 0, 1000, A, "SD of the persistent person effect"),
      real("performance.noise_sd_pct", "TI points", "20", 0, 1000, A, "SD of half-year noise"),
      real("performance.tenure_effect_pct_per_year", "TI points/yr", "0.3", -100, 100, A,
           "TI points per year of tenure (capped at 10 years)"),
      real("performance.selection_correlation", "", "0", -1, 1, A,
           "Correlation of the person effect with learning propensity (selection)"),
      // promotion
      real("promotion.intercept", "log odds", "-2.9", -50, 50, "derived from S14",
           "Promotion logit intercept; gives the ~7.7% annual rate with the defaults"),
      odds_ratio("promotion.or_knowledge", "1.061", "derived from S14, S15",
                 "OR per knowledge badge earned in the year (mix averages S14's 1.09)"),
      odds_ratio("promotion.or_skill", "1.16", "S15", "OR per skill badge earned in the year"),
      odds_ratio("promotion.or_other", "1.061", "derived from S14, S15",
                 "OR per other badge earned in the year"),
      odds_ratio("promotion.or_super", "1.62", "S16", "OR of super learners (>= 60 h) vs under 40 h"),
      odds_ratio("promotion.or_steady", "1.26", "S16", "OR of steady learners (40-59 h) vs under 40 h"),
      real("promotion.tenure_log_odds_per_year", "log odds/yr", "-0.02", -10, 10, A,
           "Tenure control (years, capped at 20)"),
      real("promotion.ti_log_odds_per_point", "log odds/TI point", "0.01", -10, 10, A,
           "TI control: mean TI% of the year minus 100"),
      other(ParamKind::Choice, "promotion.alignment", "", "none", A,
            "none; rate: scale odds to target_rate; capacity: cap promotions into full bands",
            {"none", "rate", "capacity"}),
      prob("promotion.target_rate", "0.077", "S14", "Annual promotion rate used by rate alignment"),
      // pay and cost
      real("pay.promotion_raise", "", "0.1", 0, 10, A, "Salary rise on promotion"),
      real("pay.merit_increase", "", "0.03", -1, 10, A, "Yearly merit increase"),
      real("pay.skills_premium_per_badge", "", "0.002", 0, 1, "S18 (value: ASSUMPTION)",
           "Extra merit increase per skill or strategic badge earned in the year"),
      real("pay.target_incentive_share", "", "0.2", 0, 10, A,
           "Target incentive as a share of salary; paid x TI%/100 per half-year"),
      real("cost.loaded_hourly_usd", "USD/h", "80", 0, 100000, A, "Loaded cost of an hour of learning time"),
      // outputs
      other(ParamKind::Bool, "outputs.panel", "", "false", A, "Write /panel person tables"),
      other(ParamKind::Bool, "outputs.events", "", "false", A, "Write /events tables"),
  };
}

ParamSpec field_text(std::string name, std::string def, std::string prov, std::string desc) {
  return other(ParamKind::Text, std::move(name), "", std::move(def), std::move(prov), std::move(desc));
}

std::vector<CollectionSpec> make_collections() {
  const std::string A = "ASSUMPTION";
  std::vector<CollectionSpec> out;
  {
    CollectionSpec c;
    c.path = "population.roles";
    c.key_meaning = "role name";
    c.description = "Job roles (S5: CTS, CTA, CTM for tech sellers)";
    c.fields = {prob("share", "0", A, "Share of the population and of hires"),
                real("ti_effect_pct", "TI points", "0", -100, 100, A, "TI% control of the role"),
                real("promotion_log_odds", "log odds", "0", -10, 10, A, "Promotion control of the role"),
                real("strategic_interest", "", "1", 0, 100, "S3",
                     "Multiplier on strategic topics in this role's recommendations", true)};
    c.default_entries = {{"CTS", {{"share", "0.6"}}},
                         {"CTA", {{"share", "0.3"}, {"ti_effect_pct", "1"}}},
                         {"CTM", {{"share", "0.1"}, {"ti_effect_pct", "2"}, {"promotion_log_odds", "-0.1"}}}};
    out.push_back(c);
  }
  {
    CollectionSpec c;
    c.path = "population.bands";
    c.key_kind = KeyKind::Integer;
    c.key_min = 1;
    c.key_max = 99;
    c.key_meaning = "salary band number";
    c.description = "Salary bands (MODEL.md §2: tech-seller bands 6-10); the highest is never promoted";
    c.fields = {
        prob("share", "0", A, "Share of the initial population"),
        prob("hire_share", "0", A, "Share of new hires"),
        real("salary_usd", "USD/yr", "100000", 0, 1e8, A, "Annual base salary at entry"),
        real("ti_effect_pct", "TI points", "0", -100, 100, A, "TI% control of the band"),
        real("promotion_log_odds", "log odds", "0", -10, 10, A, "Promotion control of the band"),
        integer("capacity", "people", "0", 0, 1e9, A, "Headcount cap for capacity alignment (0 = none)")};
    c.default_entries = {
        {"6",
         {{"share", "0.15"}, {"hire_share", "0.4"}, {"salary_usd", "70000"}, {"promotion_log_odds", "0.3"}}},
        {"7",
         {{"share", "0.3"}, {"hire_share", "0.35"}, {"salary_usd", "90000"}, {"promotion_log_odds", "0.15"}}},
        {"8", {{"share", "0.3"}, {"hire_share", "0.2"}, {"salary_usd", "115000"}}},
        {"9",
         {{"share", "0.18"},
          {"hire_share", "0.05"},
          {"salary_usd", "145000"},
          {"promotion_log_odds", "-0.4"}}},
        {"10", {{"share", "0.07"}, {"hire_share", "0"}, {"salary_usd", "185000"}}}};
    out.push_back(c);
  }
  {
    CollectionSpec c;
    c.path = "catalog.topics";
    c.key_meaning = "topic name";
    c.description = "Learning topics (MODEL.md §2) with strategic flags (S9) and programme weights";
    c.fields = {
        other(ParamKind::Bool, "strategic", "", "false", "S9", "Aligned with company strategy"),
        real("weight", "", "0", 0, INF, "derived from S9", "Relative weight of the topic's programmes")};
    c.default_entries = {{"Cloud", {{"strategic", "true"}, {"weight", "0.36"}}},
                         {"Analytics", {{"strategic", "true"}, {"weight", "0.12"}}},
                         {"Design Thinking", {{"strategic", "true"}, {"weight", "0.1"}}},
                         {"AI", {{"strategic", "true"}, {"weight", "0.07"}}},
                         {"Agile", {{"strategic", "true"}, {"weight", "0.06"}}},
                         {"Security", {{"strategic", "true"}, {"weight", "0.05"}}},
                         {"Blockchain", {{"strategic", "true"}, {"weight", "0.03"}}},
                         {"Quantum", {{"strategic", "true"}, {"weight", "0.02"}}},
                         {"Industry", {{"strategic", "false"}, {"weight", "0.07"}}},
                         {"Product", {{"strategic", "false"}, {"weight", "0.07"}}},
                         {"Sales & soft skills", {{"strategic", "false"}, {"weight", "0.05"}}}};
    out.push_back(c);
  }
  {
    CollectionSpec c;
    c.path = "learning.trend";
    c.key_kind = KeyKind::Integer;
    c.key_min = 1900;
    c.key_max = 2200;
    c.key_meaning = "calendar year";
    c.description = "Yearly trend; a year not listed uses the closest earlier listed year";
    c.fields = {real("multiplier", "", "1", 0, 100, "S6", "Multiplier on propensity"),
                real("campaign_hours", "h/yr", "0", 0, 8760, "derived from S6, S7",
                     "Extra hours per person from company-wide campaigns"),
                prob("target_compliance", "0.1", "derived from S7",
                     "Catch-up probability for people behind the target")};
    c.default_entries = {
        {"2014", {{"multiplier", "0.92"}}},
        {"2015", {{"multiplier", "0.95"}}},
        {"2016", {{"multiplier", "0.98"}}},
        {"2017", {{"multiplier", "1.01"}}},
        {"2018", {{"multiplier", "1.04"}}},
        {"2019", {{"multiplier", "1.1"}, {"campaign_hours", "25"}, {"target_compliance", "0.8"}}}};
    out.push_back(c);
  }
  {
    CollectionSpec c;
    c.path = "learning.required";
    c.key_meaning = "requirement name";
    c.description = "Manager-required learning (S3): hours of a topic per year for a role or everyone";
    c.fields = {field_text("role", "all", "S3", "Role name, or 'all'"),
                field_text("topic", "", "S3", "Topic name (one of catalog.topics)"),
                real("hours_per_year", "h/yr", "0", 0, 8760, "S3", "Required hours per person per year")};
    out.push_back(c);
  }
  {
    CollectionSpec c;
    c.path = "shocks";
    c.key_meaning = "shock name";
    c.description = "Time-windowed multipliers (S17 COVID, S19 downturn); overlapping shocks multiply";
    c.fields = {other(ParamKind::Month, "start", "YYYY-MM", "", A, "First month (inclusive)"),
                other(ParamKind::Month, "end", "YYYY-MM", "", A, "Last month (inclusive)"),
                real("hours_multiplier", "", "1", 0, 100, A, "Multiplier on learning hours"),
                real("classroom_availability", "", "1", 0, 100, A, "Multiplier on classroom/event weight"),
                real("async_availability", "", "1", 0, 100, A, "Multiplier on async online weight"),
                real("live_availability", "", "1", 0, 100, A, "Multiplier on live virtual weight"),
                real("budget_multiplier", "", "1", 0, 1, "S19",
                     "Multiplier on external content (fees) and enrolment"),
                real("compliance_multiplier", "", "1", 0, 100, A, "Multiplier on target compliance")};
    out.push_back(c);
  }
  return out;
}

}  // namespace

const std::vector<ParamSpec>& scalar_params() {
  static const std::vector<ParamSpec> table = make_scalars();
  return table;
}

const std::vector<CollectionSpec>& collection_params() {
  static const std::vector<CollectionSpec> table = make_collections();
  return table;
}

}  // namespace wfsim
