// Synthetic run results and person-level records for the io tests (edge values included).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "wfsim/io/results_file.h"
#include "wfsim/params.h"
#include "wfsim/run_results.h"

namespace wfsim::test {

inline std::vector<std::string> synthetic_topics() { return {"Cloud & Infra", "Data science", "AI/ML"}; }

// Values cycle through edge cases: NaN, +-inf, 0, 1e308, negative, subnormal, ordinary.
inline double synthetic_value(int rep, int f, int m, int t) {
  const double inf = std::numeric_limits<double>::infinity();
  switch ((rep * 7 + f * 5 + m * 3 + t) % 11) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return inf;
    case 2:
      return -inf;
    case 3:
      return 0.0;
    case 4:
      return 1e308;
    case 5:
      return -12.5 * (t + 1);
    case 6:
      return std::numeric_limits<double>::denorm_min();
    case 7:
      return -0.0;
    default:
      return 0.1 * rep + 1.0 / (m + 1) + t;
  }
}

inline RunResults synthetic_results(int replicates, int start_month = 2019 * 12 + 2, int months = 22) {
  RunResults res;
  res.axes = TimeAxes::for_horizon(start_month, months);
  for (int f = 0; f < FREQUENCY_COUNT; ++f)
    res.metrics[f] = metric_infos(static_cast<Frequency>(f), synthetic_topics());
  res.replicates.resize(static_cast<std::size_t>(replicates));
  for (int r = 0; r < replicates; ++r)
    for (int f = 0; f < FREQUENCY_COUNT; ++f) {
      const int len = res.axes.length(static_cast<Frequency>(f));
      auto& vals = res.replicates[static_cast<std::size_t>(r)].values[f];
      vals.resize(res.metrics[f].size());
      for (std::size_t m = 0; m < vals.size(); ++m)
        for (int t = 0; t < len; ++t) vals[m].push_back(synthetic_value(r, f, static_cast<int>(m), t));
    }
  return res;
}

inline RunMetadata synthetic_meta(const RunResults& res) {
  RunMetadata meta;
  meta.wfsim_version = "0.1.0-test";
  meta.git_commit = "abcdef123456";
  meta.created_utc = "2024-01-02T03:04:05Z";
  meta.command_line = "wfsim run --seed 18446744073709551615 --out 'x y.h5'";
  meta.scenario_name = "baseline (tést)";
  meta.seed = 18446744073709551615ULL;
  meta.replicates = static_cast<int>(res.replicates.size());
  meta.start_month = month_text(res.axes.start_month);
  meta.months = res.axes.months;
  meta.scenario_yaml = "name: baseline\nlearning:\n  target_hours: 40  # ünïcode\n";
  meta.role_names = {"Consultant", "Delivery & Ops", "Sales"};
  meta.topic_names = synthetic_topics();
  meta.band_numbers = {6, 7, 8, 9, 10};
  return meta;
}

// Sends `batches` batches of deterministic records of replicate r to the sink.
inline void feed_records(RecordSink& sink, int r, int people, int batches) {
  for (int b = 0; b < batches; ++b) {
    std::vector<PersonHalfRow> half;
    std::vector<PersonYearRow> year;
    std::vector<BadgeEvent> badges;
    std::vector<PromotionEvent> promotions;
    std::vector<HireEvent> hires;
    std::vector<ExitEvent> exits;
    for (int p = 0; p < people; ++p) {
      const int hv = 2019 * 10 + 1 + (b % 2);
      half.push_back({r, p, hv, p % 3, 6 + p % 5, 12 * b + p, 0.5 * p + b, p % 4, b, 1, p % 2,
                      p % 13 == 0 ? std::numeric_limits<double>::quiet_NaN() : -3.25 + p});
      year.push_back({r, p, 2019 + b, p % 3, 6 + p % 5, 12 * b, 40.0 + p, p % 4, 1, 2, 3, 4, 10 + b, 1.5 * p,
                      (p % 3) - 1});
      if (p % 2 == 0) badges.push_back({r, p, 2019 * 12 + b, 1 + p % 3, p % 3, p % 2, 100 + p});
      if (p % 5 == 0) promotions.push_back({r, p, 2020 * 12, 6 + p % 4, 7 + p % 4});
      if (p % 7 == 0) hires.push_back({r, 1000 + p, 2019 * 12 + b, p % 3, 6});
      if (p % 11 == 0) exits.push_back({r, p, 2019 * 12 + b, 24 + p});
    }
    sink.person_half(half);
    sink.person_year(year);
    sink.badges(badges);
    sink.promotions(promotions);
    sink.hires(hires);
    sink.exits(exits);
  }
}

}  // namespace wfsim::test
