#include "wfsim/scenario/catalog_csv.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "wfsim/errors.h"

namespace wfsim {
namespace {

constexpr std::size_t MAX_PROBLEMS = 50;

struct Record {
  int line = 0;  // physical line where the record starts (1-based)
  std::vector<std::string> fields;
};

// RFC 4180: comma-separated, "quoted" fields may hold commas, line breaks and "" for a quote.
// Unquoted fields are taken as they are; a blank line is skipped.
std::vector<Record> parse_csv(const std::string& text, const std::string& path,
                              std::vector<InputProblem>& problems) {
  std::vector<Record> records;
  std::size_t i = 0;
  int line = 1;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) i = 3;  // UTF-8 byte order mark
  while (i < text.size()) {
    Record rec;
    rec.line = line;
    std::string field;
    bool at_field_start = true, quoted = false, end_of_record = false;
    while (i < text.size() && !end_of_record) {
      const char c = text[i];
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          if (c == '\n') ++line;
          field += c;
        }
        ++i;
        continue;
      }
      if (c == '"' && at_field_start) {
        quoted = true;
        at_field_start = false;
      } else if (c == ',') {
        rec.fields.push_back(field);
        field.clear();
        at_field_start = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++line;
        end_of_record = true;
      } else {
        field += c;
        at_field_start = false;
      }
      ++i;
    }
    if (quoted) problems.push_back({path + ":" + std::to_string(rec.line), "a quoted field is not closed"});
    rec.fields.push_back(field);
    if (rec.fields.size() == 1 && rec.fields[0].find_first_not_of(" \t") == std::string::npos) continue;
    records.push_back(std::move(rec));
  }
  return records;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::optional<double> to_number(const std::string& t) {
  double v = 0;
  if (t.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

int index_of(const std::vector<std::string>& choices, const std::string& t) {
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == t) return static_cast<int>(i);
  return -1;
}

std::string bar_join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "|" : "") + items[i];
  return out;
}

}  // namespace

Catalog load_catalog_csv(const std::string& path, const Scenario& scenario) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot read the catalog CSV file; check catalog.csv_path");
  std::stringstream ss;
  ss << in.rdbuf();

  std::vector<InputProblem> problems;
  const std::vector<Record> records = parse_csv(ss.str(), path, problems);
  if (records.empty())
    throw InputError(path, "the catalog CSV is empty; it needs a header row and resources");

  static const std::vector<std::string> required = {"id",       "topic",   "hours", "modality",
                                                    "provider", "fee_usd", "badge", "pass_probability"};
  static const std::vector<std::string> modalities = {"classroom", "async", "live"};  // Modality order
  static const std::vector<std::string> providers = {"internal", "external"};
  static const std::vector<std::string> badges = {"none", "knowledge", "skill", "other"};  // BadgeType order
  std::vector<std::string> topics;
  for (const auto& t : scenario.topics) topics.push_back(t.name);

  // Header: column name -> index.
  std::map<std::string, std::size_t> col;
  const Record& header = records.front();
  const std::string head_where = path + ":" + std::to_string(header.line);
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name = trim(header.fields[c]);
    const std::string where = head_where + ":" + std::to_string(c + 1);
    if (index_of(required, name) < 0 && name != "title")
      problems.push_back(
          {where, "unknown column '" + name + "'; columns are " + bar_join(required) + " and title"});
    else if (!col.emplace(name, c).second)
      problems.push_back({where, "column '" + name + "' appears twice"});
  }
  for (const auto& name : required)
    if (!col.count(name)) problems.push_back({head_where, "missing column '" + name + "'"});
  if (!problems.empty()) throw InputError(std::move(problems));

  std::vector<Resource> resources;
  std::map<std::string, int> ids;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const Record& rec = records[r];
    const std::string line = path + ":" + std::to_string(rec.line);
    if (rec.fields.size() != header.fields.size()) {
      problems.push_back({line, "the row has " + std::to_string(rec.fields.size()) +
                                    " fields, the header has " + std::to_string(header.fields.size())});
      continue;
    }
    auto cell = [&](const std::string& name) { return trim(rec.fields[col.at(name)]); };
    auto bad = [&](const std::string& name, const std::string& rule) {
      problems.push_back({line + ":" + std::to_string(col.at(name) + 1),
                          "column '" + name + "': must be " + rule + ", got '" + cell(name) + "'"});
    };
    auto choice = [&](const std::string& name, const std::vector<std::string>& choices) {
      const int k = index_of(choices, cell(name));
      if (k < 0) bad(name, "one of " + bar_join(choices));
      return k;
    };
    auto number = [&](const std::string& name, double lo, bool lo_open, double hi, const std::string& rule) {
      auto v = to_number(cell(name));
      if (!v || (lo_open ? *v <= lo : *v < lo) || *v > hi) {
        bad(name, rule);
        return std::optional<double>();
      }
      return v;
    };
    Resource res;
    const std::string id = cell("id");
    if (id.empty()) {
      bad("id", "a non-empty id");
    } else if (auto [it, fresh] = ids.emplace(id, rec.line); !fresh) {
      problems.push_back(
          {line + ":" + std::to_string(col.at("id") + 1),
           "column 'id': duplicate id '" + id + "' (first on line " + std::to_string(it->second) + ")"});
    }
    const int topic = choice("topic", topics);
    const auto hours = number("hours", 0, true, 1e6, "a number > 0");
    const int modality = choice("modality", modalities);
    const int provider = choice("provider", providers);
    const auto fee = number("fee_usd", 0, false, 1e9, "a number >= 0");
    const int badge = choice("badge", badges);
    const auto pass = number("pass_probability", 0, false, 1, "a number in [0, 1]");
    if (topic < 0 || !hours || modality < 0 || provider < 0 || !fee || badge < 0 || !pass) continue;
    res.topic = static_cast<std::uint16_t>(topic);
    res.hours = static_cast<float>(*hours);
    res.modality = static_cast<Modality>(modality);
    res.internal = provider == 0;
    res.fee_usd = static_cast<float>(*fee);
    res.badge = static_cast<BadgeType>(badge);
    res.pass_probability = static_cast<float>(*pass);
    resources.push_back(res);
  }
  if (records.size() == 1 && problems.empty())
    problems.push_back({path, "the catalog CSV has a header but no resources"});
  if (!problems.empty()) {
    if (problems.size() > MAX_PROBLEMS) {
      const std::size_t more = problems.size() - MAX_PROBLEMS;
      problems.resize(MAX_PROBLEMS);
      problems.push_back({"", "... and " + std::to_string(more) + " more"});
    }
    throw InputError(std::move(problems));
  }
  return Catalog(std::move(resources));
}

}  // namespace wfsim
