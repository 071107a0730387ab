#include "wfsim/io/results_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <random>

#include "wfsim/errors.h"
#include "wfsim/io/hdf5_interface.h"
#include "wfsim/params.h"
#include "wfsim/stats/summary.h"
#include "wfsim/version.h"

namespace wfsim {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t TABLE_BLOCK_ROWS = 65536;    // HDF5 chunk and copy block
constexpr std::size_t SPOOL_BUFFER_BYTES = 1 << 20;  // per replicate sink

std::string errno_text() { return std::strerror(errno); }

// ---- atomic publication ------------------------------------------------------------------

// A file written under a temporary name in the folder of its final name, then published by
// rename (or link, when it must not replace an existing file). Temporary files are removed
// unless commit() succeeded.
class AtomicTarget {
 public:
  AtomicTarget(std::string path, bool overwrite) : path_(std::move(path)), overwrite_(overwrite) {
    const fs::path p(path_);
    if (p.filename().empty()) throw InputError(path_, "the output path names a folder, not a file");
    fs::path dir = p.parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      throw InputError(path_, "the output folder '" + dir.string() + "' does not exist; create it first");
    if (fs::is_directory(p, ec)) throw InputError(path_, "the output path is a folder; give a file name");
    if (!overwrite_ && fs::exists(fs::symlink_status(p, ec)))
      throw InputError(path_, "the output file already exists; pass --overwrite to replace it");
    dir_ = dir.string();
    std::random_device rd;
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".tmp-%ld-%08x", static_cast<long>(::getpid()), rd());
    temp_ = (dir / ("." + p.filename().string() + suffix)).string();
    // Reserve the name now, so an unwritable folder fails before the simulation runs.
    const int fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw RunError("cannot create temporary file '" + temp_ + "': " + errno_text());
    ::close(fd);
  }
  AtomicTarget(const AtomicTarget&) = delete;
  AtomicTarget& operator=(const AtomicTarget&) = delete;
  ~AtomicTarget() {
    if (!committed_) ::unlink(temp_.c_str());
  }

  const std::string& path() const { return path_; }
  const std::string& temp() const { return temp_; }

  // The temporary file is complete and closed: make it durable, then give it its final name.
  void commit() {
    const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      if (fd >= 0) ::close(fd);
      throw RunError("cannot sync '" + temp_ + "': " + errno_text());
    }
    ::close(fd);
    if (overwrite_) {
      if (::rename(temp_.c_str(), path_.c_str()) != 0)
        throw RunError("cannot rename '" + temp_ + "' to '" + path_ + "': " + errno_text());
    } else if (::link(temp_.c_str(), path_.c_str()) == 0) {  // fails if path_ exists: no race
      ::unlink(temp_.c_str());
    } else if (errno == EEXIST) {
      throw InputError(path_, "the output file already exists; pass --overwrite to replace it");
    } else {  // file system without hard links
      std::error_code ec;
      if (fs::exists(fs::symlink_status(path_, ec)))
        throw InputError(path_, "the output file already exists; pass --overwrite to replace it");
      if (::rename(temp_.c_str(), path_.c_str()) != 0)
        throw RunError("cannot rename '" + temp_ + "' to '" + path_ + "': " + errno_text());
    }
    committed_ = true;
    const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }

 private:
  std::string path_, dir_, temp_;
  bool overwrite_;
  bool committed_ = false;
};

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// ---- table schemas -------------------------------------------------------------------------

enum class Labels { None, Role, Topic, Band, Fixed };

struct FieldSpec {
  const char* name;
  std::size_t offset;
  bool is_double;
  const char* units;
  const char* description;
  Labels labels = Labels::None;
  std::vector<std::int32_t> codes = {};       // for Fixed
  std::vector<std::string> code_labels = {};  // for Fixed
};

struct TableSpec {
  const char* group;  // "panel/person_half"
  const char* description;
  std::size_t row_size;
  bool is_panel;
  std::vector<FieldSpec> fields;
};

enum TableId { PERSON_HALF = 0, PERSON_YEAR, BADGES, PROMOTIONS, HIRES, EXITS, TABLE_COUNT };

