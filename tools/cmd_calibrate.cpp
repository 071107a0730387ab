// wfsim calibrate: calibration by indirect inference (engine/calibration/CALIBRATION.md). Loads the
// scenario (with its extends chain as is), reads the targets file, minimises the weighted distance
// between the study's values and the study's estimators run on simulated panels (NLopt BOBYQA,
// common random numbers), checks identification, prints a before/after table and writes the overlay.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "wfsim/calibration/calibration.h"
#include "wfsim/calibration/study_panels.h"
#include "wfsim/errors.h"

namespace wfsim::cli {
namespace {

std::atomic<bool> g_interrupt{false};
extern "C" void on_sigint(int) { g_interrupt.store(true); }

struct CalibrateOptions {
  std::string targets;
  std::string state;
  bool resume = false;
  int max_evals = 300;
  bool no_identify = false;
};

std::string today() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::localtime(&t));
  return buf;
}

int run_calibrate(const CommonOptions& o, const CalibrateOptions& c) {
  const auto t0 = std::chrono::steady_clock::now();
  const TargetsSpec spec = parse_targets_file(c.targets);
  const int replicates = o.replicates ? *o.replicates : spec.replicates;

  // The scenario as is (its extends chain included) with the user's --set and the calibration's
  // replicates/seed; every trial point adds its parameter overrides after those.
  std::vector<std::string> base_sets = o.sets;
  base_sets.push_back("run.replicates=" + std::to_string(replicates));
  if (o.seed) base_sets.push_back("run.seed=" + std::to_string(*o.seed));
  auto load = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> sets = base_sets;
    sets.insert(sets.end(), extra.begin(), extra.end());
    return o.scenario.empty() ? load_default_scenario(sets) : load_scenario_file(o.scenario, sets);
  };
  const LoadedScenario loaded = load({});
  check_study_horizon(loaded.scenario, loaded.source);
  std::vector<double> start;
  for (const auto& p : spec.parameters)
    start.push_back(p.start ? *p.start : param_value_of(loaded.values, p.key));
  ModelFactory factory = [&load](const std::vector<std::string>& overrides) {
    LoadedScenario l = load(overrides);
    Catalog cat = make_catalog(l.scenario);
    return CalibrationModel{std::move(l.scenario), std::move(cat)};
  };
  const CalibrationProblem problem(spec, start, factory, o.threads);

  OptimiseOptions opt;
  opt.max_evals = c.max_evals;
  opt.state_path = c.state.empty()
                       ? (o.output.empty() ? std::string("calibration-state.json") : o.output + ".state.json")
                       : c.state;
  opt.resume = c.resume;
  {
    // What makes cached objectives valid: the resolved scenario, the targets and the parameters.
    std::string fp = loaded.resolved_yaml;
    for (const auto& p : spec.parameters)
      fp += "|" + p.key + ":" + std::to_string(p.lower) + ":" + std::to_string(p.upper);
    for (const auto& t : spec.targets)
      fp +=
          "|" + t.id + ":" + std::to_string(t.value) + ":" + std::to_string(t.sd) + (t.log_scale ? "L" : "");
    opt.fingerprint = std::to_string(std::hash<std::string>{}(fp));
  }
  opt.interrupt = &g_interrupt;
  opt.progress = [&spec, t0](int n, const Evaluation& e) {
    std::string worst = "-";
    double wz = 0;
    for (std::size_t k = 0; k < e.z.size(); ++k)
      if (std::fabs(e.z[k]) > std::fabs(wz)) {
        wz = e.z[k];
        worst = spec.targets[k].id;
      }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char buf[256];
    if (e.cached)
      std::snprintf(buf, sizeof buf, "eval %4d  objective %12.5g  (cached from the state file)  [%.0f s]", n,
                    e.objective, secs);
    else
      std::snprintf(buf, sizeof buf, "eval %4d  objective %12.5g  worst %s z=%+.2f  [%.0f s]", n, e.objective,
                    worst.c_str(), wz, secs);
    std::cerr << buf << std::endl;
  };

  g_interrupt.store(false);
  auto previous = std::signal(SIGINT, on_sigint);
  std::cerr << "calibrate: " << spec.parameters.size() << " parameters, " << spec.targets.size()
            << " targets, " << replicates << " replicates per evaluation, seed " << loaded.scenario.seed
            << ", state file " << opt.state_path << (c.resume ? " (resuming)" : "") << "\n";
  OptimiseResult res;
  try {
    res = optimise(problem, opt);
  } catch (...) {
    std::signal(SIGINT, previous);
    throw;
  }
  if (res.interrupted) {
    std::signal(SIGINT, previous);
    std::cerr << "calibrate: interrupted after " << res.evaluations << " evaluations (best objective "
              << res.best.objective << "); state saved in " << opt.state_path
              << ".\nResume with the same command "
              << "plus: --state " << opt.state_path << " --resume\n";
    return 1;
  }
  const double t_opt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << "calibrate: " << res.stop_reason << " after " << res.evaluations << " evaluations ("
            << res.cached << " cached), " << t_opt << " s; identification check (" << spec.parameters.size()
            << " more evaluations)\n";
  Identification ident;
  const bool have_ident = !c.no_identify;
  if (have_ident) ident = identify(problem, res.best_x, res.best);
  std::signal(SIGINT, previous);
  const double t_all = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  OverlayInfo info;
  info.scenario = loaded.source;
  info.targets = c.targets;
  info.replicates = replicates;
  info.seed = loaded.scenario.seed;
  info.evaluations = res.evaluations;
  info.objective_before = res.start.objective;
  info.objective_after = res.best.objective;
  info.date = today();
  const std::string overlay = overlay_yaml(problem, res.best_x, info, have_ident ? &ident : nullptr);

  std::cout << "Calibration of '" << loaded.scenario.name << "' by indirect inference: " << res.evaluations
            << " evaluations (" << res.stop_reason << "), " << replicates << " replicates each, seed "
            << loaded.scenario.seed << "\n\n";
  std::cout << targets_table(problem, res.start, res.best) << "\n";
  if (have_ident) std::cout << identification_text(problem, ident) << "\n";
  std::printf("time: optimisation %.1f s, total %.1f s\n", t_opt, t_all);
  if (o.output.empty()) {
    std::cout << "\n" << overlay;
  } else {
    std::ofstream out(o.output, std::ios::trunc);
    if (!out) throw InputError(o.output, "cannot write the overlay file");
    out << overlay;
    std::cout << "Overlay written to " << o.output << "\n";
  }
  return 0;
}

}  // namespace

