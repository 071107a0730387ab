#include "wfsim/alias_table.h"

#include <numeric>
#include <stdexcept>

namespace wfsim {

AliasTable::AliasTable(std::span<const double> weights)
    : AliasTable(weights, [&] {
        std::vector<std::int32_t> v(weights.size());
        std::iota(v.begin(), v.end(), 0);
        return v;
      }()) {}

AliasTable::AliasTable(std::span<const double> weights, std::vector<std::int32_t> items)
    : items_(std::move(items)) {
  const std::size_t n = weights.size();
  if (n != items_.size()) throw std::invalid_argument("AliasTable: weights and items differ in length");
  if (n == 0) return;
  if (n > (1u << 24)) throw std::invalid_argument("AliasTable: more than 2^24 entries");
  double sum = 0;
  for (double w : weights) {
    if (!(w >= 0)) throw std::invalid_argument("AliasTable: negative or NaN weight");
    sum += w;
  }
  if (!(sum > 0)) {
    items_.clear();
    return;
  }
  // Vose's method with index stacks; fixed order so tables are identical on every machine.
  std::vector<double> scaled(n);
  std::vector<std::int32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / sum;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::int32_t>(i));
  }
  std::vector<float> threshold(n, 1.0f);
  std::vector<std::int32_t> alias(n);
  std::iota(alias.begin(), alias.end(), 0);
  while (!small.empty() && !large.empty()) {
    const std::int32_t s = small.back();
    small.pop_back();
    const std::int32_t l = large.back();
    threshold[static_cast<std::size_t>(s)] = static_cast<float>(scaled[static_cast<std::size_t>(s)]);
    alias[static_cast<std::size_t>(s)] = l;
    scaled[static_cast<std::size_t>(l)] -= 1.0 - scaled[static_cast<std::size_t>(s)];
    if (scaled[static_cast<std::size_t>(l)] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding.
  slots_.resize(n);
  identity_ = true;
  for (std::size_t i = 0; i < n; ++i) {
    slots_[i] = {threshold[i], alias[i]};
    identity_ = identity_ && items_[i] == static_cast<std::int32_t>(i);
  }
}

std::int32_t AliasTable::draw(std::uint32_t word) const {
  // word * n = slot * 2^32 + rest: the slot is uniform over n (bias <= n / 2^32) and the rest,
  // uniform within the slot, is the coin (resolution n / 2^32).
  const std::uint64_t x = static_cast<std::uint64_t>(word) * items_.size();
  const std::size_t slot = static_cast<std::size_t>(x >> 32);
  const float coin = static_cast<float>(static_cast<double>(x & 0xffffffffu) * 0x1p-32);
  const Slot& sl = slots_[slot];
  const std::int32_t idx = coin < sl.threshold ? static_cast<std::int32_t>(slot) : sl.alias;
  return identity_ ? idx : items_[static_cast<std::size_t>(idx)];
}

std::int32_t AliasTable::draw(double u) const { return draw(static_cast<std::uint32_t>(u * 4294967296.0)); }

}  // namespace wfsim
