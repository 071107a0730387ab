// Regression digests: each shipped scenario, run small with its own seed, gives a fixed-format
// digest of key outputs that must equal the stored reference (tests/regression/digests/).
// The engine is deterministic (counter-based streams, -ffp-contract=off, reductions in fixed
// order), so any change of the digest is a change of behaviour: update the references only on
// purpose, with WFSIM_UPDATE_DIGESTS=1, and say why in the commit.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "wfsim/experiment.h"
#include "wfsim/scenario/loader.h"

using namespace wfsim;

namespace {

std::string digest(const RunResults& r) {
  std::ostringstream out;
  for (int f = 0; f < FREQUENCY_COUNT; ++f) {
    for (std::size_t m = 0; m < r.metrics[f].size(); ++m) {
      out << frequency_name(static_cast<Frequency>(f)) << '/' << r.metrics[f][m].name;
      for (const auto& rep : r.replicates) {
        double sum = 0;
        for (double v : rep.values[f][m]) sum += v;
        char buf[40];
        std::snprintf(buf, sizeof buf, " %.12g", sum);
        out << buf;
      }
      out << '\n';
    }
  }
  return out.str();
}

void check_scenario(const std::string& file) {
  const std::string dir = std::string(WFSIM_SOURCE_DIR);
  // Small but complete: every sub-model runs; full horizons of each scenario.
  auto loaded = load_scenario_file(dir + "/scenarios/" + file,
                                   {"run.replicates=2", "population.headcount=600", "catalog.size=20000"});
  const Catalog c = Catalog::generate(loaded.scenario, loaded.scenario.seed);
  ExperimentOptions o;
  o.threads = 2;
  const std::string got = digest(run_experiment(loaded.scenario, c, o));
  const std::string ref_path = dir + "/tests/regression/digests/" + file + ".digest";
  if (std::getenv("WFSIM_UPDATE_DIGESTS")) {
    std::ofstream(ref_path) << got;
    WARN("updated " << ref_path);
    return;
  }
  std::ifstream in(ref_path);
  REQUIRE(in.good());
  std::stringstream ref;
  ref << in.rdbuf();
  INFO("digest of " << file << " differs from " << ref_path
                    << " (if the change is intended: WFSIM_UPDATE_DIGESTS=1 ctest -R digest)");
  CHECK(got == ref.str());
}

}  // namespace

TEST_CASE("digest: baseline", "[regression]") { check_scenario("baseline.yaml"); }
TEST_CASE("digest: covid", "[regression]") { check_scenario("covid.yaml"); }
TEST_CASE("digest: strategic-investment", "[regression]") { check_scenario("strategic-investment.yaml"); }
TEST_CASE("digest: think60", "[regression]") { check_scenario("think60.yaml"); }
TEST_CASE("digest: training-cut", "[regression]") { check_scenario("training-cut.yaml"); }
TEST_CASE("digest: nudging", "[regression]") { check_scenario("nudging.yaml"); }
TEST_CASE("digest: company-wide-2019", "[regression]") { check_scenario("company-wide-2019.yaml"); }
