// wfsim replicate-study: simulates the study's panel (tech sellers 2014-2019, the baseline by
// default) in R replicates, re-runs the study's estimators (MODEL.md §7, estimate_study) on each
// replicate separately and sets the study's published numbers against the spread of the
// per-replicate estimates. Documented in engine/stats/ESTIMATORS.md, "wfsim replicate-study".
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <utility>

#include "commands.h"
#include "wfsim/calibration/study_panels.h"
#include "wfsim/errors.h"
#include "wfsim/experiment.h"
#include "wfsim/stats/study_estimators.h"

namespace wfsim::cli {
namespace {

constexpr int DEFAULT_REPLICATES = 20;
// The study window and the per-replicate estimation live in the calibration library
// (wfsim/calibration/study_panels.h), shared with `wfsim calibrate`.
constexpr const char* PERCENTILE_METHOD =
    "linear interpolation between order statistics (Hyndman-Fan type 7, R's default; "
    "numpy 'linear'); replicates without an estimate are left out";
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// Percentile p (0..1) of `v` (sorted, finite): type 7, h = (n-1)p.
double percentile_type7(const std::vector<double>& v, double p) {
  if (v.empty()) return NaN;
  const double h = (static_cast<double>(v.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= v.size()) return v.back();
  return v[lo] + (h - static_cast<double>(lo)) * (v[lo + 1] - v[lo]);
}

std::string num(double x) {
  if (!std::isfinite(x)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

std::string pad(const std::string& s, std::size_t w, bool right) {
  if (s.size() >= w) return s;
  const std::string fill(w - s.size(), ' ');
  return right ? fill + s : s + fill;
}

using ReplicateOutcome = StudyReplicate;

// How the study states a value. Regression estimates are points; descriptive facts are rounded
// ("about 100 h") or bounds ("over half"). A rounded value is read as the interval of its rounding
// (ASSUMPTION, ESTIMATORS.md) and a bound as a bound; inside? then asks whether the simulated range
// meets the interval, or lies wholly on the bound's side.
struct StudyClaim {
  enum Kind { Point, About, Above } kind = Point;
  double lo = NaN, hi = NaN;  // About: [lo, hi]; Above: lo
  std::string text;           // how the study column shows it
};

StudyClaim claim_for(const std::string& id, double study) {
  if (id == "hours_mean") return {StudyClaim::About, 95, 105, "~100"};                 // S6 "about 100 h"
  if (id == "share_super") return {StudyClaim::Above, 0.60, NaN, ">0.6"};              // S7 "more than 60%"
  if (id == "share_think40") return {StudyClaim::About, 0.75, 0.85, "~0.8"};           // S7 "about 80%"
  if (id == "badge_share_knowledge") return {StudyClaim::Above, 0.5, NaN, ">0.5"};     // S8 "over half"
  if (id == "badge_share_skill") return {StudyClaim::About, 0.25, 0.35, "~0.3"};       // S8 "about 30%"
  if (id == "badge_stock_mean_last_year") return {StudyClaim::About, 4.5, 5.5, "~5"};  // S11 "5 badges"
  if (id == "ti_strategic_nonstrategic_ratio")
    return {StudyClaim::Above, 1.0, NaN, ">1"};  // S12 "much stronger"
  return {StudyClaim::Point, study, study, ""};
}

struct Row {
  std::string id, fact, description;
  StudyClaim claim;
  double study = NaN, mean = NaN, low = NaN, high = NaN;
  int inside = -1;  // 1 yes, 0 no, -1 not applicable
  int finite = 0;   // replicates with an estimate
};

std::vector<Row> summarize_rows(const std::vector<ReplicateOutcome>& reps) {
  std::vector<Row> rows;
  const auto& first = reps.front().estimates.quantities;
  for (const auto& q : first) {
    Row row;
    row.id = q.id;
    row.fact = q.fact;
    row.description = q.note;
    row.study = q.study_value;
    std::vector<double> v;
    for (const auto& rep : reps) {
      const double e = rep.estimates.estimate(q.id);
      if (std::isfinite(e)) v.push_back(e);
    }
    row.finite = static_cast<int>(v.size());
    if (!v.empty()) {
      double sum = 0;
      for (double e : v) sum += e;
      row.mean = sum / static_cast<double>(v.size());
      std::sort(v.begin(), v.end());
      row.low = percentile_type7(v, 0.025);
      row.high = percentile_type7(v, 0.975);
    }
    row.claim = claim_for(q.id, row.study);
    const bool stated = std::isfinite(row.study) || row.claim.kind != StudyClaim::Point;
    if (stated && std::isfinite(row.low) && std::isfinite(row.high)) {
      switch (row.claim.kind) {
        case StudyClaim::Point:
          row.inside = (row.study >= row.low && row.study <= row.high) ? 1 : 0;
          break;
        case StudyClaim::About:
          row.inside = (row.low <= row.claim.hi && row.high >= row.claim.lo) ? 1 : 0;
          break;
        case StudyClaim::Above:
          row.inside = row.low > row.claim.lo ? 1 : 0;
          break;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string render_table(const std::vector<Row>& rows) {
  const std::size_t w_id = 31, w_fact = 4, w_study = 8, w_mean = 10, w_range = 23, w_in = 7;
  std::ostringstream os;
  auto line = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d,
                  const std::string& e, const std::string& f) {
    os << pad(a, w_id, false) << " | " << pad(b, w_fact, false) << " | " << pad(c, w_study, true) << " | "
       << pad(d, w_mean, true) << " | " << pad(e, w_range, true) << " | " << f << "\n";
  };
  line("quantity", "fact", "study", "sim. mean", "2.5-97.5% range", "inside?");
  os << std::string(w_id, '-') << "-+-" << std::string(w_fact, '-') << "-+-" << std::string(w_study, '-')
     << "-+-" << std::string(w_mean, '-') << "-+-" << std::string(w_range, '-') << "-+-"
     << std::string(w_in, '-') << "\n";
  for (const auto& r : rows) {
    const std::string range =
        std::isfinite(r.low) ? "[" + num(r.low) + ", " + num(r.high) + "]" : std::string("-");
    line(r.id, r.fact.empty() ? "-" : r.fact, r.claim.text.empty() ? num(r.study) : r.claim.text, num(r.mean),
         range,
         r.inside == 1   ? "yes"
         : r.inside == 0 ? "no"
                         : "-");
  }
  return os.str();
}

std::string default_output(const std::string& name) {
  std::filesystem::create_directories("results");
  return "results/replicate-study-" + name + ".h5";
}

int run_replicate_study(const CommonOptions& common) {
  CommonOptions o = common;
  if (!o.replicates) o.replicates = DEFAULT_REPLICATES;
  const LoadedScenario loaded = load_for(o.scenario, o);
  const Scenario& s = loaded.scenario;
  check_study_horizon(s, loaded.source);

  // Check the output before simulating: an existing file without --overwrite is bad input.
  const std::string out_path = o.output.empty() ? default_output(s.name) : o.output;
  if (std::filesystem::exists(out_path) && !o.overwrite)
    throw InputError(out_path, "exists; pass --overwrite to replace it");
  MultiRunWriter writer(out_path, o.overwrite, "wfsim-study-replication");

  const int n = s.replicates;
  const Catalog catalog = make_catalog(s);
  std::function<void(int, int)> progress;
  if (o.progress) {
    progress = [&s](int done, int total) {
      const int width = 30;
      const int filled = total ? done * width / total : width;
      std::cerr << "\r" << s.name << " [" << std::string(static_cast<std::size_t>(filled), '#')
                << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/" << total
                << " replicates simulated and estimated" << std::flush;
      if (done == total) std::cerr << "\n";
    };
  }
  StudyPanels panels = simulate_study_panels(s, catalog, o.threads, progress);
  const RunResults& results = panels.results;
  const std::vector<ReplicateOutcome>& outcomes = panels.replicates;
  const std::vector<Row> rows = summarize_rows(outcomes);

  // ---- stdout ----
  double people = 0, ti_rows = 0, promo_rows = 0, year_rows = 0;
  for (const auto& rep : outcomes) {
    people += static_cast<double>(rep.distinct_people);
    ti_rows += static_cast<double>(rep.estimates.ti_rows);
    promo_rows += static_cast<double>(rep.estimates.promotion_rows);
    year_rows += static_cast<double>(rep.estimates.year_rows);
  }
  const double nd = static_cast<double>(n);
  std::cout << "Study replication: scenario '" << s.name << "', " << n << " replicates, seed " << s.seed
            << "; MODEL.md §7 estimators on each replicate\n";
  std::printf(
      "Per replicate (means): %.0f distinct people, %.0f person-half rows (TI, 2014-H1..2019-H1),\n"
      "%.0f person-year rows (promotion, 2014..2018), %.0f person-year rows (descriptives, 2014..2019)\n\n",
      people / nd, ti_rows / nd, promo_rows / nd, year_rows / nd);
  std::fflush(stdout);
  std::cout << render_table(rows);
  std::cout
      << "\nRange: 2.5% and 97.5% percentiles of the " << n
      << " per-replicate estimates (linear interpolation, Hyndman-Fan type 7).\n"
      << "inside? = the study's regression estimate lies within the range; for descriptive facts the\n"
      << "study's rounding interval (~100 h: 95-105; ~0.8: 0.75-0.85; ~0.3: 0.25-0.35; ~5: 4.5-5.5) meets\n"
      << "the range, and for bounds (>0.6, >0.5, >1) the whole range is above; '-': the study gives no "
         "number.\n"
      << "The study's odds ratios come from separate regressions (MODEL.md §4.5): a scenario that does "
         "not extend\n"
      << "baseline-calibrated.yaml (wfsim calibrate) is expected to miss some of them. Numbers are as "
         "estimated.\n";
  for (const auto& r : rows)
    if (r.finite < n) {
      std::cout << "note: " << r.id << ": " << (n - r.finite) << " of " << n
                << " replicates gave no estimate";
      for (const auto& rep : outcomes)
        if (!std::isfinite(rep.estimates.estimate(r.id)) && !rep.estimates.messages.empty()) {
          std::cout << " (e.g. " << rep.estimates.messages.front() << ")";
          break;
        }
      std::cout << "\n";
    }

  // ---- file ----
  writer.add_run(run_group(s.name), results, metadata_for(loaded, o.command_line));
  {
    std::vector<std::string> id, fact, desc;
    std::vector<double> study, mean, low, high;
    std::vector<std::int64_t> inside;
    std::vector<std::string> claims;
    for (const auto& r : rows) {
      claims.push_back(r.claim.text);
      id.push_back(r.id);
      fact.push_back(r.fact);
      desc.push_back(r.description);
      study.push_back(r.study);
      mean.push_back(r.mean);
      low.push_back(r.low);
      high.push_back(r.high);
      inside.push_back(r.inside);
    }
    writer.add_table(
        "study_replication",
        {
            {"quantity", "", "Quantity id (engine/stats/ESTIMATORS.md)", std::move(id)},
            {"fact", "", "Fact of the study the quantity anchors on (MODEL.md §1); empty: none",
             std::move(fact)},
            {"description", "", "How to read the study value and the estimate", std::move(desc)},
            {"study_value", "", "The study's published value; NaN: the study gives no number",
             std::move(study)},
            {"simulated_mean", "", "Mean of the per-replicate estimates (replicates without one left out)",
             std::move(mean)},
            {"range_low", "", "2.5% percentile of the per-replicate estimates (type 7)", std::move(low)},
            {"range_high", "", "97.5% percentile of the per-replicate estimates (type 7)", std::move(high)},
            {"inside", "",
             "1: the study value is met (regression estimates: within [range_low, range_high]; rounded "
             "facts: their rounding interval meets the range; bounds: the whole range on the bound's side); "
             "0: not met; -1: not applicable",
             std::move(inside)},
            {"study_claim", "", "How the study states the value: '' point, '~x' rounded, '>x' lower bound",
             std::move(claims)},
        },
        "The study's estimators (MODEL.md §7) re-run on each simulated replicate: study value vs the "
        "spread of the per-replicate estimates");
  }
  {
    std::vector<std::int64_t> rep;
    std::vector<std::string> quantity;
    std::vector<double> estimate;
    for (int r = 0; r < n; ++r)
      for (const auto& row : rows) {
        rep.push_back(r);
        quantity.push_back(row.id);
        estimate.push_back(outcomes[static_cast<std::size_t>(r)].estimates.estimate(row.id));
      }
    writer.add_table(
        "study_replication_replicates",
        {
            {"replicate", "", "Replicate index (0-based)", std::move(rep)},
            {"quantity", "", "Quantity id (rows of /study_replication)", std::move(quantity)},
            {"estimate", "", "The replicate's estimate; NaN when the model failed", std::move(estimate)},
        },
        "Per-replicate estimates of every quantity of /study_replication");
  }
  writer.set_attribute("scenario_name", s.name);
  if (s.seed <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    writer.set_attribute("seed", static_cast<std::int64_t>(s.seed));
  else
    writer.set_attribute("seed", std::to_string(s.seed));
  writer.set_attribute("replicates", static_cast<std::int64_t>(n));
  writer.set_attribute("percentile_method", std::string(PERCENTILE_METHOD));
  writer.set_attribute("study_window",
                       std::string("TI: halves 2014-H1..2019-H1; promotion: years 2014..2018; "
                                   "descriptives: years 2014..2019"));
  writer.finish();
  std::cout << "Results written to " << out_path << "\n";
  return 0;
}

}  // namespace

ExtraCommand register_replicate_study(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "replicate-study",
      "Re-run the study's estimators (MODEL.md §7) on simulated panels, one per replicate, and compare");
  sub->add_option("scenario", common.scenario, "Scenario YAML file (default: the embedded baseline)");
  sub->add_option("--set", common.sets, "Override a scenario key: key.path=value (repeatable)")->take_all();
  sub->add_option("--replicates", common.replicates,
                  "Number of simulated panels (default for this command: 20)")
      ->check(CLI::Range(1, 16777215));
  sub->add_option("--seed", common.seed, "Seed of every random stream (sets run.seed)");
  sub->add_option("--threads", common.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  sub->add_option("-o,--output", common.output,
                  "Results file (default: results/replicate-study-<scenario name>.h5)");
  sub->add_flag("--overwrite", common.overwrite, "Replace an existing results file");
  return {sub, [&common] { return run_replicate_study(common); }};
}

}  // namespace wfsim::cli