ExtraCommand register_calibrate(CLI::App& app, CommonOptions& common) {
  static CalibrateOptions c;
  auto* sub = app.add_subcommand(
      "calibrate", "Fit free parameters to the study's values by indirect inference (CALIBRATION.md)");
  sub->add_option("scenario", common.scenario, "Scenario YAML file (default: the embedded baseline)");
  sub->add_option("--targets", c.targets, "Targets file (YAML): free parameters with bounds, targets with sd")
      ->required();
  sub->add_option("-o,--output", common.output, "Write the overlay YAML here (default: stdout)");
  sub->add_option("--replicates", common.replicates,
                  "Replicates per evaluation (default: the targets file's, 4)")
      ->check(CLI::Range(1, 10000));
  sub->add_option("--seed", common.seed, "Seed of every random stream (sets run.seed)");
  sub->add_option("--threads", common.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  sub->add_option("--max-evals", c.max_evals, "Maximum objective evaluations (default 300)")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--state", c.state,
                  "State file written after every evaluation (default: OVERLAY.state.json or "
                  "calibration-state.json)");
  sub->add_flag("--resume", c.resume, "Replay the evaluations cached in the state file, then continue");
  sub->add_flag("--no-identify", c.no_identify, "Skip the identification check (Jacobian at the optimum)");
  sub->add_option("--set", common.sets, "Override a scenario key: key.path=value (repeatable)")->take_all();
  return {sub, [&common] { return run_calibrate(common, c); }};
}

}  // namespace wfsim::cli
