#include "commands.h"

namespace wfsim::cli {

ExtraCommand register_compare(CLI::App&, CommonOptions&) { return {}; }

}  // namespace wfsim::cli
