// Version of wfsim and the git commit it was built from.
#pragma once

namespace wfsim {
const char* version();     // "0.1.0"
const char* git_commit();  // short hash, or "unknown" outside a git checkout
}  // namespace wfsim
