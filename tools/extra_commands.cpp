// Experiment commands built on run/results: compare, sweep, replicate-study. Registered
// here so main() stays a table of subcommands.
#include "commands.h"

namespace wfsim::cli {
namespace {
std::vector<ExtraCommand>& extras() {
  static std::vector<ExtraCommand> list;
  return list;
}
}  // namespace

void register_extra_commands(CLI::App& app, CommonOptions& common) {
  extras().push_back(register_compare(app, common));
  extras().push_back(register_sweep(app, common));
  extras().push_back(register_replicate_study(app, common));
  extras().push_back(register_bench(app, common));
  extras().push_back(register_calibrate(app, common));
  extras().push_back(register_report(app, common));
}

int run_extra_command(CLI::App&, CommonOptions&) {
  for (const auto& e : extras())
    if (e.app && e.app->parsed()) return e.run();
  return 2;
}

}  // namespace wfsim::cli
