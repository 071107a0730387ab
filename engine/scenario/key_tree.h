// Private to the scenario library: the parameter table as a tree of YAML keys (sections
// follow the dots of the key paths), in table order, and "did you mean" suggestions.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wfsim/params.h"

namespace wfsim {

struct KeyNode {
  std::string path;                                        // full dotted path ("" for the root)
  const ParamSpec* scalar = nullptr;                       // a leaf parameter
  const CollectionSpec* collection = nullptr;              // a collection (mapping key -> record)
  std::vector<std::pair<std::string, KeyNode*>> children;  // sections: in table order

  const KeyNode* child(const std::string& name) const;
};

// The root of the tree: scalars in table order, then collections inside their sections.
const KeyNode& key_tree();

// The candidate closest to `key` by edit distance when it is close enough to be a likely typo.
std::optional<std::string> closest_key(const std::string& key, const std::vector<std::string>& candidates);

}  // namespace wfsim
