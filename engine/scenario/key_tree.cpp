#include "key_tree.h"

#include <algorithm>
#include <deque>
#include <sstream>

namespace wfsim {
namespace {

struct Tree {
  std::deque<KeyNode> nodes;
  KeyNode* root;

  Tree() : root(&nodes.emplace_back()) {
    for (const auto& s : scalar_params()) insert(s.name)->scalar = &s;
    for (const auto& c : collection_params()) insert(c.path)->collection = &c;
  }

  KeyNode* insert(const std::string& path) {
    KeyNode* node = root;
    std::stringstream ss(path);
    std::string seg;
    while (std::getline(ss, seg, '.')) {
      auto it = std::find_if(node->children.begin(), node->children.end(),
                             [&](const auto& c) { return c.first == seg; });
      if (it != node->children.end()) {
        node = it->second;
        continue;
      }
      KeyNode& fresh = nodes.emplace_back();
      fresh.path = node->path.empty() ? seg : node->path + "." + seg;
      node->children.emplace_back(seg, &fresh);
      node = &fresh;
    }
    return node;
  }
};

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

const KeyNode* KeyNode::child(const std::string& name) const {
  for (const auto& [n, c] : children)
    if (n == name) return c;
  return nullptr;
}

const KeyNode& key_tree() {
  static const Tree tree;
  return *tree.root;
}

std::optional<std::string> closest_key(const std::string& key, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = 0;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(key, c);
    if (!best || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  // A likely typo: at most 2 edits, or a third of the key for long keys.
  if (best && (best_d <= 2 || best_d * 3 <= key.size()) && best_d < key.size()) return best;
  return std::nullopt;
}

}  // namespace wfsim
