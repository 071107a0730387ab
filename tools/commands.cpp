#include "commands.h"

#include <filesystem>
#include <iostream>
#include <mutex>

#include "wfsim/errors.h"
#include "wfsim/experiment.h"
#include "wfsim/scenario/catalog_csv.h"
#include "wfsim/text_tables.h"

namespace wfsim::cli {

LoadedScenario load_for(const std::string& scenario_path, const CommonOptions& o) {
  std::vector<std::string> sets = o.sets;
  if (o.replicates) sets.push_back("run.replicates=" + std::to_string(*o.replicates));
  if (o.seed) sets.push_back("run.seed=" + std::to_string(*o.seed));
  if (o.panel) sets.push_back("outputs.panel=true");
  if (o.events) sets.push_back("outputs.events=true");
  return scenario_path.empty() ? load_default_scenario(sets) : load_scenario_file(scenario_path, sets);
}

Catalog make_catalog(const Scenario& s) {
  if (s.catalog_source == CatalogSource::Csv) return load_catalog_csv(s.catalog_csv, s);
  return Catalog::generate(s, s.seed);
}

RunMetadata metadata_for(const LoadedScenario& loaded, const std::string& command_line) {
  const Scenario& s = loaded.scenario;
  RunMetadata m;
  m.command_line = command_line;
  m.scenario_name = s.name;
  m.seed = s.seed;
  m.replicates = s.replicates;
  m.start_month = month_text(s.start_month);
  m.months = s.months;
  m.scenario_yaml = loaded.resolved_yaml;
  for (const auto& r : s.roles) m.role_names.push_back(r.name);
  for (const auto& t : s.topics) m.topic_names.push_back(t.name);
  for (const auto& b : s.bands) m.band_numbers.push_back(b.band);
  return m;
}

RunResults execute(const LoadedScenario& loaded, const CommonOptions& o, ResultsWriter* writer,
                   const std::string& label) {
  const Scenario& s = loaded.scenario;
  const Catalog catalog = make_catalog(s);
  ExperimentOptions eo;
  eo.threads = o.threads;
  eo.panel = s.panel && writer;
  eo.events = s.events && writer;
  eo.sinks = writer ? &writer->sinks() : nullptr;
  if (writer) eo.replicate_done = [writer](int r) { writer->replicate_done(r); };
  if (o.progress) {
    eo.progress = [label](int done, int total) {
      const int width = 30;
      const int filled = total ? done * width / total : width;
      std::cerr << "\r" << label << " [" << std::string(static_cast<std::size_t>(filled), '#')
                << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/" << total
                << " replicates" << std::flush;
      if (done == total) std::cerr << "\n";
    };
  }
  return run_experiment(s, catalog, eo);
}

std::string run_group(const std::string& scenario_name) {
  std::string g = scenario_name;
  for (char& c : g)
    if (c == '/') c = '_';
  return "runs/" + g;
}

namespace {

std::string default_output(const std::string& name) {
  std::filesystem::create_directories("results");
  return "results/" + name + ".h5";
}

int run_to_file(const LoadedScenario& loaded, const CommonOptions& o, const std::string& out_path) {
  const Scenario& s = loaded.scenario;
  ResultsWriter writer(out_path, o.overwrite, s.panel, s.events);
  RunResults results = execute(loaded, o, &writer, s.name);
  writer.finish(results, metadata_for(loaded, o.command_line));
  if (!o.quiet) {
    std::cout << "Scenario '" << s.name << "': " << month_text(s.start_month) << " + " << s.months
              << " months, " << s.headcount << " people, " << s.replicates << " replicates, seed " << s.seed
              << "\n\n";
    std::cout << yearly_summary_table(results);
  }
  std::cout << "Results written to " << out_path << "\n";
  return 0;
}

}  // namespace

int cmd_run(const CommonOptions& o) {
  const LoadedScenario loaded = load_for(o.scenario, o);
  const std::string out = o.output.empty() ? default_output(loaded.scenario.name) : o.output;
  return run_to_file(loaded, o, out);
}

int cmd_validate(const CommonOptions& o) {
  const LoadedScenario loaded = load_for(o.scenario, o);
  std::cout << "ok\n" << loaded.resolved_yaml;
  return 0;
}

int cmd_params(const CommonOptions& o) {
  if (o.markdown) {
    std::cout << params_reference_markdown();
    return 0;
  }
  if (o.scenario.empty() && o.sets.empty()) {
    std::cout << params_table_text(nullptr);
    return 0;
  }
  const LoadedScenario loaded = load_for(o.scenario, o);
  std::cout << params_table_text(&loaded.values);
  return 0;
}

int cmd_summary(const std::string& file) {
  const ResultsFile f = read_results(file);
  std::cout << "Scenario '" << f.meta.scenario_name << "': " << f.meta.start_month << " + " << f.meta.months
            << " months, " << f.meta.replicates << " replicates, seed " << f.meta.seed << " (wfsim "
            << f.meta.wfsim_version << ", " << f.meta.created_utc << ")\n\n";
  std::cout << yearly_summary_table(f.results);
  return 0;
}

int cmd_rerun(const std::string& file, const CommonOptions& o) {
  const ResultsFile f = read_results(file);
  const LoadedScenario loaded = load_scenario_text(f.meta.scenario_yaml, file + ":/scenario", "");
  std::string out = o.output;
  if (out.empty()) {
    std::filesystem::path p(file);
    out = (p.parent_path() / (p.stem().string() + ".rerun.h5")).string();
  }
  return run_to_file(loaded, o, out);
}

}  // namespace wfsim::cli