#define WFSIM_I32(T, f, units, desc) \
  FieldSpec { #f, offsetof(T, f), false, units, desc }
#define WFSIM_F64(T, f, units, desc) \
  FieldSpec { #f, offsetof(T, f), true, units, desc }

const std::vector<TableSpec>& table_specs() {
  static const std::vector<TableSpec> specs = [] {
    const FieldSpec role_h{"role", offsetof(PersonHalfRow, role),   false,
                           "code", "Role (code; attribute labels)", Labels::Role};
    const FieldSpec band_h{"band",        offsetof(PersonHalfRow, band),     false,
                           "band number", "Band number at the half's start", Labels::Band};
    const FieldSpec role_y{"role", offsetof(PersonYearRow, role),   false,
                           "code", "Role (code; attribute labels)", Labels::Role};
    const FieldSpec band_y{"band",
                           offsetof(PersonYearRow, band),
                           false,
                           "band number",
                           "Band number at the year's end (or exit)",
                           Labels::Band};
    std::vector<TableSpec> v(TABLE_COUNT);
    v[PERSON_HALF] = {
        "panel/person_half",
        "One row per person and half-year",
        sizeof(PersonHalfRow),
        true,
        {WFSIM_I32(PersonHalfRow, replicate, "index", "Replicate"),
         WFSIM_I32(PersonHalfRow, person, "id", "Person id (unique within a replicate)"),
         WFSIM_I32(PersonHalfRow, half, "year*10+half", "Half-year, coded year*10 + 1|2 (20191 = 2019-H1)"),
         role_h, band_h, WFSIM_I32(PersonHalfRow, tenure_months, "months", "Tenure at the half's start"),
         WFSIM_F64(PersonHalfRow, hours, "h", "Learning hours in the half-year"),
         WFSIM_I32(PersonHalfRow, badges_knowledge, "badges", "Knowledge badges held at the half's start"),
         WFSIM_I32(PersonHalfRow, badges_skill, "badges", "Skill badges held at the half's start"),
         WFSIM_I32(PersonHalfRow, badges_other, "badges", "Other badges held at the half's start"),
         WFSIM_I32(PersonHalfRow, badges_strategic, "badges",
                   "Badges in strategic topics held at the half's start"),
         WFSIM_F64(PersonHalfRow, ti_pct, "TI pct", "TI% measured for the half-year")}};
    FieldSpec learner =
        WFSIM_I32(PersonYearRow, learner_category, "code",
                  "Learner category of the year's hours (S7): 0 under, 1 adequate, 2 steady, 3 super");
    learner.labels = Labels::Fixed;
    learner.codes = {0, 1, 2, 3};
    learner.code_labels = {"under", "adequate", "steady", "super"};
    FieldSpec promoted =
        WFSIM_I32(PersonYearRow, promoted_next_year, "code",
                  "Promoted at this year's end: 1 yes, 0 no, -1 not observed (exit or top band)");
    promoted.labels = Labels::Fixed;
    promoted.codes = {-1, 0, 1};
    promoted.code_labels = {"not observed", "no", "yes"};
    v[PERSON_YEAR] = {
        "panel/person_year",
        "One row per person and year",
        sizeof(PersonYearRow),
        true,
        {WFSIM_I32(PersonYearRow, replicate, "index", "Replicate"),
         WFSIM_I32(PersonYearRow, person, "id", "Person id (unique within a replicate)"),
         WFSIM_I32(PersonYearRow, year, "year", "Calendar year"), role_y, band_y,
         WFSIM_I32(PersonYearRow, tenure_months, "months", "Tenure at the year's end (or exit)"),
         WFSIM_F64(PersonYearRow, hours, "h", "Learning hours in the year"), learner,
         WFSIM_I32(PersonYearRow, badges_year_knowledge, "badges", "Knowledge badges earned in the year"),
         WFSIM_I32(PersonYearRow, badges_year_skill, "badges", "Skill badges earned in the year"),
         WFSIM_I32(PersonYearRow, badges_year_other, "badges", "Other badges earned in the year"),
         WFSIM_I32(PersonYearRow, badges_year_strategic, "badges",
                   "Badges in strategic topics earned in the year"),
         WFSIM_I32(PersonYearRow, badge_stock, "badges", "Badges held at the year's end"),
         WFSIM_F64(PersonYearRow, ti_mean, "TI pct", "Mean TI% over the year's half-years"), promoted}};
    FieldSpec badge_type =
        WFSIM_I32(BadgeEvent, badge_type, "code", "Badge type: 1 knowledge, 2 skill, 3 other");
    badge_type.labels = Labels::Fixed;
    badge_type.codes = {1, 2, 3};
    badge_type.code_labels = {"knowledge", "skill", "other"};
    FieldSpec topic = WFSIM_I32(BadgeEvent, topic, "code", "Topic (code; attribute labels)");
    topic.labels = Labels::Topic;
    FieldSpec strategic = WFSIM_I32(BadgeEvent, strategic, "code", "1 if the topic is strategic, else 0");
    strategic.labels = Labels::Fixed;
    strategic.codes = {0, 1};
    strategic.code_labels = {"no", "yes"};
    const char* month_units = "month index";
    const char* month_desc = "Month, as year*12 + (month-1) (24180 = 2015-01)";
    v[BADGES] = {"events/badges",
                 "One row per badge awarded",
                 sizeof(BadgeEvent),
                 false,
                 {WFSIM_I32(BadgeEvent, replicate, "index", "Replicate"),
                  WFSIM_I32(BadgeEvent, person, "id", "Person id"),
                  WFSIM_I32(BadgeEvent, month, month_units, month_desc), badge_type, topic, strategic,
                  WFSIM_I32(BadgeEvent, resource, "index", "Catalog resource index")}};
    FieldSpec from_band = WFSIM_I32(PromotionEvent, from_band, "band number", "Band before the promotion");
    from_band.labels = Labels::Band;
    FieldSpec to_band = WFSIM_I32(PromotionEvent, to_band, "band number", "Band after the promotion");
    to_band.labels = Labels::Band;
    v[PROMOTIONS] = {
        "events/promotions",
        "One row per promotion",
        sizeof(PromotionEvent),
        false,
        {WFSIM_I32(PromotionEvent, replicate, "index", "Replicate"),
         WFSIM_I32(PromotionEvent, person, "id", "Person id"),
         WFSIM_I32(PromotionEvent, month, month_units, "Effective month (January), as year*12 + (month-1)"),
         from_band, to_band}};
    FieldSpec hire_role = WFSIM_I32(HireEvent, role, "code", "Role (code; attribute labels)");
    hire_role.labels = Labels::Role;
    FieldSpec hire_band = WFSIM_I32(HireEvent, band, "band number", "Band at hire");
    hire_band.labels = Labels::Band;
    v[HIRES] = {"events/hires",
                "One row per hire",
                sizeof(HireEvent),
                false,
                {WFSIM_I32(HireEvent, replicate, "index", "Replicate"),
                 WFSIM_I32(HireEvent, person, "id", "Person id"),
                 WFSIM_I32(HireEvent, month, month_units, month_desc), hire_role, hire_band}};
    v[EXITS] = {"events/exits",
                "One row per exit",
                sizeof(ExitEvent),
                false,
                {WFSIM_I32(ExitEvent, replicate, "index", "Replicate"),
                 WFSIM_I32(ExitEvent, person, "id", "Person id"),
                 WFSIM_I32(ExitEvent, month, month_units, month_desc),
                 WFSIM_I32(ExitEvent, tenure_months, "months", "Tenure at exit")}};
    return v;
  }();
  return specs;
}

#undef WFSIM_I32
#undef WFSIM_F64

// ---- spooling sinks ------------------------------------------------------------------------

struct SpoolHeader {
  std::uint32_t table;
  std::uint32_t rows;
};

// One replicate's records, buffered and appended to its own spool file as blocks
// [table id, row count, raw rows].
class SpoolSink : public RecordSink {
 public:
  SpoolSink(std::string path, bool panel, bool events)
      : path_(std::move(path)), panel_(panel), events_(events) {}
  ~SpoolSink() override { ::unlink(path_.c_str()); }
  SpoolSink(const SpoolSink&) = delete;
  SpoolSink& operator=(const SpoolSink&) = delete;

  void person_half(std::span<const PersonHalfRow> r) override { add(PERSON_HALF, r, panel_); }
  void person_year(std::span<const PersonYearRow> r) override { add(PERSON_YEAR, r, panel_); }
  void badges(std::span<const BadgeEvent> r) override { add(BADGES, r, events_); }
  void promotions(std::span<const PromotionEvent> r) override { add(PROMOTIONS, r, events_); }
  void hires(std::span<const HireEvent> r) override { add(HIRES, r, events_); }
  void exits(std::span<const ExitEvent> r) override { add(EXITS, r, events_); }

  void flush() {
    if (buffer_.empty()) return;
    write_bytes(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  void release() {
    flush();
    std::vector<char>().swap(buffer_);
  }
  bool has_file() const { return written_; }
  const std::string& path() const { return path_; }

 private:
  template <class Row>
  void add(TableId table, std::span<const Row> rows, bool enabled) {
    if (!enabled || rows.empty()) return;
    constexpr std::size_t max_rows = (SPOOL_BUFFER_BYTES - sizeof(SpoolHeader)) / sizeof(Row);
    while (!rows.empty()) {
      const auto n = std::min(rows.size(), max_rows);
      const std::size_t bytes = sizeof(SpoolHeader) + n * sizeof(Row);
      if (buffer_.size() + bytes > SPOOL_BUFFER_BYTES) flush();
      if (buffer_.capacity() < SPOOL_BUFFER_BYTES) buffer_.reserve(SPOOL_BUFFER_BYTES);
      const SpoolHeader h{static_cast<std::uint32_t>(table), static_cast<std::uint32_t>(n)};
      const char* hp = reinterpret_cast<const char*>(&h);
      buffer_.insert(buffer_.end(), hp, hp + sizeof h);
      const char* rp = reinterpret_cast<const char*>(rows.data());
      buffer_.insert(buffer_.end(), rp, rp + n * sizeof(Row));
      rows = rows.subspan(n);
    }
  }

  void write_bytes(const char* data, std::size_t n) {
    std::FILE* f = std::fopen(path_.c_str(), written_ ? "ab" : "wb");
    if (!f) throw RunError("cannot write spool file '" + path_ + "': " + errno_text());
    const bool ok = std::fwrite(data, 1, n, f) == n;
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) throw RunError("cannot write spool file '" + path_ + "' (disk full?)");
    written_ = true;
  }

  std::string path_;
  bool panel_, events_;
  bool written_ = false;
  std::vector<char> buffer_;
};

class SpoolFactory : public RecordSinkFactory {
 public:
  SpoolFactory(std::string prefix, bool panel, bool events)
      : prefix_(std::move(prefix)), panel_(panel), events_(events) {}
  RecordSink* for_replicate(int replicate) override { return sink(replicate); }
  SpoolSink* sink(int replicate) {
    std::lock_guard lock(mutex_);
    auto& s = sinks_[replicate];
    if (!s) s = std::make_unique<SpoolSink>(prefix_ + ".spool-" + std::to_string(replicate), panel_, events_);
    return s.get();
  }
  std::map<int, std::unique_ptr<SpoolSink>>& all() { return sinks_; }  // only once writers are done
  void clear() {
    std::lock_guard lock(mutex_);
    sinks_.clear();
  }

 private:
  std::string prefix_;
  bool panel_, events_;
  std::mutex mutex_;
  std::map<int, std::unique_ptr<SpoolSink>> sinks_;
};

// One HDF5 table being filled: columnar buffers of up to TABLE_BLOCK_ROWS rows.
class TableWriter {
 public:
  TableWriter(const h5::Handle& file, const TableSpec& spec, const RunMetadata& meta) : spec_(spec) {
    group_ = h5::require_group(file, spec.group);
    h5::write_attribute(group_, "description", spec.description);
    for (const auto& f : spec.fields) {
      columns_.emplace_back(group_, f.name, f.is_double ? h5::ColumnType::Float64 : h5::ColumnType::Int32,
                            TABLE_BLOCK_ROWS);
      const auto& ds = columns_.back().handle();
      h5::write_attribute(ds, "units", f.units);
      h5::write_attribute(ds, "description", f.description);
      switch (f.labels) {
        case Labels::None:
          break;
        case Labels::Role:
          write_index_labels(ds, meta.role_names);
          break;
        case Labels::Topic:
          write_index_labels(ds, meta.topic_names);
          break;
        case Labels::Band: {
          std::vector<std::int32_t> b(meta.band_numbers.begin(), meta.band_numbers.end());
          h5::write_attribute(ds, "band_numbers", std::span<const std::int32_t>(b));
          break;
        }
        case Labels::Fixed:
          h5::write_attribute(ds, "codes", std::span<const std::int32_t>(f.codes));
          h5::write_attribute(ds, "labels", f.code_labels);
          break;
      }
      ints_.emplace_back();
      doubles_.emplace_back();
    }
  }

  // Appends rows given as raw bytes of the row struct.
  void add(const char* rows, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const char* row = rows + i * spec_.row_size;
      for (std::size_t c = 0; c < spec_.fields.size(); ++c) {
        const auto& f = spec_.fields[c];
        if (f.is_double) {
          double v;
          std::memcpy(&v, row + f.offset, sizeof v);
          doubles_[c].push_back(v);
        } else {
          std::int32_t v;
          std::memcpy(&v, row + f.offset, sizeof v);
          ints_[c].push_back(v);
        }
      }
      if (++buffered_ == TABLE_BLOCK_ROWS) flush();
    }
  }

  void finish() {
    flush();
    h5::Handle row = h5::create_plain_dimension(group_, "row", columns_.empty() ? 0 : columns_[0].size());
    for (auto& c : columns_) h5::attach_scale(c.handle(), row, 0);
  }

 private:
  static void write_index_labels(const h5::Handle& ds, const std::vector<std::string>& names) {
    std::vector<std::int32_t> codes;
    for (std::size_t i = 0; i < names.size(); ++i) codes.push_back(static_cast<std::int32_t>(i));
    h5::write_attribute(ds, "codes", std::span<const std::int32_t>(codes));
    h5::write_attribute(ds, "labels", names);
  }

  void flush() {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (spec_.fields[c].is_double) {
        columns_[c].append(std::span<const double>(doubles_[c]));
        doubles_[c].clear();
      } else {
        columns_[c].append(std::span<const std::int32_t>(ints_[c]));
        ints_[c].clear();
      }
    }
    buffered_ = 0;
  }

  const TableSpec& spec_;
  h5::Handle group_;
  std::vector<h5::Column> columns_;
  std::vector<std::vector<std::int32_t>> ints_;
  std::vector<std::vector<double>> doubles_;
  std::uint64_t buffered_ = 0;
};

// Copies one spool file into the tables, block by block.
void copy_spool(const std::string& path, std::vector<std::unique_ptr<TableWriter>>& tables) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw RunError("cannot read spool file '" + path + "': " + errno_text());
  std::vector<char> buf;
  try {
    SpoolHeader h;
    while (std::fread(&h, sizeof h, 1, f) == 1) {
      if (h.table >= TABLE_COUNT) throw RunError("corrupt spool file '" + path + "'");
      const auto& spec = table_specs()[h.table];
      std::size_t left = h.rows;
      while (left > 0) {
        const std::size_t n = std::min<std::size_t>(left, 8192);
        buf.resize(n * spec.row_size);
        if (std::fread(buf.data(), spec.row_size, n, f) != n)
          throw RunError("truncated spool file '" + path + "'");
        if (tables[h.table]) tables[h.table]->add(buf.data(), n);
        left -= n;
      }
    }
    if (std::ferror(f)) throw RunError("cannot read spool file '" + path + "': " + errno_text());
  } catch (...) {
    std::fclose(f);
    throw;
  }
  std::fclose(f);
}

