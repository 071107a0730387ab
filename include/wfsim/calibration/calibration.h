// Calibration by indirect inference (MODEL.md §4.5, engine/calibration/CALIBRATION.md): find the
// free parameters whose simulated study panels, read with the study's own estimators
// (estimate_study, averaged over replicates with common random numbers), come closest to the
// study's published values in a weighted distance. Optimiser: NLopt BOBYQA on parameters
// scaled to [0, 1]. The scenario is built by a caller-given factory (in wfsim calibrate: the
// scenario loader with `--set key=value` overrides), so every trial point is validated like
// any scenario. yaml-cpp stays private to this library.
#pragma once

#include <atomic>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wfsim/catalog.h"
#include "wfsim/params.h"
#include "wfsim/scenario.h"

namespace wfsim {

// ---- the targets file -------------------------------------------------------------------

struct FreeParameter {
  std::string key;  // scenario key path, e.g. "promotion.or_skill", "catalog.topics.Cloud.weight"
  double lower = 0, upper = 1;
  std::optional<double> start;  // default: the scenario's value
  std::string where;            // file:line:col of its entry
};

struct CalibrationTarget {
  std::string id;          // a quantity of estimate_study or an extra quantity (calibration_quantity_ids())
  std::string fact;        // "S14" (default: the quantity's own fact)
  double value = 0;        // the study's value (or its documented numeric reading)
  double sd = 1;           // uncertainty in the target's scale; weight = 1 / sd^2
  bool log_scale = false;  // compare log(simulated) with log(value) (odds ratios)
  std::string note;
  std::string where;
};

struct TargetsSpec {
  std::string source;
  std::vector<FreeParameter> parameters;
  std::vector<CalibrationTarget> targets;
  int replicates = 4;  // replicates per evaluation (command line overrides)
};

// Parses a targets file (format in CALIBRATION.md). Throws InputError listing every problem
// (file:line:col): unknown keys, unknown parameter or quantity ids, bounds outside the parameter
// table's range or lower >= upper, sd <= 0, log scale with a value <= 0, ...
TargetsSpec parse_targets_file(const std::string& path);
TargetsSpec parse_targets_text(const std::string& text, const std::string& origin);

// Quantity ids a target may name: estimate_study's ids plus the extras computed from the run's
// yearly/monthly series (cloud_share, hours_mean_2014_2018, share_super_2019, ...).
std::vector<std::string> calibration_quantity_ids();
// Fact of a quantity ("S9"); "" if none.
std::string calibration_quantity_fact(const std::string& id);

// The value of a scalar or collection field key in `values` (NaN if absent / not numeric).
double param_value_of(const ParamValues& values, const std::string& key);

// ---- the objective ----------------------------------------------------------------------

// Builds the model at given `--set` overrides (key=value texts); throws InputError if invalid.
struct CalibrationModel {
  Scenario scenario;
  Catalog catalog;
};
using ModelFactory = std::function<CalibrationModel(const std::vector<std::string>& overrides)>;

struct Evaluation {
  std::vector<double> x;          // scaled parameters in [0, 1]
  double objective = 0;           // sum of squared standardised errors
  std::vector<double> simulated;  // per target: mean over replicates (target's natural scale)
  std::vector<double> z;          // per target: standardised error (sim - value) / sd (in its scale)
  bool cached = false;            // replayed from a state file (simulated / z empty)
};

class CalibrationProblem {
 public:
  CalibrationProblem(TargetsSpec spec, std::vector<double> start, ModelFactory factory, int threads);

  const TargetsSpec& spec() const { return spec_; }
  std::size_t dimension() const { return spec_.parameters.size(); }
  const std::vector<double>& start() const { return start_; }  // natural units

  std::vector<double> to_natural(const std::vector<double>& x) const;
  std::vector<double> to_scaled(const std::vector<double>& natural) const;
  // "--set" texts of a scaled point.
  std::vector<std::string> overrides(const std::vector<double>& x) const;
  // Simulates the study panels at scaled point x (common random numbers: the scenario's seed and
  // replicates are the same at every point) and compares with the targets.
  Evaluation evaluate(const std::vector<double>& x) const;
  // Per target, the simulated values of one replicate set (exposed for tests and the CLI).
  std::vector<double> simulate_targets(const std::vector<double>& x) const;
  // Objective and z from simulated target values.
  Evaluation score(const std::vector<double>& x, const std::vector<double>& simulated) const;

 private:
  TargetsSpec spec_;
  std::vector<double> start_;
  ModelFactory factory_;
  int threads_;
};

// ---- optimisation -----------------------------------------------------------------------

struct OptimiseOptions {
  int max_evals = 300;
  double initial_step = 0.1;  // scaled units
  double xtol_abs = 1e-3;     // scaled units, each parameter
  double ftol_abs = 1e-4;     // objective units (sum of squared z)
  std::string state_path;     // written after every evaluation ("" : none)
  bool resume = false;        // replay evaluations cached in state_path
  std::string fingerprint;    // identifies problem + scenario; resume refuses a different one
  const std::atomic<bool>* interrupt = nullptr;  // set (e.g. by SIGINT): stop after the evaluation
  std::function<void(int number, const Evaluation&)> progress;
};

struct OptimiseResult {
  std::vector<double> best_x;  // scaled
  Evaluation best;             // re-evaluated at best_x (with simulated values and z)
  Evaluation start;            // at the start point
  int evaluations = 0;         // objective calls, cached ones included
  int cached = 0;              // of which replayed from the state file
  bool interrupted = false;
  std::string stop_reason;
};

OptimiseResult optimise(const CalibrationProblem& problem, const OptimiseOptions& options);

// ---- identification ---------------------------------------------------------------------

struct Identification {
  double step = 0;                                 // finite-difference step (scaled units)
  std::vector<std::vector<double>> jacobian;       // [target][parameter]: d z / d x (scaled)
  std::vector<double> column_norm;                 // per parameter: || d z / d x_j ||
  std::vector<double> singular_values;             // of the Jacobian, descending
  std::vector<std::vector<double>> right_vectors;  // per singular value: parameter combination
  std::vector<bool> flat;                          // per parameter: column norm below the threshold
  double threshold = 1.0;
};

// Forward differences at scaled point x (towards the interior), common random numbers.
Identification identify(const CalibrationProblem& problem, const std::vector<double>& x, const Evaluation& at,
                        double step = 0.05, double threshold = 1.0);
std::string identification_text(const CalibrationProblem& problem, const Identification& id);

// ---- output -----------------------------------------------------------------------------

// Before/after table of every target: id, fact, study, before, after, z before, z after.
std::string targets_table(const CalibrationProblem& problem, const Evaluation& before,
                          const Evaluation& after);

struct OverlayInfo {
  std::string scenario;  // source
  std::string targets;   // targets file
  int replicates = 0;
  std::uint64_t seed = 0;
  int evaluations = 0;
  double objective_before = 0, objective_after = 0;
  std::string date;  // ISO date
};
// The YAML overlay: header comments, then the calibrated values as nested scenario keys, each
// with a comment naming the facts of the targets it mainly moves (from the Jacobian).
std::string overlay_yaml(const CalibrationProblem& problem, const std::vector<double>& x,
                         const OverlayInfo& info, const Identification* id);

}  // namespace wfsim
