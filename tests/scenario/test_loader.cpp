// Tests of the scenario loader (include/wfsim/scenario/loader.h): nesting, collections,
// extends, --set, every error class with its exact file:line:col message, round trips and
// the embedded default.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wfsim/errors.h"
#include "wfsim/scenario/loader.h"

using namespace wfsim;

namespace {

const std::string DATA = std::string(WFSIM_SOURCE_DIR) + "/tests/scenario/data";

LoadedScenario from_text(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  return load_scenario_text(yaml, "x.yaml", "", sets);
}

// The problems an InputError carries, formatted "where: message", one per entry.
template <class F>
std::vector<std::string> problems_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems()) out.push_back(p.where + ": " + p.message);
    return out;
  } catch (const std::exception& e) {
    FAIL("expected InputError, got " << e.what());
  }
  FAIL("expected InputError, nothing was thrown");
  return {};
}

std::vector<std::string> text_problems(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  return problems_of([&] { from_text(yaml, sets); });
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The allowed range as the parameter table words it (the one source of ranges).
std::string range(const std::string& key) { return find_scalar(key)->range_text(); }

const std::map<std::string, ParamValue>& entry(const LoadedScenario& s, const std::string& coll,
                                               const std::string& key) {
  return s.values.collections.at(coll).at(key);
}

bool same_values(const ParamValues& a, const ParamValues& b) {
  return a.scalars == b.scalars && a.collections == b.collections;
}

}  // namespace

TEST_CASE("loader: an empty scenario gives the table defaults, named after the file stem", "[loader]") {
  for (const std::string yaml : {"", "{}", "# only a comment\n"}) {
    const auto s = from_text(yaml);
    ParamValues expected = default_param_values();
    expected.scalars["name"] = std::string("x");
    CHECK(same_values(s.values, expected));
    CHECK(s.scenario.name == "x");
    CHECK(s.source == "x.yaml");
    CHECK(s.scenario.months == 72);
    CHECK(s.scenario.roles.size() == 3);
  }
}

TEST_CASE("loader: nesting follows the dots of the key paths", "[loader]") {
  const auto s = from_text(
      "name: nested\n"
      "learning: {target_hours: 60, nudging: {enabled: true}}\n"
      "catalog: {badge_mix: {skill: 0.4}}\n"
      "modality:\n  preference: [0.2, 0.6, 0.2]\n");
  CHECK(s.scenario.name == "nested");
  CHECK(s.scenario.target_hours == 60);
  CHECK(s.scenario.nudging);
  const ParamValues defaults = default_param_values();
  CHECK(s.values.scalars.at("learning.nudging.effect") == defaults.scalars.at("learning.nudging.effect"));
  CHECK(s.scenario.badge_mix[2] == 0.4);
  CHECK(s.values.scalars.at("catalog.badge_mix.knowledge") ==
        defaults.scalars.at("catalog.badge_mix.knowledge"));
  CHECK(s.scenario.modality_preference[0] == 0.2);
}

