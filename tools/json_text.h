// JSON string quoting shared by the commands that print or embed JSON (compare, report).
#pragma once

#include <string>

namespace wfsim::cli {

// Appends `s` as a JSON string literal. With script_safe, '<', '>', '&', U+2028 and U+2029 are
// escaped too, so the JSON can sit inside an HTML <script> block.
void append_json_string(std::string& out, const std::string& s, bool script_safe);

}  // namespace wfsim::cli
