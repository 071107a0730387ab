#include "wfsim/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace wfsim {
namespace {

std::string num_text(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  // Plain decimals for ordinary magnitudes (8760, not 8.76e+03), the shortest exact text.
  if (std::abs(v) < 1e15 && (v == 0 || std::abs(v) >= 1e-4)) {
    for (int prec = 0; prec <= 17; ++prec) {
      std::snprintf(buf, sizeof buf, "%.*f", prec, v);
      if (std::strtod(buf, nullptr) == v) return buf;
    }
  }
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) return buf;
  }
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<double> to_double(const std::string& text) {
  std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool in_range(const ParamSpec& s, double v) {
  if (s.min_open ? !(v > s.min) : !(v >= s.min)) return false;
  if (s.max_open ? !(v < s.max) : !(v <= s.max)) return false;
  return true;
}

}  // namespace

std::string ParamSpec::range_text() const {
  switch (kind) {
    case ParamKind::Bool:
      return "true|false";
    case ParamKind::Text:
      return "text";
    case ParamKind::Month:
      return "YYYY-MM (month 01-12)";
    case ParamKind::Choice: {
      std::string out = "one of ";
      for (std::size_t i = 0; i < choices.size(); ++i) out += (i ? "|" : "") + choices[i];
      return out;
    }
    default:
      break;
  }
  std::string r;
  if (kind == ParamKind::Int) r.append("integer in ");
  if (kind == ParamKind::RealList) {
    r.append(list_length ? std::to_string(list_length) + " numbers" : std::string("a list of numbers"));
    r.append(" in ");
  }
  r.append(min_open || std::isinf(min) ? "(" : "[");
  r.append(num_text(min));
  r.append(", ");
  r.append(num_text(max));
  r.append(max_open || std::isinf(max) ? ")" : "]");
  return r;
}

