#include "wfsim/population.h"

#include <type_traits>

namespace wfsim {

namespace {
// Calls f(vector&) for every per-slot array of the population.
template <class P, class F>
void for_each_array(P& p, F&& f) {
  f(p.id), f(p.active), f(p.role), f(p.band_index), f(p.pref_type), f(p.complier), f(p.favourite_topic),
      f(p.hire_month);
  f(p.latent), f(p.propensity_hours), f(p.program), f(p.progress_hours), f(p.program_hours);
  f(p.program_modality), f(p.program_pass), f(p.hours_year), f(p.hours_half);
  f(p.stock_knowledge), f(p.stock_skill), f(p.stock_other), f(p.stock_strategic);
  f(p.half_knowledge), f(p.half_skill), f(p.half_other), f(p.half_strategic);
  f(p.year_knowledge), f(p.year_skill), f(p.year_other), f(p.year_strategic);
  f(p.person_effect_pct), f(p.ti_sum_year), f(p.ti_count_year), f(p.salary_usd);
}
}  // namespace

void Population::resize(std::size_t n) {
  // New slots start empty (inactive, no programme); a person placed in a slot gets every field
  // set by Simulation::init_person.
  const std::size_t old = id.size();
  for_each_array(*this, [n](auto& v) { v.resize(n, {}); });
  for (std::size_t i = old; i < n; ++i) program[i] = NO_PROGRAM;
}

std::size_t Population::bytes_per_slot() {
  Population p;
  std::size_t bytes = 0;
  for_each_array(p, [&bytes](auto& v) { bytes += sizeof(typename std::decay_t<decltype(v)>::value_type); });
  return bytes;
}

}  // namespace wfsim
