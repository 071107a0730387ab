#include "commands.h"

namespace wfsim::cli {

ExtraCommand register_sweep(CLI::App&, CommonOptions&) { return {}; }

}  // namespace wfsim::cli
