// Calibration by indirect inference: targets file, objective, NLopt BOBYQA with a resumable
// state file, identification check, overlay and tables. See engine/calibration/CALIBRATION.md.
#include "wfsim/calibration/calibration.h"

#include <yaml-cpp/yaml.h>

#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlopt.hpp>
#include <set>
#include <sstream>

#include "wfsim/calibration/study_panels.h"
#include "wfsim/errors.h"

namespace wfsim {
namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double FAILED_OBJECTIVE = 1e9;  // a point the model rejects (invalid scenario)
constexpr double MISSING_Z = 1e3;         // a target whose estimate failed at this point

std::string fmt(const char* f, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}
std::string exact(double x) { return fmt("%.17g", x); }

// ---- quantities -----------------------------------------------------------------------

struct Extra {
  const char* id;
  const char* fact;
  const char* description;
};
const Extra EXTRAS[] = {
    {"cloud_share", "S9", "Cloud badges / all badges, 2014-2019 (yearly series)"},
    {"hours_mean_2014_2018", "S6", "mean of the yearly mean hours 2014-2018"},
    {"share_think40_2014_2018", "S7", "mean yearly share meeting the target, 2014-2018"},
    {"share_think40_2019", "S7", "share meeting the target in 2019"},
    {"share_super_2014_2018", "S7", "mean yearly share of super learners, 2014-2018"},
    {"share_super_2019", "S7", "share of super learners in 2019"},
    {"hours_march_2019", "S17", "mean hours in March 2019 (derived from S17: 18 / 1.35)"},
};

const std::vector<std::string>& study_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> v;
    // An empty panel gives every quantity (NaN) in the fixed order.
    const StudyEstimates e = estimate_study({}, {});
    for (const auto& q : e.quantities) v.push_back(q.id);
    return v;
  }();
  return ids;
}

double yearly_mean(const RunResults& r, std::size_t rep, const char* metric, int y0, int y1) {
  const auto years = r.axes.year_labels();
  const int m = r.metric_index(Frequency::Yearly, metric);
  if (m < 0) return NaN;
  const auto& v = r.replicates[rep].values[static_cast<int>(Frequency::Yearly)][static_cast<std::size_t>(m)];
  double s = 0;
  int n = 0;
  for (std::size_t t = 0; t < years.size(); ++t)
    if (years[t] >= y0 && years[t] <= y1) {
      s += v[t];
      ++n;
    }
  return n ? s / n : NaN;
}

double yearly_sum(const RunResults& r, std::size_t rep, const char* metric, int y0, int y1) {
  const double mean = yearly_mean(r, rep, metric, y0, y1);
  int n = 0;
  for (auto y : r.axes.year_labels())
    if (y >= y0 && y <= y1) ++n;
  return mean * n;
}

double extra_value(const std::string& id, const RunResults& r, std::size_t rep) {
  if (id == "cloud_share") {
    const double all = yearly_sum(r, rep, "badges_knowledge", 2014, 2019) +
                       yearly_sum(r, rep, "badges_skill", 2014, 2019) +
                       yearly_sum(r, rep, "badges_other", 2014, 2019);
    return all > 0 ? yearly_sum(r, rep, "badges_cloud", 2014, 2019) / all : NaN;
  }
  if (id == "hours_mean_2014_2018") return yearly_mean(r, rep, "hours_mean", 2014, 2018);
  if (id == "share_think40_2014_2018") return yearly_mean(r, rep, "share_meeting_target", 2014, 2018);
  if (id == "share_think40_2019") return yearly_mean(r, rep, "share_meeting_target", 2019, 2019);
  if (id == "share_super_2014_2018") return yearly_mean(r, rep, "share_super", 2014, 2018);
  if (id == "share_super_2019") return yearly_mean(r, rep, "share_super", 2019, 2019);
  if (id == "hours_march_2019") {
    const auto labels = r.axes.month_labels();
    const auto it = std::find(labels.begin(), labels.end(), "2019-03");
    const int m = r.metric_index(Frequency::Monthly, "hours_mean");
    if (it == labels.end() || m < 0) return NaN;
    return r.replicates[rep].values[static_cast<int>(Frequency::Monthly)][static_cast<std::size_t>(m)]
                                   [static_cast<std::size_t>(it - labels.begin())];
  }
  return NaN;
}

bool is_extra(const std::string& id) {
  for (const auto& e : EXTRAS)
    if (id == e.id) return true;
  return false;
}