// ---- the run layout --------------------------------------------------------------------------

void write_text_attrs(const h5::Handle& obj, const std::string& units, const std::string& description) {
  h5::write_attribute(obj, "units", units);
  h5::write_attribute(obj, "description", description);
}

// Writes the time coordinate of frequency f into `group` and returns it.
h5::Handle write_time_coordinate(const h5::Handle& group, Frequency f, const TimeAxes& axes) {
  std::string name;
  switch (f) {
    case Frequency::Monthly:
      name = "month";
      h5::write_dataset(group, name, axes.month_labels());
      write_text_attrs(h5::open_dataset(group, name), "", "Calendar month, YYYY-MM");
      break;
    case Frequency::Yearly: {
      name = "year";
      const auto years = axes.year_labels();
      h5::write_dataset(group, name, std::span<const std::int64_t>(years));
      write_text_attrs(h5::open_dataset(group, name), "year", "Calendar year");
      break;
    }
    case Frequency::HalfYearly:
      name = "half";
      h5::write_dataset(group, name, axes.half_labels());
      write_text_attrs(h5::open_dataset(group, name), "", "Half-year, YYYY-H1 (January-June) or YYYY-H2");
      break;
  }
  h5::Handle ds = h5::open_dataset(group, name);
  h5::make_dimension_scale(ds, name);
  return ds;
}

