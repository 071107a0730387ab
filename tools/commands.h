// Subcommands of the wfsim program. Each returns the process exit code; bad input is thrown
// as wfsim::InputError and mapped to exit code 2 by main().
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wfsim/catalog.h"
#include "wfsim/io/results_file.h"
#include "wfsim/run_results.h"
#include "wfsim/scenario/loader.h"

namespace wfsim::cli {

struct CommonOptions {
  std::string scenario;
  std::vector<std::string> sets;
  std::optional<int> replicates;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  bool quiet = false;
  std::string output;
  bool overwrite = false;
  bool panel = false;
  bool events = false;
  bool markdown = false;
  bool progress = false;
  std::string command_line;
};

// The scenario of the options (file or embedded baseline) with --set and the run flags applied.
LoadedScenario load_for(const std::string& scenario_path, const CommonOptions& o);
Catalog make_catalog(const Scenario& s);
RunMetadata metadata_for(const LoadedScenario& loaded, const std::string& command_line);
// The HDF5 group of a scenario's run in a multi-run file: "runs/<name>" with '/' in the name
// replaced by '_' (the name itself stays in the run's attributes and tables).
std::string run_group(const std::string& scenario_name);
// Runs a loaded scenario; writes a results file when `writer` is given.
RunResults execute(const LoadedScenario& loaded, const CommonOptions& o, ResultsWriter* writer,
                   const std::string& label);

int cmd_run(const CommonOptions& o);
int cmd_validate(const CommonOptions& o);
int cmd_params(const CommonOptions& o);
int cmd_summary(const std::string& file);
int cmd_rerun(const std::string& file, const CommonOptions& o);

// compare, sweep, replicate-study, calibrate, bench, report: each file registers its
// subcommand and returns what to run when it is chosen.
struct ExtraCommand {
  CLI::App* app = nullptr;
  std::function<int()> run;
};
ExtraCommand register_compare(CLI::App& app, CommonOptions& common);          // cmd_compare.cpp
ExtraCommand register_sweep(CLI::App& app, CommonOptions& common);            // cmd_sweep.cpp
ExtraCommand register_replicate_study(CLI::App& app, CommonOptions& common);  // cmd_study.cpp
ExtraCommand register_bench(CLI::App& app, CommonOptions& common);            // cmd_bench.cpp
ExtraCommand register_calibrate(CLI::App& app, CommonOptions& common);        // cmd_calibrate.cpp
ExtraCommand register_report(CLI::App& app, CommonOptions& common);           // cmd_report.cpp

void register_extra_commands(CLI::App& app, CommonOptions& common);
int run_extra_command(CLI::App& app, CommonOptions& common);

}  // namespace wfsim::cli