TEST_CASE("loader: collections merge by key, fields merge, null removes an entry", "[loader]") {
  const ParamValue cta_share =
      default_param_values().collections.at("population.roles").at("CTA").at("share");
  const auto s = from_text(
      "population:\n"
      "  roles:\n"
      "    CTS: {share: " +
      param_text(1.0 - std::get<double>(cta_share)) +
      "}\n"
      "    CTM: null\n"
      "    CTA: {ti_effect_pct: 3}\n"
      "  bands:\n"
      "    10: ~\n"
      "    6: {share: 0.2, hire_share: 0.4}\n"
      "    7: {share: 0.3, hire_share: 0.3}\n"
      "    8: {share: 0.25, hire_share: 0.2}\n"
      "    09: {share: 0.25, hire_share: 0.1}\n"
      "catalog:\n"
      "  topics:\n"
      "    Quantum: ~\n"
      "    Robotics: {weight: 0.02}\n"
      "learning:\n"
      "  trend:\n"
      "    2020: {multiplier: 1.2}\n");
  const auto& roles = s.values.collections.at("population.roles");
  REQUIRE(roles.size() == 2);
  CHECK(roles.at("CTA").at("share") == cta_share);                      // kept from the defaults
  CHECK(std::get<double>(roles.at("CTA").at("ti_effect_pct")) == 3.0);  // merged field
  CHECK(s.scenario.role_index("CTM") == -1);
  const auto& bands = s.values.collections.at("population.bands");
  CHECK(bands.count("10") == 0);
  CHECK(std::get<double>(bands.at("9").at("share")) == 0.25);  // "09" is band 9
  CHECK(s.scenario.bands.back().band == 9);
  CHECK(s.scenario.topic_index("Quantum") == -1);
  REQUIRE(s.scenario.topic_index("Robotics") >= 0);
  CHECK_FALSE(
      s.scenario.topics[static_cast<std::size_t>(s.scenario.topic_index("Robotics"))].strategic);  // default
  ParamValue compliance;  // a new entry's missing fields take the field defaults
  REQUIRE_FALSE(parse_param(*find_collection("learning.trend")->field("target_compliance"),
                            find_collection("learning.trend")->field("target_compliance")->default_text,
                            compliance));
  CHECK(entry(s, "learning.trend", "2020").at("target_compliance") == compliance);
  CHECK(s.scenario.trend.back().year == 2020);
}

TEST_CASE("loader: unknown keys name file:line:col and the closest valid key", "[loader][errors]") {
  CHECK(text_problems("name: t\nrun:\n  months: 12\nlearnig:\n  target_hours: 3\n") ==
        std::vector<std::string>{"x.yaml:4:1: unknown key 'learnig' (did you mean 'learning'?)"});
  CHECK(text_problems("learning:\n  target_hourz: 3\n") ==
        std::vector<std::string>{"x.yaml:2:3: unknown key 'target_hourz' (did you mean 'target_hours'?)"});
  CHECK(text_problems("learning: {nudging: {enabld: true}}\n") ==
        std::vector<std::string>{"x.yaml:1:22: unknown key 'enabld' (did you mean 'enabled'?)"});
  const auto far = text_problems("zzzzzzzz: 1\n");
  REQUIRE(far.size() == 1);
  CHECK(far[0].rfind("x.yaml:1:1: unknown key 'zzzzzzzz'; valid keys here: name, description, run,", 0) == 0);
  CHECK(text_problems("name: a\nname: b\n") ==
        std::vector<std::string>{"x.yaml:2:1: duplicate key 'name' (first on line 1); keep one of them"});
}

TEST_CASE("loader: unknown fields of a collection record suggest among its fields", "[loader][errors]") {
  CHECK(text_problems("population:\n  roles:\n    CTS: {shar: 0.6}\n") ==
        std::vector<std::string>{"x.yaml:3:11: unknown key 'shar' (did you mean 'share'?)"});
  CHECK(text_problems("shocks:\n  covid:\n    strat: 2020-03\n") ==
        std::vector<std::string>{"x.yaml:3:5: unknown key 'strat' (did you mean 'start'?)"});
  CHECK(text_problems("population: {bands: {abc: {share: 1}}}\n") ==
        std::vector<std::string>{
            "x.yaml:1:22: population.bands: key must be a salary band number (integer in [1, "
            "99]), got 'abc'"});
}