const char* time_dim_name(Frequency f) {
  switch (f) {
    case Frequency::Monthly:
      return "month";
    case Frequency::Yearly:
      return "year";
    case Frequency::HalfYearly:
      return "half";
  }
  return "";
}

void write_root_attrs(const h5::Handle& g, const RunMetadata& meta, const std::string& filetype) {
  h5::write_attribute(g, "filetype", filetype);
  const std::int32_t format_version[2] = {RESULTS_FORMAT_MAJOR, RESULTS_FORMAT_MINOR};
  h5::write_attribute(g, "format_version", std::span<const std::int32_t>(format_version));
  h5::write_attribute(g, "wfsim_version",
                      meta.wfsim_version.empty() ? std::string(version()) : meta.wfsim_version);
  h5::write_attribute(g, "git_commit", meta.git_commit.empty() ? std::string(git_commit()) : meta.git_commit);
  h5::write_attribute(g, "created_utc", meta.created_utc.empty() ? utc_now() : meta.created_utc);
}

void write_run(const h5::Handle& g, const RunResults& results, const RunMetadata& meta) {
  const auto n_rep = results.replicates.size();
  write_root_attrs(g, meta, RESULTS_FILETYPE);
  h5::write_attribute(g, "command_line", meta.command_line);
  h5::write_attribute(g, "scenario_name", meta.scenario_name);
  h5::write_attribute(g, "seed", meta.seed);
  h5::write_attribute(g, "replicates", static_cast<std::int64_t>(n_rep));
  h5::write_attribute(g, "start_month",
                      meta.start_month.empty() ? month_text(results.axes.start_month) : meta.start_month);
  h5::write_attribute(g, "months", static_cast<std::int64_t>(results.axes.months));
  h5::write_attribute(g, "role_names", meta.role_names);
  h5::write_attribute(g, "topic_names", meta.topic_names);
  const std::vector<std::int32_t> bands(meta.band_numbers.begin(), meta.band_numbers.end());
  h5::write_attribute(g, "band_numbers", std::span<const std::int32_t>(bands));

  h5::write_dataset(g, "scenario", meta.scenario_yaml);
  write_text_attrs(h5::open_dataset(g, "scenario"), "",
                   "The resolved scenario (YAML) that produced this run");

  std::vector<std::int32_t> rep_ids(n_rep);
  for (std::size_t r = 0; r < n_rep; ++r) rep_ids[r] = static_cast<std::int32_t>(r);
  const std::vector<std::string> stat_labels = {"mean", "sd", "ci95_low", "ci95_high"};

  for (int fi = 0; fi < FREQUENCY_COUNT; ++fi) {
    const auto f = static_cast<Frequency>(fi);
    const auto len = static_cast<std::uint64_t>(results.axes.length(f));
    const auto& metrics = results.metrics[fi];
    for (std::size_t r = 0; r < n_rep; ++r) {
      const auto& vals = results.replicates[r].values[fi];
      if (vals.size() != metrics.size())
        throw RunError(std::string("results: replicate ") + std::to_string(r) + " has " +
                       std::to_string(vals.size()) + " " + frequency_name(f) + " series for " +
                       std::to_string(metrics.size()) + " metrics");
      for (std::size_t m = 0; m < vals.size(); ++m)
        if (vals[m].size() != len)
          throw RunError(std::string("results: ") + frequency_name(f) + " series '" + metrics[m].name +
                         "' of replicate " + std::to_string(r) + " has length " +
                         std::to_string(vals[m].size()) + ", expected " + std::to_string(len));
    }

    // /<freq>/<metric> [replicate, time]
    h5::Handle group = h5::create_group(g, frequency_name(f));
    h5::write_attribute(
        group, "description",
        std::string("Per-replicate ") + frequency_name(f) + " series, [replicate, " + time_dim_name(f) + "]");
    h5::write_dataset(group, "replicate", std::span<const std::int32_t>(rep_ids));
    h5::Handle rep_scale = h5::open_dataset(group, "replicate");
    write_text_attrs(rep_scale, "index", "Replicate number");
    h5::make_dimension_scale(rep_scale, "replicate");
    h5::Handle time_scale = write_time_coordinate(group, f, results.axes);
    std::vector<double> data(n_rep * len);
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      for (std::size_t r = 0; r < n_rep; ++r)
        std::copy(results.replicates[r].values[fi][m].begin(), results.replicates[r].values[fi][m].end(),
                  data.begin() + static_cast<std::ptrdiff_t>(r * len));
      h5::write_dataset(group, metrics[m].name, std::span<const double>(data), {n_rep, len});
      h5::Handle ds = h5::open_dataset(group, metrics[m].name);
      write_text_attrs(ds, metrics[m].units, metrics[m].description);
      h5::attach_scale(ds, rep_scale, 0);
      h5::attach_scale(ds, time_scale, 1);
    }

    // /summary/<freq>/<metric> [stat, time]
    h5::Handle sgroup = h5::require_group(g, std::string("summary/") + frequency_name(f));
    h5::write_attribute(sgroup, "description",
                        std::string("Summaries over replicates of the ") + frequency_name(f) +
                            " series: mean, sd, ci95_low, ci95_high (Student t, n-1 df)");
    h5::write_dataset(sgroup, "stat", stat_labels);
    h5::Handle stat_scale = h5::open_dataset(sgroup, "stat");
    write_text_attrs(stat_scale, "", "Statistic over replicates");
    h5::make_dimension_scale(stat_scale, "stat");
    h5::Handle stime_scale = write_time_coordinate(sgroup, f, results.axes);
    std::vector<double> sdata(4 * len);
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      std::vector<std::vector<double>> per_rep;
      for (const auto& rep : results.replicates) per_rep.push_back(rep.values[fi][m]);
      const auto sums = summarize_series(per_rep);
      for (std::size_t t = 0; t < len; ++t) {
        const bool have = t < sums.size() && sums[t].n > 0;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        sdata[0 * len + t] = have ? sums[t].mean : nan;
        sdata[1 * len + t] = have ? sums[t].sd : nan;
        sdata[2 * len + t] = have ? sums[t].ci95_low : nan;
        sdata[3 * len + t] = have ? sums[t].ci95_high : nan;
      }
      h5::write_dataset(sgroup, metrics[m].name, std::span<const double>(sdata), {4, len});
      h5::Handle ds = h5::open_dataset(sgroup, metrics[m].name);
      write_text_attrs(ds, metrics[m].units, metrics[m].description);
      h5::attach_scale(ds, stat_scale, 0);
      h5::attach_scale(ds, stime_scale, 1);
    }
  }
}

