#include "commands.h"

namespace wfsim::cli {

ExtraCommand register_calibrate(CLI::App&, CommonOptions&) { return {}; }

}  // namespace wfsim::cli
