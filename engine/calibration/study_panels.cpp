// Simulated study panels: the part of `wfsim replicate-study` that `wfsim calibrate` reuses.
#include "wfsim/calibration/study_panels.h"

#include <algorithm>
#include <memory>

#include "wfsim/errors.h"
#include "wfsim/experiment.h"

namespace wfsim {
namespace {

class StudySinks : public RecordSinkFactory {
 public:
  explicit StudySinks(int n) : sinks_(static_cast<std::size_t>(n)) {
    for (auto& s : sinks_) s = std::make_unique<MemorySink>();
  }
  RecordSink* for_replicate(int r) override { return sinks_.at(static_cast<std::size_t>(r)).get(); }
  MemorySink& at(int r) { return *sinks_.at(static_cast<std::size_t>(r)); }
  void release(int r) { sinks_.at(static_cast<std::size_t>(r)).reset(); }

 private:
  std::vector<std::unique_ptr<MemorySink>> sinks_;  // sized once: threads touch distinct elements
};

}  // namespace

StudyReplicate estimate_study_window(MemorySink& sink, const StudyOptions& options) {
  auto& halves = sink.person_half_rows;
  auto& years = sink.person_year_rows;
  std::erase_if(halves, [](const PersonHalfRow& h) {
    return h.half < STUDY_FIRST_YEAR * 10 + 1 || h.half > STUDY_LAST_HALF;
  });
  std::erase_if(years,
                [](const PersonYearRow& y) { return y.year < STUDY_FIRST_YEAR || y.year > STUDY_LAST_YEAR; });
  for (auto& y : years)
    if (y.year > STUDY_LAST_PROMOTION_YEAR) y.promoted_next_year = -1;  // outside the study's window
  StudyReplicate out;
  std::vector<std::int32_t> ids;
  ids.reserve(halves.size() + years.size());
  for (const auto& h : halves) ids.push_back(h.person);
  for (const auto& y : years) ids.push_back(y.person);
  std::sort(ids.begin(), ids.end());
  out.distinct_people = static_cast<long>(std::unique(ids.begin(), ids.end()) - ids.begin());
  out.estimates = estimate_study(halves, years, options);
  return out;
}

void check_study_horizon(const Scenario& s, const std::string& source) {
  if (s.start_month > STUDY_LAST_HALF / 10 * 12 + 5 || s.end_month() <= STUDY_FIRST_YEAR * 12)
    throw InputError(source, "the scenario's horizon (" + month_text(s.start_month) + " + " +
                                 std::to_string(s.months) +
                                 " months) does not overlap the study's panel (2014-01 to 2019-06)");
}

StudyPanels simulate_study_panels(const Scenario& s, const Catalog& catalog, int threads,
                                  const std::function<void(int done, int total)>& progress) {
  const int n = s.replicates;
  StudySinks sinks(n);
  StudyPanels out;
  out.replicates.resize(static_cast<std::size_t>(n));
  ExperimentOptions eo;
  eo.threads = threads;
  eo.panel = true;
  eo.events = false;
  eo.sinks = &sinks;
  eo.replicate_done = [&](int r) {
    out.replicates[static_cast<std::size_t>(r)] = estimate_study_window(sinks.at(r));
    sinks.release(r);
  };
  if (progress) eo.progress = progress;
  out.results = run_experiment(s, catalog, eo);
  return out;
}

}  // namespace wfsim