// ---- reading ---------------------------------------------------------------------------------

std::string describe_version(const std::vector<std::int64_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

// Checks the filetype and format version of a run group.
void check_run_group(const std::string& path, const std::string& where, const h5::Handle& g) {
  const std::string expected = std::string("filetype '") + RESULTS_FILETYPE + "' with format_version [" +
                               std::to_string(RESULTS_FORMAT_MAJOR) + ",x]";
  if (!h5::has_attribute(g, "filetype"))
    throw InputError(
        path, "not a wfsim results file: " + where + " has no 'filetype' attribute; expected " + expected);
  const std::string type = h5::read_attribute_string(g, "filetype");
  if (type != RESULTS_FILETYPE)
    throw InputError(
        path, "not a wfsim results file: " + where + " has filetype '" + type + "'; expected " + expected);
  if (!h5::has_attribute(g, "format_version"))
    throw InputError(path, "no 'format_version' attribute at " + where + "; expected " + expected);
  const auto v = h5::read_attribute_ints(g, "format_version");
  if (v.size() != 2 || v[0] != RESULTS_FORMAT_MAJOR)
    throw InputError(path, "results format_version " + describe_version(v) +
                               " is not supported; this wfsim " + "reads format_version [" +
                               std::to_string(RESULTS_FORMAT_MAJOR) +
                               ",x] (rewrite the file with a matching wfsim)");
}

h5::Handle open_input(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "no such file");
  if (!h5::is_hdf5(path))
    throw InputError(path, std::string("not an HDF5 file; expected a wfsim results file (filetype '") +
                               RESULTS_FILETYPE + "')");
  return h5::open_file_readonly(path);
}