TEST_CASE("loader: bad values name file:line:col, the key path and the allowed range", "[loader][errors]") {
  CHECK(text_problems("learning:\n  target_compliance: 1.5\n") ==
        std::vector<std::string>{
            "x.yaml:2:22: learning.target_compliance: must be a number in [0, 1], got '1.5'"});
  CHECK(text_problems("learning: {target_hours: -5}\n") ==
        std::vector<std::string>{std::string("x.yaml:1:26: learning.target_hours: must be a number in ") +
                                 range("learning.target_hours") + ", got '-5'"});
  CHECK(text_problems("promotion:\n  or_skill: 0\n") ==
        std::vector<std::string>{"x.yaml:2:13: promotion.or_skill: must be a number in " +
                                 range("promotion.or_skill") + ", got '0'"});
  CHECK(text_problems("run:\n  start_month: 2020-13\n") ==
        std::vector<std::string>{
            "x.yaml:2:16: run.start_month: must be a month YYYY-MM with month 01-12, got '2020-13'"});
  CHECK(text_problems("shocks:\n  covid: {start: 2020-13, end: 2020-07}\n") ==
        std::vector<std::string>{
            "x.yaml:2:18: shocks.covid.start: must be a month YYYY-MM with month 01-12, got '2020-13'"});
  CHECK(text_problems("run:\n  months: 0\n") ==
        std::vector<std::string>{"x.yaml:2:11: run.months: must be an " + range("run.months") + ", got '0'"});
  CHECK(
      text_problems("run:\n  months: 1.5\n") ==
      std::vector<std::string>{"x.yaml:2:11: run.months: must be an " + range("run.months") + ", got '1.5'"});
  CHECK(
      text_problems("learning:\n  nudging:\n    enabled: maybe\n") ==
      std::vector<std::string>{"x.yaml:3:14: learning.nudging.enabled: must be true or false, got 'maybe'"});
  CHECK(text_problems("promotion: {alignment: sometimes}\n") ==
        std::vector<std::string>{
            "x.yaml:1:24: promotion.alignment: must be one of none|rate|capacity, got 'sometimes'"});
}

TEST_CASE("loader: a mapping where a value is expected, and the reverse, are errors", "[loader][errors]") {
  CHECK(text_problems("learning:\n  target_hours: {a: 1}\n") ==
        std::vector<std::string>{"x.yaml:2:17: learning.target_hours: must be a single value (" +
                                 range("learning.target_hours") + "), got a mapping"});
  const auto section = text_problems("learning: 5\n");
  REQUIRE(section.size() == 1);
  CHECK(section[0].rfind("x.yaml:1:11: learning: must be a mapping of keys (propensity_mean_hours, ", 0) ==
        0);
  CHECK(section[0].find("got a single value '5'") != std::string::npos);
  CHECK(text_problems("population: {roles: {CTS: 0.6}}\n") ==
        std::vector<std::string>{
            "x.yaml:1:27: population.roles.CTS: must be a mapping of fields (share, "
            "ti_effect_pct, promotion_log_odds, strategic_interest), got a single value '0.6'"});
  CHECK(text_problems("learning: {seasonality: 1}\n") ==
        std::vector<std::string>{
            "x.yaml:1:25: learning.seasonality: must be 12 numbers in [0, 12] (a YAML list), "
            "got a single value '1'"});
  CHECK(text_problems("learning: {seasonality: [1, 2]}\n") ==
        std::vector<std::string>{
            "x.yaml:1:25: learning.seasonality: must be 12 numbers in [0, 12], got 2 items"});
  CHECK(text_problems("learning: {target_hours: [1, 2]}\n") ==
        std::vector<std::string>{"x.yaml:1:26: learning.target_hours: must be a single value (" +
                                 range("learning.target_hours") + "), got a list"});
  CHECK(text_problems("- a\n- b\n") ==
        std::vector<std::string>{"x.yaml:1:1: a scenario must be a mapping of keys (e.g. 'learning: "
                                 "{target_hours: 40}'), got a list"});
}

TEST_CASE("loader: a YAML syntax error is one problem with file:line:col", "[loader][errors]") {
  const auto p = text_problems("learning:\n  target_hours: [1, 2\nrun: {}\n");
  REQUIRE(p.size() == 1);
  CHECK(p[0].rfind("x.yaml:", 0) == 0);
  CHECK(p[0].find(": YAML syntax error: ") != std::string::npos);
}

