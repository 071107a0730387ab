#include "wfsim/simulation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "wfsim/errors.h"

namespace wfsim {
namespace {

// Metric positions; the same order as metric_infos() in run_results.cpp.
enum MonthlyMetric {
  M_HEADCOUNT,
  M_HIRES,
  M_EXITS,
  M_HOURS_MEAN,
  M_CLASSROOM,
  M_ASYNC,
  M_LIVE,
  M_ENROLMENTS,
  M_COMPLETIONS,
  M_DROPOUTS,
  M_KNOWLEDGE,
  M_SKILL,
  M_OTHER,
  M_STRATEGIC,
  M_COST,
  M_PAYROLL,
  M_COUNT
};
enum YearlyMetric {
  Y_HEADCOUNT,
  Y_HIRES,
  Y_EXITS,
  Y_HOURS_MEAN,
  Y_HOURS_MEDIAN,
  Y_SUPER,
  Y_STEADY,
  Y_ADEQUATE,
  Y_UNDER,
  Y_MEETING,
  Y_H1_SHARE,
  Y_KNOWLEDGE,
  Y_SKILL,
  Y_OTHER,
  Y_STRATEGIC,
  Y_CLOUD,
  Y_STOCK_MEAN,
  Y_PROMOTIONS,
  Y_PROMOTION_RATE,
  Y_TI_MEAN,
  Y_COST,
  Y_PAYROLL,
  Y_TOPICS
};
enum HalfMetric { H_TI_MEAN, H_TI_SD, H_HEADCOUNT, H_COUNT };

constexpr std::size_t FLUSH_ROWS = 8192;

template <class T>
void saturating_inc(T& v) {
  if (v < std::numeric_limits<T>::max()) ++v;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, const Catalog& catalog, int replicate,
                       SimulationOptions options, RecordSink* sink)
    : s_(scenario),
      catalog_(catalog),
      replicate_(replicate),
      opt_(options),
      sink_(sink),
      key_(scenario.seed, static_cast<std::uint32_t>(replicate)),
      learning_(scenario),
      performance_(scenario),
      promotion_(scenario),
      axes_(TimeAxes::for_horizon(scenario.start_month, scenario.months)) {
  if (scenario.months > MAX_MONTHS)
    throw InputError("run.months", "at most " + std::to_string(MAX_MONTHS) + " months are supported");
  for (std::size_t k = 0; k < s_.topics.size(); ++k)
    if (lower(s_.topics[k].name) == "cloud") cloud_topic_ = static_cast<int>(k);
  for (std::size_t i = 0; i < catalog_.size(); ++i) {
    const Resource& r = catalog_[i];
    if (r.badge == BadgeType::None) continue;
    programs_.push_back({r.hours, r.pass_probability, r.fee_usd, static_cast<std::int32_t>(i), r.topic,
                         static_cast<std::uint8_t>(r.modality), static_cast<std::uint8_t>(r.badge),
                         static_cast<std::uint8_t>(s_.topics[r.topic].strategic ? 1 : 0)});
  }

  const int nm = static_cast<int>(metric_infos(Frequency::Monthly, s_).size());
  const int ny = static_cast<int>(metric_infos(Frequency::Yearly, s_).size());
  const int nh = static_cast<int>(metric_infos(Frequency::HalfYearly, s_).size());
  if (nm != M_COUNT || ny != Y_TOPICS + static_cast<int>(s_.topics.size()) || nh != H_COUNT)
    throw std::logic_error("metric lists and simulation disagree");
  series_.values[0].assign(static_cast<std::size_t>(nm),
                           std::vector<double>(static_cast<std::size_t>(axes_.months), 0.0));
  series_.values[1].assign(static_cast<std::size_t>(ny),
                           std::vector<double>(static_cast<std::size_t>(axes_.years), 0.0));
  series_.values[2].assign(static_cast<std::size_t>(nh),
                           std::vector<double>(static_cast<std::size_t>(axes_.halves), 0.0));
  y_.topic_badges.assign(s_.topics.size(), 0);

  std::vector<double> w;
  for (const auto& r : s_.roles) w.push_back(r.share);
  role_draw_ = AliasTable(w);
  w.clear();
  for (const auto& b : s_.bands) w.push_back(b.share);
  band_draw_initial_ = AliasTable(w);
  w.clear();
  for (const auto& b : s_.bands) w.push_back(b.hire_share);
  band_draw_hire_ = AliasTable(w);
  w.clear();
  for (const auto& t : s_.topics) w.push_back(t.weight);
  topic_draw_ = AliasTable(w);

  // Required learning (S3): per role, the yearly hours and the topic mix of the requirement.
  required_hours_.assign(s_.roles.size(), 0.0);
  required_share_.assign(s_.roles.size(), 0.0);
  required_topic_.resize(s_.roles.size());
  for (std::size_t r = 0; r < s_.roles.size(); ++r) {
    std::vector<double> tw(s_.topics.size(), 0.0);
    for (const auto& q : s_.required) {
      if (q.role != "all" && q.role != s_.roles[r].name) continue;
      required_hours_[r] += q.hours_per_year;
      tw[static_cast<std::size_t>(s_.topic_index(q.topic))] += q.hours_per_year;
    }
    if (required_hours_[r] > 0) {
      required_topic_[r] = AliasTable(tw);
      // ASSUMPTION: the share of enrolments that serve the requirement equals the required
      // hours' share of the person's expected learning.
      required_share_[r] = required_hours_[r] / (required_hours_[r] + s_.propensity_mean_hours);
    }
  }
  init_population();
}

void Simulation::init_population() {
  const auto n = static_cast<std::size_t>(s_.headcount);
  pop_.resize(n);
  for (std::size_t i = 0; i < n; ++i) init_person(i, static_cast<std::int32_t>(i), s_.start_month, true);
  active_count_ = s_.headcount;
  expected_headcount_ = s_.headcount;
}

void Simulation::init_person(std::size_t i, std::int32_t id, int month, bool initial) {
  CounterStream rs(key_, static_cast<std::uint32_t>(id), 0, Purpose::Hire);
  pop_.id[i] = id;
  pop_.active[i] = 1;
  pop_.role[i] = static_cast<std::uint8_t>(role_draw_.draw(rs()));
  pop_.band_index[i] = static_cast<std::uint8_t>((initial ? band_draw_initial_ : band_draw_hire_).draw(rs()));
  pop_.pref_type[i] = static_cast<std::uint8_t>(
      std::min<std::uint32_t>(2, static_cast<std::uint32_t>((static_cast<std::uint64_t>(rs()) * 3) >> 32)));
  const double latent = draw_normal(rs);
  const double other = draw_normal(rs);
  const double rho = s_.ti_selection_correlation;
  pop_.latent[i] = static_cast<float>(latent);
  pop_.person_effect_pct[i] =
      static_cast<float>(s_.ti_person_sd_pct * (rho * latent + std::sqrt(1 - rho * rho) * other));
  const double tenure_months =
      initial ? std::floor(draw_exponential(rs, std::max(1e-9, s_.initial_tenure_mean_years * 12.0))) : 0.0;
  pop_.hire_month[i] = month - static_cast<std::int32_t>(std::min(tenure_months, 600.0)) - (initial ? 1 : 0);
  pop_.complier[i] = draw_uniform01(rs) < learning_.target_compliance(month / 12) ? 1 : 0;
  // Drawn last, so the draws above are the same whether or not topics interest the model.
  pop_.favourite_topic[i] = static_cast<std::uint8_t>(topic_draw_.draw(rs()));
  pop_.propensity_hours[i] = learning_.propensity_hours(pop_.latent[i], month / 12);
  pop_.program[i] = NO_PROGRAM;
  pop_.progress_hours[i] = 0;
  pop_.hours_year[i] = 0;
  pop_.hours_half[i] = 0;
  pop_.stock_knowledge[i] = pop_.stock_skill[i] = pop_.stock_other[i] = pop_.stock_strategic[i] = 0;
  pop_.half_knowledge[i] = pop_.half_skill[i] = pop_.half_other[i] = pop_.half_strategic[i] = 0;
  pop_.year_knowledge[i] = pop_.year_skill[i] = pop_.year_other[i] = pop_.year_strategic[i] = 0;
  pop_.ti_sum_year[i] = 0;
  pop_.ti_count_year[i] = 0;
  pop_.salary_usd[i] = static_cast<float>(s_.bands[pop_.band_index[i]].salary_usd);
  if (!initial && opt_.events)
    hire_events_.push_back({replicate_, id, month, pop_.role[i], s_.bands[pop_.band_index[i]].band});
}

void Simulation::run() {
  for (int m = 0; m < s_.months; ++m) step_month(s_.start_month + m);
  flush(true);
}

// MODEL.md §3: the order of events inside a month. Keep it here and only here.
void Simulation::step_month(int month) {
  m_ = MonthAcc{};
  apply_policies(month);      // 1. scheduled shocks and policies take effect
  exits_and_learning(month);  // 2. exits; 4-6. hours, allocation, completions (people present)
  hires(month);               // 3. hires (they learn from their first month, in hires())
  const int cal = month % 12 + 1;
  if (cal == 6 || cal == 12) half_year_end(month);  // 7. TI% for the half-year
  const bool last = month == s_.start_month + s_.months - 1;
  if (cal == 12 || last) year_end(month, cal == 12);  // 8. categories, promotions, pay
  record_month(month);                                // 9. aggregates
  flush(false);
}

void Simulation::apply_policies(int month) {
  mc_ = learning_.month_constants(month);
  if (mc_.availability != tables_availability_ || mc_.budget != tables_budget_) rebuild_choice_tables();
}

// Recommendation weights (MODEL.md §4.3): role strategic interest x strategic emphasis x
// modality availability x budget (external content). Rebuilt only when a policy changes them.
void Simulation::rebuild_choice_tables() {
  tables_availability_ = mc_.availability;
  tables_budget_ = mc_.budget;
  std::vector<double> base(programs_.size());
  for (std::size_t j = 0; j < programs_.size(); ++j) {
    const Resource& r = catalog_[static_cast<std::size_t>(programs_[j].resource)];
    base[j] = mc_.availability[static_cast<std::size_t>(r.modality)] * (r.internal ? 1.0 : mc_.budget);
  }
  std::vector<std::int32_t> all(programs_.size());
  for (std::size_t j = 0; j < all.size(); ++j) all[j] = static_cast<std::int32_t>(j);
  role_choice_.clear();
  for (const auto& role : s_.roles) {
    std::vector<double> w(programs_.size());
    for (std::size_t j = 0; j < programs_.size(); ++j)
      w[j] = base[j] * (programs_[j].strategic ? s_.strategic_emphasis * role.strategic_interest : 1.0);
    role_choice_.emplace_back(w, all);
  }
  topic_choice_.clear();
  for (std::size_t t = 0; t < s_.topics.size(); ++t) {
    std::vector<double> w;
    std::vector<std::int32_t> items;
    for (std::size_t j = 0; j < programs_.size(); ++j)
      if (programs_[j].topic == t) {
        w.push_back(base[j]);
        items.push_back(static_cast<std::int32_t>(j));
      }
    topic_choice_.emplace_back(w, std::move(items));
  }
}

void Simulation::release_slot(std::size_t i) {
  pop_.active[i] = 0;
  free_slots_.push_back(i);
  --active_count_;
}

void Simulation::exits_and_learning(int month) {
  // Monthly hazard from the annual rate: 1 - (1 - a)^(1/12).
  const double exit_p = 1.0 - std::pow(1.0 - s_.annual_attrition, 1.0 / 12.0);
  const std::size_t n = pop_.slots();
  MonthAcc acc = m_;
  // Badge counters are touched only when a badge is awarded, so the hardware does not stream
  // them: fetch their cache lines a little ahead (one line holds 32 people's uint16 counters).
  constexpr std::size_t AHEAD = 64;
  for (std::size_t i = 0; i < n; ++i) {
    if ((i & 31) == 0 && i + AHEAD < n) {
      for (const auto* v :
           {&pop_.stock_knowledge, &pop_.stock_skill, &pop_.stock_other, &pop_.stock_strategic})
        __builtin_prefetch(v->data() + i + AHEAD, 1);
      for (const auto* v : {&pop_.year_knowledge, &pop_.year_skill, &pop_.year_other, &pop_.year_strategic})
        __builtin_prefetch(v->data() + i + AHEAD, 1);
    }
    if (!pop_.active[i]) continue;
    const Block b = key_.block(static_cast<std::uint32_t>(pop_.id[i]), month, Purpose::Month);
    if (b.uniform(1) < exit_p) {
      ++acc.exits;
      ++y_.exits;
      if (opt_.events) exit_events_.push_back({replicate_, pop_.id[i], month, month - pop_.hire_month[i]});
      if (opt_.panel) emit_person_year(i, month / 12, -1);
      release_slot(i);
      continue;
    }
    learn(i, b, acc);
  }
  m_ = acc;
}

void Simulation::hires(int month) {
  int want = 0;
  if (s_.hiring == HiringPolicy::Hold) {
    want = s_.headcount - active_count_;
  } else {
    expected_headcount_ =
        s_.headcount * std::pow(1.0 + s_.annual_growth, (month - s_.start_month + 1) / 12.0);
    want = static_cast<int>(std::lround(expected_headcount_)) - active_count_;
  }
  const int offset = month - s_.start_month;
  for (int k = 0; k < want && k < HIRE_ID_MONTH; ++k) {
    std::size_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = pop_.slots();
      pop_.resize(slot + 1);
    }
    const std::int32_t id = HIRE_ID_BASE + offset * HIRE_ID_MONTH + k;
    init_person(slot, id, month, false);
    ++active_count_;
    ++m_.hires;
    ++y_.hires;
    learn(slot, key_.block(static_cast<std::uint32_t>(id), month, Purpose::Month), m_);
  }
}

// Hours drawn, allocated to the enrolment and short items, completions and badges.
__attribute__((always_inline)) inline void Simulation::learn(std::size_t i, const Block& b, MonthAcc& acc) {
  const MonthConstants& c = mc_;
  const int role = pop_.role[i];
  // Learning time (MODEL.md §4.1).
  double h =
      pop_.propensity_hours[i] * c.hours_factor * (1.0 + s_.monthly_noise * (2.0 * b.uniform(0) - 1.0));
  if (s_.nudging && pop_.hours_year[i] < c.pace_target) h *= 1.0 + s_.nudging_effect;
  h += c.extra_hours + required_hours_[static_cast<std::size_t>(role)] * c.required_factor;
  if (pop_.complier[i] && c.catch_up) {
    const double gap = s_.target_hours + s_.target_margin_hours - pop_.hours_year[i] - h;
    if (pop_.hours_year[i] + h < s_.target_hours && gap > 0)
      h += gap / c.months_left * std::min(1.0, c.shock_compliance);
  }
  pop_.hours_year[i] += static_cast<float>(h);
  pop_.hours_half[i] += static_cast<float>(h);
  acc.hours += h;
  acc.cost += h * s_.loaded_hourly_cost_usd;

  // Enrolment and allocation (MODEL.md §4.3).
  double program_h = 0;
  std::int32_t prog = pop_.program[i];
  const double u2 = b.uniform(2);
  if (prog != NO_PROGRAM) {
    if (u2 < s_.dropout_monthly) {
      ++acc.dropouts;
      pop_.program[i] = prog = NO_PROGRAM;
    }
  } else if (u2 < s_.enrol_probability) {
    // Given enrolment, u2 / p is uniform on [0, 1): it decides required learning and its topic.
    const double v = u2 / s_.enrol_probability;
    // [0, q): required learning; [q, q + interest x (1 - q)): the person's favourite topic (S3).
    const double q = required_share_[static_cast<std::size_t>(role)];
    const double own = s_.topic_interest * (1.0 - q);
    const AliasTable* table = &role_choice_[static_cast<std::size_t>(role)];
    if (q > 0 && v < q) {
      const int topic = required_topic_[static_cast<std::size_t>(role)].draw(v / q);
      if (!topic_choice_[static_cast<std::size_t>(topic)].empty())
        table = &topic_choice_[static_cast<std::size_t>(topic)];
    } else if (own > 0 && v < q + own) {
      const auto& t = topic_choice_[pop_.favourite_topic[i]];
      if (!t.empty()) table = &t;
    }
    if (!table->empty()) {
      prog = table->draw(b.words[3]);
      pop_.program[i] = prog;
      pop_.progress_hours[i] = 0;
      const ProgramInfo& r = programs_[static_cast<std::size_t>(prog)];
      pop_.program_hours[i] = r.hours;
      pop_.program_modality[i] = r.modality;
      pop_.program_pass[i] = r.pass_probability;
      ++acc.enrolments;
      acc.cost += r.fee_usd;
    }
  }
  if (prog != NO_PROGRAM) {
    program_h = h * s_.program_share;
    const int modality = pop_.program_modality[i];
    if (modality == static_cast<int>(Modality::Classroom)) {
      // Classroom programmes move to live virtual delivery as far as classrooms close (S17).
      acc.modality[0] += program_h * c.classroom_keep;
      acc.modality[2] += program_h * (1.0 - c.classroom_keep);
    } else {
      acc.modality[static_cast<std::size_t>(modality)] += program_h;
    }
    pop_.progress_hours[i] += static_cast<float>(program_h);
    if (pop_.progress_hours[i] >= pop_.program_hours[i]) {
      ++acc.completions;
      const Block a = key_.block(static_cast<std::uint32_t>(pop_.id[i]), c.month, Purpose::Assessment);
      if (a.uniform(0) < pop_.program_pass[i]) award_badge(i, prog, acc);
      pop_.program[i] = NO_PROGRAM;
      pop_.progress_hours[i] = 0;
    }
  }
  const double item_h = h - program_h;
  const auto& split = c.item_split[pop_.pref_type[i]];
  for (int k = 0; k < MODALITY_COUNT; ++k)
    acc.modality[static_cast<std::size_t>(k)] += item_h * split[static_cast<std::size_t>(k)];
  // Short items: external share of content at the external fee, scaled by the budget (S1, S19).
  acc.cost += item_h * (1.0 - s_.internal_share) * s_.external_fee_usd_per_hour * c.budget;
}

void Simulation::award_badge(std::size_t i, int program, MonthAcc& acc) {
  const ProgramInfo& r = programs_[static_cast<std::size_t>(program)];
  const bool strategic = r.strategic != 0;
  switch (static_cast<BadgeType>(r.badge)) {
    case BadgeType::Knowledge:
      saturating_inc(pop_.stock_knowledge[i]);
      saturating_inc(pop_.year_knowledge[i]);
      break;
    case BadgeType::Skill:
      saturating_inc(pop_.stock_skill[i]);
      saturating_inc(pop_.year_skill[i]);
      break;
    case BadgeType::Other:
      saturating_inc(pop_.stock_other[i]);
      saturating_inc(pop_.year_other[i]);
      break;
    case BadgeType::None:
      return;
  }
  if (strategic) {
    saturating_inc(pop_.stock_strategic[i]);
    saturating_inc(pop_.year_strategic[i]);
    ++acc.strategic;
    ++y_.strategic;
  }
  ++acc.badges[static_cast<std::size_t>(r.badge)];
  ++y_.badges[static_cast<std::size_t>(r.badge)];
  ++y_.topic_badges[r.topic];
  if (opt_.events)
    badge_events_.push_back({replicate_, pop_.id[i], mc_.month, static_cast<std::int32_t>(r.badge), r.topic,
                             strategic ? 1 : 0, r.resource});
}

// TI% for the half-year ending this month (MODEL.md §4.4), from the stock at the half's start.
void Simulation::half_year_end(int month) {
  const int h = month / 6 - axes_.first_half;
  const int half_code = (month / 12) * 10 + (month % 12 < 6 ? 1 : 2);
  double sum = 0, sumsq = 0;
  int count = 0;
  double incentive = 0;
  for (std::size_t i = 0; i < pop_.slots(); ++i) {
    if (!pop_.active[i]) continue;
    CounterStream rs(key_, static_cast<std::uint32_t>(pop_.id[i]), month, Purpose::Performance);
    const double tenure_years = (month - pop_.hire_month[i]) / 12.0;
    const double ti = performance_.controls(pop_.role[i], pop_.band_index[i], tenure_years) +
                      performance_.badge_effect(pop_.half_knowledge[i], pop_.half_skill[i],
                                                pop_.half_other[i], pop_.half_strategic[i]) +
                      pop_.person_effect_pct[i] + s_.ti_noise_sd_pct * draw_normal(rs);
    sum += ti;
    sumsq += ti * ti;
    ++count;
    pop_.ti_sum_year[i] += static_cast<float>(ti);
    ++pop_.ti_count_year[i];
    incentive += pop_.salary_usd[i] * s_.target_incentive_share / 2.0 * ti / 100.0;
    if (opt_.panel)
      half_rows_.push_back({replicate_, pop_.id[i], half_code, pop_.role[i],
                            s_.bands[pop_.band_index[i]].band, month - pop_.hire_month[i], pop_.hours_half[i],
                            pop_.half_knowledge[i], pop_.half_skill[i], pop_.half_other[i],
                            pop_.half_strategic[i], ti});
    // The next half starts with today's stock.
    pop_.half_knowledge[i] = pop_.stock_knowledge[i];
    pop_.half_skill[i] = pop_.stock_skill[i];
    pop_.half_other[i] = pop_.stock_other[i];
    pop_.half_strategic[i] = pop_.stock_strategic[i];
    pop_.hours_half[i] = 0;
  }
  m_.payroll += incentive;
  y_.ti_sum += sum;
  y_.ti_count += count;
  auto& hv = series_.values[2];
  const double mean = count ? sum / count : std::numeric_limits<double>::quiet_NaN();
  hv[H_TI_MEAN][static_cast<std::size_t>(h)] = mean;
  hv[H_TI_SD][static_cast<std::size_t>(h)] =
      count > 1 ? std::sqrt(std::max(0.0, (sumsq - sum * mean) / (count - 1)))
                : std::numeric_limits<double>::quiet_NaN();
  hv[H_HEADCOUNT][static_cast<std::size_t>(h)] = count;
}

void Simulation::emit_person_year(std::size_t i, int year, int promoted) {
  const int stock = pop_.stock_knowledge[i] + pop_.stock_skill[i] + pop_.stock_other[i];
  const double ti_mean = pop_.ti_count_year[i] ? pop_.ti_sum_year[i] / pop_.ti_count_year[i]
                                               : std::numeric_limits<double>::quiet_NaN();
  year_rows_.push_back({replicate_, pop_.id[i], year, pop_.role[i], s_.bands[pop_.band_index[i]].band,
                        mc_.month - pop_.hire_month[i], pop_.hours_year[i],
                        learner_category(pop_.hours_year[i]), pop_.year_knowledge[i], pop_.year_skill[i],
                        pop_.year_other[i], pop_.year_strategic[i], stock, ti_mean, promoted});
}

// Year end (MODEL.md §3 step 8): learner categories, promotions effective 1 January, pay.
void Simulation::year_end(int month, bool december) {
  const int year = month / 12;
  const int yi = year - axes_.first_year;
  const int first_month_of_year = std::max(year * 12, s_.start_month);
  const int top = static_cast<int>(s_.bands.size()) - 1;
  auto& yv = series_.values[1];

  // Learner categories over people present the whole calendar year (within the horizon).
  scratch_hours_.clear();
  std::array<int, 4> cats{};
  int meeting = 0, active = 0;
  double stock_sum = 0;
  for (std::size_t i = 0; i < pop_.slots(); ++i) {
    if (!pop_.active[i]) continue;
    ++active;
    stock_sum += pop_.stock_knowledge[i] + pop_.stock_skill[i] + pop_.stock_other[i];
    if (pop_.hire_month[i] > first_month_of_year) continue;
    scratch_hours_.push_back(pop_.hours_year[i]);
    ++cats[static_cast<std::size_t>(learner_category(pop_.hours_year[i]))];
    if (pop_.hours_year[i] >= s_.target_hours) ++meeting;
  }
  const double full = static_cast<double>(scratch_hours_.size());
  double hsum = 0;
  for (float x : scratch_hours_) hsum += x;
  double median = std::numeric_limits<double>::quiet_NaN();
  if (!scratch_hours_.empty()) {
    const std::size_t mid = scratch_hours_.size() / 2;
    std::nth_element(scratch_hours_.begin(), scratch_hours_.begin() + static_cast<long>(mid),
                     scratch_hours_.end());
    median = scratch_hours_[mid];
    if (scratch_hours_.size() % 2 == 0) {
      const float lower_mid =
          *std::max_element(scratch_hours_.begin(), scratch_hours_.begin() + static_cast<long>(mid));
      median = 0.5 * (median + lower_mid);
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  yv[Y_HOURS_MEAN][static_cast<std::size_t>(yi)] = full ? hsum / full : nan;
  yv[Y_HOURS_MEDIAN][static_cast<std::size_t>(yi)] = median;
  yv[Y_SUPER][static_cast<std::size_t>(yi)] = full ? cats[SUPER] / full : nan;
  yv[Y_STEADY][static_cast<std::size_t>(yi)] = full ? cats[STEADY] / full : nan;
  yv[Y_ADEQUATE][static_cast<std::size_t>(yi)] = full ? cats[ADEQUATE] / full : nan;
  yv[Y_UNDER][static_cast<std::size_t>(yi)] = full ? cats[UNDER] / full : nan;
  yv[Y_MEETING][static_cast<std::size_t>(yi)] = full ? meeting / full : nan;
  yv[Y_STOCK_MEAN][static_cast<std::size_t>(yi)] = active ? stock_sum / active : nan;

  // Promotions (MODEL.md §4.5), decided at the end of December, effective 1 January.
  int promotions = 0, eligible = 0;
  // Rows of people not eligible (top band) or of a horizon ending mid-year: promotion not observed.
  if (opt_.panel)
    for (std::size_t i = 0; i < pop_.slots(); ++i)
      if (pop_.active[i] && (!december || pop_.band_index[i] >= top)) emit_person_year(i, year, -1);
  if (december) {
    scratch_eta_.clear();
    scratch_slots_.clear();
    for (std::size_t i = 0; i < pop_.slots(); ++i) {
      if (!pop_.active[i] || pop_.band_index[i] >= top) continue;
      const double ti_mean = pop_.ti_count_year[i] ? pop_.ti_sum_year[i] / pop_.ti_count_year[i] : nan;
      scratch_eta_.push_back(promotion_.log_odds(
          pop_.role[i], pop_.band_index[i], pop_.year_knowledge[i], pop_.year_skill[i], pop_.year_other[i],
          learner_category(pop_.hours_year[i]), (month - pop_.hire_month[i]) / 12.0, ti_mean));
      scratch_slots_.push_back(i);
    }
    eligible = static_cast<int>(scratch_slots_.size());
    if (s_.alignment == Alignment::Rate) {
      const double shift = PromotionModel::alignment_shift(scratch_eta_, s_.promotion_target_rate * eligible);
      for (double& e : scratch_eta_) e += shift;
    } else if (s_.alignment == Alignment::Capacity) {
      // Per source band: promotions into a capped band may not exceed its free places.
      std::vector<int> count(s_.bands.size(), 0);
      for (std::size_t i = 0; i < pop_.slots(); ++i)
        if (pop_.active[i]) ++count[pop_.band_index[i]];
      for (std::size_t b = 0; b + 1 < s_.bands.size(); ++b) {
        const int cap = s_.bands[b + 1].capacity;
        if (cap <= 0) continue;
        std::vector<double> eta_b;
        std::vector<std::size_t> pos;
        double expected = 0;
        for (std::size_t j = 0; j < scratch_slots_.size(); ++j)
          if (pop_.band_index[scratch_slots_[j]] == b) {
            eta_b.push_back(scratch_eta_[j]);
            pos.push_back(j);
            expected += sigmoid(scratch_eta_[j]);
          }
        const double room = std::max(0, cap - count[b + 1]);
        if (expected > room) {
          const double shift = PromotionModel::alignment_shift(eta_b, room);
          for (std::size_t j : pos) scratch_eta_[j] += shift;
        }
      }
    }
    for (std::size_t j = 0; j < scratch_slots_.size(); ++j) {
      const std::size_t i = scratch_slots_[j];
      const Block b = key_.block(static_cast<std::uint32_t>(pop_.id[i]), month, Purpose::Promotion);
      const bool promoted = b.uniform(0) < sigmoid(scratch_eta_[j]);
      if (opt_.panel) emit_person_year(i, year, promoted ? 1 : 0);
      if (promoted) {
        ++promotions;
        if (opt_.events)
          promotion_events_.push_back({replicate_, pop_.id[i], month + 1, s_.bands[pop_.band_index[i]].band,
                                       s_.bands[pop_.band_index[i] + 1u].band});
        pop_.band_index[i] = static_cast<std::uint8_t>(pop_.band_index[i] + 1);
        pop_.salary_usd[i] *= static_cast<float>(1.0 + s_.promotion_raise);
      }
    }
  }

  yv[Y_PROMOTIONS][static_cast<std::size_t>(yi)] = promotions;
  yv[Y_PROMOTION_RATE][static_cast<std::size_t>(yi)] =
      december && eligible ? static_cast<double>(promotions) / eligible : nan;

  // Pay from 1 January: merit increase with a skills premium (S18); then reset the year.
  for (std::size_t i = 0; i < pop_.slots(); ++i) {
    if (!pop_.active[i]) continue;
    if (december) {
      const double premium = s_.skills_premium_per_badge * (pop_.year_skill[i] + pop_.year_strategic[i]);
      pop_.salary_usd[i] *= static_cast<float>(1.0 + s_.merit_increase + premium);
      // Propensity drifts for the next year; next year's compliers are drawn (ASSUMPTION).
      CounterStream rs(key_, static_cast<std::uint32_t>(pop_.id[i]), month, Purpose::Drift);
      const double r = s_.propensity_drift_correlation;
      pop_.latent[i] = static_cast<float>(r * pop_.latent[i] + std::sqrt(1 - r * r) * draw_normal(rs));
      pop_.propensity_hours[i] = learning_.propensity_hours(pop_.latent[i], year + 1);
      pop_.complier[i] = draw_uniform01(rs) < mc_.compliance ? 1 : 0;
    }
    pop_.hours_year[i] = 0;
    pop_.year_knowledge[i] = pop_.year_skill[i] = pop_.year_other[i] = pop_.year_strategic[i] = 0;
    pop_.ti_sum_year[i] = 0;
    pop_.ti_count_year[i] = 0;
  }
  scratch_slots_.clear();

  // Yearly flows and sums (this month's own figures are added in record_month).
  yv[Y_HEADCOUNT][static_cast<std::size_t>(yi)] = active;
  yv[Y_HIRES][static_cast<std::size_t>(yi)] = y_.hires;
  yv[Y_EXITS][static_cast<std::size_t>(yi)] = y_.exits;
  yv[Y_KNOWLEDGE][static_cast<std::size_t>(yi)] = y_.badges[1];
  yv[Y_SKILL][static_cast<std::size_t>(yi)] = y_.badges[2];
  yv[Y_OTHER][static_cast<std::size_t>(yi)] = y_.badges[3];
  yv[Y_STRATEGIC][static_cast<std::size_t>(yi)] = y_.strategic;
  yv[Y_CLOUD][static_cast<std::size_t>(yi)] =
      cloud_topic_ >= 0 ? y_.topic_badges[static_cast<std::size_t>(cloud_topic_)] : 0;
  for (std::size_t t = 0; t < s_.topics.size(); ++t)
    yv[Y_TOPICS + t][static_cast<std::size_t>(yi)] = y_.topic_badges[t];
  yv[Y_TI_MEAN][static_cast<std::size_t>(yi)] = y_.ti_count ? y_.ti_sum / y_.ti_count : nan;
}

void Simulation::record_month(int month) {
  const std::size_t t = static_cast<std::size_t>(month - s_.start_month);
  // Base pay for the month.
  double base = 0;
  for (std::size_t i = 0; i < pop_.slots(); ++i)
    if (pop_.active[i]) base += pop_.salary_usd[i] / 12.0;
  m_.payroll += base;
  auto& mv = series_.values[0];
  const double nan = std::numeric_limits<double>::quiet_NaN();
  mv[M_HEADCOUNT][t] = active_count_;
  mv[M_HIRES][t] = m_.hires;
  mv[M_EXITS][t] = m_.exits;
  // Everyone active at the month's end learned in it (exits leave before learning).
  mv[M_HOURS_MEAN][t] = active_count_ ? m_.hours / active_count_ : nan;
  const double msum = m_.modality[0] + m_.modality[1] + m_.modality[2];
  mv[M_CLASSROOM][t] = msum > 0 ? m_.modality[0] / msum : nan;
  mv[M_ASYNC][t] = msum > 0 ? m_.modality[1] / msum : nan;
  mv[M_LIVE][t] = msum > 0 ? m_.modality[2] / msum : nan;
  mv[M_ENROLMENTS][t] = m_.enrolments;
  mv[M_COMPLETIONS][t] = m_.completions;
  mv[M_DROPOUTS][t] = m_.dropouts;
  mv[M_KNOWLEDGE][t] = m_.badges[1];
  mv[M_SKILL][t] = m_.badges[2];
  mv[M_OTHER][t] = m_.badges[3];
  mv[M_STRATEGIC][t] = m_.strategic;
  mv[M_COST][t] = m_.cost;
  mv[M_PAYROLL][t] = m_.payroll;

  const int cal = month % 12 + 1;
  y_.hours_all += m_.hours;
  if (cal <= 6) y_.hours_h1 += m_.hours;
  y_.cost += m_.cost;
  y_.payroll += m_.payroll;
  const bool last = month == s_.start_month + s_.months - 1;
  if (cal == 12 || last) {
    auto& yv = series_.values[1];
    const std::size_t yi = static_cast<std::size_t>(month / 12 - axes_.first_year);
    yv[Y_H1_SHARE][yi] = y_.hours_all > 0 ? y_.hours_h1 / y_.hours_all : nan;
    yv[Y_COST][yi] = y_.cost;
    yv[Y_PAYROLL][yi] = y_.payroll;
    const auto topics = std::move(y_.topic_badges);
    y_ = YearAcc{};
    y_.topic_badges.assign(topics.size(), 0);
  }
}

void Simulation::flush(bool force) {
  if (!sink_) {
    half_rows_.clear();
    year_rows_.clear();
    badge_events_.clear();
    promotion_events_.clear();
    hire_events_.clear();
    exit_events_.clear();
    return;
  }
  auto go = [&](auto& rows, auto fn) {
    if (!rows.empty() && (force || rows.size() >= FLUSH_ROWS)) {
      (sink_->*fn)(std::span(rows.data(), rows.size()));
      rows.clear();
    }
  };
  go(half_rows_, &RecordSink::person_half);
  go(year_rows_, &RecordSink::person_year);
  go(badge_events_, &RecordSink::badges);
  go(promotion_events_, &RecordSink::promotions);
  go(hire_events_, &RecordSink::hires);
  go(exit_events_, &RecordSink::exits);
}

}  // namespace wfsim
