// One replicate of the agent-based model: build the population, step month by month in
// the order of MODEL.md §3 (Simulation::step_month is the one place that order lives),
// finish. Aggregates land in a ReplicateSeries; person-level records go to a RecordSink.
#pragma once

#include <array>
#include <vector>

#include "wfsim/alias_table.h"
#include "wfsim/catalog.h"
#include "wfsim/learning_model.h"
#include "wfsim/performance_model.h"
#include "wfsim/population.h"
#include "wfsim/promotion_model.h"
#include "wfsim/random.h"
#include "wfsim/run_results.h"
#include "wfsim/scenario.h"

namespace wfsim {

struct SimulationOptions {
  bool panel = false;   // emit person_half / person_year rows
  bool events = false;  // emit badge, promotion, hire, exit events
};

// Stable person ids: the initial population is 0..N-1; the k-th hire of month offset m is
// HIRE_ID_BASE + m * HIRE_ID_MONTH + k, so the same hiring slot has the same id (and the
// same random streams) in every scenario run with the same seed.
inline constexpr std::int32_t HIRE_ID_BASE = 1000000000;
inline constexpr std::int32_t HIRE_ID_MONTH = 1000000;
inline constexpr int MAX_MONTHS = 1140;  // keeps hire ids inside int32

class Simulation {
 public:
  Simulation(const Scenario& scenario, const Catalog& catalog, int replicate, SimulationOptions options,
             RecordSink* sink);

  void run();                  // every month of the horizon
  void step_month(int month);  // one month (month index), in MODEL.md §3 order
  const ReplicateSeries& series() const { return series_; }
  ReplicateSeries take_series() { return std::move(series_); }
  const Population& population() const { return pop_; }

 private:
  // Month accumulators; the person loop keeps a local copy so they stay in registers.
  struct MonthAcc {
    double hours = 0;
    std::array<double, MODALITY_COUNT> modality{};
    int hires = 0, exits = 0, enrolments = 0, completions = 0, dropouts = 0;
    std::array<int, BADGE_TYPE_COUNT> badges{};
    int strategic = 0;
    double cost = 0, payroll = 0;
  };

  // sub-steps of a month, called only by step_month, in this order
  void apply_policies(int month);
  void exits_and_learning(int month);  // exits, then hours, allocation, completions per person
  void hires(int month);
  void half_year_end(int month);
  void year_end(int month, bool december);
  void record_month(int month);

  void init_population();
  void init_person(std::size_t slot, std::int32_t id, int month, bool initial);
  void learn(std::size_t slot, const Block& b, MonthAcc& acc);
  void award_badge(std::size_t slot, int program, MonthAcc& acc);
  void emit_person_year(std::size_t slot, int year, int promoted);
  void flush(bool force);
  void rebuild_choice_tables();
  void release_slot(std::size_t slot);

  const Scenario& s_;
  const Catalog& catalog_;
  const int replicate_;
  const SimulationOptions opt_;
  RecordSink* sink_;
  const StreamKey key_;
  const LearningModel learning_;
  const PerformanceModel performance_;
  const PromotionModel promotion_;
  TimeAxes axes_;

  Population pop_;
  std::vector<std::size_t> free_slots_;
  ReplicateSeries series_;

  // choice tables: per role over all programmes; per topic for required learning
  // Badge programmes of the catalog in a compact table (cache-friendly; alias tables draw
  // indices into it, and enrolments hold such an index).
  struct ProgramInfo {
    float hours, pass_probability, fee_usd;
    std::int32_t resource;  // catalog index
    std::uint16_t topic;
    std::uint8_t modality, badge, strategic;
  };
  std::vector<ProgramInfo> programs_;
  std::vector<AliasTable> role_choice_, topic_choice_;
  std::array<double, MODALITY_COUNT> tables_availability_{-1, -1, -1};
  double tables_budget_ = -1;
  std::vector<AliasTable> required_topic_;  // per role: topic choice for required learning
  std::vector<double> required_hours_;      // per role, hours per year
  std::vector<double> required_share_;      // per role: probability an enrolment is required learning
  AliasTable role_draw_, band_draw_initial_, band_draw_hire_, topic_draw_;
  int cloud_topic_ = -1;

  MonthConstants mc_;
  int active_count_ = 0;
  int hires_this_month_ = 0;
  double expected_headcount_ = 0;

  MonthAcc m_;  // this month's accumulators
  // year accumulators
  struct YearAcc {
    int hires = 0, exits = 0;
    double hours_h1 = 0, hours_all = 0;
    std::array<int, BADGE_TYPE_COUNT> badges{};
    int strategic = 0;
    std::vector<int> topic_badges;
    double ti_sum = 0;
    int ti_count = 0;
    double cost = 0, payroll = 0;
  } y_;
  std::vector<float> scratch_hours_;
  std::vector<double> scratch_eta_;
  std::vector<std::size_t> scratch_slots_;

  // buffered records
  std::vector<PersonHalfRow> half_rows_;
  std::vector<PersonYearRow> year_rows_;
  std::vector<BadgeEvent> badge_events_;
  std::vector<PromotionEvent> promotion_events_;
  std::vector<HireEvent> hire_events_;
  std::vector<ExitEvent> exit_events_;
};

}  // namespace wfsim
