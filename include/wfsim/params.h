// The parameter table: every scenario key with its unit, default, allowed range and
// provenance (a fact of MODEL.md, "derived from ...", or ASSUMPTION), defined once.
// The YAML loader, `wfsim params` and scenarios/README.md all read this table.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace wfsim {

enum class ParamKind { Real, Int, Bool, Text, Month, Choice, RealList };

struct ParamSpec {
  std::string name;  // full key path for scalars; the field name inside a collection
  ParamKind kind = ParamKind::Real;
  std::string unit;          // "h", "1/yr", "pct points", "" for dimensionless
  std::string default_text;  // YAML text of the default ("[1, 2]" for lists, "" = none)
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;  // true: the bound itself is not allowed (e.g. an odds ratio > 0)
  bool max_open = false;
  std::vector<std::string> choices;  // for Choice
  std::size_t list_length = 0;       // for RealList: exact length (0: any non-empty length)
  std::string provenance;
  std::string description;

  std::string range_text() const;  // "[0, 1]", "(0, inf)", "one of hold|growth", ...
};

enum class KeyKind { Name, Integer };

// A map of records keyed by name or integer (roles, bands, topics, trend years, shocks).
struct CollectionSpec {
  std::string path;  // "population.roles"
  KeyKind key_kind = KeyKind::Name;
  double key_min = 0, key_max = 0;  // for Integer keys
  std::string key_meaning;          // "role name", "band number", "calendar year"
  std::string description;
  std::vector<ParamSpec> fields;
  // Default entries: key -> (field name -> YAML text). Missing fields take the field default.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> default_entries;
  const ParamSpec* field(const std::string& name) const;
};

const std::vector<ParamSpec>& scalar_params();
const std::vector<CollectionSpec>& collection_params();
const ParamSpec* find_scalar(const std::string& path);
const CollectionSpec* find_collection(const std::string& path);

// Every valid key path ("learning.target_hours", "population.roles.<role name>.share"),
// used for "did you mean" suggestions.
std::vector<std::string> all_key_paths();

using ParamValue = std::variant<double, std::int64_t, bool, std::string, std::vector<double>>;

// A scenario as validated, typed values, keyed by path. Collections: path -> key -> field.
struct ParamValues {
  std::map<std::string, ParamValue> scalars;
  std::map<std::string, std::map<std::string, std::map<std::string, ParamValue>>> collections;
};

// Parses and range-checks one scalar YAML text against a spec. On failure returns the
// message ("must be a number in [0, 1], got 1.5") and leaves `out` unchanged.
std::optional<std::string> parse_param(const ParamSpec& spec, const std::string& text, ParamValue& out);
// Same for a list given as its elements' texts.
std::optional<std::string> parse_param_list(const ParamSpec& spec, const std::vector<std::string>& items,
                                            ParamValue& out);
// Checks a collection key ("CTS", "7", "2019").
std::optional<std::string> check_collection_key(const CollectionSpec& spec, const std::string& key);

// YAML text of a value, exact enough that parsing it back gives the same value.
std::string param_text(const ParamValue& value);

// The table's defaults, collections included.
ParamValues default_param_values();

// Month <-> "YYYY-MM". Months are counted as year * 12 + (month - 1).
std::optional<int> parse_month(const std::string& text);
std::string month_text(int month_index);

// Ordering of collection keys for output: integers numerically, names as given.
std::vector<std::string> ordered_keys(
    const CollectionSpec& spec, const std::map<std::string, std::map<std::string, ParamValue>>& entries);

}  // namespace wfsim
