// Scenario loading: YAML chain (extends) + --set -> per-key checks -> make_scenario.
#include "wfsim/scenario/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "key_tree.h"
#include "wfsim/errors.h"

namespace wfsim {
namespace detail {
struct EmbeddedFile {
  const char* name;
  const char* text;
};
// Defined by the file that tools/embed_scenarios.cmake generates; ends with {nullptr, nullptr}.
extern const EmbeddedFile EMBEDDED_SCENARIO_FILES[];
}  // namespace detail

namespace {

namespace fs = std::filesystem;

const char* EMBEDDED_PREFIX = "<embedded:";

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string node_kind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value '" + n.Scalar() + "'";
    default:
      return "nothing (null)";
  }
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

// Where a layer of settings comes from: a file (or embedded file), or one --set argument.
struct Layer {
  std::string origin;     // file path or "<embedded:x.yaml>"; empty for --set
  std::string dir;        // directory of the file (relative paths in it resolve here)
  bool embedded = false;  // relative `extends` resolve against the embedded scenarios
  std::string set_arg;    // the --set argument
};

struct Doc {
  Layer layer;
  YAML::Node root;
};

// Text of a non-null field default (the same rule as the table's own defaults).
ParamValue field_default(const ParamSpec& spec) {
  ParamValue v = std::string();
  if (spec.kind == ParamKind::Month && spec.default_text.empty()) return v;
  std::optional<std::string> err;
  if (spec.kind == ParamKind::RealList) {
    std::string t = trim(spec.default_text);
    if (t.size() >= 2 && t.front() == '[') t = t.substr(1, t.size() - 2);
    std::vector<std::string> items;
    std::stringstream ss(t);
    std::string item;
    while (std::getline(ss, item, ',')) items.push_back(item);
    err = parse_param_list(spec, items, v);
  } else {
    err = parse_param(spec, spec.default_text, v);
  }
  if (err) throw std::logic_error("bad default of " + spec.name + ": " + *err);
  return v;
}

class Loader {
 public:
  std::vector<InputProblem> problems_;
  ParamValues values_ = default_param_values();
  bool name_set_ = false;

  void add(std::string where, std::string message) {
    problems_.push_back({std::move(where), std::move(message)});
  }

  static std::string where(const Layer& layer, const YAML::Node& node) {
    if (!layer.set_arg.empty()) return "--set " + layer.set_arg;
    const YAML::Mark m = node.Mark();
    if (m.is_null()) return layer.origin;
    return layer.origin + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  }

