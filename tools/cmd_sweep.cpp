// wfsim sweep: one scenario run for every point of a full-factorial grid or a Latin hypercube
// of --set overrides, all variants with the same seed (common random numbers), collected in one
// HDF5 file; completed variants are checkpointed so an interrupted sweep resumes
// (tools/EXPERIMENTS.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "commands.h"
#include "wfsim/errors.h"
#include "wfsim/random.h"
#include "wfsim/stats/summary.h"

namespace wfsim::cli {

// Defined in cmd_compare.cpp: per period ([years..., all]) and replicate, the value of a key
// outcome; "all" sums counts and money over years and averages everything else.
std::vector<std::vector<double>> outcome_by_period(const RunResults& r, const std::string& name);

namespace {

namespace fs = std::filesystem;

// Stream purpose of the Latin hypercube design (not a model purpose; see tools/EXPERIMENTS.md):
// StreamKey(seed, replicate 0), person = index of the --lhs key, month = 0.
constexpr auto LHS_PURPOSE = static_cast<Purpose>(0xF0);

const std::vector<std::string>& sweep_outputs() {
  static const std::vector<std::string> list = {"hours_mean", "share_meeting_target", "badge_stock_mean",
                                                "ti_mean",    "promotion_rate",       "learning_cost",
                                                "payroll"};
  return list;
}

struct Axis {
  std::string arg;  // the flag as given, e.g. "--grid learning.target_hours=40,60"
  std::string key;
  std::vector<std::string> values;  // grid values
  double lo = 0, hi = 0;            // lhs range
  bool integer = false;             // lhs over an integer key: values rounded
};

struct Variant {
  std::string id;  // v0000
  std::vector<std::pair<std::string, std::string>> overrides;
  LoadedScenario loaded;
  std::string overrides_text() const {
    std::string t;
    for (const auto& [k, v] : overrides) t += (t.empty() ? "" : " ") + k + "=" + v;
    return t;
  }
};

struct SweepArgs {
  std::vector<std::string> grids, lhs;
  int samples = 0;
  bool resume = false;
  int stop_after = 0;  // test only: exit with code 1 after this many variants were run
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == sep) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(trim(cur));
  return out;
}

std::optional<double> parse_double(const std::string& s) {
  if (s.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The kind of a scalar or collection-field key ("population.roles.CTS.share"); nullopt if unknown.
std::optional<ParamKind> key_kind(const std::string& key) {
  if (const ParamSpec* s = find_scalar(key)) return s->kind;
  for (const auto& c : collection_params()) {
    if (key.rfind(c.path + ".", 0) != 0) continue;
    const auto dot = key.rfind('.');
    if (dot <= c.path.size()) continue;
    if (const ParamSpec* f = c.field(key.substr(dot + 1))) return f->kind;
  }
  return std::nullopt;
}

std::pair<std::string, std::string> split_key(const std::string& flag, const std::string& text,
                                              const std::string& form) {
  const auto eq = text.find('=');
  const std::string key = eq == std::string::npos ? "" : trim(text.substr(0, eq));
  if (eq == std::string::npos || key.empty() || trim(text.substr(eq + 1)).empty())
    throw InputError(flag + " " + text, "expected " + form);
  return {key, trim(text.substr(eq + 1))};
}

std::vector<Axis> parse_axes(const SweepArgs& a) {
  std::vector<Axis> axes;
  std::set<std::string> keys;
  auto add = [&](Axis ax) {
    if (!keys.insert(ax.key).second)
      throw InputError(ax.arg, "key '" + ax.key + "' is swept twice; give each key once");
    axes.push_back(std::move(ax));
  };
  for (const auto& g : a.grids) {
    const auto [key, rest] =
        split_key("--grid", g, "--grid key.path=v1,v2,... (e.g. --grid learning.target_hours=40,60)");
    Axis ax;
    ax.arg = "--grid " + g;
    ax.key = key;
    ax.values = split(rest, ',');
    for (const auto& v : ax.values)
      if (v.empty())
        throw InputError(ax.arg, "has an empty value; separate values by single commas: key=v1,v2");
    std::set<std::string> uniq(ax.values.begin(), ax.values.end());
    if (uniq.size() != ax.values.size())
      throw InputError(ax.arg, "lists a value twice; give each value once");
    add(ax);
  }
  for (const auto& l : a.lhs) {
    const auto [key, rest] =
        split_key("--lhs", l, "--lhs key.path=lo:hi (e.g. --lhs learning.target_hours=30:70)");
    Axis ax;
    ax.arg = "--lhs " + l;
    ax.key = key;
    const auto parts = split(rest, ':');
    std::optional<double> lo, hi;
    if (parts.size() == 2) {
      lo = parse_double(parts[0]);
      hi = parse_double(parts[1]);
    }
    if (!lo || !hi || !(*lo < *hi))
      throw InputError(ax.arg, "expected a numeric range lo:hi with lo < hi, e.g. " + key + "=30:70");
    ax.lo = *lo;
    ax.hi = *hi;
    const auto kind = key_kind(key);
    if (kind && *kind != ParamKind::Real && *kind != ParamKind::Int)
      throw InputError(ax.arg, "key '" + key + "' is not numeric; use --grid to sweep its values");
    ax.integer = kind && *kind == ParamKind::Int;
    add(ax);
  }
  if (axes.empty())
    throw InputError("wfsim sweep",
                     "nothing to sweep: give --grid key=v1,v2,... (repeatable) or --lhs key=lo:hi "
                     "(repeatable) with --samples N");
  if (!a.grids.empty() && !a.lhs.empty())
    throw InputError("--lhs " + a.lhs.front(),
                     "--grid and --lhs cannot be combined in one sweep; run two sweeps");
  if (!a.lhs.empty() && a.samples < 1)
    throw InputError("--lhs " + a.lhs.front(), "a Latin hypercube needs --samples N (N >= 1)");
  if (a.lhs.empty() && a.samples != 0)
    throw InputError("--samples", "--samples applies only to --lhs; a --grid sweep runs every combination");
  return axes;
}

std::string number_text(double v, bool integer) {
  char buf[64];
  if (integer)
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(std::llround(v)));
  else
    std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The override lists of every variant: grid = full factorial (first --grid varies slowest);
// lhs = N samples, each key's range cut in N equal strata, one sample per stratum, strata
// paired across keys by a random permutation per key, position inside the stratum uniform.
std::vector<std::vector<std::pair<std::string, std::string>>> design(const std::vector<Axis>& axes,
                                                                     int samples, std::uint64_t seed,
                                                                     bool lhs) {
  std::vector<std::vector<std::pair<std::string, std::string>>> out;
  if (!lhs) {
    std::size_t total = 1;
    for (const auto& ax : axes) total *= ax.values.size();
    for (std::size_t i = 0; i < total; ++i) {
      std::vector<std::pair<std::string, std::string>> o(axes.size());
      std::size_t rest = i;
      for (std::size_t k = axes.size(); k-- > 0;) {
        o[k] = {axes[k].key, axes[k].values[rest % axes[k].values.size()]};
        rest /= axes[k].values.size();
      }
      out.push_back(std::move(o));
    }
    return out;
  }
  const StreamKey key(seed, 0);
  const auto n = static_cast<std::size_t>(samples);
  std::vector<std::vector<std::string>> cols(axes.size());
  for (std::size_t k = 0; k < axes.size(); ++k) {
    CounterStream cs(key, static_cast<std::uint32_t>(k), 0, LHS_PURPOSE);
    auto u01 = [&cs] { return (static_cast<double>(cs()) + 0.5) * 0x1p-32; };
    std::vector<std::size_t> perm(n);
    for (std::size_t i = 0; i < n; ++i) perm[i] = i;
    for (std::size_t i = n; i-- > 1;) {  // Fisher-Yates
      const auto j = std::min(i, static_cast<std::size_t>(u01() * static_cast<double>(i + 1)));
      std::swap(perm[i], perm[j]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double u = (static_cast<double>(perm[i]) + u01()) / static_cast<double>(n);
      cols[k].push_back(number_text(axes[k].lo + (axes[k].hi - axes[k].lo) * u, axes[k].integer));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::pair<std::string, std::string>> o;
    for (std::size_t k = 0; k < axes.size(); ++k) o.emplace_back(axes[k].key, cols[k][i]);
    out.push_back(std::move(o));
  }
  return out;
}

LoadedScenario load_variant(const CommonOptions& common,
                            const std::vector<std::pair<std::string, std::string>>& overrides) {
  CommonOptions o = common;
  for (const auto& [k, v] : overrides) o.sets.push_back(k + "=" + v);
  return load_for(common.scenario, o);
}

// Rethrows the loader's problems under the name of the sweep argument.
[[noreturn]] void rethrow_as(const InputError& e, const std::string& arg, const std::string& what) {
  std::vector<InputProblem> problems;
  for (const auto& p : e.problems())
    problems.push_back({arg, what + ": " + (p.where.empty() ? "" : p.where + ": ") + p.message});
  throw InputError(problems);
}

void write_text_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) throw RunError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

std::string read_text_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string cell(double v, int decimals, std::size_t width) {
  char buf[64];
  if (!std::isfinite(v))
    std::snprintf(buf, sizeof buf, "%*s", static_cast<int>(width), "-");
  else
    std::snprintf(buf, sizeof buf, "%*.*f", static_cast<int>(width), decimals, v);
  return buf;
}

std::string right(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}

int run_sweep(const SweepArgs& a, CommonOptions& common) {
  if (common.output.empty())
    throw InputError("wfsim sweep", "needs -o FILE.h5: every variant is collected in one HDF5 file");
  const std::vector<Axis> axes = parse_axes(a);
  const bool lhs = !a.lhs.empty();
  for (const auto& ax : axes) {
    if ((ax.key == "run.seed" && common.seed) || (ax.key == "run.replicates" && common.replicates))
      throw InputError(ax.arg, "sweeps '" + ax.key + "' but --" + ax.key.substr(4) +
                                   " is also given and would override it; drop one of them");
  }
  // The base scenario (--set, --seed, --replicates applied), then each value alone, then each variant.
  const LoadedScenario base = load_for(common.scenario, common);
  const std::uint64_t seed = base.scenario.seed;
  for (const auto& ax : axes) {
    const std::vector<std::string> probe =
        lhs ? std::vector<std::string>{number_text(ax.lo, ax.integer), number_text(ax.hi, ax.integer)}
            : ax.values;
    for (const auto& v : probe) {
      try {
        (void)load_variant(common, {{ax.key, v}});
      } catch (const InputError& e) {
        rethrow_as(e, ax.arg, "override " + ax.key + "=" + v + " is rejected");
      }
    }
  }
  std::vector<Variant> variants;
  const auto points = design(axes, a.samples, seed, lhs);
  for (std::size_t i = 0; i < points.size(); ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "v%04zu", i);
    Variant v;
    v.id = id;
    v.overrides = points[i];
    try {
      v.loaded = load_variant(common, v.overrides);
    } catch (const InputError& e) {
      rethrow_as(e, "variant " + v.id + " (" + v.overrides_text() + ")",
                 "this combination of values is not valid");
    }
    variants.push_back(std::move(v));
  }

  // The output (checked now: nothing runs if it exists without --overwrite) and the checkpoint.
  MultiRunWriter writer(common.output, common.overwrite, "wfsim-sweep");
  const fs::path checkpoint = common.output + ".partial";
  const fs::path manifest_path = checkpoint / "manifest.txt";
  std::string manifest = "wfsim sweep checkpoint 1\nseed: " + std::to_string(seed) +
                         "\nreplicates: " + std::to_string(base.scenario.replicates) +
                         "\nvariants: " + std::to_string(variants.size()) + "\n";
  for (const auto& v : variants) manifest += v.id + " " + v.overrides_text() + "\n";
  manifest += "base scenario:\n" + base.resolved_yaml;
  if (fs::exists(checkpoint)) {
    if (!a.resume)
      throw InputError(checkpoint.string(), "holds the checkpoint of an interrupted sweep to " +
                                                common.output +
                                                "; continue it with --resume (same arguments), or remove the "
                                                "folder to start over");
    if (!fs::exists(manifest_path) || read_text_file(manifest_path) != manifest)
      throw InputError(manifest_path.string(),
                       "describes a different sweep (scenario, --set, --seed, --replicates, --grid/--lhs or "
                       "--samples differ); resume with the original arguments, or remove " +
                           checkpoint.string() + " to start over");
  } else {
    fs::create_directories(checkpoint);
    write_text_file(manifest_path, manifest);
  }

  // Run (or reuse) every variant into its checkpoint file.
  int ran = 0;
  const std::size_t total = variants.size();
  for (std::size_t i = 0; i < total; ++i) {
    const Variant& v = variants[i];
    const fs::path file = checkpoint / (v.id + ".h5");
    std::cerr << "variant " << (i + 1) << "/" << total << ": " << v.overrides_text() << " ..." << std::flush;
    if (a.resume && fs::exists(file)) {
      const ResultsFile f = read_results(file.string());
      if (f.meta.scenario_yaml != v.loaded.resolved_yaml)
        throw InputError(file.string(), "was run with another scenario than variant " + v.id +
                                            " now resolves to; remove " + checkpoint.string() +
                                            " to start over");
      std::cerr << " reused from checkpoint\n";
      continue;
    }
    if (a.stop_after > 0 && ran >= a.stop_after) {
      std::cerr << " not run\nstopped after " << ran
                << " variant(s) (--stop-after, for tests); continue with "
                << "--resume\n";
      return 1;
    }
    if (common.progress) std::cerr << "\n";
    const auto t0 = std::chrono::steady_clock::now();
    ResultsWriter w(file.string(), true, false, false);
    const RunResults results = execute(v.loaded, common, &w, v.id);
    w.finish(results, metadata_for(v.loaded, common.command_line));
    ++ran;
    char buf[64];
    std::snprintf(buf, sizeof buf, " done in %.1f s\n",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    std::cerr << (common.progress ? v.id + ":" : "") << buf << std::flush;
  }

  // Assemble the sweep file.
  const auto& outs = sweep_outputs();
  std::vector<std::vector<double>> out_values(outs.size(), std::vector<double>(total, NAN));
  for (std::size_t i = 0; i < total; ++i) {
    const ResultsFile f = read_results((checkpoint / (variants[i].id + ".h5")).string());
    writer.add_run("variants/" + variants[i].id, f.results, f.meta);
    for (std::size_t k = 0; k < outs.size(); ++k) {
      if (f.results.metric_index(Frequency::Yearly, outs[k]) < 0) continue;
      out_values[k][i] = summarize(outcome_by_period(f.results, outs[k]).back()).mean;
    }
  }
  std::vector<TableColumn> cols;
  {
    std::vector<std::string> ids, texts;
    for (const auto& v : variants) {
      ids.push_back(v.id);
      texts.push_back(v.overrides_text());
    }
    cols.push_back({"variant", "", "variant id; its run is the group /variants/<variant>", ids});
    cols.push_back({"overrides", "", "the --set overrides of the variant, space separated key=value", texts});
  }
  for (std::size_t k = 0; k < axes.size(); ++k) {
    std::vector<double> nums;
    std::vector<std::string> texts;
    bool numeric = true;
    for (const auto& v : variants) {
      texts.push_back(v.overrides[k].second);
      const auto d = parse_double(v.overrides[k].second);
      numeric = numeric && d.has_value();
      nums.push_back(d ? *d : NAN);
    }
    const std::string desc = "swept key " + axes[k].key + " (" + (lhs ? "Latin hypercube" : "grid") + ")";
    if (numeric)
      cols.push_back({axes[k].key, "", desc, nums});
    else
      cols.push_back({axes[k].key, "", desc, texts});
  }
  for (std::size_t k = 0; k < outs.size(); ++k) {
    const bool summed = outs[k] == "learning_cost" || outs[k] == "payroll";
    cols.push_back({outs[k], "",
                    "mean over replicates of the whole-horizon value (" +
                        std::string(summed ? "sum" : "mean") + " over years) of the yearly metric " + outs[k],
                    out_values[k]});
  }
  writer.add_table("sweep", cols, "One row per variant: its overrides and key outcomes (whole horizon)");
  writer.set_attribute("command_line", common.command_line);
  writer.set_attribute("scenario_name", base.scenario.name);
  writer.set_attribute("seed", static_cast<std::int64_t>(seed));
  writer.set_attribute("replicates", static_cast<std::int64_t>(base.scenario.replicates));
  writer.set_attribute("design", std::string(lhs ? "lhs" : "grid"));
  writer.set_attribute("variants", static_cast<std::int64_t>(total));
  if (lhs) writer.set_attribute("samples", static_cast<std::int64_t>(a.samples));
  std::string keys;
  for (const auto& ax : axes) keys += (keys.empty() ? "" : ",") + ax.key;
  writer.set_attribute("swept_keys", keys);
  writer.finish();
  std::error_code ec;
  fs::remove_all(checkpoint, ec);

  // Summary table.
  if (!common.quiet) {
    std::vector<std::size_t> kw;
    std::string head = "variant";
    for (const auto& ax : axes) {
      const std::string shortname = ax.key.substr(ax.key.rfind('.') + 1);
      std::size_t w = std::max<std::size_t>(shortname.size(), 6);
      for (const auto& v : variants) w = std::max(w, v.overrides[&ax - axes.data()].second.size());
      kw.push_back(w);
      head += "  " + right(shortname, w);
    }
    head += "  hours_mean  meet_target  badge_stock  ti_mean  promo_rate  cost_$M  payroll_$M";
    std::cout << "Sweep of '" << base.scenario.name << "': " << total << " variants, "
              << base.scenario.replicates << " replicates each, seed " << seed
              << "; whole-horizon means over replicates (cost and payroll summed over years)\n";
    std::cout << head << "\n";
    for (std::size_t i = 0; i < total; ++i) {
      std::string line = right(variants[i].id, 7);
      for (std::size_t k = 0; k < axes.size(); ++k)
        line += "  " + right(variants[i].overrides[k].second, kw[k]);
      line += cell(out_values[0][i], 2, 12) + cell(out_values[1][i], 4, 13) + cell(out_values[2][i], 2, 13) +
              cell(out_values[3][i], 2, 9) + cell(out_values[4][i], 4, 12) +
              cell(out_values[5][i] / 1e6, 2, 9) + cell(out_values[6][i] / 1e6, 1, 12);
      std::cout << line << "\n";
    }
  }
  std::cout << "Sweep written to " << common.output << "\n";
  return 0;
}

}  // namespace

ExtraCommand register_sweep(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand("sweep", "Run a scenario over a grid or Latin hypercube of --set overrides");
  auto a = std::make_shared<SweepArgs>();
  sub->add_option("scenario", common.scenario, "Scenario YAML file (default: the embedded baseline)");
  sub->add_option("--grid", a->grids,
                  "key.path=v1,v2,...: values of one key; every combination runs (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--lhs", a->lhs,
                  "key.path=lo:hi: range of one numeric key for a Latin hypercube (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--samples", a->samples, "Number of Latin hypercube samples (with --lhs)")
      ->check(CLI::Range(1, 100000));
  sub->add_option("--replicates", common.replicates, "Replicates of every variant (sets run.replicates)")
      ->check(CLI::Range(1, 16777215));
  sub->add_option("--seed", common.seed, "Seed of every variant and of the Latin hypercube (sets run.seed)");
  sub->add_option("--threads", common.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  sub->add_option("--set", common.sets, "Override a key of every variant: key.path=value (repeatable)")
      ->take_all();
  sub->add_option("-o,--output", common.output, "Sweep file (HDF5) to write")->required();
  sub->add_flag("--overwrite", common.overwrite, "Replace an existing sweep file");
  sub->add_flag("--resume", a->resume,
                "Continue an interrupted sweep from its checkpoint folder FILE.partial/");
  sub->add_flag("--quiet", common.quiet, "No summary table");
  sub->add_option("--stop-after", a->stop_after, "Test only: exit with code 1 after running K variants")
      ->group("")
      ->check(CLI::Range(1, 1000000));
  return {sub, [a, &common]() { return run_sweep(*a, common); }};
}

}  // namespace wfsim::cli
