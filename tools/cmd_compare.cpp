// wfsim compare: runs scenarios (or reads results files) with a shared seed and replicate
// count, so that draws are common random numbers, and reports each key outcome per year and
// over the whole horizon with its paired difference to the first scenario (tools/EXPERIMENTS.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "commands.h"
#include "json_text.h"
#include "wfsim/errors.h"
#include "wfsim/stats/summary.h"

namespace wfsim::cli {

// ---- shared with cmd_sweep.cpp (declared there; not part of commands.h) --------------------

// The key outcomes of compare: yearly metric names, and whether the whole-horizon value ("all")
// is the sum over years (counts and money) or the mean over years (rates, means, shares, stocks).
struct KeyOutcome {
  const char* name;
  bool summed;
};

const std::vector<KeyOutcome>& compare_outcomes() {
  static const std::vector<KeyOutcome> list = {
      {"hours_mean", false},      {"share_super", false},      {"share_steady", false},
      {"share_adequate", false},  {"share_under", false},      {"share_meeting_target", false},
      {"badges_knowledge", true}, {"badges_skill", true},      {"badges_other", true},
      {"badges_strategic", true}, {"badge_stock_mean", false}, {"ti_mean", false},
      {"promotion_rate", false},  {"headcount", false},        {"learning_cost", true},
      {"payroll", true}};
  return list;
}

bool outcome_is_summed(const std::string& name) {
  for (const auto& o : compare_outcomes())
    if (name == o.name) return o.summed;
  return false;
}

// Per replicate: [period][replicate], periods = each year of the horizon, then "all".
// "all" is the sum (counts, money) or the mean (everything else) over the years whose value is
// finite (a year with no defined value, e.g. a rate over nobody, is left out); NaN if none.
std::vector<std::vector<double>> outcome_by_period(const RunResults& r, const std::string& name) {
  const auto series = r.series(Frequency::Yearly, name);  // [replicate][year]
  const bool summed = outcome_is_summed(name);
  const std::size_t years = static_cast<std::size_t>(r.axes.years);
  std::vector<std::vector<double>> out(years + 1, std::vector<double>(series.size(), NAN));
  for (std::size_t rep = 0; rep < series.size(); ++rep) {
    double sum = 0;
    int n = 0;
    for (std::size_t y = 0; y < years && y < series[rep].size(); ++y) {
      const double v = series[rep][y];
      out[y][rep] = v;
      if (std::isfinite(v)) {
        sum += v;
        ++n;
      }
    }
    out[years][rep] = n == 0 ? NAN : (summed ? sum : sum / n);
  }
  return out;
}

namespace {

struct Input {
  std::string arg;
  bool is_file = false;
  std::optional<LoadedScenario> loaded;
  std::string name;
  RunResults results;
  RunMetadata meta;
};

struct Row {
  std::string outcome, period, scenario;
  std::size_t outcome_index = 0, period_index = 0, scenario_index = 0;
  Summary s;
  bool has_diff = false;
  Summary d;
};

struct Comparison {
  std::vector<std::string> names;
  std::vector<std::string> periods;
  std::vector<std::string> outcomes;
  std::vector<std::string> units;
  std::vector<Row> rows;  // outcome-major, then period, then scenario
  int replicates = 0;
  std::uint64_t seed = 0;
  const Row* find(std::size_t o, std::size_t p, std::size_t s) const {
    return &rows[(o * periods.size() + p) * names.size() + s];
  }
};

Comparison compute(const std::vector<Input>& inputs, std::uint64_t seed, int replicates) {
  Comparison c;
  c.seed = seed;
  c.replicates = replicates;
  for (const auto& in : inputs) c.names.push_back(in.name);
  for (auto y : inputs.front().results.axes.year_labels()) c.periods.push_back(std::to_string(y));
  c.periods.push_back("all");
  for (const auto& o : compare_outcomes()) {
    bool everywhere = true;
    for (const auto& in : inputs)
      everywhere = everywhere && in.results.metric_index(Frequency::Yearly, o.name) >= 0;
    if (!everywhere) continue;
    c.outcomes.push_back(o.name);
    const auto& r0 = inputs.front().results;
    c.units.push_back(r0.metrics[static_cast<int>(Frequency::Yearly)]
                                [static_cast<std::size_t>(r0.metric_index(Frequency::Yearly, o.name))]
                                    .units);
  }
  for (std::size_t oi = 0; oi < c.outcomes.size(); ++oi) {
    std::vector<std::vector<std::vector<double>>> values;  // [scenario][period][replicate]
    for (const auto& in : inputs) values.push_back(outcome_by_period(in.results, c.outcomes[oi]));
    for (std::size_t p = 0; p < c.periods.size(); ++p) {
      for (std::size_t s = 0; s < inputs.size(); ++s) {
        Row row;
        row.outcome = c.outcomes[oi];
        row.period = c.periods[p];
        row.scenario = c.names[s];
        row.outcome_index = oi;
        row.period_index = p;
        row.scenario_index = s;
        row.s = summarize(values[s][p]);
        if (s > 0) {
          std::vector<double> diff(values[s][p].size());
          for (std::size_t r = 0; r < diff.size(); ++r) diff[r] = values[s][p][r] - values[0][p][r];
          row.has_diff = true;
          row.d = summarize(diff);
        }
        c.rows.push_back(row);
      }
    }
  }
  return c;
}

bool excludes_zero(const Summary& d) {
  return std::isfinite(d.ci95_low) && std::isfinite(d.ci95_high) && (d.ci95_low > 0 || d.ci95_high < 0) &&
         d.n > 1;
}

// ---- text output ---------------------------------------------------------------------------

std::string num(double v, int decimals, bool sign = false) {
  if (!std::isfinite(v)) return std::isnan(v) ? "-" : (v > 0 ? "inf" : "-inf");
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, v);
  std::string s = buf;
  if (s == "-0" || (s.rfind("-0.", 0) == 0 && s.find_first_not_of("-0.") == std::string::npos)) s.erase(0, 1);
  if (s == "+0" || (s.rfind("+0.", 0) == 0 && s.find_first_not_of("+0.") == std::string::npos)) s.erase(0, 1);
  return s;
}

std::string pad_left(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

double headline_half_unpaired(const Summary& a, const Summary& b) {
  const int n = std::min(a.n, b.n);
  if (n < 2) return NAN;
  const double va = a.sd * a.sd / n, vb = b.sd * b.sd / n;
  const double se = std::sqrt(va + vb);
  // Welch-Satterthwaite degrees of freedom (rounded down; at least n - 1).
  double df = (va + vb) * (va + vb) / ((va * va + vb * vb) / (n - 1));
  if (!std::isfinite(df)) df = 2.0 * (n - 1);
  const int idf = std::max(n - 1, static_cast<int>(std::floor(df)));
  return t_quantile_975(idf) * se;
}

std::string table_text(const Comparison& c) {
  constexpr std::size_t WIDTH = 120;
  std::ostringstream out;
  out << "Comparison of " << c.names.size() << " scenarios, " << c.replicates << " replicates each, seed "
      << c.seed << ".\ndiff = scenario - " << c.names[0]
      << ", paired by replicate (common random numbers); [95% CI] of the mean;\n"
      << "* the 95% CI of the paired difference excludes 0.\n";
  for (std::size_t oi = 0; oi < c.outcomes.size(); ++oi) {
    // Scale and decimals from the largest mean of the block.
    double maxabs = 0;
    for (std::size_t p = 0; p < c.periods.size(); ++p)
      for (std::size_t s = 0; s < c.names.size(); ++s) {
        const double m = std::fabs(c.find(oi, p, s)->s.mean);
        if (std::isfinite(m)) maxabs = std::max(maxabs, m);
      }
    double scale = 1;
    std::string scale_note;
    if (maxabs >= 1e6) {
      scale = 1e-6;
      scale_note = ", millions";
    }
    const double sm = maxabs * scale;
    const int dec = sm >= 1000 ? 0 : sm >= 100 ? 1 : sm >= 1 ? 2 : 4;
    // Differences: at least two significant digits of the largest non-zero bound (at most 6 decimals).
    double dmax = 0;
    for (std::size_t p = 0; p < c.periods.size(); ++p)
      for (std::size_t s = 1; s < c.names.size(); ++s)
        for (double v : {c.find(oi, p, s)->d.ci95_low, c.find(oi, p, s)->d.ci95_high})
          if (std::isfinite(v)) dmax = std::max(dmax, std::fabs(v) * scale);
    int ddec = dec;
    while (ddec < 6 && dmax > 0 && dmax < 10 * std::pow(10.0, -ddec)) ++ddec;
    auto ci = [&](const Summary& s, bool sign) {
      const int d = sign ? ddec : dec;
      return num(s.mean * scale, d, sign) + " [" + num(s.ci95_low * scale, d, sign) + ", " +
             num(s.ci95_high * scale, d, sign) + "]";
    };
    // Cells: column 0 = first scenario mean [CI]; then per other scenario: mean, diff [CI]*.
    const std::size_t np = c.periods.size();
    std::vector<std::string> first(np);
    std::vector<std::vector<std::string>> mean_cells(c.names.size(), std::vector<std::string>(np)),
        diff_cells(c.names.size(), std::vector<std::string>(np));
    for (std::size_t p = 0; p < np; ++p) {
      first[p] = ci(c.find(oi, p, 0)->s, false);
      for (std::size_t s = 1; s < c.names.size(); ++s) {
        const Row* r = c.find(oi, p, s);
        mean_cells[s][p] = num(r->s.mean * scale, dec);
        diff_cells[s][p] = ci(r->d, true) + (excludes_zero(r->d) ? " *" : "  ");
      }
    }
    auto width_of_mean = [&](std::size_t s) {
      std::size_t w = 4;
      for (const auto& x : mean_cells[s]) w = std::max(w, x.size());
      return w;
    };
    auto width_of = [&](const std::vector<std::string>& cells, const std::string& head) {
      std::size_t w = head.size();
      for (const auto& x : cells) w = std::max(w, x.size());
      // A diff column is wide enough for its scenario's name over the mean and diff columns.
      for (std::size_t s = 1; s < c.names.size() && head == "diff [95% CI]"; ++s)
        if (&cells == &diff_cells[s])
          w = std::max(
              w, c.names[s].size() > width_of_mean(s) + 2 ? c.names[s].size() - width_of_mean(s) - 2 : 0);
      return w;
    };
    const std::size_t wp = 6;
    const std::string head0 = c.names[0] + " [95% CI]";
    const std::size_t w0 = width_of(first, "mean [95% CI]");
    // Group the other scenarios so that each printed block fits WIDTH columns.
    std::vector<std::vector<std::size_t>> groups;
    std::size_t used = wp + 2 + w0;
    groups.emplace_back();
    for (std::size_t s = 1; s < c.names.size(); ++s) {
      const std::size_t w =
          2 + width_of(mean_cells[s], "mean") + 2 + width_of(diff_cells[s], "diff [95% CI]");
      if (!groups.back().empty() && used + w > WIDTH) {
        groups.emplace_back();
        used = wp + 2 + w0;
      }
      groups.back().push_back(s);
      used += w;
    }
    out << "\n"
        << c.outcomes[oi] << " (" << (c.units[oi].empty() ? "-" : c.units[oi]) << scale_note
        << "; all = " << (outcome_is_summed(c.outcomes[oi]) ? "sum" : "mean") << " over years)\n";
    for (const auto& g : groups) {
      // Header line 1: scenario names over their columns; line 2: column meanings.
      std::string h1 = pad_right("", wp) + "  " + pad_right(c.names[0], w0);
      std::string h2 = pad_right("period", wp) + "  " + pad_right("mean [95% CI]", w0);
      for (std::size_t s : g) {
        const std::size_t wm = width_of(mean_cells[s], "mean"), wd = width_of(diff_cells[s], "diff [95% CI]");
        h1 += "  " + pad_right(c.names[s].substr(0, wm + 2 + wd), wm + 2 + wd);
        h2 += "  " + pad_left("mean", wm) + "  " + pad_right("diff [95% CI]", wd);
      }
      while (!h1.empty() && h1.back() == ' ') h1.pop_back();
      while (!h2.empty() && h2.back() == ' ') h2.pop_back();
      out << h1 << "\n" << h2 << "\n";
      for (std::size_t p = 0; p < np; ++p) {
        std::string line = pad_right(c.periods[p], wp) + "  " + pad_left(first[p], w0);
        for (std::size_t s : g) {
          const std::size_t wm = width_of(mean_cells[s], "mean"),
                            wd = width_of(diff_cells[s], "diff [95% CI]");
          line += "  " + pad_left(mean_cells[s][p], wm) + "  " + pad_left(diff_cells[s][p], wd);
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << "\n";
      }
    }
  }
  // Footer: paired vs unpaired CI half-width of the headline outcomes.
  out << "\nCIs: Student t over replicates (n-1 df). Paired vs unpaired 95% CI half-width of the difference\n"
         "(unpaired: Welch, as if the scenarios had been run with independent seeds):\n";
  for (const char* h : {"share_meeting_target", "hours_mean"}) {
    const auto it = std::find(c.outcomes.begin(), c.outcomes.end(), h);
    if (it == c.outcomes.end() || c.names.size() < 2) continue;
    const auto headline = static_cast<std::size_t>(it - c.outcomes.begin());
    const std::size_t all = c.periods.size() - 1;
    for (std::size_t s = 1; s < c.names.size(); ++s) {
      const Row* r = c.find(headline, all, s);
      const double paired = (r->d.ci95_high - r->d.ci95_low) / 2;
      const double unpaired = headline_half_unpaired(c.find(headline, all, 0)->s, r->s);
      char buf[320];
      std::snprintf(buf, sizeof buf, "  %s all, %s - %s: paired %.4g, unpaired %.4g, ratio %.3f\n", h,
                    c.names[s].c_str(), c.names[0].c_str(), paired, unpaired,
                    unpaired > 0 ? paired / unpaired : NAN);
      out << buf;
    }
  }
  return out.str();
}

// ---- CSV and JSON ----------------------------------------------------------------------------

std::string full(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string json_string(const std::string& s) {
  std::string out;
  append_json_string(out, s, false);
  return out;
}

std::string json_number(double v) { return std::isfinite(v) ? full(v) : "null"; }

const char* CSV_HEADER =
    "outcome,period,scenario,mean,sd,ci95_low,ci95_high,diff_mean,diff_ci95_low,diff_ci95_high";

std::string csv_text(const Comparison& c) {
  std::string out = std::string(CSV_HEADER) + "\n";
  for (const auto& r : c.rows) {
    out += csv_field(r.outcome) + "," + r.period + "," + csv_field(r.scenario) + "," + full(r.s.mean) + "," +
           full(r.s.sd) + "," + full(r.s.ci95_low) + "," + full(r.s.ci95_high) + ",";
    if (r.has_diff)
      out += full(r.d.mean) + "," + full(r.d.ci95_low) + "," + full(r.d.ci95_high);
    else
      out += ",,";
    out += "\n";
  }
  return out;
}

std::string json_text(const Comparison& c) {
  std::string out = "[\n";
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    const Row& r = c.rows[i];
    out += "  {\"outcome\": " + json_string(r.outcome) + ", \"period\": " + json_string(r.period) +
           ", \"scenario\": " + json_string(r.scenario) + ", \"mean\": " + json_number(r.s.mean) +
           ", \"sd\": " + json_number(r.s.sd) + ", \"ci95_low\": " + json_number(r.s.ci95_low) +
           ", \"ci95_high\": " + json_number(r.s.ci95_high) +
           ", \"diff_mean\": " + (r.has_diff ? json_number(r.d.mean) : "null") +
           ", \"diff_ci95_low\": " + (r.has_diff ? json_number(r.d.ci95_low) : "null") +
           ", \"diff_ci95_high\": " + (r.has_diff ? json_number(r.d.ci95_high) : "null") + "}";
    out += i + 1 < c.rows.size() ? ",\n" : "\n";
  }
  return out + "]\n";
}

std::vector<TableColumn> comparison_columns(const Comparison& c) {
  std::vector<std::string> outcome, period, scenario;
  std::vector<double> mean, sd, lo, hi, dmean, dlo, dhi;
  for (const auto& r : c.rows) {
    outcome.push_back(r.outcome);
    period.push_back(r.period);
    scenario.push_back(r.scenario);
    mean.push_back(r.s.mean);
    sd.push_back(r.s.sd);
    lo.push_back(r.s.ci95_low);
    hi.push_back(r.s.ci95_high);
    dmean.push_back(r.has_diff ? r.d.mean : NAN);
    dlo.push_back(r.has_diff ? r.d.ci95_low : NAN);
    dhi.push_back(r.has_diff ? r.d.ci95_high : NAN);
  }
  const std::string vs = " (paired by replicate; NaN for the first scenario)";
  return {
      {"outcome", "", "yearly metric name", outcome},
      {"period", "",
       "calendar year, or 'all' (whole horizon: sum over years for counts and money, mean otherwise)",
       period},
      {"scenario", "", "scenario name (run group /runs/<scenario>)", scenario},
      {"mean", "", "mean over replicates (units of the metric)", mean},
      {"sd", "", "sample standard deviation over replicates", sd},
      {"ci95_low", "", "95% CI of the mean, lower bound (Student t)", lo},
      {"ci95_high", "", "95% CI of the mean, upper bound (Student t)", hi},
      {"diff_mean", "", "mean difference to the first scenario" + vs, dmean},
      {"diff_ci95_low", "", "95% CI of the difference, lower bound" + vs, dlo},
      {"diff_ci95_high", "", "95% CI of the difference, upper bound" + vs, dhi},
  };
}

std::string unique_name(const std::string& base, std::set<std::string>& taken) {
  std::string name = base.empty() ? "scenario" : base;
  for (int k = 2; taken.count(name); ++k) name = base + "-" + std::to_string(k);
  taken.insert(name);
  return name;
}

int run_compare(const std::vector<std::string>& args, const std::string& format, CommonOptions& common) {
  if (args.size() < 2)
    throw InputError("wfsim compare",
                     "needs at least two scenario or results files (got " + std::to_string(args.size()) +
                         "); e.g. 'wfsim compare scenarios/baseline.yaml scenarios/think60.yaml'");
  // 1. Read every input (all input errors before any run).
  std::vector<Input> inputs(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    Input& in = inputs[i];
    in.arg = args[i];
    in.is_file = is_results_file(args[i]);
    if (in.is_file) {
      ResultsFile f = read_results(args[i]);
      in.results = std::move(f.results);
      in.meta = std::move(f.meta);
    } else {
      const std::string type = file_type_of(args[i]);
      if (!type.empty())
        throw InputError(args[i],
                         "is an HDF5 file of type '" + type +
                             "', not a scenario or a single-run results file ('wfsim-results'); pass a "
                             "scenario YAML or a file written by 'wfsim run'");
      in.loaded = load_for(args[i], common);  // --set, --replicates, --seed applied
    }
  }
  // 2. The shared seed and replicate count: the flags, else those of the first input.
  const Input& first = inputs.front();
  const std::uint64_t seed =
      common.seed ? *common.seed : (first.is_file ? first.meta.seed : first.loaded->scenario.seed);
  const int replicates = common.replicates
                             ? *common.replicates
                             : (first.is_file ? first.meta.replicates : first.loaded->scenario.replicates);
  const std::string source =
      common.seed || common.replicates ? "the flags / first input" : "'" + first.arg + "'";
  CommonOptions shared = common;
  shared.seed = seed;
  shared.replicates = replicates;
  shared.panel = shared.events = false;
  for (auto& in : inputs) {
    if (in.is_file) {
      if (in.meta.seed != seed || in.meta.replicates != replicates)
        throw InputError(
            in.arg, "was run with seed " + std::to_string(in.meta.seed) + " and " +
                        std::to_string(in.meta.replicates) + " replicates, but the comparison uses seed " +
                        std::to_string(seed) + " and " + std::to_string(replicates) + " replicates (from " +
                        source +
                        "); differences are paired by replicate only when every run has the same seed "
                        "and replicate count: pass --seed/--replicates matching the file, or give the "
                        "scenario YAML instead so it is run again");
    } else {
      in.loaded = load_for(in.arg, shared);
    }
  }
  // Horizon: every input must cover the same months.
  auto horizon = [](const Input& in) {
    return in.is_file ? in.meta.start_month + " + " + std::to_string(in.meta.months) + " months"
                      : month_text(in.loaded->scenario.start_month) + " + " +
                            std::to_string(in.loaded->scenario.months) + " months";
  };
  for (const auto& in : inputs)
    if (horizon(in) != horizon(first))
      throw InputError(in.arg,
                       "covers " + horizon(in) + " but '" + first.arg + "' covers " + horizon(first) +
                           "; compare needs the same horizon (set run.start_month/run.months with --set)");
  // Names, unique.
  std::set<std::string> taken;
  for (auto& in : inputs)
    in.name = unique_name(in.is_file ? in.meta.scenario_name : in.loaded->scenario.name, taken);

  std::optional<MultiRunWriter> writer;
  if (!common.output.empty()) writer.emplace(common.output, common.overwrite, "wfsim-comparison");

  // 3. Run the scenarios.
  const std::size_t to_run = static_cast<std::size_t>(
      std::count_if(inputs.begin(), inputs.end(), [](const Input& in) { return !in.is_file; }));
  std::size_t done = 0;
  for (auto& in : inputs) {
    if (in.is_file) continue;
    ++done;
    const auto t0 = std::chrono::steady_clock::now();
    if (!common.quiet)
      std::cerr << "scenario " << done << "/" << to_run << ": " << in.name << " (" << replicates
                << " replicates, seed " << seed << ") ..." << (common.progress ? "\n" : "") << std::flush;
    in.results = execute(*in.loaded, shared, nullptr, in.name);
    in.meta = metadata_for(*in.loaded, common.command_line);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!common.quiet) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " done in %.1f s\n", secs);
      std::cerr << (common.progress ? in.name + ":" : "") << buf << std::flush;
    }
  }
  for (const auto& in : inputs)
    if (in.results.axes.year_labels() != first.results.axes.year_labels() ||
        static_cast<int>(in.results.replicates.size()) != replicates)
      throw InputError(in.arg, "its yearly series do not match those of '" + first.arg +
                                   "' (years or replicate count differ); compare runs with the same horizon");

