// The wfsim program: parses arguments (CLI11), calls the libraries, maps exceptions to exit
// codes: 0 success, 1 failure while running, 2 bad input (scenario, flag or file).
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "wfsim/errors.h"
#include "wfsim/version.h"

namespace {

int report_input_error(const wfsim::InputError& e) {
  for (const auto& p : e.problems())
    std::cerr << "error: " << (p.where.empty() ? "" : p.where + ": ") << p.message << '\n';
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace wfsim::cli;
  CLI::App app{"wfsim: agent-based simulation of a self-directed learning system and its workforce"};
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       std::string("wfsim ") + wfsim::version() + " (commit " + wfsim::git_commit() + ")");
  CommonOptions common;
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  common.command_line = command_line;

  auto add_scenario_options = [&](CLI::App* sub, bool scenario_positional) {
    if (scenario_positional)
      sub->add_option("scenario", common.scenario, "Scenario YAML file (default: the embedded baseline)");
    sub->add_option("--set", common.sets, "Override a scenario key: key.path=value (repeatable)")->take_all();
  };
  auto add_run_options = [&](CLI::App* sub) {
    sub->add_option("--replicates", common.replicates, "Number of replicates (sets run.replicates)")
        ->check(CLI::Range(1, 16777215));
    sub->add_option("--seed", common.seed, "Seed of every random stream (sets run.seed)");
    sub->add_option("--threads", common.threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(0, 4096));
    sub->add_flag("--quiet", common.quiet, "No summary table");
  };

  auto* run = app.add_subcommand("run", "Run a scenario and write its results file");
  add_scenario_options(run, true);
  add_run_options(run);
  run->add_option("-o,--output", common.output, "Results file (default: results/<scenario name>.h5)");
  run->add_flag("--overwrite", common.overwrite, "Replace an existing results file");
  run->add_flag("--panel", common.panel, "Write the person-level panel (/panel)");
  run->add_flag("--events", common.events, "Write the event tables (/events)");

  auto* validate =
      app.add_subcommand("validate", "Check a scenario: print every error, or 'ok' and the resolved YAML");
  add_scenario_options(validate, true);

  auto* params =
      app.add_subcommand("params", "Print every parameter: value, default, unit, range, provenance");
  add_scenario_options(params, true);
  params->add_flag("--markdown", common.markdown, "Print the markdown reference instead");

  std::string file;
  auto* summary = app.add_subcommand("summary", "Print the yearly summary table of a results file");
  summary->add_option("file", file, "Results file")->required();

  auto* rerun = app.add_subcommand("rerun", "Re-run a results file's embedded scenario and seed");
  rerun->add_option("file", file, "Results file")->required();
  rerun->add_option("-o,--output", common.output, "New results file (default: <file>.rerun.h5)");
  rerun->add_flag("--overwrite", common.overwrite, "Replace an existing output file");
  rerun->add_option("--threads", common.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  rerun->add_flag("--quiet", common.quiet, "No summary table");

  register_extra_commands(app, common);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << " (see 'wfsim --help')\n";
    return 2;
  }
  common.progress = isatty(STDERR_FILENO) != 0;

  try {
    if (run->parsed()) return cmd_run(common);
    if (validate->parsed()) return cmd_validate(common);
    if (params->parsed()) return cmd_params(common);
    if (summary->parsed()) return cmd_summary(file);
    if (rerun->parsed()) return cmd_rerun(file, common);
    return run_extra_command(app, common);
  } catch (const wfsim::InputError& e) {
    return report_input_error(e);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
