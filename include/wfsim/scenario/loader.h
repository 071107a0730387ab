// The scenario loader (MODEL.md §2 "Scenario", ENGINEERING.md "settings in three phases"):
// YAML file(s) -> per-key checks against the parameter table (params.h) -> cross-key checks
// (make_scenario) -> a frozen Scenario. Every problem of the whole `extends` chain and of the
// `--set` overrides is collected and thrown at once as an InputError with file:line:column.
// yaml-cpp stays private to this library: no YAML type appears here.
//
// Scenario files:
//  - nesting follows the dots of the table's key paths: `learning: {target_hours: 40}`;
//  - collections (population.roles, population.bands, catalog.topics, learning.trend,
//    learning.required, shocks) are mappings key -> record; a file merges them by key with
//    what it extends (fields merge too); `KEY: null` (or `~`) removes an entry;
//  - lists (e.g. learning.seasonality) are YAML sequences, replaced whole;
//  - top-level `extends: other.yaml` (relative to the extending file) loads another file
//    first, the child overriding it deeply;
//  - `--set key.path=value` overrides come last (value: a YAML scalar or flow sequence).
// A relative catalog.csv_path is resolved against the directory of the file that sets it and
// stored as an absolute path (in both `values` and `resolved_yaml`).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "wfsim/params.h"
#include "wfsim/scenario.h"

namespace wfsim {

struct LoadedScenario {
  ParamValues values;  // validated values, defaults filled in
  Scenario scenario;   // make_scenario(values) (core), frozen
  std::string
      resolved_yaml;   // every key with its value, in table order; loading it again gives identical values
  std::string source;  // file path, or "<embedded:baseline>"
};

// Loads a scenario file (following `extends`), applies `--set` overrides ("key.path=value"),
// validates, freezes. Throws InputError listing every problem found.
LoadedScenario load_scenario_file(const std::string& path,
                                  const std::vector<std::string>& set_overrides = {});

// Same from text; `origin` names it in messages (and gives the default name, its file stem);
// relative `extends` resolve against base_dir, and if base_dir is empty against the embedded
// scenarios.
LoadedScenario load_scenario_text(const std::string& yaml, const std::string& origin,
                                  const std::string& base_dir,
                                  const std::vector<std::string>& set_overrides = {});

// The embedded default (scenarios/baseline.yaml compiled into the binary); works from any directory.
LoadedScenario load_default_scenario(const std::vector<std::string>& set_overrides = {});

// Names and texts of every embedded scenario file (all scenarios/*.yaml, keyed by file name,
// e.g. "baseline.yaml").
const std::map<std::string, std::string>& embedded_scenarios();

// The YAML text of `values` as load_scenario_text reads it back (what resolved_yaml holds):
// scalars in table order, then collections with keys in ordered_keys() order; default entries
// that `values` lacks are written as `KEY: null` so the round trip removes them again.
std::string resolved_yaml_text(const ParamValues& values);

// The parameter table as aligned text: key, value (if a scenario is given), default, unit,
// range, then provenance and description on an indented line. Fits a 120-column terminal.
std::string params_table_text(const ParamValues* scenario_values);

// Markdown reference of every key from the same table, one table per section and per
// collection (scenarios/README.md embeds it between the markers below).
std::string params_reference_markdown();
inline constexpr const char* PARAMS_DOC_BEGIN = "<!-- BEGIN GENERATED PARAMS -->";
inline constexpr const char* PARAMS_DOC_END = "<!-- END GENERATED PARAMS -->";

// Returns `document` with the text between PARAMS_DOC_BEGIN and PARAMS_DOC_END replaced by
// params_reference_markdown() (throws InputError if a marker is missing).
std::string update_params_reference(const std::string& document);

}  // namespace wfsim
