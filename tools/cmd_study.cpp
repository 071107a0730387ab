#include "commands.h"

namespace wfsim::cli {

ExtraCommand register_replicate_study(CLI::App&, CommonOptions&) { return {}; }

}  // namespace wfsim::cli
