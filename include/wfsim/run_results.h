// What a run produces: aggregate series per replicate (monthly, yearly, half-yearly),
// and, streamed through a RecordSink, person-level panel rows and events.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace wfsim {

struct Scenario;

enum class Frequency { Monthly = 0, Yearly = 1, HalfYearly = 2 };
inline constexpr int FREQUENCY_COUNT = 3;
const char* frequency_name(Frequency f);  // "monthly", "yearly", "halfyearly"

struct MetricInfo {
  std::string name;
  std::string units;
  std::string description;
};

// The time axes of a run. Years and halves are the calendar periods the horizon touches.
struct TimeAxes {
  int start_month = 0;  // month index (year * 12 + month - 1)
  int months = 0;
  int first_year = 0;
  int years = 0;
  int first_half = 0;  // year * 2 + (0 for H1, 1 for H2)
  int halves = 0;
  static TimeAxes for_horizon(int start_month, int months);
  std::vector<std::string> month_labels() const;  // "YYYY-MM"
  std::vector<std::int64_t> year_labels() const;  // 2014, ...
  std::vector<std::string> half_labels() const;   // "YYYY-H1"
  int length(Frequency f) const;
};

// The metric lists of a scenario (yearly includes one badges_topic_<slug> per topic).
std::vector<MetricInfo> metric_infos(Frequency f, const Scenario& scenario);
std::vector<MetricInfo> metric_infos(Frequency f, const std::vector<std::string>& topic_names);
std::string topic_slug(const std::string& topic);

// One replicate's series: values[frequency][metric][t].
struct ReplicateSeries {
  std::vector<std::vector<double>> values[FREQUENCY_COUNT];
};

struct RunResults {
  TimeAxes axes;
  std::vector<MetricInfo> metrics[FREQUENCY_COUNT];
  std::vector<ReplicateSeries> replicates;  // in replicate order

  int metric_index(Frequency f, const std::string& name) const;  // -1 if absent
  // values of one metric across replicates: [replicate][t]
  std::vector<std::vector<double>> series(Frequency f, const std::string& name) const;
};

// ---- person-level records -----------------------------------------------------------

struct PersonHalfRow {
  std::int32_t replicate, person, half;  // half coded year*10 + 1|2, e.g. 20191
  std::int32_t role, band, tenure_months;
  double hours;  // hours learned in the half-year
  std::int32_t badges_knowledge, badges_skill, badges_other, badges_strategic;  // stock at start
  double ti_pct;
};

struct PersonYearRow {
  std::int32_t replicate, person, year;
  std::int32_t role, band, tenure_months;  // at the year's end (or exit)
  double hours;
  std::int32_t learner_category;  // 0 under, 1 adequate, 2 steady, 3 super
  std::int32_t badges_year_knowledge, badges_year_skill, badges_year_other, badges_year_strategic;
  std::int32_t badge_stock;
  double ti_mean;
  std::int32_t promoted_next_year;  // 1/0; -1 not observed (exit or top band)
};

struct BadgeEvent {
  std::int32_t replicate, person, month;  // month index
  std::int32_t badge_type;                // 1 knowledge, 2 skill, 3 other
  std::int32_t topic;                     // index into the scenario's topics
  std::int32_t strategic;                 // 1/0
  std::int32_t resource;                  // catalog index
};

struct PromotionEvent {
  std::int32_t replicate, person, month;  // effective month (January)
  std::int32_t from_band, to_band;
};

struct HireEvent {
  std::int32_t replicate, person, month, role, band;
};

struct ExitEvent {
  std::int32_t replicate, person, month, tenure_months;
};

// Receives person-level records of one replicate, in the order they are produced.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void person_half(std::span<const PersonHalfRow> rows) = 0;
  virtual void person_year(std::span<const PersonYearRow> rows) = 0;
  virtual void badges(std::span<const BadgeEvent> rows) = 0;
  virtual void promotions(std::span<const PromotionEvent> rows) = 0;
  virtual void hires(std::span<const HireEvent> rows) = 0;
  virtual void exits(std::span<const ExitEvent> rows) = 0;
};

// Keeps every record in memory (tests, the study estimators on small panels).
class MemorySink : public RecordSink {
 public:
  std::vector<PersonHalfRow> person_half_rows;
  std::vector<PersonYearRow> person_year_rows;
  std::vector<BadgeEvent> badge_events;
  std::vector<PromotionEvent> promotion_events;
  std::vector<HireEvent> hire_events;
  std::vector<ExitEvent> exit_events;
  void person_half(std::span<const PersonHalfRow> r) override;
  void person_year(std::span<const PersonYearRow> r) override;
  void badges(std::span<const BadgeEvent> r) override;
  void promotions(std::span<const PromotionEvent> r) override;
  void hires(std::span<const HireEvent> r) override;
  void exits(std::span<const ExitEvent> r) override;
};

// Hands each replicate its own sink, so replicates can run on any thread and the
// records still land in replicate order.
class RecordSinkFactory {
 public:
  virtual ~RecordSinkFactory() = default;
  virtual RecordSink* for_replicate(int replicate) = 0;
};

}  // namespace wfsim