// ---- parameter keys -------------------------------------------------------------------

struct KeyParts {
  const ParamSpec* spec = nullptr;
  std::vector<std::string> nesting;  // YAML nesting of the key
  std::string collection, entry, field;
};

// Resolves a key path against the parameter table; error text in `error`.
KeyParts resolve_key(const std::string& key, std::string& error) {
  KeyParts k;
  if (const ParamSpec* s = find_scalar(key)) {
    k.spec = s;
    std::stringstream ss(key);
    for (std::string part; std::getline(ss, part, '.');) k.nesting.push_back(part);
  } else {
    for (const auto& c : collection_params()) {
      if (key.rfind(c.path + ".", 0) != 0) continue;
      const std::string rest = key.substr(c.path.size() + 1);
      const auto dot = rest.rfind('.');
      if (dot == std::string::npos) break;
      const std::string entry = rest.substr(0, dot), field = rest.substr(dot + 1);
      if (auto msg = check_collection_key(c, entry)) {
        error = "'" + key + "': " + *msg;
        return {};
      }
      k.spec = c.field(field);
      if (!k.spec) {
        error = "'" + key + "': '" + field + "' is not a field of " + c.path;
        return {};
      }
      k.collection = c.path;
      k.entry = entry;
      k.field = field;
      std::stringstream ss(c.path);
      for (std::string part; std::getline(ss, part, '.');) k.nesting.push_back(part);
      k.nesting.push_back(entry);
      k.nesting.push_back(field);
      break;
    }
  }
  if (!k.spec) {
    error = "unknown parameter '" + key + "' (see `wfsim params`)";
    return {};
  }
  if (k.spec->kind != ParamKind::Real) {
    error = "parameter '" + key + "' is not a real number; only real parameters can be calibrated";
    return {};
  }
  return k;
}

// ---- YAML helpers ---------------------------------------------------------------------

