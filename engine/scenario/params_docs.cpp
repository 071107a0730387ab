// `wfsim params` text and the markdown reference of scenarios/README.md, both from the one
// parameter table (params.h).
#include <algorithm>
#include <sstream>

#include "key_tree.h"
#include "wfsim/errors.h"
#include "wfsim/scenario/loader.h"

namespace wfsim {
namespace {

constexpr std::size_t LINE_WIDTH = 118;

// Words of `text` wrapped to `width` columns, each line prefixed by `indent`.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
  std::istringstream words(text);
  std::string word, line, out;
  while (words >> word) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string default_text(const ParamSpec& s) { return s.default_text.empty() ? "(none)" : s.default_text; }

struct TextRow {
  std::string key, value, def, unit, range, note;
};

// Aligned columns with caps; a cell over its cap is cut with "..." and shown whole below.
std::string render(const std::vector<TextRow>& rows, bool with_value) {
  const std::vector<std::string> titles = {"KEY", "VALUE", "DEFAULT", "UNIT", "RANGE"};
  const std::vector<std::size_t> caps = {40, 14, 14, 17, 25};  // 118 columns with the gaps
  std::vector<std::size_t> width(5);
  auto cells = [](const TextRow& r) {
    return std::vector<std::string>{r.key, r.value, r.def, r.unit, r.range};
  };
  for (std::size_t c = 0; c < 5; ++c) width[c] = titles[c].size();
  for (const auto& r : rows) {
    if (r.key.empty()) continue;
    const auto cs = cells(r);
    for (std::size_t c = 0; c < 5; ++c) width[c] = std::min(caps[c], std::max(width[c], cs[c].size()));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cs, std::vector<std::string>* cut) {
    std::string l;
    for (std::size_t c = 0; c < 5; ++c) {
      if (c == 1 && !with_value) continue;
      std::string cell = cs[c];
      if (cell.size() > width[c]) {
        if (cut) cut->push_back(titles[c] + ": " + cell);
        cell = cell.substr(0, width[c] - 3) + "...";
      }
      l += cell;
      if (c < 4) l += std::string(width[c] - cell.size() + 2, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(titles, nullptr);
  for (const auto& r : rows) {
    if (r.key.empty()) {  // a heading line
      out += '\n';
      out += wrap(r.note, LINE_WIDTH, "");
      continue;
    }
    std::vector<std::string> cut;
    line(cells(r), &cut);
    for (auto& c : cut) {
      std::transform(c.begin(), c.begin() + static_cast<long>(c.find(':')), c.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      out += wrap(c, LINE_WIDTH, "    ");
    }
    if (!r.note.empty()) out += wrap(r.note, LINE_WIDTH, "    ");
  }
  return out;
}

std::string note(const ParamSpec& s) { return "[" + s.provenance + "] " + s.description; }

std::string md_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string code(const std::string& s) { return s.empty() ? "" : "`" + s + "`"; }

std::string section_of(const std::string& path) {
  const auto dot = path.find('.');
  if (dot == std::string::npos) return "";
  const std::string first = path.substr(0, dot);
  return first == "cost" ? "pay" : first;
}

}  // namespace

std::string params_table_text(const ParamValues* values) {
  const bool with_value = values != nullptr;
  std::vector<TextRow> rows;
  for (const auto& s : scalar_params()) {
    TextRow r{s.name, "", default_text(s), s.unit, s.range_text(), note(s)};
    if (with_value) r.value = param_text(values->scalars.at(s.name));
    rows.push_back(r);
  }
  const ParamValues defaults = default_param_values();
  for (const auto& c : collection_params()) {
    std::string head =
        c.path + ": a mapping <" + c.key_meaning + "> -> record (fields below). " + c.description + ".";
    std::vector<std::string> keys;
    for (const auto& [k, _] : c.default_entries) keys.push_back(k);
    head += keys.empty() ? " No default entries." : " Default entries: " + [&] {
      std::string j;
      for (std::size_t i = 0; i < keys.size(); ++i) j += (i ? ", " : "") + keys[i];
      return j;
    }() + ".";
    rows.push_back({"", "", "", "", "", head});
    for (const auto& f : c.fields)
      rows.push_back(
          {"<" + c.key_meaning + ">." + f.name, "", default_text(f), f.unit, f.range_text(), note(f)});
    if (!with_value) continue;
    static const std::map<std::string, std::map<std::string, ParamValue>> none;
    auto found = values->collections.find(c.path);
    const auto& entries = found == values->collections.end() ? none : found->second;
    const auto& def_entries = defaults.collections.at(c.path);
    for (const auto& key : ordered_keys(c, entries))
      for (const auto& f : c.fields) {
        auto d = def_entries.find(key);
        const std::string def = d == def_entries.end() ? default_text(f) : param_text(d->second.at(f.name));
        rows.push_back({c.path + "." + key + "." + f.name, param_text(entries.at(key).at(f.name)), def,
                        f.unit, f.range_text(), ""});
      }
    for (const auto& [key, _] : def_entries)
      if (!entries.count(key)) rows.push_back({c.path + "." + key, "(removed)", "(entry)", "", "", ""});
  }
  return render(rows, with_value);
}

std::string params_reference_markdown() {
  static const std::vector<std::pair<std::string, std::string>> sections = {
      {"", "Scenario"},
      {"run", "Run"},
      {"population", "Population and workforce flows"},
      {"learning", "Learning time"},
      {"modality", "Modality"},
      {"catalog", "Catalog"},
      {"recommendation", "Recommendation"},
      {"performance", "Performance (TI%)"},
      {"promotion", "Promotion"},
      {"pay", "Pay and cost"},
      {"outputs", "Outputs"}};
  std::ostringstream md;
  md << "Generated from the parameter table (engine/param_table.cpp); `wfsim params` prints the same.\n"
     << "Provenance: S-ids are facts of the study (MODEL.md §1), \"derived from\" names the facts used, "
     << "ASSUMPTION marks a modelling choice.\n";
  const std::string head =
      "| key | default | unit | range | provenance | description |\n|---|---|---|---|---|---|\n";
  auto row = [&](const std::string& key, const ParamSpec& s) {
    md << "| " << code(key) << " | " << md_escape(s.default_text.empty() ? "" : code(s.default_text)) << " | "
       << md_escape(s.unit) << " | " << md_escape(s.range_text()) << " | " << md_escape(s.provenance) << " | "
       << md_escape(s.description) << " |\n";
  };
  for (const auto& [id, title] : sections) {
    md << "\n### " << title << "\n\n" << head;
    for (const auto& s : scalar_params())
      if (section_of(s.name) == id) row(s.name, s);
  }
  const ParamValues defaults = default_param_values();
  for (const auto& c : collection_params()) {
    md << "\n### Collection `" << c.path << "`\n\n"
       << md_escape(c.description) << ". A mapping from " << c.key_meaning
       << " to a record of the fields below; "
       << "a file merges it by key with what it extends, and `KEY: null` removes an entry.\n\n";
    md << "| field | default | unit | range | provenance | description |\n|---|---|---|---|---|---|\n";
    for (const auto& f : c.fields) row(f.name, f);
    const auto& entries = defaults.collections.at(c.path);
    if (entries.empty()) {
      md << "\nNo default entries.\n";
      continue;
    }
    md << "\nDefault entries:\n\n| " << md_escape(c.key_meaning);
    for (const auto& f : c.fields) md << " | " << f.name;
    md << " |\n|---";
    for (std::size_t i = 0; i < c.fields.size(); ++i) md << "|---";
    md << "|\n";
    for (const auto& key : ordered_keys(c, entries)) {
      md << "| " << md_escape(key);
      for (const auto& f : c.fields) {
        const std::string t = param_text(entries.at(key).at(f.name));
        md << " | " << md_escape(t.empty() ? "" : t);
      }
      md << " |\n";
    }
  }
  return md.str();
}

std::string update_params_reference(const std::string& document) {
  const std::string begin = PARAMS_DOC_BEGIN, end = PARAMS_DOC_END;
  const auto b = document.find(begin);
  const auto e = document.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b)
    throw InputError("", "the document lacks the markers " + begin + " and " + end + " (in this order)");
  return document.substr(0, b + begin.size()) + "\n" + params_reference_markdown() + document.substr(e);
}

}  // namespace wfsim
