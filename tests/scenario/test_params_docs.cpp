// Tests of `wfsim params` text and the generated reference of scenarios/README.md.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "wfsim/scenario/loader.h"

using namespace wfsim;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("params docs: the params text lists every key and fits 120 columns", "[params_docs]") {
  const std::string text = params_table_text(nullptr);
  for (const auto& s : scalar_params()) CHECK(text.find(s.name + " ") != std::string::npos);
  for (const auto& c : collection_params()) {  // a heading, then the fields of a record
    const auto at = text.find("\n" + c.path + ": a mapping <" + c.key_meaning + ">");
    CHECK(at != std::string::npos);
    for (const auto& f : c.fields)
      CHECK(text.find("\n<" + c.key_meaning + ">." + f.name + " ", at) != std::string::npos);
  }
  for (const auto& s : scalar_params()) CHECK(text.find(s.provenance) != std::string::npos);
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) CHECK(line.size() <= 120);
  CHECK(text.find("VALUE") == std::string::npos);
}

TEST_CASE("params docs: the params text shows a scenario's values", "[params_docs]") {
  const auto s = load_default_scenario({"learning.target_hours=60", "population.roles.CTM=~",
                                        "population.roles.CTS.share=0.7", "population.roles.CTA.share=0.3"});
  const std::string text = params_table_text(&s.values);
  CHECK(text.find("VALUE") != std::string::npos);
  std::istringstream lines(text);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    CHECK(line.size() <= 120);
    if (line.rfind("learning.target_hours ", 0) == 0) {
      found = true;
      std::istringstream cells(line);
      std::string key, value, def;
      cells >> key >> value >> def;
      CHECK(value == param_text(ParamValue(60.0)));
      CHECK(def == find_scalar("learning.target_hours")->default_text);
    }
  }
  CHECK(found);
  CHECK(text.find("population.roles.CTS.share") != std::string::npos);
  CHECK(text.find("population.roles.CTM") != std::string::npos);  // shown as removed
  CHECK(text.find("(removed)") != std::string::npos);
}

TEST_CASE("params docs: the markdown reference has every key and section", "[params_docs]") {
  const std::string md = params_reference_markdown();
  for (const auto& s : scalar_params()) CHECK(md.find("| `" + s.name + "` |") != std::string::npos);
  for (const auto& c : collection_params()) {
    CHECK(md.find("### Collection `" + c.path + "`") != std::string::npos);
    for (const auto& f : c.fields) CHECK(md.find("| `" + f.name + "` |") != std::string::npos);
  }
  for (const char* title :
       {"### Run", "### Population", "### Learning time", "### Modality", "### Catalog", "### Recommendation",
        "### Performance", "### Promotion", "### Pay and cost", "### Outputs"})
    CHECK(md.find(title) != std::string::npos);
  CHECK(md.find("| CTS | 0.6 |") != std::string::npos);  // a default entry
}

// Regenerate with: WFSIM_UPDATE_DOCS=1 ctest --test-dir <build> -R README
TEST_CASE("params docs: scenarios/README.md: the generated block is up to date", "[params_docs][README]") {
  const std::string path = std::string(WFSIM_SOURCE_DIR) + "/scenarios/README.md";
  const std::string committed = read(path);
  const std::string expected = update_params_reference(committed);
  const char* update = std::getenv("WFSIM_UPDATE_DOCS");
  if (update && std::string(update) == "1" && committed != expected) {
    std::ofstream(path, std::ios::binary) << expected;
    WARN("rewrote the generated block of " << path);
    return;
  }
  INFO(
      "scenarios/README.md is out of date with the parameter table; regenerate it with\n"
      "  WFSIM_UPDATE_DOCS=1 ctest --test-dir <build dir> -R README\n"
      "and commit the result.");
  CHECK(committed == expected);
}
