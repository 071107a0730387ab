#include "wfsim/population.h"

namespace wfsim {

void Population::resize(std::size_t n) {
  id.resize(n, 0);
  active.resize(n, 0);
  role.resize(n, 0);
  band_index.resize(n, 0);
  pref_type.resize(n, 1);
  complier.resize(n, 0);
  hire_month.resize(n, 0);
  latent.resize(n, 0);
  propensity_hours.resize(n, 0);
  program.resize(n, NO_PROGRAM);
  progress_hours.resize(n, 0);
  program_hours.resize(n, 0);
  program_modality.resize(n, 0);
  program_pass.resize(n, 0);
  hours_year.resize(n, 0);
  hours_half.resize(n, 0);
  for (auto* v : {&stock_knowledge, &stock_skill, &stock_other, &stock_strategic, &half_knowledge,
                  &half_skill, &half_other, &half_strategic})
    v->resize(n, 0);
  for (auto* v : {&year_knowledge, &year_skill, &year_other, &year_strategic}) v->resize(n, 0);
  person_effect_pct.resize(n, 0);
  ti_sum_year.resize(n, 0);
  ti_count_year.resize(n, 0);
  salary_usd.resize(n, 0);
}

}  // namespace wfsim
