// TI% per half-year (MODEL.md §4.4; S10, S11, S12): base + badge effects (stocks at the
// half's start, by type, strategic badges multiplied) + band/role/tenure controls +
// person effect + noise.
#pragma once

#include "wfsim/scenario.h"

namespace wfsim {

class PerformanceModel {
 public:
  explicit PerformanceModel(const Scenario& s) : s_(s) {}

  // Badge contribution; `strategic` counts badges of any type in strategic topics, whose
  // effect is multiplied by strategic_multiplier (spread over types in their mean mix).
  double badge_effect(int knowledge, int skill, int other, int strategic) const {
    const int total = knowledge + skill + other;
    const double base = knowledge * s_.ti_knowledge_effect_pct + skill * s_.ti_skill_effect_pct +
                        other * s_.ti_other_effect_pct;
    if (total == 0) return 0;
    // Strategic badges are a share of each type in proportion (the ledger keeps counts, not pairs).
    const double strategic_share = static_cast<double>(strategic) / total;
    return base * (1.0 + (s_.ti_strategic_multiplier - 1.0) * strategic_share);
  }
  double controls(int role, int band_index, double tenure_years) const {
    return s_.ti_base_pct + s_.roles[static_cast<std::size_t>(role)].ti_effect_pct +
           s_.bands[static_cast<std::size_t>(band_index)].ti_effect_pct +
           s_.ti_tenure_effect_pct_per_year * (tenure_years < 10 ? tenure_years : 10);
  }

 private:
  const Scenario& s_;
};

}  // namespace wfsim