const ParamSpec* CollectionSpec::field(const std::string& n) const {
  for (const auto& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

const ParamSpec* find_scalar(const std::string& path) {
  for (const auto& s : scalar_params())
    if (s.name == path) return &s;
  return nullptr;
}

const CollectionSpec* find_collection(const std::string& path) {
  for (const auto& c : collection_params())
    if (c.path == path) return &c;
  return nullptr;
}

std::vector<std::string> all_key_paths() {
  std::vector<std::string> out;
  for (const auto& s : scalar_params()) out.push_back(s.name);
  for (const auto& c : collection_params()) {
    out.push_back(c.path);
    for (const auto& f : c.fields) out.push_back(c.path + ".<" + c.key_meaning + ">." + f.name);
  }
  return out;
}

std::optional<int> parse_month(const std::string& text) {
  std::string t = trim(text);
  if (t.size() != 7 || t[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  auto r1 = std::from_chars(t.data(), t.data() + 4, y);
  auto r2 = std::from_chars(t.data() + 5, t.data() + 7, m);
  if (r1.ec != std::errc() || r1.ptr != t.data() + 4 || r2.ec != std::errc() || r2.ptr != t.data() + 7)
    return std::nullopt;
  if (y < 1000 || y > 9999 || m < 1 || m > 12) return std::nullopt;
  return y * 12 + (m - 1);
}

std::string month_text(int month_index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", month_index / 12, month_index % 12 + 1);
  return buf;
}

std::optional<std::string> parse_param(const ParamSpec& spec, const std::string& text, ParamValue& out) {
  const std::string t = trim(text);
  switch (spec.kind) {
    case ParamKind::Real: {
      auto v = to_double(t);
      if (!v || !in_range(spec, *v)) return "must be a number in " + spec.range_text() + ", got '" + t + "'";
      out = *v;
      return std::nullopt;
    }
    case ParamKind::Int: {
      auto v = to_double(t);
      if (!v || std::floor(*v) != *v || !in_range(spec, *v))
        return "must be an " + spec.range_text() + ", got '" + t + "'";
      out = static_cast<std::int64_t>(*v);
      return std::nullopt;
    }
    case ParamKind::Bool:
      if (t == "true" || t == "True" || t == "yes" || t == "on") {
        out = true;
        return std::nullopt;
      }
      if (t == "false" || t == "False" || t == "no" || t == "off") {
        out = false;
        return std::nullopt;
      }
      return "must be true or false, got '" + t + "'";
    case ParamKind::Text:
      out = t;
      return std::nullopt;
    case ParamKind::Month:
      if (!parse_month(t)) return "must be a month YYYY-MM with month 01-12, got '" + t + "'";
      out = t;
      return std::nullopt;
    case ParamKind::Choice:
      if (std::find(spec.choices.begin(), spec.choices.end(), t) == spec.choices.end())
        return "must be " + spec.range_text() + ", got '" + t + "'";
      out = t;
      return std::nullopt;
    case ParamKind::RealList:
      return "must be " + spec.range_text() + " (a YAML list), got a single value '" + t + "'";
  }
  return "unsupported parameter kind";
}

std::optional<std::string> parse_param_list(const ParamSpec& spec, const std::vector<std::string>& items,
                                            ParamValue& out) {
  if (spec.kind != ParamKind::RealList)
    return "must be a single value (" + spec.range_text() + "), got a list";
  if ((spec.list_length && items.size() != spec.list_length) || items.empty())
    return "must be " + spec.range_text() + ", got " + std::to_string(items.size()) + " items";
  std::vector<double> v;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto d = to_double(items[i]);
    if (!d || !in_range(spec, *d))
      return "item " + std::to_string(i) + " must be a number in " + spec.range_text() + ", got '" +
             trim(items[i]) + "'";
    v.push_back(*d);
  }
  out = std::move(v);
  return std::nullopt;
}

std::optional<std::string> check_collection_key(const CollectionSpec& spec, const std::string& key) {
  if (spec.key_kind == KeyKind::Name) {
    if (trim(key).empty()) return "a " + spec.key_meaning + " must not be empty";
    return std::nullopt;
  }
  auto v = to_double(key);
  if (!v || std::floor(*v) != *v || *v < spec.key_min || *v > spec.key_max)
    return "key must be a " + spec.key_meaning + " (integer in [" + num_text(spec.key_min) + ", " +
           num_text(spec.key_max) + "]), got '" + key + "'";
  return std::nullopt;
}

std::string param_text(const ParamValue& value) {
  struct V {
    std::string operator()(double d) const { return num_text(d); }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<double>& l) const {
      std::string out = "[";
      for (std::size_t i = 0; i < l.size(); ++i) out += (i ? ", " : "") + num_text(l[i]);
      return out + "]";
    }
  };
  return std::visit(V{}, value);
}

namespace {
std::vector<std::string> split_list_text(const std::string& text) {
  std::string t = trim(text);
  if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  std::vector<std::string> items;
  std::stringstream ss(t);
  std::string item;
  while (std::getline(ss, item, ',')) items.push_back(trim(item));
  return items;
}

ParamValue default_value(const ParamSpec& s) {
  ParamValue v;
  std::optional<std::string> err;
  if (s.kind == ParamKind::RealList)
    err = parse_param_list(s, split_list_text(s.default_text), v);
  else if (s.kind == ParamKind::Month && s.default_text.empty())
    v = std::string();
  else
    err = parse_param(s, s.default_text, v);
  if (err) throw std::logic_error("bad default of " + s.name + ": " + *err);
  return v;
}
}  // namespace

ParamValues default_param_values() {
  ParamValues pv;
  for (const auto& s : scalar_params()) pv.scalars[s.name] = default_value(s);
  for (const auto& c : collection_params()) {
    auto& entries = pv.collections[c.path];
    for (const auto& [key, fields] : c.default_entries) {
      auto& rec = entries[key];
      for (const auto& f : c.fields) rec[f.name] = default_value(f);
      for (const auto& [fname, text] : fields) {
        const ParamSpec* f = c.field(fname);
        if (!f) throw std::logic_error("bad default field " + c.path + "." + fname);
        ParamValue v;
        auto err = f->kind == ParamKind::RealList ? parse_param_list(*f, split_list_text(text), v)
                                                  : parse_param(*f, text, v);
        if (err) throw std::logic_error("bad default " + c.path + "." + key + "." + fname + ": " + *err);
        rec[fname] = v;
      }
    }
  }
  return pv;
}

std::vector<std::string> ordered_keys(
    const CollectionSpec& spec, const std::map<std::string, std::map<std::string, ParamValue>>& entries) {
  std::vector<std::string> keys;
  for (const auto& [k, _] : entries) keys.push_back(k);
  if (spec.key_kind == KeyKind::Integer)
    std::sort(keys.begin(), keys.end(),
              [](const std::string& a, const std::string& b) { return std::stod(a) < std::stod(b); });
  return keys;
}

}  // namespace wfsim