  // 4. Report.
  const Comparison c = compute(inputs, seed, replicates);
  if (format == "csv")
    std::cout << csv_text(c);
  else if (format == "json")
    std::cout << json_text(c);
  else
    std::cout << table_text(c);
  std::cout << std::flush;

  if (writer) {
    for (const auto& in : inputs) writer->add_run(run_group(in.name), in.results, in.meta);
    writer->add_table(
        "comparison", comparison_columns(c),
        "Key outcomes per period and scenario, with the paired difference to the first scenario");
    writer->set_attribute("command_line", common.command_line);
    writer->set_attribute("seed", static_cast<std::int64_t>(seed));
    writer->set_attribute("replicates", static_cast<std::int64_t>(replicates));
    std::string names;
    for (const auto& n : c.names) names += (names.empty() ? "" : ",") + n;
    writer->set_attribute("scenarios", names);
    writer->set_attribute("reference_scenario", c.names[0]);
    writer->finish();
    (format == "table" ? std::cout : std::cerr) << "Comparison written to " << common.output << "\n";
  }
  return 0;
}

}  // namespace

ExtraCommand register_compare(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "compare",
      "Run scenarios with common random numbers (or read results files) and report paired differences");
  auto args = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>("table");
  sub->add_option("inputs", *args, "Scenario YAML files or results files; the first is the reference")
      ->required();
  sub->add_option("--replicates", common.replicates,
                  "Replicates of every scenario (default: the first input's)")
      ->check(CLI::Range(1, 16777215));
  sub->add_option("--seed", common.seed,
                  "Seed shared by every scenario (default: the first input's run.seed)");
  sub->add_option("--threads", common.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  sub->add_option("--set", common.sets, "Override a key of every scenario: key.path=value (repeatable)")
      ->take_all();
  sub->add_option("--format", *format, "Output format: table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  sub->add_option("-o,--output", common.output,
                  "Also write every run and the /comparison table to this HDF5 file");
  sub->add_flag("--overwrite", common.overwrite, "Replace an existing output file");
  sub->add_flag("--quiet", common.quiet, "No progress lines on stderr");
  return {sub, [args, format, &common]() { return run_compare(*args, *format, common); }};
}

}  // namespace wfsim::cli
