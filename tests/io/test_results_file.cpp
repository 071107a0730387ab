// Results file: round trips, thread-order independence, overwrite protection, version checks.
#include <unistd.h>

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "synthetic.h"
#include "wfsim/errors.h"
#include "wfsim/io/hdf5_interface.h"
#include "wfsim/io/results_file.h"
#include "wfsim/version.h"

namespace fs = std::filesystem;
using namespace wfsim;

namespace {

// A fresh folder per test case, removed afterwards.
struct TempDir {
  fs::path dir;
  explicit TempDir(const std::string& name) {
    dir = fs::path(WFSIM_BINARY_DIR) / "tests" / "io_tmp" / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~TempDir() { fs::remove_all(dir); }
  std::string file(const std::string& name) const { return (dir / name).string(); }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    return out;
  }
};

// NaN matches any NaN (HDF5 keeps payloads, but the format does not promise them); all else bitwise.
bool same_double(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

void require_same_results(const RunResults& a, const RunResults& b) {
  REQUIRE(a.axes.start_month == b.axes.start_month);
  REQUIRE(a.axes.months == b.axes.months);
  REQUIRE(a.replicates.size() == b.replicates.size());
  for (int f = 0; f < FREQUENCY_COUNT; ++f) {
    REQUIRE(a.metrics[f].size() == b.metrics[f].size());
    for (std::size_t m = 0; m < a.metrics[f].size(); ++m) {
      CHECK(a.metrics[f][m].name == b.metrics[f][m].name);
      CHECK(a.metrics[f][m].units == b.metrics[f][m].units);
      CHECK(a.metrics[f][m].description == b.metrics[f][m].description);
    }
    for (std::size_t r = 0; r < a.replicates.size(); ++r) {
      const auto& va = a.replicates[r].values[f];
      const auto& vb = b.replicates[r].values[f];
      REQUIRE(va.size() == vb.size());
      for (std::size_t m = 0; m < va.size(); ++m) {
        REQUIRE(va[m].size() == vb[m].size());
        for (std::size_t t = 0; t < va[m].size(); ++t) {
          INFO("f=" << f << " r=" << r << " m=" << m << " t=" << t << " " << va[m][t] << " vs " << vb[m][t]);
          REQUIRE(same_double(va[m][t], vb[m][t]));
        }
      }
    }
  }
}

void require_same_meta(const RunMetadata& a, const RunMetadata& b) {
  CHECK(a.wfsim_version == b.wfsim_version);
  CHECK(a.git_commit == b.git_commit);
  CHECK(a.created_utc == b.created_utc);
  CHECK(a.command_line == b.command_line);
  CHECK(a.scenario_name == b.scenario_name);
  CHECK(a.seed == b.seed);
  CHECK(a.replicates == b.replicates);
  CHECK(a.start_month == b.start_month);
  CHECK(a.months == b.months);
  CHECK(a.scenario_yaml == b.scenario_yaml);
  CHECK(a.role_names == b.role_names);
  CHECK(a.topic_names == b.topic_names);
  CHECK(a.band_numbers == b.band_numbers);
}

#define WFSIM_SAME2(f) (a.f == b.f)
bool same(const PersonHalfRow& a, const PersonHalfRow& b) {
  return WFSIM_SAME2(replicate) && WFSIM_SAME2(person) && WFSIM_SAME2(half) && WFSIM_SAME2(role) &&
         WFSIM_SAME2(band) && WFSIM_SAME2(tenure_months) && same_double(a.hours, b.hours) &&
         WFSIM_SAME2(badges_knowledge) && WFSIM_SAME2(badges_skill) && WFSIM_SAME2(badges_other) &&
         WFSIM_SAME2(badges_strategic) && same_double(a.ti_pct, b.ti_pct);
}
bool same(const PersonYearRow& a, const PersonYearRow& b) {
  return WFSIM_SAME2(replicate) && WFSIM_SAME2(person) && WFSIM_SAME2(year) && WFSIM_SAME2(role) &&
         WFSIM_SAME2(band) && WFSIM_SAME2(tenure_months) && same_double(a.hours, b.hours) &&
         WFSIM_SAME2(learner_category) && WFSIM_SAME2(badges_year_knowledge) &&
         WFSIM_SAME2(badges_year_skill) && WFSIM_SAME2(badges_year_other) &&
         WFSIM_SAME2(badges_year_strategic) && WFSIM_SAME2(badge_stock) &&
         same_double(a.ti_mean, b.ti_mean) && WFSIM_SAME2(promoted_next_year);
}
bool same(const BadgeEvent& a, const BadgeEvent& b) {
  return WFSIM_SAME2(replicate) && WFSIM_SAME2(person) && WFSIM_SAME2(month) && WFSIM_SAME2(badge_type) &&
         WFSIM_SAME2(topic) && WFSIM_SAME2(strategic) && WFSIM_SAME2(resource);
}
bool same(const PromotionEvent& a, const PromotionEvent& b) {
  return WFSIM_SAME2(replicate) && WFSIM_SAME2(person) && WFSIM_SAME2(month) && WFSIM_SAME2(from_band) &&
         WFSIM_SAME2(to_band);
}
bool same(const HireEvent& a, const HireEvent& b) {
  return WFSIM_SAME2(replicate) && WFSIM_SAME2(person) && WFSIM_SAME2(month) && WFSIM_SAME2(role) &&
         WFSIM_SAME2(band);
}
bool same(const ExitEvent& a, const ExitEvent& b) {
  return WFSIM_SAME2(replicate) && WFSIM_SAME2(person) && WFSIM_SAME2(month) && WFSIM_SAME2(tenure_months);
}
#undef WFSIM_SAME2

template <class Row>
void require_same_rows(const std::vector<Row>& a, const std::vector<Row>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("row " << i);
    REQUIRE(same(a[i], b[i]));
  }
}

void require_same_records(const MemorySink& a, const MemorySink& b) {
  require_same_rows(a.person_half_rows, b.person_half_rows);
  require_same_rows(a.person_year_rows, b.person_year_rows);
  require_same_rows(a.badge_events, b.badge_events);
  require_same_rows(a.promotion_events, b.promotion_events);
  require_same_rows(a.hire_events, b.hire_events);
  require_same_rows(a.exit_events, b.exit_events);
}

std::string file_bytes(const std::string& path) {
  std::string out;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

bool has_temp_files(const TempDir& d) {
  for (const auto& e : d.entries())
    if (e.find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("io: results round trip exactly, with panel and events", "[io]") {
  TempDir d("roundtrip");
  const auto res = test::synthetic_results(3);
  const auto meta = test::synthetic_meta(res);
  MemorySink expected;
  const std::string path = d.file("run.h5");
  {
    ResultsWriter w(path, false, true, true);
    for (int r = 0; r < 3; ++r) {
      test::feed_records(*w.sinks().for_replicate(r), r, 50, 3);
      test::feed_records(expected, r, 50, 3);
    }
    w.finish(res, meta);
  }
  REQUIRE(fs::exists(path));
  CHECK_FALSE(has_temp_files(d));
  CHECK(is_results_file(path));
  CHECK(file_type_of(path) == "wfsim-results");

  const ResultsFile back = read_results(path);
  require_same_meta(back.meta, meta);
  require_same_results(back.results, res);
  MemorySink got;
  read_records(path, got);
  require_same_records(got, expected);
  CHECK(got.person_half_rows.size() == 3 * 50 * 3);
}

TEST_CASE("io: one replicate, empty panel and events", "[io]") {
  TempDir d("onerep");
  const auto res = test::synthetic_results(1, 2015 * 12, 1);
  auto meta = test::synthetic_meta(res);
  meta.created_utc.clear();  // filled by the writer
  meta.wfsim_version.clear();
  const std::string path = d.file("one.h5");
  {
    ResultsWriter w(path, false, true, true);
    w.finish(res, meta);
  }
  const ResultsFile back = read_results(path);
  require_same_results(back.results, res);
  CHECK(back.meta.created_utc.size() == 20);
  CHECK(back.meta.wfsim_version == version());
  MemorySink got;
  read_records(path, got);
  CHECK(got.person_half_rows.empty());
  CHECK(got.exit_events.empty());
  // Summary of one replicate: sd 0, interval collapsed to the mean.
  h5::Handle f = h5::open_file_readonly(path);
  std::vector<std::uint64_t> dims;
  const auto s = h5::read_doubles(f, "summary/monthly/headcount", &dims);
  REQUIRE(dims == std::vector<std::uint64_t>{4, 1});
  CHECK(same_double(s[0], res.replicates[0].values[0][0][0]));
  REQUIRE(h5::shape(h5::open_dataset(f, "panel/person_half/hours")) == std::vector<std::uint64_t>{0});
}

TEST_CASE("io: records from 2 threads in scrambled order give the sequential file content", "[io]") {
  TempDir d("threads");
  const int reps = 4;
  const auto res = test::synthetic_results(reps);
  const auto meta = test::synthetic_meta(res);
  const std::string seq = d.file("seq.h5"), par = d.file("par.h5");
  {
    ResultsWriter w(seq, false, true, true);
    for (int r = 0; r < reps; ++r) test::feed_records(*w.sinks().for_replicate(r), r, 3000, 4);
    w.finish(res, meta);
  }
  {
    ResultsWriter w(par, false, true, true);
    // Thread A runs replicates 3 then 1, thread B 2 then 0; replicate 3 finishes first.
    auto run = [&](std::vector<int> order, int delay_ms) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      for (int r : order) {
        test::feed_records(*w.sinks().for_replicate(r), r, 3000, 4);
        if (r % 2) w.replicate_done(r);
      }
    };
    std::thread a(run, std::vector<int>{3, 1}, 0), b(run, std::vector<int>{2, 0}, 5);
    a.join();
    b.join();
    w.finish(res, meta);
  }
  require_same_results(read_results(par).results, read_results(seq).results);
  MemorySink s1, s2;
  read_records(seq, s1);
  read_records(par, s2);
  require_same_records(s2, s1);
  REQUIRE(s1.person_half_rows.size() == static_cast<std::size_t>(reps * 3000 * 4));
  for (std::size_t i = 1; i < s2.person_half_rows.size(); ++i)
    REQUIRE(s2.person_half_rows[i - 1].replicate <= s2.person_half_rows[i].replicate);
}

TEST_CASE("io: panel only or events only", "[io]") {
  TempDir d("flags");
  const auto res = test::synthetic_results(2);
  const auto meta = test::synthetic_meta(res);
  const std::string path = d.file("p.h5");
  {
    ResultsWriter w(path, false, true, false);
    for (int r = 0; r < 2; ++r) test::feed_records(*w.sinks().for_replicate(r), r, 10, 1);
    w.finish(res, meta);
  }
  h5::Handle f = h5::open_file_readonly(path);
  CHECK(h5::exists(f, "panel/person_year/ti_mean"));
  CHECK_FALSE(h5::exists(f, "events"));
}

TEST_CASE("io: an existing file is kept unless overwrite, bad folders are input errors", "[io]") {
  TempDir d("overwrite");
  const auto res = test::synthetic_results(1);
  const auto meta = test::synthetic_meta(res);
  const std::string path = d.file("exists.h5");
  { std::ofstream(path) << "precious"; }
  REQUIRE_THROWS_AS(ResultsWriter(path, false, false, false), InputError);
  try {
    ResultsWriter w(path, false, false, false);
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("--overwrite") != std::string::npos);
  }
  CHECK(file_bytes(path) == "precious");
  CHECK_FALSE(has_temp_files(d));

  REQUIRE_THROWS_AS(ResultsWriter(d.file("no/such/folder/x.h5"), true, false, false), InputError);
  REQUIRE_THROWS_AS(ResultsWriter(d.dir.string(), true, false, false), InputError);

  SECTION("a file appearing during the run is not replaced") {
    ResultsWriter w(d.file("late.h5"), false, true, false);
    { std::ofstream(d.file("late.h5")) << "late"; }
    REQUIRE_THROWS_AS(w.finish(res, meta), InputError);
    CHECK(file_bytes(d.file("late.h5")) == "late");
  }
  SECTION("overwrite replaces it") {
    {
      ResultsWriter w(path, true, false, false);
      w.finish(res, meta);
    }
    CHECK(is_results_file(path));
  }
  SECTION("an unfinished writer removes its temporary files") {
    {
      ResultsWriter w(d.file("unfinished.h5"), false, true, true);
      test::feed_records(*w.sinks().for_replicate(0), 0, 100000, 1);  // > 1 MB: spooled to disk
      test::feed_records(*w.sinks().for_replicate(1), 1, 10, 1);
      CHECK(has_temp_files(d));
    }
    CHECK_FALSE(has_temp_files(d));
    CHECK_FALSE(fs::exists(d.file("unfinished.h5")));
  }
  CHECK_FALSE(has_temp_files(d));
}

TEST_CASE("io: other filetypes and versions are input errors naming file, found and expected", "[io]") {
  TempDir d("versions");
  const auto res = test::synthetic_results(1);
  const auto meta = test::synthetic_meta(res);
  const std::string good = d.file("good.h5");
  {
    ResultsWriter w(good, false, false, false);
    w.finish(res, meta);
  }
  auto message = [](const std::string& path) {
    try {
      read_results(path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no InputError");
  };

  const std::string other = d.file("other.h5");
  {
    h5::Handle f = h5::create_file(other);
    h5::write_attribute(f, "filetype", "openmc-statepoint");
    const std::int32_t v[2] = {1, 0};
    h5::write_attribute(f, "format_version", std::span<const std::int32_t>(v));
  }
  auto msg = message(other);
  CHECK(msg.find(other) != std::string::npos);
  CHECK(msg.find("openmc-statepoint") != std::string::npos);
  CHECK(msg.find("wfsim-results") != std::string::npos);
  CHECK_FALSE(is_results_file(other));

  const std::string future = d.file("future.h5");
  {
    h5::Handle f = h5::create_file(future);
    h5::write_attribute(f, "filetype", "wfsim-results");
    const std::int32_t v[2] = {2, 0};
    h5::write_attribute(f, "format_version", std::span<const std::int32_t>(v));
  }
  msg = message(future);
  CHECK(msg.find(future) != std::string::npos);
  CHECK(msg.find("[2,0]") != std::string::npos);
  CHECK(msg.find("[1,x]") != std::string::npos);
  CHECK(is_results_file(future));  // right filetype, wrong version: read_results refuses

  const std::string text = d.file("text.h5");
  { std::ofstream(text) << "not hdf5"; }
  msg = message(text);
  CHECK(msg.find("not an HDF5 file") != std::string::npos);
  CHECK_FALSE(is_results_file(text));
  CHECK(message(d.file("missing.h5")).find("no such file") != std::string::npos);

  const std::string bare = d.file("bare.h5");
  { h5::Handle f = h5::create_file(bare); }
  CHECK(message(bare).find("no 'filetype'") != std::string::npos);
}

TEST_CASE("io: multi-run files hold full runs and tables", "[io]") {
  TempDir d("multi");
  const auto a = test::synthetic_results(2);
  const auto b = test::synthetic_results(3, 2020 * 12, 13);
  const auto ma = test::synthetic_meta(a);
  auto mb = test::synthetic_meta(b);
  mb.scenario_name = "variant";
  const std::string path = d.file("cmp.h5");
  {
    MultiRunWriter w(path, false, "wfsim-comparison");
    w.add_run("runs/baseline", a, ma);
    w.add_run("runs/variant", b, mb);
    w.add_table("comparison/yearly",
                {{"metric", "", "Metric name", std::vector<std::string>{"headcount", "hires"}},
                 {"year", "year", "Calendar year", std::vector<std::int64_t>{2020, 2021}},
                 {"difference", "people", "variant - baseline", std::vector<double>{1.5, -2.0}}},
                "Differences");
    w.set_attribute("baseline", std::string("runs/baseline"));
    w.finish();
  }
  CHECK(file_type_of(path) == "wfsim-comparison");
  CHECK_FALSE(is_results_file(path));
  CHECK_THROWS_AS(read_results(path), InputError);
  const auto ra = read_results(path, "runs/baseline");
  const auto rb = read_results(path, "/runs/variant");
  require_same_results(ra.results, a);
  require_same_results(rb.results, b);
  require_same_meta(rb.meta, mb);
  CHECK_THROWS_AS(read_results(path, "runs/nothing"), InputError);
  h5::Handle f = h5::open_file_readonly(path);
  CHECK(h5::read_strings(f, "comparison/yearly/metric") == std::vector<std::string>{"headcount", "hires"});
  CHECK(h5::read_attribute_string(f, "baseline") == "runs/baseline");

  SECTION("unfinished: nothing left") {
    {
      MultiRunWriter w(d.file("cmp2.h5"), false, "wfsim-sweep");
      w.add_run("runs/x", a, ma);
    }
    CHECK_FALSE(fs::exists(d.file("cmp2.h5")));
    CHECK_FALSE(has_temp_files(d));
  }
}
