// Calibration by indirect inference: recovery of known generative values (targets simulated at
// those values with the same seeds, so common random numbers make the objective exactly zero
// there) and targets-file errors.
#include <catch2/catch.hpp>
#include <cmath>

#include "wfsim/calibration/calibration.h"
#include "wfsim/errors.h"
#include "wfsim/scenario/loader.h"

using namespace wfsim;

namespace {

const std::string BASELINE = std::string(WFSIM_SOURCE_DIR) + "/scenarios/baseline.yaml";

ModelFactory tiny_factory() {
  return [](const std::vector<std::string>& overrides) {
    std::vector<std::string> sets = {"population.headcount=1500", "run.replicates=2", "run.seed=12345"};
    sets.insert(sets.end(), overrides.begin(), overrides.end());
    LoadedScenario l = load_scenario_file(BASELINE, sets);
    Catalog c = Catalog::generate(l.scenario, l.scenario.seed);
    return CalibrationModel{std::move(l.scenario), std::move(c)};
  };
}

bool has_problem(const InputError& e, const std::string& where_part, const std::string& text) {
  for (const auto& p : e.problems())
    if (p.where.find(where_part) != std::string::npos && p.message.find(text) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("a tiny calibration recovers known generative values", "[calibration]") {
  TargetsSpec spec;
  spec.source = "test";
  spec.parameters = {{"performance.knowledge_effect_pct", 0.05, 2.0, std::nullopt, "test"},
                     {"promotion.intercept", -4.0, -2.0, std::nullopt, "test"}};
  spec.targets = {{"ti_per_badge", "S11", 0, 0.05, false, "", "test"},
                  {"promo_base_rate", "S14", 0, 0.003, false, "", "test"}};
  const std::vector<double> truth = {0.8, -3.2};
  const std::vector<double> start = {0.466, -2.9};  // the table's defaults
  // 1. Targets = the model's own estimates at the known values (same seed and replicates).
  {
    const CalibrationProblem gen(spec, truth, tiny_factory(), 2);
    const auto sim = gen.simulate_targets(gen.to_scaled(truth));
    REQUIRE(std::isfinite(sim[0]));
    REQUIRE(std::isfinite(sim[1]));
    spec.targets[0].value = sim[0];
    spec.targets[1].value = sim[1];
  }
  const CalibrationProblem at_truth(spec, truth, tiny_factory(), 2);
  CHECK(at_truth.evaluate(at_truth.to_scaled(truth)).objective == Approx(0.0).margin(1e-12));  // CRN: exact
  // 2. Calibrate from the defaults.
  const CalibrationProblem problem(spec, start, tiny_factory(), 2);
  OptimiseOptions o;
  o.max_evals = 80;
  o.xtol_abs = 1e-3;
  const OptimiseResult r = optimise(problem, o);
  const auto found = problem.to_natural(r.best_x);
  const auto x_truth = problem.to_scaled(truth);
  INFO("found " << found[0] << ", " << found[1] << " after " << r.evaluations << " evaluations, objective "
                << r.best.objective << " (" << r.stop_reason << ")");
  // Tolerance, in scaled units (fraction of each bound range): 0.02 = 20 x xtol (1e-3). The
  // objective is smooth in the TI effect (OLS is linear in it) but, with common random numbers,
  // piecewise constant in the intercept at the scale of one promotion flip (1/~7,000 rows ~ 1.4e-4
  // in the rate, ~0.002 in the intercept = 0.001 scaled), and both targets carry sampling noise of
  // 2 x 1,500 people that a different start cannot see, so 0.02 leaves room for the flat bottom.
  CHECK(std::fabs(r.best_x[0] - x_truth[0]) < 0.02);
  CHECK(std::fabs(r.best_x[1] - x_truth[1]) < 0.02);
  CHECK(r.evaluations < o.max_evals);  // stopped by xtol/ftol, not by the budget
  CHECK(r.best.objective < 0.05);
  CHECK(r.best.objective <= r.start.objective);
}

TEST_CASE("targets-file errors are input errors with file:line:col", "[calibration]") {
  const std::string dir = std::string(WFSIM_SOURCE_DIR) + "/tests/calibration/data/";
  try {
    parse_targets_file(dir + "bad-targets.yaml");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    INFO(e.what());
    CHECK(has_problem(e, "bad-targets.yaml:2:3", "unknown parameter 'performance.knowlege_effect_pct'"));
    CHECK(has_problem(e, "bad-targets.yaml:3:", "bad bounds"));
  }
  auto fails = [](const std::string& text, const std::string& what) {
    try {
      parse_targets_text(text, "t.yaml");
    } catch (const InputError& e) {
      INFO(e.what());
      for (const auto& p : e.problems())
        if (p.message.find(what) != std::string::npos && p.where.rfind("t.yaml:", 0) == 0) return true;
      return false;
    }
    return false;
  };
  const std::string ok_targets = "targets:\n  ti_per_badge: {value: 1, sd: 0.1}\n";
  CHECK(fails("parameters:\n  promotion.or_skill: {lower: 0, upper: 2}\n" + ok_targets,
              "outside the parameter's range"));
  CHECK(fails("parameters:\n  promotion.or_skill: {lower: 1.2, upper: 1.1}\n" + ok_targets, "bad bounds"));
  CHECK(fails("parameters:\n  promotion.or_skill: {lower: 1}\n" + ok_targets, "lower and upper"));
  CHECK(fails("parameters:\n  run.replicates: {lower: 1, upper: 5}\n" + ok_targets, "not a real number"));
  CHECK(fails("parameters:\n  catalog.topics.Cloud.wieght: {lower: 0.1, upper: 1}\n" + ok_targets,
              "not a field"));
  const std::string ok_params = "parameters:\n  promotion.or_skill: {lower: 1, upper: 1.5}\n";
  CHECK(fails(ok_params + "targets:\n  ti_per_bagde: {value: 1, sd: 0.1}\n", "unknown target quantity"));
  CHECK(fails(ok_params + "targets:\n  ti_per_badge: {value: 1, sd: 0}\n", "sd must be > 0"));
  CHECK(fails(ok_params + "targets:\n  promo_or_skill: {value: -1, sd: 0.1, scale: log}\n", "log scale"));
  CHECK(fails(ok_params + "targets:\n  ti_per_badge: {value: 1, sd: 0.1, wieght: 2}\n", "unknown field"));
  // A valid file parses, with collection keys and extra quantities.
  const TargetsSpec s = parse_targets_text(
      "replicates: 3\nparameters:\n  catalog.topics.Cloud.weight: {lower: 0.2, upper: 0.6}\n"
      "  learning.trend.2019.multiplier: {lower: 0.9, upper: 1.4}\ntargets:\n  cloud_share: {value: 0.38, "
      "sd: 0.02}\n",
      "ok.yaml");
  CHECK(s.replicates == 3);
  REQUIRE(s.parameters.size() == 2);
  CHECK(s.targets.at(0).fact == "S9");
  ParamValues d = default_param_values();
  CHECK(param_value_of(d, "catalog.topics.Cloud.weight") == Approx(0.36));
  CHECK(param_value_of(d, "learning.trend.2019.multiplier") == Approx(1.1));
}
