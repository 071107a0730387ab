// The wfsim results file (HDF5, format 1.0, specified in results/README.md): its writer,
// which streams person-level records of concurrently running replicates to disk and
// publishes the file atomically, and its reader.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "wfsim/run_results.h"

namespace wfsim {

inline constexpr const char* RESULTS_FILETYPE = "wfsim-results";
inline constexpr int RESULTS_FORMAT_MAJOR = 1;
inline constexpr int RESULTS_FORMAT_MINOR = 0;

// What a run was: stored as root attributes, /scenario and the label attributes of coded columns.
struct RunMetadata {
  std::string wfsim_version;  // empty: filled with wfsim::version() when written
  std::string git_commit;     // empty: filled with wfsim::git_commit()
  std::string created_utc;    // empty: filled with the current time, "YYYY-MM-DDTHH:MM:SSZ"
  std::string command_line;
  std::string scenario_name;
  std::uint64_t seed = 0;
  int replicates = 0;
  std::string start_month;  // "YYYY-MM"
  int months = 0;
  std::string scenario_yaml;                         // the resolved scenario
  std::vector<std::string> role_names, topic_names;  // code i -> name
  std::vector<int> band_numbers;
};

// Writes one run to `path`. Person-level records arrive through sinks() from any number of
// threads (one thread per replicate at a time); each replicate's rows are spooled to its own
// temporary file next to `path`, so memory does not grow with the panel, and finish() copies
// them into the HDF5 tables in replicate order: the file does not depend on the thread count
// or on the order in which replicates finish. Every HDF5 call happens in finish().
class ResultsWriter {
 public:
  // Reserves <dir>/.<name>.tmp-<pid>-<random> in the folder of `path`. Throws InputError if
  // `path` exists and !overwrite, if it is a folder, or if its folder does not exist.
  // panel: write /panel tables; events: write /events tables (records of a disabled kind are dropped).
  ResultsWriter(std::string path, bool overwrite, bool panel, bool events);
  ~ResultsWriter();  // if finish() did not complete: removes every temporary file
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  RecordSinkFactory& sinks();
  // Optional: replicate r will send no more records; writes out and frees its buffer (1 MB).
  // Without it the buffers of finished replicates stay in memory until finish().
  void replicate_done(int replicate);
  // Writes everything, flushes, fsyncs and renames the file to `path` (throws InputError if
  // `path` appeared meanwhile and !overwrite). Throws RunError on I/O failure.
  void finish(const RunResults& results, const RunMetadata& meta);

  const std::string& path() const;
  const std::string& temporary_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct ResultsFile {
  RunMetadata meta;
  RunResults results;  // metrics in file order; replicates in replicate order
};

// Reads a results file. Throws InputError naming the file, what was found and what was
// expected if it is missing, not HDF5, of another filetype or of another major format version.
ResultsFile read_results(const std::string& path);
// Reads the run stored under `group` (e.g. "runs/baseline") of a comparison or sweep file.
ResultsFile read_results(const std::string& path, const std::string& group);
// True if `path` is an HDF5 file whose root attribute filetype is "wfsim-results".
bool is_results_file(const std::string& path);
// The root attribute filetype of an HDF5 file ("" if absent or not HDF5).
std::string file_type_of(const std::string& path);

// Streams the /panel and /events tables of a results file (or of its run `group`) to `sink`
// in file order, in blocks of at most 65536 rows. Absent tables are skipped.
void read_records(const std::string& path, RecordSink& sink, const std::string& group = "");

// One column of an extra table of a MultiRunWriter file.
struct TableColumn {
  std::string name, units, description;
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;
};

// Reads the 1-D datasets of the table /<group_path> of a file written by MultiRunWriter::add_table
// (e.g. "comparison", "sweep", "study_replication"), in writing order, with their units and
// description. String columns come back as strings; every numeric column as double (exact for
// integers up to 2^53). Throws InputError if the file cannot be read or has no such group.
std::vector<TableColumn> read_table(const std::string& path, const std::string& group_path);

// For compare/sweep: several runs in one file, each with the full results layout (without
// panel and events) under its own group, plus extra tables. Same atomic publication as
// ResultsWriter. The root carries filetype (given), format_version [1,0], wfsim_version,
// git_commit and created_utc, plus any attributes set with set_attribute().
class MultiRunWriter {
 public:
  MultiRunWriter(std::string path, bool overwrite, std::string filetype);
  ~MultiRunWriter();
  MultiRunWriter(const MultiRunWriter&) = delete;
  MultiRunWriter& operator=(const MultiRunWriter&) = delete;

  // Writes the run under /<group> (e.g. "runs/baseline"); read it back with read_results(path, group).
  void add_run(const std::string& group, const RunResults& results, const RunMetadata& meta);
  // Writes columns of equal length as 1-D datasets of /<group_path> with a 'row' dimension.
  void add_table(const std::string& group_path, const std::vector<TableColumn>& columns,
                 const std::string& description = "");
  void set_attribute(const std::string& name, const std::string& value);
  void set_attribute(const std::string& name, std::int64_t value);
  void set_attribute(const std::string& name, double value);
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfsim
