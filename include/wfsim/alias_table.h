// Walker/Vose alias table: O(n) build, O(1) draw from a discrete distribution.
// Used for catalog choice (MODEL.md §2: 300,000 resources must be practical).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace wfsim {

class AliasTable {
 public:
  AliasTable() = default;
  // weights >= 0 with a positive sum; items[i] is returned with probability weights[i]/sum.
  AliasTable(std::span<const double> weights, std::vector<std::int32_t> items);
  explicit AliasTable(std::span<const double> weights);  // items 0..n-1

  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  // One 32-bit word gives both the slot and the coin, so a draw costs one uniform word.
  std::int32_t draw(std::uint32_t word) const;
  std::int32_t draw(double u) const;  // u in [0, 1)

 private:
  struct Slot {
    float threshold;     // probability of keeping the slot's own entry
    std::int32_t alias;  // the other entry of the slot
  };
  std::vector<Slot> slots_;  // threshold and alias side by side: one cache line per draw
  std::vector<std::int32_t> items_;
  bool identity_ = false;  // items_[i] == i: skip the lookup
};

}  // namespace wfsim