std::string string_attr_or_empty(const h5::Handle& g, const std::string& name) {
  return h5::has_attribute(g, name) ? h5::read_attribute_string(g, name) : std::string();
}

ResultsFile read_run(const std::string& path, const h5::Handle& g) {
  ResultsFile out;
  auto& meta = out.meta;
  meta.wfsim_version = string_attr_or_empty(g, "wfsim_version");
  meta.git_commit = string_attr_or_empty(g, "git_commit");
  meta.created_utc = string_attr_or_empty(g, "created_utc");
  meta.command_line = string_attr_or_empty(g, "command_line");
  meta.scenario_name = string_attr_or_empty(g, "scenario_name");
  meta.seed = h5::read_attribute_uint(g, "seed");
  meta.replicates = static_cast<int>(h5::read_attribute_int(g, "replicates"));
  meta.start_month = h5::read_attribute_string(g, "start_month");
  meta.months = static_cast<int>(h5::read_attribute_int(g, "months"));
  if (h5::has_attribute(g, "role_names")) meta.role_names = h5::read_attribute_strings(g, "role_names");
  if (h5::has_attribute(g, "topic_names")) meta.topic_names = h5::read_attribute_strings(g, "topic_names");
  if (h5::has_attribute(g, "band_numbers"))
    for (auto b : h5::read_attribute_ints(g, "band_numbers"))
      meta.band_numbers.push_back(static_cast<int>(b));
  meta.scenario_yaml = h5::read_string(g, "scenario");

  const auto start = parse_month(meta.start_month);
  if (!start) throw InputError(path, "attribute start_month '" + meta.start_month + "' is not YYYY-MM");
  auto& res = out.results;
  res.axes = TimeAxes::for_horizon(*start, meta.months);
  const auto n_rep = static_cast<std::size_t>(meta.replicates);
  res.replicates.resize(n_rep);
  for (int fi = 0; fi < FREQUENCY_COUNT; ++fi) {
    const auto f = static_cast<Frequency>(fi);
    const auto len = static_cast<std::uint64_t>(res.axes.length(f));
    h5::Handle group = h5::open_group(g, frequency_name(f));
    for (const auto& name : h5::list_datasets(group)) {
      h5::Handle ds = h5::open_dataset(group, name);
      if (h5::is_dimension_scale(ds)) continue;
      std::vector<std::uint64_t> dims;
      const auto data = h5::read_doubles(group, name, &dims);
      if (dims.size() != 2 || dims[0] != n_rep || dims[1] != len)
        throw InputError(path, std::string("dataset ") + frequency_name(f) + "/" + name +
                                   " does not have the shape [replicates, " + time_dim_name(f) + "]");
      res.metrics[fi].push_back(
          {name, string_attr_or_empty(ds, "units"), string_attr_or_empty(ds, "description")});
      for (std::size_t r = 0; r < n_rep; ++r)
        res.replicates[r].values[fi].emplace_back(data.begin() + static_cast<std::ptrdiff_t>(r * len),
                                                  data.begin() + static_cast<std::ptrdiff_t>((r + 1) * len));
    }
  }
  return out;
}