TEST_CASE("loader: a file with three errors reports all three", "[loader][errors]") {
  CHECK(text_problems("learnig:\n  target_hours: 3\n"
                      "promotion:\n  or_skill: 0\n"
                      "run: {months: 0}\n") ==
        std::vector<std::string>{"x.yaml:1:1: unknown key 'learnig' (did you mean 'learning'?)",
                                 "x.yaml:4:13: promotion.or_skill: must be a number in " +
                                     range("promotion.or_skill") + ", got '0'",
                                 "x.yaml:5:15: run.months: must be an " + range("run.months") + ", got '0'"});
}

TEST_CASE("loader: cross-key checks of make_scenario come back as problems with key paths",
          "[loader][errors]") {
  CHECK(text_problems("population: {roles: {CTS: {share: 0.5}, CTA: {share: 0.3}, CTM: {share: 0.1}}}\n") ==
        std::vector<std::string>{"population.roles.<role>.share: shares must sum to 1, they sum to 0.900000; "
                                 "adjust them so they add up to 1"});
}

TEST_CASE("loader: extends: relative paths, deep override, name from the top file", "[loader][extends]") {
  const auto s = load_scenario_file(DATA + "/child.yaml");
  CHECK(s.source == DATA + "/child.yaml");
  CHECK(s.scenario.name == "child");          // no file in the chain sets a name
  CHECK(s.scenario.description == "parent");  // from the root of the chain
  CHECK(s.scenario.target_hours == 55);       // mid overrides parent
  CHECK(s.scenario.nudging);                  // parent
  CHECK(s.scenario.nudging_effect == 0.75);   // child overrides one field of the section
  const auto& cta = entry(s, "population.roles", "CTA");
  CHECK(std::get<double>(cta.at("share")) == 0.4);          // parent
  CHECK(std::get<double>(cta.at("ti_effect_pct")) == 3.0);  // mid
  REQUIRE(s.scenario.shocks.size() == 1);
  CHECK(s.scenario.shocks[0].hours_multiplier == 0.25);  // child merges a field into the parent's entry
  CHECK(s.scenario.shocks[0].start_month == *parse_month("2015-01"));
  // A relative csv_path resolves against the directory of the file that sets it.
  const std::string csv =
      std::filesystem::absolute(DATA + "/catalogs/real.csv").lexically_normal().generic_string();
  CHECK(s.scenario.catalog_csv == csv);
  CHECK(std::get<std::string>(s.values.scalars.at("catalog.csv_path")) == csv);
}

TEST_CASE("loader: extends: a missing file names the extends line", "[loader][extends][errors]") {
  const auto p = problems_of([] { load_scenario_file(DATA + "/missing_parent.yaml"); });
  REQUIRE(p.size() == 1);
  CHECK(p[0].rfind(DATA + "/missing_parent.yaml:2:10: extends: cannot read '" + DATA + "/no_such_file.yaml'",
                   0) == 0);
}

TEST_CASE("loader: extends: a cycle lists the chain", "[loader][extends][errors]") {
  CHECK(problems_of([] { load_scenario_file(DATA + "/cycle_a.yaml"); }) ==
        std::vector<std::string>{DATA + "/cycle_b.yaml:2:10: extends cycle: " + DATA + "/cycle_a.yaml -> " +
                                 DATA + "/cycle_b.yaml -> " + DATA + "/cycle_a.yaml"});
}

TEST_CASE("loader: extends: problems of every file of the chain are reported together",
          "[loader][extends][errors]") {
  CHECK(problems_of([] { load_scenario_file(DATA + "/bad_child.yaml", {"run.months=0"}); }) ==
        std::vector<std::string>{
            DATA + "/bad_parent.yaml:3:22: learning.target_compliance: must be a number in [0, 1], got '1.5'",
            DATA + "/bad_child.yaml:3:1: unknown key 'learnig' (did you mean 'learning'?)",
            DATA + "/bad_child.yaml:6:13: promotion.or_skill: must be a number in " +
                range("promotion.or_skill") + ", got '0'",
            "--set run.months=0: run.months: must be an " + range("run.months") + ", got '0'"});
}

