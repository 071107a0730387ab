#include "wfsim/text_tables.h"

#include <cmath>
#include <cstdio>

#include "wfsim/stats/summary.h"

namespace wfsim {
namespace {

std::vector<Summary> yearly(const RunResults& r, const char* name) {
  return summarize_series(r.series(Frequency::Yearly, name));
}

std::string cell(double v, const char* fmt, int width) {
  char buf[64];
  if (!std::isfinite(v))
    std::snprintf(buf, sizeof buf, "%*s", width, "-");
  else
    std::snprintf(buf, sizeof buf, fmt, width, v);
  return buf;
}

std::string cell_ci(const Summary& s, double scale, const char* fmt, int width) {
  char buf[64];
  if (!std::isfinite(s.mean)) return cell(NAN, "", width);
  char m[32];
  std::snprintf(m, sizeof m, fmt, s.mean * scale);
  std::snprintf(buf, sizeof buf, "%s±", m);
  std::string out = buf;
  char h[32];
  std::snprintf(h, sizeof h, fmt, (s.ci95_high - s.mean) * scale);
  out += h;
  while (static_cast<int>(out.size()) < width + 1) out = " " + out;  // ± is two bytes
  return out;
}

}  // namespace

std::string yearly_summary_table(const RunResults& r) {
  const auto head = yearly(r, "headcount"), hmean = yearly(r, "hours_mean"), hmed = yearly(r, "hours_median"),
             sup = yearly(r, "share_super"), ste = yearly(r, "share_steady"),
             ade = yearly(r, "share_adequate"), und = yearly(r, "share_under"),
             kn = yearly(r, "badges_knowledge"), sk = yearly(r, "badges_skill"),
             ot = yearly(r, "badges_other"), st = yearly(r, "badges_strategic"),
             stock = yearly(r, "badge_stock_mean"), ti = yearly(r, "ti_mean"),
             pr = yearly(r, "promotion_rate"), cost = yearly(r, "learning_cost");
  std::string out;
  out +=
      "year  headcnt   hours mean  median  super %   steady  adequ  under  knowl  skill  other  strat%  stock"
      "  TI %   promo %    cost $M\n";
  auto years = r.axes.year_labels();
  for (std::size_t y = 0; y < years.size(); ++y) {
    const double badges = kn[y].mean + sk[y].mean + ot[y].mean;
    out += std::to_string(years[y]);
    out += cell(head[y].mean, " %*.0f", 8);
    out += cell_ci(hmean[y], 1, "%.1f", 12);
    out += cell(hmed[y].mean, " %*.1f", 7);
    out += cell_ci(sup[y], 100, "%.1f", 10);
    out += cell(ste[y].mean * 100, " %*.1f", 7);
    out += cell(ade[y].mean * 100, " %*.1f", 6);
    out += cell(und[y].mean * 100, " %*.1f", 6);
    out += cell(kn[y].mean, " %*.0f", 6);
    out += cell(sk[y].mean, " %*.0f", 6);
    out += cell(ot[y].mean, " %*.0f", 6);
    out += cell(badges > 0 ? st[y].mean / badges * 100 : NAN, " %*.1f", 7);
    out += cell(stock[y].mean, " %*.2f", 6);
    out += cell(ti[y].mean, " %*.1f", 6);
    out += cell_ci(pr[y], 100, "%.2f", 10);
    out += cell(cost[y].mean / 1e6, " %*.2f", 10);
    out += '\n';
  }
  const int n = static_cast<int>(r.replicates.size());
  out +=
      "Means over " + std::to_string(n) + " replicate" + (n == 1 ? "" : "s") +
      "; ± is the half-width of the 95% CI of the mean. Hours and shares: people present the whole year.\n";
  return out;
}

}  // namespace wfsim