  // Loads the chain of files starting at `top` (child first) into `chain`.
  void load_chain(std::string text, Layer layer, std::vector<Doc>& chain) {
    std::vector<std::string> identities, origins;
    std::string identity = layer.embedded || layer.origin.rfind(EMBEDDED_PREFIX, 0) == 0
                               ? layer.origin
                               : fs::weakly_canonical(fs::path(layer.origin)).string();
    for (;;) {
      identities.push_back(identity);
      origins.push_back(layer.origin);
      YAML::Node root;
      try {
        root = YAML::Load(text);
      } catch (const YAML::ParserException& e) {
        add(layer.origin + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
            "YAML syntax error: " + e.msg);
        return;
      }
      if (!root.IsMap() && !root.IsNull()) {
        add(where(layer, root),
            "a scenario must be a mapping of keys (e.g. 'learning: {target_hours: 40}'), got " +
                node_kind(root));
        return;
      }
      chain.push_back({layer, root});
      YAML::Node ext;
      bool has_extends = false;
      if (root.IsMap())
        for (const auto& kv : root)
          if (kv.first.IsScalar() && kv.first.Scalar() == "extends") {
            ext = kv.second;
            has_extends = true;
          }
      if (!has_extends) return;
      if (!ext.IsScalar() || trim(ext.Scalar()).empty()) {
        add(where(layer, ext), "extends: must be the name of a scenario file, got " + node_kind(ext));
        return;
      }
      const std::string name = trim(ext.Scalar());
      Layer next;
      fs::path p(name);
      if (layer.embedded && p.is_relative()) {
        const std::string key = p.lexically_normal().generic_string();
        auto found = embedded_scenarios().find(key);
        if (found == embedded_scenarios().end()) {
          std::vector<std::string> names;
          for (const auto& [n, _] : embedded_scenarios()) names.push_back(n);
          add(where(layer, ext),
              "extends: no embedded scenario '" + name + "' (embedded: " + join(names, ", ") + ")");
          return;
        }
        next.origin = std::string(EMBEDDED_PREFIX) + key + ">";
        next.embedded = true;
        text = found->second;
        identity = next.origin;
      } else {
        if (p.is_relative()) p = fs::path(layer.dir) / p;
        p = p.lexically_normal();
        next.origin = p.generic_string();
        next.dir = p.parent_path().generic_string();
        std::ifstream in(p, std::ios::binary);
        if (!in) {
          add(where(layer, ext), "extends: cannot read '" + next.origin + "' (" + std::strerror(errno) +
                                     "); the path is relative to the extending file");
          return;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
        identity = fs::weakly_canonical(p).string();
      }
      if (std::find(identities.begin(), identities.end(), identity) != identities.end()) {
        origins.push_back(next.origin);
        add(where(layer, ext), "extends cycle: " + join(origins, " -> "));
        return;
      }
      layer = next;
    }
  }

  void unknown_key(const Layer& layer, const YAML::Node& key, const std::string& name,
                   const std::vector<std::string>& candidates) {
    auto best = closest_key(name, candidates);
    if (best)
      add(where(layer, key), "unknown key '" + name + "' (did you mean '" + *best + "'?)");
    else
      add(where(layer, key), "unknown key '" + name + "'; valid keys here: " + join(candidates, ", "));
  }

  // Checks a mapping's key: a plain scalar, not seen before. Returns false (problem added) if bad.
  bool check_key(const Layer& layer, const YAML::Node& key, std::map<std::string, int>& seen) {
    if (!key.IsScalar()) {
      add(where(layer, key), "a key must be a plain name, got " + node_kind(key));
      return false;
    }
    const int line = key.Mark().is_null() ? 0 : key.Mark().line + 1;
    auto [it, fresh] = seen.emplace(key.Scalar(), line);
    if (!fresh) {
      add(where(layer, key), "duplicate key '" + key.Scalar() + "' (first on line " +
                                 std::to_string(it->second) + "); keep one of them");
      return false;
    }
    return true;
  }

  std::optional<ParamValue> parse_value(const Layer& layer, const YAML::Node& node, const ParamSpec& spec,
                                        const std::string& path) {
    ParamValue v;
    std::optional<std::string> err;
    if (node.IsMap()) {
      err = spec.kind == ParamKind::RealList
                ? "must be " + spec.range_text() + " (a YAML list), got a mapping"
                : "must be a single value (" + spec.range_text() + "), got a mapping";
    } else if (node.IsSequence()) {
      std::vector<std::string> items;
      for (const auto& item : node) {
        if (!item.IsScalar()) {
          err = "list items must be single values, got " + node_kind(item);
          break;
        }
        items.push_back(item.Scalar());
      }
      if (!err) err = parse_param_list(spec, items, v);
    } else {
      err = parse_param(spec, node.IsScalar() ? node.Scalar() : std::string(), v);
    }
    if (err) {
      add(where(layer, node), path + ": " + *err);
      return std::nullopt;
    }
    if (spec.name == "catalog.csv_path" && !layer.embedded && layer.set_arg.empty()) {
      const std::string& t = std::get<std::string>(v);
      if (!t.empty() && fs::path(t).is_relative())
        v = fs::absolute(fs::path(layer.dir) / t).lexically_normal().generic_string();
    }
    return v;
  }

  void apply_collection(const Layer& layer, const YAML::Node& node, const CollectionSpec& spec) {
    auto& entries = values_.collections[spec.path];
    if (node.IsNull()) {
      entries.clear();  // `shocks: null` removes every entry
      return;
    }
    if (!node.IsMap()) {
      add(where(layer, node),
          spec.path + ": must be a mapping of " + spec.key_meaning + " -> fields, got " + node_kind(node));
      return;
    }
    std::vector<std::string> field_names;
    for (const auto& f : spec.fields) field_names.push_back(f.name);
    std::map<std::string, int> seen;
    for (const auto& kv : node) {
      if (!check_key(layer, kv.first, seen)) continue;
      std::string key = trim(kv.first.Scalar());
      if (auto err = check_collection_key(spec, key)) {
        add(where(layer, kv.first), spec.path + ": " + *err);
        continue;
      }
      if (spec.key_kind == KeyKind::Integer) key = std::to_string(std::stoll(key));
      const YAML::Node rec = kv.second;
      const std::string entry_path = spec.path + "." + key;
      if (rec.IsNull()) {
        entries.erase(key);
        continue;
      }
      if (!rec.IsMap()) {
        add(where(layer, rec), entry_path + ": must be a mapping of fields (" + join(field_names, ", ") +
                                   "), got " + node_kind(rec));
        continue;
      }
      auto found = entries.find(key);
      if (found == entries.end()) {
        std::map<std::string, ParamValue> fresh;
        for (const auto& f : spec.fields) fresh[f.name] = field_default(f);
        found = entries.emplace(key, std::move(fresh)).first;
      }
      std::map<std::string, int> seen_fields;
      for (const auto& f : rec) {
        if (!check_key(layer, f.first, seen_fields)) continue;
        const std::string fname = f.first.Scalar();
        const ParamSpec* fspec = spec.field(fname);
        if (!fspec) {
          unknown_key(layer, f.first, fname, field_names);
          continue;
        }
        if (auto v = parse_value(layer, f.second, *fspec, entry_path + "." + fname))
          found->second[fname] = *v;
      }
    }
  }

  void apply_mapping(const Layer& layer, const YAML::Node& map, const KeyNode& section, bool top) {
    std::vector<std::string> candidates;
    for (const auto& [name, _] : section.children) candidates.push_back(name);
    if (top) candidates.push_back("extends");
    std::map<std::string, int> seen;
    for (const auto& kv : map) {
      if (!check_key(layer, kv.first, seen)) continue;
      const std::string k = kv.first.Scalar();
      if (top && k == "extends") continue;  // followed by load_chain
      const KeyNode* child = section.child(k);
      if (!child) {
        unknown_key(layer, kv.first, k, candidates);
        continue;
      }
      const YAML::Node value = kv.second;
      if (child->scalar) {
        if (auto v = parse_value(layer, value, *child->scalar, child->path)) {
          values_.scalars[child->path] = *v;
          if (child->path == "name") name_set_ = true;
        }
      } else if (child->collection) {
        apply_collection(layer, value, *child->collection);
      } else if (value.IsMap()) {
        apply_mapping(layer, value, *child, false);
      } else if (!value.IsNull()) {
        std::vector<std::string> names;
        for (const auto& [name, _] : child->children) names.push_back(name);
        add(where(layer, value),
            child->path + ": must be a mapping of keys (" + join(names, ", ") + "), got " + node_kind(value));
      }
    }
  }

  void apply_set(const std::string& arg) {
    Layer layer;
    layer.set_arg = arg;
    const auto eq = arg.find('=');
    if (eq == std::string::npos) {
      add("--set " + arg, "expected key.path=value, e.g. --set learning.target_hours=60");
      return;
    }
    const std::string key = trim(arg.substr(0, eq));
    const std::string text = arg.substr(eq + 1);
    std::vector<std::string> segments;
    std::string seg;
    std::stringstream ss(key);
    while (std::getline(ss, seg, '.')) segments.push_back(seg);
    if (key.empty() || key.back() == '.' ||
        std::any_of(segments.begin(), segments.end(), [](const std::string& s) { return s.empty(); })) {
      add("--set " + arg, "the key path '" + key + "' has an empty part; use dots between names only");
      return;
    }
    // A free-text key takes the text as it is unless it reads as one YAML value (e.g. quoted).
    const KeyNode* target = &key_tree();
    for (const auto& s : segments) target = target ? target->child(s) : nullptr;
    const bool free_text = target && target->scalar && target->scalar->kind == ParamKind::Text;
    YAML::Node value;
    try {
      value = YAML::Load(text);
      if (free_text && !value.IsScalar()) value = YAML::Node(trim(text));
    } catch (const YAML::Exception&) {
      value = YAML::Node(trim(text));  // not YAML: take the text as it is
    }
    YAML::Node node = value;
    for (auto s = segments.rbegin(); s != segments.rend(); ++s) {
      YAML::Node m(YAML::NodeType::Map);
      m[*s] = node;
      node = m;
    }
    apply_mapping(layer, node, key_tree(), false);
  }
};

std::string default_name(const std::string& origin) {
  std::string o = origin;
  if (o.rfind(EMBEDDED_PREFIX, 0) == 0 && o.size() > std::strlen(EMBEDDED_PREFIX) && o.back() == '>')
    o = o.substr(std::strlen(EMBEDDED_PREFIX), o.size() - std::strlen(EMBEDDED_PREFIX) - 1);
  return fs::path(o).stem().string();
}

LoadedScenario load(const std::string& text, Layer top, const std::vector<std::string>& set_overrides) {
  Loader loader;
  std::vector<Doc> chain;
  const std::string origin = top.origin;
  loader.load_chain(text, std::move(top), chain);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    if (it->root.IsMap()) loader.apply_mapping(it->layer, it->root, key_tree(), true);
  for (const auto& arg : set_overrides) loader.apply_set(arg);
  if (!loader.problems_.empty()) throw InputError(std::move(loader.problems_));
  if (!loader.name_set_) loader.values_.scalars["name"] = default_name(origin);
  LoadedScenario out;
  out.values = std::move(loader.values_);
  out.scenario = make_scenario(out.values);  // cross-key problems (InputError with key paths)
  out.resolved_yaml = resolved_yaml_text(out.values);
  out.source = origin;
  return out;
}

void emit_value(YAML::Emitter& e, const ParamValue& v) {
  if (const auto* list = std::get_if<std::vector<double>>(&v)) {
    e << YAML::Flow << YAML::BeginSeq;
    for (double d : *list) e << param_text(d);
    e << YAML::EndSeq;
  } else {
    e << param_text(v);
  }
}

void emit_section(YAML::Emitter& e, const KeyNode& section, const ParamValues& values,
                  const ParamValues& defaults) {
  for (const auto& [name, child] : section.children) {
    e << YAML::Key << name << YAML::Value;
    if (child->scalar) {
      emit_value(e, values.scalars.at(child->path));
    } else if (child->collection) {
      const CollectionSpec& spec = *child->collection;
      static const std::map<std::string, std::map<std::string, ParamValue>> none;
      auto found = values.collections.find(spec.path);
      const auto& entries = found == values.collections.end() ? none : found->second;
      e << YAML::BeginMap;
      for (const auto& key : ordered_keys(spec, entries)) {
        e << YAML::Key << key << YAML::Value << YAML::BeginMap;
        for (const auto& f : spec.fields) {
          e << YAML::Key << f.name << YAML::Value;
          emit_value(e, entries.at(key).at(f.name));
        }
        e << YAML::EndMap;
      }
      for (const auto& [key, _] : defaults.collections.at(spec.path))
        if (!entries.count(key)) e << YAML::Key << key << YAML::Value << YAML::Null;
      e << YAML::EndMap;
    } else {
      e << YAML::BeginMap;
      emit_section(e, *child, values, defaults);
      e << YAML::EndMap;
    }
  }
}

}  // namespace

const std::map<std::string, std::string>& embedded_scenarios() {
  static const std::map<std::string, std::string> files = [] {
    std::map<std::string, std::string> out;
    for (const auto* f = detail::EMBEDDED_SCENARIO_FILES; f->name; ++f) out[f->name] = f->text;
    return out;
  }();
  return files;
}

std::string resolved_yaml_text(const ParamValues& values) {
  static const ParamValues defaults = default_param_values();
  YAML::Emitter e;
  e << YAML::BeginMap;
  emit_section(e, key_tree(), values, defaults);
  e << YAML::EndMap;
  return std::string("# resolved by wfsim: every key with its value\n") + e.c_str() + "\n";
}

LoadedScenario load_scenario_file(const std::string& path, const std::vector<std::string>& set_overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path, std::string("cannot read the scenario file (") + std::strerror(errno) + ")");
  std::stringstream ss;
  ss << in.rdbuf();
  Layer top;
  top.origin = path;
  top.dir = fs::path(path).parent_path().generic_string();
  return load(ss.str(), std::move(top), set_overrides);
}

LoadedScenario load_scenario_text(const std::string& yaml, const std::string& origin,
                                  const std::string& base_dir,
                                  const std::vector<std::string>& set_overrides) {
  Layer top;
  top.origin = origin;
  top.dir = base_dir;
  top.embedded = base_dir.empty();
  return load(yaml, std::move(top), set_overrides);
}

LoadedScenario load_default_scenario(const std::vector<std::string>& set_overrides) {
  const auto& files = embedded_scenarios();
  auto it = files.find("baseline.yaml");
  if (it == files.end()) throw std::logic_error("baseline.yaml is not embedded");
  return load_scenario_text(it->second, "<embedded:baseline>", "", set_overrides);
}

}  // namespace wfsim
