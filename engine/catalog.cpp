#include "wfsim/catalog.h"

#include <cmath>

#include "wfsim/alias_table.h"
#include "wfsim/random.h"

namespace wfsim {

Catalog Catalog::generate(const Scenario& s, std::uint64_t seed) {
  const StreamKey key(seed, 0);
  std::vector<double> topic_w;
  for (const auto& t : s.topics) topic_w.push_back(t.weight);
  const AliasTable topics(topic_w);
  const AliasTable modality(std::span<const double>(s.catalog_modality_mix.data(), MODALITY_COUNT));
  const AliasTable badge_type(std::span<const double>(s.badge_mix.data(), BADGE_TYPE_COUNT));

  std::vector<Resource> out(static_cast<std::size_t>(s.catalog_size));
  for (std::size_t i = 0; i < out.size(); ++i) {
    CounterStream rs(key, static_cast<std::uint32_t>(i), 0, Purpose::Catalog);
    Resource& r = out[i];
    const bool program = draw_uniform01(rs) < s.badge_program_share;
    r.badge = program ? static_cast<BadgeType>(badge_type.draw(rs())) : BadgeType::None;
    r.topic = static_cast<std::uint16_t>(topics.draw(rs()));
    r.modality = static_cast<Modality>(modality.draw(rs()));
    r.internal = draw_uniform01(rs) < s.internal_share;
    const double median = program ? s.program_hours_median : s.item_hours_median;
    const double sigma = program ? s.program_hours_sigma : 0.5;
    // Hours: log-normal around the median (S2's examples: 15-60 h for badge programmes).
    r.hours = static_cast<float>(std::max(0.25, draw_lognormal(rs, std::log(median), sigma)));
    r.pass_probability =
        program ? static_cast<float>(s.pass_probability[static_cast<std::size_t>(r.badge)]) : 1.0f;
    r.fee_usd = r.internal ? 0.0f : static_cast<float>(r.hours * s.external_fee_usd_per_hour);
  }
  return Catalog(std::move(out));
}

}  // namespace wfsim
