#include "wfsim/run_results.h"

#include <cctype>

#include "wfsim/params.h"
#include "wfsim/scenario.h"

namespace wfsim {

const char* frequency_name(Frequency f) {
  switch (f) {
    case Frequency::Monthly:
      return "monthly";
    case Frequency::Yearly:
      return "yearly";
    case Frequency::HalfYearly:
      return "halfyearly";
  }
  return "?";
}

TimeAxes TimeAxes::for_horizon(int start_month, int months) {
  TimeAxes a;
  a.start_month = start_month;
  a.months = months;
  const int last = start_month + months - 1;
  a.first_year = start_month / 12;
  a.years = last / 12 - a.first_year + 1;
  a.first_half = start_month / 6;
  a.halves = last / 6 - a.first_half + 1;
  return a;
}

std::vector<std::string> TimeAxes::month_labels() const {
  std::vector<std::string> out;
  for (int m = 0; m < months; ++m) out.push_back(month_text(start_month + m));
  return out;
}

std::vector<std::int64_t> TimeAxes::year_labels() const {
  std::vector<std::int64_t> out;
  for (int y = 0; y < years; ++y) out.push_back(first_year + y);
  return out;
}

std::vector<std::string> TimeAxes::half_labels() const {
  std::vector<std::string> out;
  for (int h = 0; h < halves; ++h) {
    const int hh = first_half + h;
    out.push_back(std::to_string(hh / 2) + (hh % 2 ? "-H2" : "-H1"));
  }
  return out;
}

int TimeAxes::length(Frequency f) const {
  switch (f) {
    case Frequency::Monthly:
      return months;
    case Frequency::Yearly:
      return years;
    case Frequency::HalfYearly:
      return halves;
  }
  return 0;
}

std::string topic_slug(const std::string& topic) {
  std::string out;
  for (char c : topic) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::vector<MetricInfo> metric_infos(Frequency f, const Scenario& scenario) {
  std::vector<std::string> names;
  for (const auto& t : scenario.topics) names.push_back(t.name);
  return metric_infos(f, names);
}

std::vector<MetricInfo> metric_infos(Frequency f, const std::vector<std::string>& topic_names) {
  switch (f) {
    case Frequency::Monthly:
      return {
          {"headcount", "people", "Active employees at the end of the month"},
          {"hires", "people", "People hired in the month"},
          {"exits", "people", "People who left in the month"},
          {"hours_mean", "h/person", "Mean learning hours per active person in the month"},
          {"hours_classroom_share", "fraction", "Share of the month's hours in classroom/event learning"},
          {"hours_async_share", "fraction", "Share of the month's hours in asynchronous online learning"},
          {"hours_live_share", "fraction", "Share of the month's hours in live virtual learning"},
          {"enrolments", "count", "Badge programmes started in the month"},
          {"completions", "count", "Badge programmes completed (assessed) in the month"},
          {"dropouts", "count", "Enrolments abandoned in the month"},
          {"badges_knowledge", "badges", "Knowledge badges awarded in the month"},
          {"badges_skill", "badges", "Skill badges awarded in the month"},
          {"badges_other", "badges", "Other badges awarded in the month"},
          {"badges_strategic", "badges", "Badges in strategic topics awarded in the month"},
          {"learning_cost", "USD", "Learning time at loaded cost plus external fees, for the month"},
          {"payroll", "USD", "Base salary plus incentive pay for the month"},
      };
    case Frequency::Yearly: {
      std::vector<MetricInfo> v = {
          {"headcount", "people", "Active employees at the end of the year"},
          {"hires", "people", "People hired in the year"},
          {"exits", "people", "People who left in the year"},
          {"hours_mean", "h/person", "Mean yearly learning hours of people active the whole year"},
          {"hours_median", "h/person", "Median yearly learning hours of people active the whole year"},
          {"share_super", "fraction", "Share with >= 60 h in the year (S7 super learners)"},
          {"share_steady", "fraction", "Share with 40-59 h (S7 steady learners)"},
          {"share_adequate", "fraction", "Share with 20-39 h (S7 adequate learners)"},
          {"share_under", "fraction", "Share with < 20 h (S7 under learners)"},
          {"share_meeting_target", "fraction", "Share meeting the yearly learning target"},
          {"hours_h1_share", "fraction", "Share of the year's hours learned January-June"},
          {"badges_knowledge", "badges", "Knowledge badges awarded in the year"},
          {"badges_skill", "badges", "Skill badges awarded in the year"},
          {"badges_other", "badges", "Other badges awarded in the year"},
          {"badges_strategic", "badges", "Badges in strategic topics awarded in the year"},
          {"badges_cloud", "badges", "Badges in the Cloud topic awarded in the year"},
          {"badge_stock_mean", "badges/person", "Mean badges held per active person at the end of the year"},
          {"promotions", "people", "Promotions decided at the end of the year (effective 1 January)"},
          {"promotion_rate", "fraction", "Promotions decided at year end / people eligible (below top band)"},
          {"ti_mean", "TI pct", "Mean TI% over the year's half-year measurements"},
          {"learning_cost", "USD", "Learning cost of the year"},
          {"payroll", "USD", "Payroll of the year (base plus incentive)"},
      };
      for (const auto& t : topic_names)
        v.push_back(
            {"badges_topic_" + topic_slug(t), "badges", "Badges in topic '" + t + "' awarded in the year"});
      return v;
    }
    case Frequency::HalfYearly:
      return {
          {"ti_mean", "TI pct", "Mean TI% of the half-year"},
          {"ti_sd", "TI pct", "Standard deviation of TI% across people in the half-year"},
          {"headcount", "people", "People with a TI% measurement in the half-year"},
      };
  }
  return {};
}

int RunResults::metric_index(Frequency f, const std::string& name) const {
  const auto& m = metrics[static_cast<int>(f)];
  for (std::size_t i = 0; i < m.size(); ++i)
    if (m[i].name == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::vector<double>> RunResults::series(Frequency f, const std::string& name) const {
  std::vector<std::vector<double>> out;
  const int i = metric_index(f, name);
  if (i < 0) return out;
  for (const auto& r : replicates) out.push_back(r.values[static_cast<int>(f)][static_cast<std::size_t>(i)]);
  return out;
}

void MemorySink::person_half(std::span<const PersonHalfRow> r) {
  person_half_rows.insert(person_half_rows.end(), r.begin(), r.end());
}
void MemorySink::person_year(std::span<const PersonYearRow> r) {
  person_year_rows.insert(person_year_rows.end(), r.begin(), r.end());
}
void MemorySink::badges(std::span<const BadgeEvent> r) {
  badge_events.insert(badge_events.end(), r.begin(), r.end());
}
void MemorySink::promotions(std::span<const PromotionEvent> r) {
  promotion_events.insert(promotion_events.end(), r.begin(), r.end());
}
void MemorySink::hires(std::span<const HireEvent> r) {
  hire_events.insert(hire_events.end(), r.begin(), r.end());
}
void MemorySink::exits(std::span<const ExitEvent> r) {
  exit_events.insert(exit_events.end(), r.begin(), r.end());
}

}  // namespace wfsim