TEST_CASE("loader: extends from text resolves against base_dir, or the embedded scenarios",
          "[loader][extends]") {
  const auto s = load_scenario_text("extends: child.yaml\nname: t\n", "t.yaml", DATA);
  CHECK(s.scenario.target_hours == 55);
  const auto e =
      load_scenario_text("extends: baseline.yaml\nlearning: {target_hours: 60}\n", "think.yaml", "");
  CHECK(e.scenario.name == "baseline");  // baseline.yaml sets its name
  CHECK(e.scenario.target_hours == 60);
  CHECK(text_problems("extends: nope.yaml\n")
            .at(0)
            .rfind("x.yaml:1:10: extends: no embedded scenario 'nope.yaml' (embedded: ", 0) == 0);
}

TEST_CASE("loader: --set overrides", "[loader][set]") {
  const auto s = from_text(
      "",
      {"learning.target_hours=60", "population.roles.CTS.share=0.5", "population.roles.CTA.share=0.4",
       "population.roles.CTM.share=0.1", "shocks.covid.start=2020-03", "shocks.covid.end=2020-07",
       "learning.seasonality=[1,1,1,1,1,1,1,1,1,1,1,2]", "learning.nudging.enabled=true", "name=from set"});
  CHECK(s.scenario.target_hours == 60);
  CHECK(s.scenario.roles[static_cast<std::size_t>(s.scenario.role_index("CTS"))].share == 0.5);
  REQUIRE(s.scenario.shocks.size() == 1);  // created by --set
  CHECK(s.scenario.shocks[0].name == "covid");
  CHECK(s.scenario.shocks[0].end_month == *parse_month("2020-07"));
  CHECK(s.scenario.seasonality[11] == Approx(24.0 / 13.0));
  CHECK(s.scenario.nudging);
  CHECK(s.scenario.name == "from set");
  const auto removed = from_text(
      "", {"population.roles.CTM=~", "population.roles.CTS.share=0.7", "population.roles.CTA.share=0.3"});
  CHECK(removed.scenario.roles.size() == 2);

  CHECK(text_problems("", {"learnig.target_hours=3"}) ==
        std::vector<std::string>{
            "--set learnig.target_hours=3: unknown key 'learnig' (did you mean 'learning'?)"});
  CHECK(text_problems("", {"learning.target_compliance=2"}) ==
        std::vector<std::string>{"--set learning.target_compliance=2: learning.target_compliance: must be a "
                                 "number in [0, 1], got '2'"});
  CHECK(text_problems("", {"learning.target_hours"}) ==
        std::vector<std::string>{
            "--set learning.target_hours: expected key.path=value, e.g. --set learning.target_hours=60"});
  CHECK(
      text_problems("", {"learning..target_hours=3"}) ==
      std::vector<std::string>{"--set learning..target_hours=3: the key path 'learning..target_hours' has an "
                               "empty part; use dots between names only"});
  CHECK(text_problems("", {"population.roles.CTS.shar=1"}) ==
        std::vector<std::string>{
            "--set population.roles.CTS.shar=1: unknown key 'shar' (did you mean 'share'?)"});
  // File problems and --set problems together.
  CHECK(text_problems("run: {months: 0}\n", {"learnig.x=1", "promotion.or_skill=-1"}) ==
        std::vector<std::string>{"x.yaml:1:15: run.months: must be an " + range("run.months") + ", got '0'",
                                 "--set learnig.x=1: unknown key 'learnig' (did you mean 'learning'?)",
                                 "--set promotion.or_skill=-1: promotion.or_skill: must be a number in " +
                                     range("promotion.or_skill") + ", got '-1'"});
}

