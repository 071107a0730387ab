// Loads a learning catalog from a CSV file of real resources (MODEL.md §4.3, S1, S2, S8).
// Format (RFC 4180: a header row, commas, double-quoted fields may hold commas, quotes ""
// and line breaks), columns in any order:
//   id (unique, non-empty), topic (one of the scenario's catalog.topics), hours (> 0),
//   modality (classroom|async|live), provider (internal|external), fee_usd (>= 0),
//   badge (none|knowledge|skill|other), pass_probability ([0, 1]); optional: title.
// Every bad cell is reported as "file:line:col: column 'hours': must be a number > 0, got 'abc'"
// (col = 1-based column number); all problems are thrown at once (first 50, then "... and N
// more"), and nothing is loaded when there is any.
#pragma once

#include <string>

#include "wfsim/catalog.h"
#include "wfsim/scenario.h"

namespace wfsim {

Catalog load_catalog_csv(const std::string& path, const Scenario& scenario);

}  // namespace wfsim