std::string where_of(const std::string& origin, const YAML::Node& n) {
  const auto m = n.Mark();
  if (m.line < 0) return origin;
  return origin + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::optional<double> as_number(const YAML::Node& n) {
  if (!n.IsScalar()) return std::nullopt;
  const std::string t = n.Scalar();
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

std::vector<std::string> calibration_quantity_ids() {
  std::vector<std::string> v = study_ids();
  for (const auto& e : EXTRAS) v.push_back(e.id);
  return v;
}

std::string calibration_quantity_fact(const std::string& id) {
  for (const auto& e : EXTRAS)
    if (id == e.id) return e.fact;
  static const StudyEstimates empty = estimate_study({}, {});
  const auto* q = empty.find(id);
  return q ? q->fact : std::string();
}

double param_value_of(const ParamValues& values, const std::string& key) {
  std::string err;
  const KeyParts k = resolve_key(key, err);
  if (!k.spec) return NaN;
  const ParamValue* v = nullptr;
  if (k.collection.empty()) {
    const auto it = values.scalars.find(key);
    if (it != values.scalars.end()) v = &it->second;
  } else {
    const auto c = values.collections.find(k.collection);
    if (c != values.collections.end()) {
      const auto e = c->second.find(k.entry);
      if (e != c->second.end()) {
        const auto f = e->second.find(k.field);
        if (f != e->second.end()) v = &f->second;
      }
    }
  }
  if (!v) return NaN;
  if (const double* d = std::get_if<double>(v)) return *d;
  return NaN;
}

// ---- targets file -----------------------------------------------------------------------

TargetsSpec parse_targets_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the targets file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_targets_text(ss.str(), path);
}

TargetsSpec parse_targets_text(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(origin + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                     "YAML syntax error: " + e.msg);
  }
  std::vector<InputProblem> problems;
  auto problem = [&](const YAML::Node& n, const std::string& msg) {
    problems.push_back({where_of(origin, n), msg});
  };
  TargetsSpec spec;
  spec.source = origin;
  if (!root.IsMap()) throw InputError(origin, "a targets file is a mapping with 'parameters' and 'targets'");
  for (const auto& kv : root) {
    const std::string k = kv.first.Scalar();
    if (k != "parameters" && k != "targets" && k != "replicates")
      problem(kv.first, "unknown key '" + k + "' (expected parameters, targets, replicates)");
  }
  if (const auto r = root["replicates"]) {
    const auto v = as_number(r);
    if (!v || *v < 1 || *v != std::floor(*v) || *v > 10000)
      problem(r, "replicates must be an integer >= 1");
    else
      spec.replicates = static_cast<int>(*v);
  }
  // parameters
  const YAML::Node params = root["parameters"];
  if (!params || !params.IsMap() || params.size() == 0) {
    problems.push_back({params ? where_of(origin, params) : origin,
                        "'parameters' must be a non-empty mapping key -> {lower, upper[, start]}"});
  } else {
    std::set<std::string> seen;
    for (const auto& kv : params) {
      const std::string key = kv.first.Scalar();
      FreeParameter p;
      p.key = key;
      p.where = where_of(origin, kv.first);
      if (!seen.insert(key).second) problem(kv.first, "parameter '" + key + "' listed twice");
      std::string err;
      const KeyParts parts = resolve_key(key, err);
      if (!parts.spec) problem(kv.first, err);
      const YAML::Node body = kv.second;
      if (!body.IsMap()) {
        problem(body, "parameter '" + key + "': expected {lower: ..., upper: ...}");
        continue;
      }
      bool ok = true;
      for (const auto& f : body) {
        const std::string fk = f.first.Scalar();
        if (fk != "lower" && fk != "upper" && fk != "start") {
          problem(f.first,
                  "parameter '" + key + "': unknown field '" + fk + "' (expected lower, upper, start)");
          ok = false;
          continue;
        }
        const auto v = as_number(f.second);
        if (!v) {
          problem(f.second, "parameter '" + key + "': " + fk + " must be a finite number");
          ok = false;
          continue;
        }
        if (fk == "lower") p.lower = *v;
        if (fk == "upper") p.upper = *v;
        if (fk == "start") p.start = *v;
      }
      if (!body["lower"] || !body["upper"]) {
        problem(body, "parameter '" + key + "': both lower and upper bounds are required");
        ok = false;
      }
      if (ok && !(p.lower < p.upper)) {
        problem(body, "parameter '" + key + "': bad bounds: lower (" + fmt("%g", p.lower) +
                          ") must be below upper (" + fmt("%g", p.upper) + ")");
        ok = false;
      }
      if (ok && parts.spec) {
        const ParamSpec& s = *parts.spec;
        const bool low_bad = s.min_open ? p.lower <= s.min : p.lower < s.min;
        const bool high_bad = s.max_open ? p.upper >= s.max : p.upper > s.max;
        if (low_bad || high_bad)
          problem(body, "parameter '" + key + "': bad bounds [" + fmt("%g", p.lower) + ", " +
                            fmt("%g", p.upper) + "] outside the parameter's range " + s.range_text());
        if (p.start && (*p.start < p.lower || *p.start > p.upper))
          problem(body, "parameter '" + key + "': start outside the bounds");
      }
      spec.parameters.push_back(p);
    }
  }
  // targets
  const YAML::Node targets = root["targets"];
  const auto ids = calibration_quantity_ids();
  if (!targets || !targets.IsMap() || targets.size() == 0) {
    problems.push_back(
        {targets ? where_of(origin, targets) : origin,
         "'targets' must be a non-empty mapping quantity -> {value, sd[, scale, fact, note]}"});
  } else {
    std::set<std::string> seen;
    for (const auto& kv : targets) {
      CalibrationTarget t;
      t.id = kv.first.Scalar();
      t.where = where_of(origin, kv.first);
      if (!seen.insert(t.id).second) problem(kv.first, "target '" + t.id + "' listed twice");
      if (std::find(ids.begin(), ids.end(), t.id) == ids.end())
        problem(kv.first, "unknown target quantity '" + t.id + "' (see CALIBRATION.md for the list)");
      t.fact = calibration_quantity_fact(t.id);
      const YAML::Node body = kv.second;
      if (!body.IsMap()) {
        problem(body, "target '" + t.id + "': expected {value: ..., sd: ...}");
        continue;
      }
      bool ok = true;
      for (const auto& f : body) {
        const std::string fk = f.first.Scalar();
        if (fk == "value" || fk == "sd") {
          const auto v = as_number(f.second);
          if (!v) {
            problem(f.second, "target '" + t.id + "': " + fk + " must be a finite number");
            ok = false;
          } else {
            (fk == "value" ? t.value : t.sd) = *v;
          }
        } else if (fk == "scale") {
          const std::string s = f.second.IsScalar() ? f.second.Scalar() : "";
          if (s == "log")
            t.log_scale = true;
          else if (s != "linear") {
            problem(f.second, "target '" + t.id + "': scale must be linear or log");
            ok = false;
          }
        } else if (fk == "fact") {
          t.fact = f.second.IsScalar() ? f.second.Scalar() : "";
        } else if (fk == "note") {
          t.note = f.second.IsScalar() ? f.second.Scalar() : "";
        } else {
          problem(f.first, "target '" + t.id + "': unknown field '" + fk +
                               "' (expected value, sd, scale, fact, note)");
          ok = false;
        }
      }
      if (!body["value"] || !body["sd"]) {
        problem(body, "target '" + t.id + "': value and sd are required");
        ok = false;
      }
      if (ok && !(t.sd > 0)) problem(body, "target '" + t.id + "': sd must be > 0");
      if (ok && t.log_scale && !(t.value > 0))
        problem(body, "target '" + t.id + "': log scale needs a value > 0");
      spec.targets.push_back(t);
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return spec;
}

// ---- the problem ------------------------------------------------------------------------

CalibrationProblem::CalibrationProblem(TargetsSpec spec, std::vector<double> start, ModelFactory factory,
                                       int threads)
    : spec_(std::move(spec)), start_(std::move(start)), factory_(std::move(factory)), threads_(threads) {
  if (start_.size() != spec_.parameters.size())
    throw InputError(spec_.source, "start vector of the wrong size");
  std::vector<InputProblem> problems;
  for (std::size_t j = 0; j < start_.size(); ++j) {
    const auto& p = spec_.parameters[j];
    if (!std::isfinite(start_[j]) || start_[j] < p.lower || start_[j] > p.upper)
      problems.push_back({p.where, "parameter '" + p.key + "': the start value " + fmt("%g", start_[j]) +
                                       " (the scenario's value) is outside the bounds [" +
                                       fmt("%g", p.lower) + ", " + fmt("%g", p.upper) + "]"});
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

std::vector<double> CalibrationProblem::to_natural(const std::vector<double>& x) const {
  std::vector<double> v(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    const auto& p = spec_.parameters[j];
    v[j] = p.lower + std::clamp(x[j], 0.0, 1.0) * (p.upper - p.lower);
  }
  return v;
}

std::vector<double> CalibrationProblem::to_scaled(const std::vector<double>& natural) const {
  std::vector<double> v(natural.size());
  for (std::size_t j = 0; j < natural.size(); ++j) {
    const auto& p = spec_.parameters[j];
    v[j] = (natural[j] - p.lower) / (p.upper - p.lower);
  }
  return v;
}

std::vector<std::string> CalibrationProblem::overrides(const std::vector<double>& x) const {
  const auto nat = to_natural(x);
  std::vector<std::string> out;
  for (std::size_t j = 0; j < nat.size(); ++j) out.push_back(spec_.parameters[j].key + "=" + exact(nat[j]));
  return out;
}

std::vector<double> CalibrationProblem::simulate_targets(const std::vector<double>& x) const {
  const CalibrationModel model = factory_(overrides(x));
  const StudyPanels panels = simulate_study_panels(model.scenario, model.catalog, threads_);
  std::vector<double> out;
  for (const auto& t : spec_.targets) {
    double sum = 0;
    int n = 0;
    for (std::size_t r = 0; r < panels.replicates.size(); ++r) {
      const double v = is_extra(t.id) ? extra_value(t.id, panels.results, r)
                                      : panels.replicates[r].estimates.estimate(t.id);
      if (std::isfinite(v)) {
        sum += v;
        ++n;
      }
    }
    out.push_back(n ? sum / n : NaN);
  }
  return out;
}

Evaluation CalibrationProblem::score(const std::vector<double>& x,
                                     const std::vector<double>& simulated) const {
  Evaluation e;
  e.x = x;
  e.simulated = simulated;
  for (std::size_t k = 0; k < spec_.targets.size(); ++k) {
    const auto& t = spec_.targets[k];
    const double s = simulated[k];
    double z;
    if (!std::isfinite(s) || (t.log_scale && s <= 0))
      z = MISSING_Z;
    else
      z = t.log_scale ? (std::log(s) - std::log(t.value)) / t.sd : (s - t.value) / t.sd;
    e.z.push_back(z);
    e.objective += z * z;
  }
  return e;
}

Evaluation CalibrationProblem::evaluate(const std::vector<double>& x) const {
  try {
    return score(x, simulate_targets(x));
  } catch (const InputError& err) {
    // A trial point the scenario checks reject (e.g. a cross-key constraint): a high plateau.
    Evaluation e;
    e.x = x;
    e.objective = FAILED_OBJECTIVE;
    return e;
  }
}

// ---- state file -------------------------------------------------------------------------

namespace {

struct StateEntry {
  std::vector<double> x;
  double objective;
};

void write_state(const std::string& path, const std::string& fingerprint, const CalibrationProblem& p,
                 const std::vector<StateEntry>& entries, std::size_t best) {
  std::ostringstream os;
  auto vec = [](const std::vector<double>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + exact(v[i]);
    return s + "]";
  };
  os << "{\n  \"format\": \"wfsim-calibration-state-1\",\n  \"fingerprint\": \"" << fingerprint << "\",\n";
  os << "  \"parameters\": [";
  for (std::size_t j = 0; j < p.dimension(); ++j)
    os << (j ? ", " : "") << "\"" << p.spec().parameters[j].key << "\"";
  os << "],\n  \"evaluations\": [\n";
  for (std::size_t i = 0; i < entries.size(); ++i)
    os << "    {\"n\": " << i + 1 << ", \"objective\": " << exact(entries[i].objective)
       << ", \"x\": " << vec(entries[i].x) << "}" << (i + 1 < entries.size() ? "," : "") << "\n";
  os << "  ],\n";
  if (best < entries.size())
    os << "  \"best\": {\"n\": " << best + 1 << ", \"objective\": " << exact(entries[best].objective)
       << ", \"x\": " << vec(entries[best].x) << ", \"values\": " << vec(p.to_natural(entries[best].x))
       << "}\n";
  else
    os << "  \"best\": null\n";
  os << "}\n";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) throw RunError("cannot write the state file " + tmp);
    out << os.str();
    if (!out) throw RunError("cannot write the state file " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

std::vector<StateEntry> read_state(const std::string& path, const std::string& fingerprint, std::size_t dim) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw InputError(path, "cannot read the state file (run without --resume to start a new calibration)");
  } catch (const YAML::Exception& e) {
    throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                     "state file is not valid JSON: " + e.msg);
  }
  if (!root["fingerprint"] || root["fingerprint"].as<std::string>() != fingerprint)
    throw InputError(path,
                     "the state file belongs to another calibration (scenario, targets, replicates, seed or "
                     "--set differ); use another --state file or run without --resume");
  std::vector<StateEntry> out;
  for (const auto& e : root["evaluations"]) {
    StateEntry s;
    s.objective = std::strtod(e["objective"].Scalar().c_str(), nullptr);
    for (const auto& v : e["x"]) s.x.push_back(std::strtod(v.Scalar().c_str(), nullptr));
    if (s.x.size() != dim)
      throw InputError(where_of(path, e), "evaluation with the wrong number of parameters");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

// ---- optimisation -----------------------------------------------------------------------

OptimiseResult optimise(const CalibrationProblem& problem, const OptimiseOptions& o) {
  const std::size_t n = problem.dimension();
  std::map<std::vector<double>, double> cache;  // exact parameter vector -> objective (resume)
  if (o.resume) {
    if (o.state_path.empty()) throw InputError("--resume", "needs a state file (--state FILE)");
    for (const auto& e : read_state(o.state_path, o.fingerprint, n)) cache[e.x] = e.objective;
  }
  std::vector<StateEntry> entries;
  std::size_t best = 0;
  std::map<std::vector<double>, Evaluation> full;  // evaluations of this process (with z)
  OptimiseResult result;

  struct Ctx {
    const CalibrationProblem* p;
    const OptimiseOptions* o;
    std::map<std::vector<double>, double>* cache;
    std::vector<StateEntry>* entries;
    std::size_t* best;
    std::map<std::vector<double>, Evaluation>* full;
    OptimiseResult* result;
  } ctx{&problem, &o, &cache, &entries, &best, &full, &result};

  auto f = [](const std::vector<double>& x, std::vector<double>&, void* data) -> double {
    auto& c = *static_cast<Ctx*>(data);
    Evaluation e;
    const auto hit = c.cache->find(x);
    if (hit != c.cache->end()) {
      e.x = x;
      e.objective = hit->second;
      e.cached = true;
      ++c.result->cached;
    } else {
      e = c.p->evaluate(x);
      (*c.full)[x] = e;
    }
    c.entries->push_back({x, e.objective});
    if (c.entries->size() == 1 || e.objective < (*c.entries)[*c.best].objective)
      *c.best = c.entries->size() - 1;
    ++c.result->evaluations;
    if (!c.o->state_path.empty()) write_state(c.o->state_path, c.o->fingerprint, *c.p, *c.entries, *c.best);
    if (c.o->progress) c.o->progress(c.result->evaluations, e);
    if (c.o->interrupt && c.o->interrupt->load()) throw nlopt::forced_stop();
    return e.objective;
  };

  const std::vector<double> x0 = problem.to_scaled(problem.start());
  nlopt::opt opt(nlopt::LN_BOBYQA, static_cast<unsigned>(n));
  opt.set_lower_bounds(std::vector<double>(n, 0.0));
  opt.set_upper_bounds(std::vector<double>(n, 1.0));
  opt.set_min_objective(f, &ctx);
  opt.set_xtol_abs(o.xtol_abs);
  opt.set_ftol_abs(o.ftol_abs);
  opt.set_maxeval(o.max_evals);
  opt.set_initial_step(std::vector<double>(n, o.initial_step));
  std::vector<double> x = x0;
  double fx = 0;
  try {
    const nlopt::result r = opt.optimize(x, fx);
    switch (r) {
      case nlopt::MAXEVAL_REACHED:
        result.stop_reason = "maximum number of evaluations reached";
        break;
      case nlopt::XTOL_REACHED:
        result.stop_reason = "parameters converged (xtol)";
        break;
      case nlopt::FTOL_REACHED:
        result.stop_reason = "objective converged (ftol)";
        break;
      case nlopt::STOPVAL_REACHED:
        result.stop_reason = "stopval reached";
        break;
      default:
        result.stop_reason = "converged";
        break;
    }
  } catch (const nlopt::forced_stop&) {
    result.interrupted = o.interrupt && o.interrupt->load();
    result.stop_reason = result.interrupted ? "interrupted" : "stopped";
  } catch (const nlopt::roundoff_limited&) {
    result.stop_reason = "roundoff limited (best point kept)";
  }
  if (entries.empty()) throw RunError("the optimiser made no evaluation");
  result.best_x = entries[best].x;
  if (result.interrupted) {
    result.best.x = result.best_x;
    result.best.objective = entries[best].objective;
    return result;
  }
  auto full_eval = [&](const std::vector<double>& at) {
    const auto it = full.find(at);
    return it != full.end() ? it->second : problem.evaluate(at);
  };
  result.best = full_eval(result.best_x);
  result.start = full_eval(x0);
  return result;
}

// ---- identification ---------------------------------------------------------------------

Identification identify(const CalibrationProblem& problem, const std::vector<double>& x, const Evaluation& at,
                        double step, double threshold) {
  const std::size_t n = problem.dimension(), m = problem.spec().targets.size();
  Identification id;
  id.step = step;
  id.threshold = threshold;
  id.jacobian.assign(m, std::vector<double>(n, 0.0));
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<double> xp = x;
    const double h = x[j] + step <= 1.0 ? step : -step;  // towards the interior
    xp[j] += h;
    const Evaluation e = problem.evaluate(xp);
    for (std::size_t k = 0; k < m; ++k)
      id.jacobian[k][j] = (e.z.size() == m && at.z.size() == m) ? (e.z[k] - at.z[k]) / h : NaN;
  }
  Eigen::MatrixXd J(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(n));
  for (std::size_t k = 0; k < m; ++k)
    for (std::size_t j = 0; j < n; ++j) {
      const double v = id.jacobian[k][j];
      J(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = std::isfinite(v) ? v : 0.0;
    }
  for (std::size_t j = 0; j < n; ++j) {
    const double norm = J.col(static_cast<Eigen::Index>(j)).norm();
    id.column_norm.push_back(norm);
    id.flat.push_back(norm < threshold);
  }
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(J, Eigen::ComputeThinV);
  const auto& sv = svd.singularValues();
  for (Eigen::Index i = 0; i < sv.size(); ++i) {
    id.singular_values.push_back(sv(i));
    std::vector<double> v;
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(n); ++j) v.push_back(svd.matrixV()(j, i));
    id.right_vectors.push_back(std::move(v));
  }
  // Directions beyond the number of targets are exactly flat.
  for (std::size_t i = id.singular_values.size(); i < n; ++i) id.singular_values.push_back(0.0);
  return id;
}

std::string identification_text(const CalibrationProblem& problem, const Identification& id) {
  std::ostringstream os;
  const auto& ps = problem.spec().parameters;
  std::size_t w = 9;
  for (const auto& p : ps) w = std::max(w, p.key.size());
  os << "Identification check (Jacobian of the standardised targets by forward differences, step "
     << fmt("%g", id.step) << " of each bound range, common random numbers):\n";
  os << "  column norm = change of the standardised target vector per unit of the scaled parameter (whole "
        "bound "
        "range);\n  flat if < "
     << fmt("%g", id.threshold) << ".\n";
  for (std::size_t j = 0; j < ps.size(); ++j) {
    // the target it moves most
    std::size_t kmax = 0;
    for (std::size_t k = 0; k < id.jacobian.size(); ++k)
      if (std::fabs(id.jacobian[k][j]) > std::fabs(id.jacobian[kmax][j])) kmax = k;
    os << "  " << ps[j].key << std::string(w - ps[j].key.size(), ' ') << "  norm "
       << fmt("%9.3f", id.column_norm[j]) << "  mostly "
       << (id.column_norm[j] > 0 ? problem.spec().targets[kmax].id : std::string("-"))
       << (id.flat[j] ? "   FLAT: not identified by the targets" : "") << "\n";
  }
  os << "  singular values of the Jacobian: ";
  for (std::size_t i = 0; i < id.singular_values.size(); ++i)
    os << (i ? ", " : "") << fmt("%.3g", id.singular_values[i]);
  os << "\n";
  for (std::size_t i = 0; i < id.right_vectors.size(); ++i) {
    if (id.singular_values[i] >= id.threshold) continue;
    std::vector<std::pair<double, std::size_t>> load;
    for (std::size_t j = 0; j < id.right_vectors[i].size(); ++j)
      load.push_back({std::fabs(id.right_vectors[i][j]), j});
    std::sort(load.rbegin(), load.rend());
    os << "  near-flat combination (singular value " << fmt("%.3g", id.singular_values[i]) << "):";
    for (std::size_t t = 0; t < std::min<std::size_t>(3, load.size()); ++t)
      os << " " << fmt("%+.2f", id.right_vectors[i][load[t].second]) << " " << ps[load[t].second].key;
    os << "\n";
  }
  if (id.right_vectors.size() < ps.size())
    os << "  (" << ps.size() - id.right_vectors.size()
       << " more directions than targets: those are not identified at all)\n";
  return os.str();
}

// ---- output -----------------------------------------------------------------------------

std::string targets_table(const CalibrationProblem& problem, const Evaluation& before,
                          const Evaluation& after) {
  std::ostringstream os;
  auto num = [](double v) { return std::isfinite(v) ? fmt("%.4g", v) : std::string("-"); };
  auto pad = [](const std::string& s, std::size_t w, bool right) {
    if (s.size() >= w) return s;
    return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
  };
  os << pad("target", 31, false) << " | " << pad("fact", 4, false) << " | " << pad("study", 8, true) << " | "
     << pad("sd", 7, true) << " | " << pad("before", 9, true) << " | " << pad("after", 9, true) << " | "
     << pad("z before", 8, true) << " | " << pad("z after", 8, true) << "\n";
  os << std::string(31, '-') << "-+-" << std::string(4, '-') << "-+-" << std::string(8, '-') << "-+-"
     << std::string(7, '-') << "-+-" << std::string(9, '-') << "-+-" << std::string(9, '-') << "-+-"
     << std::string(8, '-') << "-+-" << std::string(8, '-') << "\n";
  const auto& ts = problem.spec().targets;
  for (std::size_t k = 0; k < ts.size(); ++k) {
    const auto& t = ts[k];
    const auto get = [k](const std::vector<double>& v) { return k < v.size() ? v[k] : NaN; };
    os << pad(t.id, 31, false) << " | " << pad(t.fact.empty() ? "-" : t.fact, 4, false) << " | "
       << pad(num(t.value), 8, true) << " | " << pad(num(t.sd) + (t.log_scale ? "L" : ""), 7, true) << " | "
       << pad(num(get(before.simulated)), 9, true) << " | " << pad(num(get(after.simulated)), 9, true)
       << " | " << pad(fmt("%+.2f", get(before.z)), 8, true) << " | "
       << pad(fmt("%+.2f", get(after.z)), 8, true) << "\n";
  }
  os << "objective (sum of squared z): before " << fmt("%.4g", before.objective) << ", after "
     << fmt("%.4g", after.objective) << "\n";
  os << "z = (simulated - study) / sd; sd marked L is on the log scale (odds ratios: z = (log sim - log "
        "study) / "
        "sd).\n";
  return os.str();
}

std::string overlay_yaml(const CalibrationProblem& problem, const std::vector<double>& x,
                         const OverlayInfo& info, const Identification* id) {
  const auto nat = problem.to_natural(x);
  const auto& ps = problem.spec().parameters;
  const auto& ts = problem.spec().targets;
  std::ostringstream os;
  os << "# Calibrated overrides of the baseline: values fitted by `wfsim calibrate` (indirect inference on\n"
        "# the study's estimators, MODEL.md §4.5, engine/calibration/CALIBRATION.md). Simulated study "
        "panels\n"
        "# are read with the study's own estimators (estimate_study), averaged over replicates with common\n"
        "# random numbers, and the free parameters minimise the weighted distance to the study's values.\n"
        "# Keys follow the same nesting as any scenario; a scenario that `extends` this file gets them.\n"
     << "# scenario: " << info.scenario << "\n# targets: " << info.targets << "\n# date: " << info.date
     << "\n# replicates per evaluation: " << info.replicates << ", seed: " << info.seed
     << "\n# evaluations: " << info.evaluations
     << "\n# objective (sum of squared standardised errors): " << fmt("%.4g", info.objective_before)
     << " at the start -> " << fmt("%.4g", info.objective_after) << "\n";

  // Comments per parameter: the targets it moves most (from the Jacobian).
  std::vector<std::string> comment(ps.size());
  for (std::size_t j = 0; j < ps.size(); ++j) {
    std::vector<std::pair<double, std::size_t>> moves;
    if (id)
      for (std::size_t k = 0; k < ts.size(); ++k)
        if (std::isfinite(id->jacobian[k][j])) moves.push_back({std::fabs(id->jacobian[k][j]), k});
    std::sort(moves.rbegin(), moves.rend());
    std::vector<std::string> facts, tids;
    for (std::size_t t = 0; t < moves.size() && t < 3; ++t) {
      if (moves[t].first < 0.3 * moves[0].first) break;
      const auto& tg = ts[moves[t].second];
      if (!tg.fact.empty() && std::find(facts.begin(), facts.end(), tg.fact) == facts.end())
        facts.push_back(tg.fact);
      tids.push_back(tg.id);
    }
    std::string c = "calibrated to ";
    for (std::size_t i = 0; i < facts.size(); ++i) c += (i ? ", " : "") + facts[i];
    if (facts.empty()) c += "the targets";
    c += " by indirect inference";
    if (!tids.empty()) {
      c += " (moves mainly ";
      for (std::size_t i = 0; i < tids.size(); ++i) c += (i ? ", " : "") + tids[i];
      c += ")";
    }
    if (id && id->flat[j])
      c = "NOT IDENTIFIED by the targets (flat: moving it over its bounds changes them by < " +
          fmt("%g", id->threshold) + " sd): left near its start value; not a finding";
    comment[j] = c;
  }
  // Nested keys: emit in parameter order, grouping by shared prefixes.
  struct Leaf {
    std::vector<std::string> path;
    std::string value, comment;
  };
  std::vector<Leaf> leaves;
  for (std::size_t j = 0; j < ps.size(); ++j) {
    std::string err;
    const KeyParts k = resolve_key(ps[j].key, err);
    leaves.push_back({k.nesting, fmt("%.6g", nat[j]), comment[j]});
  }
  // stable grouping: sort by path (sections together), YAML keys in order of first appearance
  std::stable_sort(leaves.begin(), leaves.end(),
                   [](const Leaf& a, const Leaf& b) { return a.path < b.path; });
  auto quote = [](const std::string& s) {
    bool plain = !s.empty() && (std::isalpha(static_cast<unsigned char>(s[0])) ||
                                std::isdigit(static_cast<unsigned char>(s[0])));
    for (char c : s)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) plain = false;
    return plain ? s : "\"" + s + "\"";
  };
  std::vector<std::string> open;
  for (const auto& l : leaves) {
    std::size_t common = 0;
    while (common < open.size() && common + 1 < l.path.size() && open[common] == l.path[common]) ++common;
    open.resize(common);
    for (std::size_t d = common; d + 1 < l.path.size(); ++d) {
      os << std::string(2 * d, ' ') << quote(l.path[d]) << ":\n";
      open.push_back(l.path[d]);
    }
    const std::string ind(2 * (l.path.size() - 1), ' ');
    os << ind << "# " << l.comment << "\n" << ind << quote(l.path.back()) << ": " << l.value << "\n";
  }
  return os.str();
}

}  // namespace wfsim