TEST_CASE("loader: resolved YAML loads back to the same values", "[loader][roundtrip]") {
  const auto s = load_default_scenario(
      {"learning.target_compliance=0.123456789012345678", "performance.knowledge_effect_pct=0.1",
       "learning.propensity_mean_hours=98.76543210987654", "population.roles.CTM=~",
       "population.roles.CTS.share=0.7", "population.roles.CTA.share=0.3", "catalog.topics.Quantum=~",
       "shocks.covid.start=2020-03", "shocks.covid.end=2020-07", "learning.required.cloud.topic=Cloud",
       "learning.required.cloud.hours_per_year=1e-5", "description=a \"quoted\": text # not a comment"});
  REQUIRE(s.resolved_yaml.rfind("# resolved by wfsim", 0) == 0);
  const auto back = load_scenario_text(s.resolved_yaml, "resolved.yaml", "");
  CHECK(same_values(back.values, s.values));
  CHECK(back.resolved_yaml == s.resolved_yaml);
  CHECK(std::get<double>(back.values.scalars.at("learning.propensity_mean_hours")) == 98.76543210987654);
  CHECK(back.scenario.role_index("CTM") == -1);  // removed default entries stay removed
  // Table order: name first, collections after the scalars of their section.
  const auto& y = s.resolved_yaml;
  CHECK(y.find("name: baseline") < y.find("run:"));
  CHECK(y.find("run:") < y.find("population:"));
  CHECK(y.find("headcount:") < y.find("roles:"));
  CHECK(y.find("CTM: ~") != std::string::npos);
  CHECK(y.find("seasonality: [") != std::string::npos);

  const auto file = load_scenario_file(DATA + "/child.yaml");
  CHECK(same_values(load_scenario_text(file.resolved_yaml, "r.yaml", "").values, file.values));
}

TEST_CASE("loader: the embedded baseline is scenarios/baseline.yaml", "[loader][embedded]") {
  const auto& files = embedded_scenarios();
  REQUIRE(files.count("baseline.yaml") == 1);
  REQUIRE(files.count("baseline-calibrated.yaml") == 1);
  CHECK(files.at("baseline.yaml") == read(std::string(WFSIM_SOURCE_DIR) + "/scenarios/baseline.yaml"));
  for (const auto& [name, text] : files)
    CHECK(text == read(std::string(WFSIM_SOURCE_DIR) + "/scenarios/" + name));

  const auto def = load_default_scenario();
  CHECK(def.source == "<embedded:baseline>");
  CHECK(def.scenario.name == "baseline");
  const auto file = load_scenario_file(std::string(WFSIM_SOURCE_DIR) + "/scenarios/baseline.yaml");
  CHECK(same_values(def.values, file.values));
  // The baseline is its calibrated overlay (baseline-calibrated.yaml) and a name: the same
  // values but for name and description.
  ParamValues cal =
      load_scenario_text(files.at("baseline-calibrated.yaml"), "<embedded:baseline-calibrated.yaml>", "").values;
  cal.scalars["name"] = def.values.scalars.at("name");
  cal.scalars["description"] = def.values.scalars.at("description");
  CHECK(same_values(def.values, cal));
  // The overlay really changes the defaults (it holds the calibrated values).
  CHECK_FALSE(same_values(def.values, [&] {
    ParamValues d = default_param_values();
    d.scalars["name"] = def.values.scalars.at("name");
    d.scalars["description"] = def.values.scalars.at("description");
    return d;
  }()));
}

TEST_CASE("loader: the embedded default works from any directory", "[loader][embedded]") {
  const auto here = std::filesystem::current_path();
  std::filesystem::current_path(std::filesystem::temp_directory_path());
  const auto s = load_default_scenario({"run.months=12"});
  std::filesystem::current_path(here);
  CHECK(s.scenario.months == 12);
}

TEST_CASE("loader: a missing scenario file is an InputError", "[loader][errors]") {
  const auto p = problems_of([] { load_scenario_file(DATA + "/does_not_exist.yaml"); });
  REQUIRE(p.size() == 1);
  CHECK(p[0].rfind(DATA + "/does_not_exist.yaml: cannot read the scenario file", 0) == 0);
}