std::string clean_group(const std::string& group) {
  std::string g = group;
  while (!g.empty() && g.front() == '/') g.erase(g.begin());
  while (!g.empty() && g.back() == '/') g.pop_back();
  return g;
}

}  // namespace

// ---- ResultsWriter ----------------------------------------------------------------------------

struct ResultsWriter::Impl {
  AtomicTarget target;
  bool panel, events;
  SpoolFactory factory;
  bool finished = false;
  Impl(std::string path, bool overwrite, bool with_panel, bool with_events)
      : target(std::move(path), overwrite),
        panel(with_panel),
        events(with_events),
        factory(target.temp(), with_panel, with_events) {}
};

ResultsWriter::ResultsWriter(std::string path, bool overwrite, bool panel, bool events)
    : impl_(std::make_unique<Impl>(std::move(path), overwrite, panel, events)) {}

ResultsWriter::~ResultsWriter() = default;  // sinks unlink their spools, the target its file

RecordSinkFactory& ResultsWriter::sinks() { return impl_->factory; }

void ResultsWriter::replicate_done(int replicate) { impl_->factory.sink(replicate)->release(); }

const std::string& ResultsWriter::path() const { return impl_->target.path(); }
const std::string& ResultsWriter::temporary_path() const { return impl_->target.temp(); }

void ResultsWriter::finish(const RunResults& results, const RunMetadata& meta) {
  if (impl_->finished) throw RunError("ResultsWriter::finish called twice for '" + path() + "'");
  {
    h5::Handle file = h5::create_file(impl_->target.temp());
    write_run(file, results, meta);
    if (impl_->panel || impl_->events) {
      std::vector<std::unique_ptr<TableWriter>> tables(TABLE_COUNT);
      for (int t = 0; t < TABLE_COUNT; ++t) {
        const auto& spec = table_specs()[static_cast<std::size_t>(t)];
        if (spec.is_panel ? impl_->panel : impl_->events)
          tables[static_cast<std::size_t>(t)] = std::make_unique<TableWriter>(file, spec, meta);
      }
      if (impl_->panel)
        h5::write_attribute(h5::open_group(file, "panel"), "description", "Person-level panels");
      if (impl_->events) h5::write_attribute(h5::open_group(file, "events"), "description", "Event tables");
      for (auto& [replicate, sink] : impl_->factory.all()) {  // std::map: replicate order
        sink->flush();
        if (sink->has_file()) copy_spool(sink->path(), tables);
        sink.reset();  // deletes its spool now, freeing disk early
      }
      for (auto& t : tables)
        if (t) t->finish();
    }
    h5::flush_file(file);
    h5::close_file(file);
  }
  impl_->factory.clear();
  impl_->target.commit();
  impl_->finished = true;
}

// ---- reading ------------------------------------------------------------------------------------

ResultsFile read_results(const std::string& path) { return read_results(path, ""); }

ResultsFile read_results(const std::string& path, const std::string& group) {
  h5::Handle file = open_input(path);
  const std::string g = clean_group(group);
  if (!g.empty() && !h5::exists(file, g))
    throw InputError(path, "no group '/" + g + "' in the file; expected a run group such as runs/<name>");
  h5::Handle root = h5::open_group(file, g.empty() ? "/" : g);
  check_run_group(path, g.empty() ? "the root" : "group '/" + g + "'", root);
  return read_run(path, root);
}

std::string file_type_of(const std::string& path) {
  try {
    if (!h5::is_hdf5(path)) return "";
    h5::Handle file = h5::open_file_readonly(path);
    h5::Handle root = h5::open_group(file, "/");
    return h5::has_attribute(root, "filetype") ? h5::read_attribute_string(root, "filetype") : "";
  } catch (const RunError&) {
    return "";
  }
}

bool is_results_file(const std::string& path) { return file_type_of(path) == RESULTS_FILETYPE; }

std::vector<TableColumn> read_table(const std::string& path, const std::string& group_path) {
  h5::Handle file = open_input(path);
  const std::string g = clean_group(group_path);
  if (g.empty() || !h5::exists(file, g) || !h5::is_group(file, g))
    throw InputError(path, "no table '/" + g + "' in the file");
  h5::Handle group = h5::open_group(file, g);
  std::vector<TableColumn> out;
  for (const auto& name : h5::list_datasets(group)) {
    h5::Handle ds = h5::open_dataset(group, name);
    if (h5::is_dimension_scale(ds) || h5::shape(ds).size() != 1) continue;
    TableColumn c;
    c.name = name;
    c.units = string_attr_or_empty(ds, "units");
    c.description = string_attr_or_empty(ds, "description");
    try {
      c.values = h5::read_strings(group, name);
    } catch (const RunError&) {  // not a string dataset
      c.values = h5::read_doubles(group, name);
    }
    out.push_back(std::move(c));
  }
  return out;
}

