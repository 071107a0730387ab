#include "commands.h"

namespace wfsim::cli {

ExtraCommand register_report(CLI::App&, CommonOptions&) { return {}; }

}  // namespace wfsim::cli
