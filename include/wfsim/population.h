// Employees as a structure of arrays (MODEL.md §2 "Employee"). A slot holds one person;
// slots of people who left are reused by hires, so memory stays flat over the horizon.
// The badge ledger itself is the /events/badges stream; a person's state keeps the counts
// the model needs (stocks by type and strategic flag, the year's badges, the stock at the
// start of the half-year).
#pragma once

#include <cstdint>
#include <vector>

namespace wfsim {

inline constexpr std::int32_t NO_PROGRAM = -1;

struct Population {
  // identity and job
  std::vector<std::int32_t> id;      // stable: initial 0..N-1, hires 1e9 + month_offset*1e6 + k
  std::vector<std::uint8_t> active;  // 1 if the slot holds a current employee
  std::vector<std::uint8_t> role;
  std::vector<std::uint8_t> band_index;       // index into Scenario::bands
  std::vector<std::uint8_t> pref_type;        // 0,1,2: low, mid, high classroom affinity
  std::vector<std::uint8_t> complier;         // this year: catches up to the target when behind
  std::vector<std::uint8_t> favourite_topic;  // own learning interest (S3): index into the topics
  std::vector<std::int32_t> hire_month;       // month index (initial people: before the start)
  // learning
  std::vector<float> latent;            // N(0,1) latent propensity (drifts yearly)
  std::vector<float> propensity_hours;  // this year's propensity, hours per year
  std::vector<std::int32_t> program;    // catalog index of the enrolment, or NO_PROGRAM
  std::vector<float> progress_hours;
  std::vector<float> program_hours;            // hours the enrolment needs (copied from the catalog)
  std::vector<std::uint8_t> program_modality;  // its modality (copied: no catalog access per month)
  std::vector<float> program_pass;             // its assessment pass probability (copied)
  std::vector<float> hours_year;               // hours so far this calendar year
  std::vector<float> hours_half;               // hours so far this half-year
  // badges
  std::vector<std::uint16_t> stock_knowledge, stock_skill, stock_other, stock_strategic;
  std::vector<std::uint16_t> half_knowledge, half_skill, half_other, half_strategic;  // stock at half start
  std::vector<std::uint8_t> year_knowledge, year_skill, year_other, year_strategic;   // earned this year
  // performance and pay
  std::vector<float> person_effect_pct;
  std::vector<float> ti_sum_year;
  std::vector<std::uint8_t> ti_count_year;
  std::vector<float> salary_usd;

  std::size_t slots() const { return id.size(); }
  void resize(std::size_t n);
  // Bytes of simulation state per slot (for the benchmark's memory report).
  // Bytes of simulation state per slot: the element sizes of every array above (the benchmark's
  // memory report). resize() and this sum name the same arrays.
  static std::size_t bytes_per_slot();
};

}  // namespace wfsim