void read_records(const std::string& path, RecordSink& sink, const std::string& group) {
  h5::Handle file = open_input(path);
  const std::string g = clean_group(group);
  h5::Handle root = h5::open_group(file, g.empty() ? "/" : g);
  check_run_group(path, g.empty() ? "the root" : "group '/" + g + "'", root);
  for (int t = 0; t < TABLE_COUNT; ++t) {
    const auto& spec = table_specs()[static_cast<std::size_t>(t)];
    if (!h5::exists(root, spec.group)) continue;
    h5::Handle tg = h5::open_group(root, spec.group);
    std::vector<h5::Handle> cols;
    for (const auto& f : spec.fields) cols.push_back(h5::open_dataset(tg, f.name));
    const std::uint64_t n = h5::shape(cols.front()).at(0);
    for (std::size_t c = 1; c < cols.size(); ++c)
      if (h5::shape(cols[c]).at(0) != n)
        throw InputError(path, std::string("columns of ") + spec.group + " differ in length");
    std::vector<char> rows;
    std::vector<std::int32_t> ibuf;
    std::vector<double> dbuf;
    for (std::uint64_t start = 0; start < n; start += TABLE_BLOCK_ROWS) {
      const auto k = static_cast<std::size_t>(std::min(TABLE_BLOCK_ROWS, n - start));
      rows.assign(k * spec.row_size, 0);
      for (std::size_t c = 0; c < cols.size(); ++c) {
        const auto& f = spec.fields[c];
        if (f.is_double) {
          dbuf.resize(k);
          h5::read_rows(cols[c], start, std::span<double>(dbuf));
          for (std::size_t i = 0; i < k; ++i) std::memcpy(&rows[i * spec.row_size + f.offset], &dbuf[i], 8);
        } else {
          ibuf.resize(k);
          h5::read_rows(cols[c], start, std::span<std::int32_t>(ibuf));
          for (std::size_t i = 0; i < k; ++i) std::memcpy(&rows[i * spec.row_size + f.offset], &ibuf[i], 4);
        }
      }
      auto emit = [&](auto* typed) {
        using Row = std::remove_pointer_t<decltype(typed)>;
        std::vector<Row> v(k);
        std::memcpy(v.data(), rows.data(), k * sizeof(Row));
        return v;
      };
      switch (t) {
        case PERSON_HALF:
          sink.person_half(emit(static_cast<PersonHalfRow*>(nullptr)));
          break;
        case PERSON_YEAR:
          sink.person_year(emit(static_cast<PersonYearRow*>(nullptr)));
          break;
        case BADGES:
          sink.badges(emit(static_cast<BadgeEvent*>(nullptr)));
          break;
        case PROMOTIONS:
          sink.promotions(emit(static_cast<PromotionEvent*>(nullptr)));
          break;
        case HIRES:
          sink.hires(emit(static_cast<HireEvent*>(nullptr)));
          break;
        case EXITS:
          sink.exits(emit(static_cast<ExitEvent*>(nullptr)));
          break;
        default:
          break;
      }
    }
  }
}

// ---- MultiRunWriter ------------------------------------------------------------------------------

struct MultiRunWriter::Impl {
  AtomicTarget target;
  h5::Handle file;
  std::string filetype;
  bool finished = false;
  Impl(std::string path, bool overwrite, std::string type)
      : target(std::move(path), overwrite), filetype(std::move(type)) {}
};

MultiRunWriter::MultiRunWriter(std::string path, bool overwrite, std::string filetype)
    : impl_(std::make_unique<Impl>(std::move(path), overwrite, std::move(filetype))) {
  impl_->file = h5::create_file(impl_->target.temp());
}

MultiRunWriter::~MultiRunWriter() {
  impl_->file.reset();  // close before the target removes the temporary file
}

void MultiRunWriter::add_run(const std::string& group, const RunResults& results, const RunMetadata& meta) {
  h5::Handle g = h5::require_group(impl_->file, clean_group(group));
  write_run(g, results, meta);
}

void MultiRunWriter::add_table(const std::string& group_path, const std::vector<TableColumn>& columns,
                               const std::string& description) {
  h5::Handle g = h5::require_group(impl_->file, clean_group(group_path));
  if (!description.empty()) h5::write_attribute(g, "description", description);
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto len =
        std::visit([](const auto& v) { return static_cast<std::uint64_t>(v.size()); }, columns[i].values);
    if (i == 0) n = len;
    if (len != n)
      throw RunError("table '" + group_path + "': column '" + columns[i].name + "' has " +
                     std::to_string(len) + " rows, expected " + std::to_string(n));
  }
  for (const auto& c : columns) {
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::vector<std::string>>)
            h5::write_dataset(g, c.name, v);
          else
            h5::write_dataset(g, c.name, std::span<const typename V::value_type>(v));
        },
        c.values);
    write_text_attrs(h5::open_dataset(g, c.name), c.units, c.description);
  }
  h5::Handle row = h5::create_plain_dimension(g, "row", n);
  for (const auto& c : columns) h5::attach_scale(h5::open_dataset(g, c.name), row, 0);
}

void MultiRunWriter::set_attribute(const std::string& name, const std::string& value) {
  h5::write_attribute(impl_->file, name, value);
}
void MultiRunWriter::set_attribute(const std::string& name, std::int64_t value) {
  h5::write_attribute(impl_->file, name, value);
}
void MultiRunWriter::set_attribute(const std::string& name, double value) {
  h5::write_attribute(impl_->file, name, value);
}

void MultiRunWriter::finish() {
  if (impl_->finished)
    throw RunError("MultiRunWriter::finish called twice for '" + impl_->target.path() + "'");
  write_root_attrs(impl_->file, RunMetadata{}, impl_->filetype);
  h5::flush_file(impl_->file);
  h5::close_file(impl_->file);
  impl_->target.commit();
  impl_->finished = true;
}

}  // namespace wfsim
