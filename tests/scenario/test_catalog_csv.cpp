// Tests of the CSV catalog reader (include/wfsim/scenario/catalog_csv.h).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "wfsim/errors.h"
#include "wfsim/scenario/catalog_csv.h"
#include "wfsim/scenario/loader.h"

using namespace wfsim;

namespace {

std::string write_csv(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::path(WFSIM_BINARY_DIR) / "test-scenario-csv";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::vector<std::string> problems_of(const std::string& path, const Scenario& s) {
  try {
    load_catalog_csv(path, s);
  } catch (const InputError& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems())
      out.push_back(p.where.empty() ? p.message : p.where + ": " + p.message);
    return out;
  }
  FAIL("expected InputError");
  return {};
}

}  // namespace

TEST_CASE("catalog_csv: a good CSV catalog loads, columns in any order, quoted fields", "[catalog_csv]") {
  const Scenario s = load_default_scenario().scenario;
  const std::string path =
      write_csv("good.csv",
                "badge,id,title,topic,hours,modality,provider,fee_usd,pass_probability\r\n"
                "skill,c1,\"Cloud, hands-on \"\"lab\"\"\",Cloud,20,classroom,internal,0,0.7\r\n"
                "none,a2,\"Agile\nValues\",Agile,15,async,external,150,1\r\n"
                "\n"
                "knowledge,b3,Blockchain,Blockchain,30,live,internal,0,0.9\n");
  const Catalog c = load_catalog_csv(path, s);
  REQUIRE(c.size() == 3);
  CHECK(c[0].topic == s.topic_index("Cloud"));
  CHECK(c[0].badge == BadgeType::Skill);
  CHECK(c[0].modality == Modality::Classroom);
  CHECK(c[0].internal);
  CHECK(c[0].hours == 20.0f);
  CHECK(c[0].pass_probability == 0.7f);
  CHECK(c[1].topic == s.topic_index("Agile"));
  CHECK_FALSE(c[1].internal);
  CHECK(c[1].fee_usd == 150.0f);
  CHECK(c[1].modality == Modality::Async);
  CHECK(c[2].badge == BadgeType::Knowledge);
  CHECK(c[2].modality == Modality::Live);
}

TEST_CASE("catalog_csv: bad CSV cells are all reported with line and column and nothing loads",
          "[catalog_csv][errors]") {
  const Scenario s = load_default_scenario().scenario;
  const std::string path = write_csv("bad.csv",
                                     "id,topic,hours,modality,provider,fee_usd,badge,pass_probability\n"
                                     "r1,Cloud,abc,async,internal,0,skill,0.5\n"
                                     "r2,Cooking,10,async,internal,0,skill,0.5\n"
                                     "r3,\"Multi\nline\",10,webinar,internal,-1,skill,1.5\n"
                                     "r1,Cloud,10,async,internal,0,gold,0.5\n"
                                     "r5,Cloud,10\n");
  const auto p = problems_of(path, s);
  std::string topics;
  for (const auto& t : s.topics) topics += (topics.empty() ? "" : "|") + t.name;
  CHECK(p == std::vector<std::string>{
                 path + ":2:3: column 'hours': must be a number > 0, got 'abc'",
                 path + ":3:2: column 'topic': must be one of " + topics + ", got 'Cooking'",
                 path + ":4:2: column 'topic': must be one of " + topics + ", got 'Multi\nline'",
                 path + ":4:4: column 'modality': must be one of classroom|async|live, got 'webinar'",
                 path + ":4:6: column 'fee_usd': must be a number >= 0, got '-1'",
                 path + ":4:8: column 'pass_probability': must be a number in [0, 1], got '1.5'",
                 path + ":6:1: column 'id': duplicate id 'r1' (first on line 2)",
                 path + ":6:7: column 'badge': must be one of none|knowledge|skill|other, got 'gold'",
                 path + ":7: the row has 3 fields, the header has 8"});
}

TEST_CASE("catalog_csv: CSV header problems and the 50-problem cap", "[catalog_csv][errors]") {
  const Scenario s = load_default_scenario().scenario;
  const std::string header = write_csv("header.csv", "id,topic,hours,modality,provider,fee,badge\n");
  CHECK(problems_of(header, s) ==
        std::vector<std::string>{
            header + ":1:6: unknown column 'fee'; columns are id|topic|hours|modality|provider|"
                     "fee_usd|badge|pass_probability and title",
            header + ":1: missing column 'fee_usd'", header + ":1: missing column 'pass_probability'"});
  std::string many = "id,topic,hours,modality,provider,fee_usd,badge,pass_probability\n";
  for (int i = 0; i < 60; ++i) {
    many += 'r';
    many += std::to_string(i);
    many += ",Cloud,0,async,internal,0,skill,0.5\n";
  }
  const auto p = problems_of(write_csv("many.csv", many), s);
  REQUIRE(p.size() == 51);
  CHECK(p.back() == "... and 10 more");
  const std::string empty =
      write_csv("empty.csv", "id,topic,hours,modality,provider,fee_usd,badge,pass_probability\n");
  CHECK(problems_of(empty, s) ==
        std::vector<std::string>{empty + ": the catalog CSV has a header but no resources"});
}
