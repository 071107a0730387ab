#!/usr/bin/env python3
"""End-to-end test of `wfsim report` (tools/cmd_report.cpp).

Usage: test_report.py WFSIM_BINARY PROJECT_SOURCE_DIR

Writes small runs, a comparison, a sweep and a study replication, reports them, and opens the
pages in headless Chromium (--dump-dom after a virtual time budget; console messages from
--enable-logging=stderr): every chart container holds an <svg>, the page logged no error, the
headline cards equal the /comparison table (read with h5py), and text from the files is
escaped. Screenshots are kept in <build>/test-artifacts/. Standard library + h5py only.
"""
import html.parser
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py

WFSIM = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
ARTIFACTS = os.path.join(os.path.dirname(WFSIM), "test-artifacts")
SMALL = ["--set", "population.headcount=400", "--set", "catalog.size=5000"]
EVIL = "<script>alert(1)</script>"
FAILURES = []


def check(cond, message):
    if not cond:
        FAILURES.append(message)
        print("FAIL:", message, flush=True)


def run(args, expect=0, **kw):
    p = subprocess.run([WFSIM] + args, capture_output=True, text=True, **kw)
    if p.returncode != expect:
        print(p.stdout[-3000:], p.stderr[-3000:], sep="\n")
    check(p.returncode == expect, f"wfsim {' '.join(args)}: exit {p.returncode}, expected {expect}")
    return p


# ---- formatting rules of tools/cmd_report.cpp (difference_text) ----------------------------

PHRASES = {
    "hours_mean": "learning hours per person and year",
    "share_super": "share of super learners (60 h+)",
    "share_meeting_target": "share meeting the learning target",
    "badges_strategic": "badges in strategic topics",
    "badge_stock_mean": "badges held per person",
    "ti_mean": "TI (mean TI%)",
    "promotion_rate": "promotion rate",
    "learning_cost": "learning cost",
    "payroll": "payroll",
}
HEADLINES = list(PHRASES)


def wording(units, mag):
    if units == "fraction":
        return 100.0, " pp"
    if units == "USD":
        if mag >= 1e6:
            return 1e-6, " M USD"
        if mag >= 1e3:
            return 1e-3, " k USD"
        return 1.0, " USD"
    if units == "h/person":
        return 1.0, " h"
    if units == "TI pct":
        return 1.0, " TI pts"
    if units in ("", "badges", "badges/person", "people"):
        return 1.0, ""
    return 1.0, " " + units


def decimals_for(largest):
    if not (largest > 0) or math.isinf(largest):
        return 1
    return min(4, max(0, 2 - math.floor(math.log10(largest))))


def fixed(v, d, plus):
    if math.isnan(v):
        return "n/a"
    s = "%.*f" % (d, v)
    zero = s.strip("-0.") == ""
    if zero and s.startswith("-"):
        s = s[1:]
    if plus and not zero and v > 0:
        s = "+" + s
    return s


def difference_text(outcome, units, mean, lo, hi):
    mag = max([abs(v) for v in (mean, lo, hi) if math.isfinite(v)] or [0.0])
    scale, unit = wording(units, mag)
    d = decimals_for(mag * scale)
    return (f"{fixed(mean * scale, d, True)}{unit} {PHRASES[outcome]} "
            f"({fixed(lo * scale, d, False)} to {fixed(hi * scale, d, False)})")


# ---- the rendered page ---------------------------------------------------------------------

class Dom(html.parser.HTMLParser):
    """Charts (div id chart-N) and whether an <svg>/<canvas> is inside; headline cards; text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, chart id or None, card dict or None, class)
        self.charts = {}
        self.cards = []
        self.html_attrs = {}
        self.scenario_names = []
        self.svg_texts = []
        self.in_svg_text = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        chart = a.get("id") if tag == "div" and re.fullmatch(r"chart-\d+", a.get("id") or "") else None
        if chart:
            self.charts[chart] = False
        if tag in ("svg", "canvas"):
            for t, c, _, _ in self.stack:
                if c:
                    self.charts[c] = True
        card = None
        if tag == "div" and "data-outcome" in a:
            card = {"outcome": a["data-outcome"], "scenario": a["data-scenario"], "values": a["data-values"],
                    "text": ""}
            self.cards.append(card)
        if tag == "text":
            self.in_svg_text += 1
            self.svg_texts.append("")
        if tag not in ("meta", "link", "br", "img", "input", "path", "rect", "line", "circle"):
            self.stack.append((tag, chart, card, a.get("class", "")))

    def handle_endtag(self, tag):
        if tag == "text":
            self.in_svg_text -= 1
        while self.stack:
            t = self.stack.pop()
            if t[0] == tag:
                break

    def handle_data(self, data):
        classes = [c for _, _, _, c in self.stack]
        if any("headline-value" in c.split() for c in classes):
            for _, _, card, _ in reversed(self.stack):
                if card is not None:
                    card["text"] += data
                    break
        if classes and "scenario-name" in classes[-1].split():
            self.scenario_names.append(data)
        if self.in_svg_text:
            self.svg_texts[-1] += data


def chromium():
    for c in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if c and os.path.exists(c):
            return c
    return None


def browser_args(profile):
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
            "--no-first-run", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--virtual-time-budget=15000"]


def render(page, tmp, screenshot=None):
    """Returns (dom text, console lines) of the page after rendering; saves a screenshot."""
    browser = chromium()
    url = "file://" + os.path.abspath(page)
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
    p = subprocess.run([browser] + browser_args(profile) + ["--enable-logging=stderr", "--v=0", "--dump-dom", url],
                       capture_output=True, text=True, timeout=180)
    check(p.returncode == 0, f"chromium --dump-dom {page}: exit {p.returncode}: {p.stderr[-2000:]}")
    console = [l for l in p.stderr.splitlines() if "CONSOLE" in l]
    if screenshot:
        os.makedirs(ARTIFACTS, exist_ok=True)
        profile2 = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
        s = subprocess.run([browser] + browser_args(profile2) +
                           ["--window-size=1280,4200", f"--screenshot={screenshot}", url],
                           capture_output=True, text=True, timeout=180)
        check(s.returncode == 0 and os.path.getsize(screenshot) > 10000, f"screenshot {screenshot} failed")
    return p.stdout, console


def check_rendered(page, tmp, screenshot=None):
    dom_text, console = render(page, tmp, screenshot)
    dom = Dom()
    dom.feed(dom_text)
    check(dom.html_attrs.get("data-render-status") == "done", f"{page}: rendering did not finish")
    check(dom.html_attrs.get("data-errors") == "0", f"{page}: the page recorded errors: {dom.html_attrs}")
    check(len(dom.charts) > 0, f"{page}: no chart containers")
    empty = [c for c, drawn in dom.charts.items() if not drawn]
    check(not empty, f"{page}: charts without svg/canvas: {empty}")
    bad = [l for l in console if re.search(r"Uncaught|ERROR|Error|WARN|wfsim report:", l)]
    check(not bad, f"{page}: console errors or warnings: {bad[:5]}")
    return dom


def read_html(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def check_self_contained(text, page):
    check(not re.search(r"<script[^>]+src=", text, re.I), f"{page}: a script is loaded from outside")
    check(not re.search(r"<link[^>]+rel=\"stylesheet\"", text, re.I), f"{page}: external stylesheet")
    check("vegaEmbed" in text or "vega-embed" in text, f"{page}: vega-embed is not inlined")


def main():
    tmp = tempfile.mkdtemp(prefix="wfsim-report-")
    have_browser = chromium() is not None
    if not have_browser:
        if os.environ.get("WFSIM_ALLOW_NO_BROWSER") == "1":
            print("chromium not found: browser checks skipped (WFSIM_ALLOW_NO_BROWSER=1)")
        else:
            check(False, "chromium not found (/usr/bin/chromium): run WFSIM_WITH_BROWSER=1 tools/install-deps.sh")
    try:
        # ---- comparison of three scenarios ----
        cmp_h5 = os.path.join(tmp, "cmp.h5")
        sc = [os.path.join(ROOT, "scenarios", n) for n in ("baseline.yaml", "think60.yaml", "strategic-investment.yaml")]
        run(["compare"] + sc + SMALL + ["--replicates", "3", "--quiet", "-o", cmp_h5])
        cmp_html = os.path.join(tmp, "cmp.html")
        p = run(["report", cmp_h5, "-o", cmp_html])
        if p.returncode == 1 and "install-deps" in p.stderr:
            check(False, "wfsim was built without the chart libraries: " + p.stderr)
            return
        text = read_html(cmp_html)
        check_self_contained(text, cmp_html)
        with h5py.File(cmp_h5, "r") as f:
            t = f["comparison"]
            rows = {}
            for i in range(len(t["outcome"])):
                if t["period"][i].decode() != "all":
                    continue
                rows[(t["outcome"][i].decode(), t["scenario"][i].decode())] = (
                    float(t["diff_mean"][i]), float(t["diff_ci95_low"][i]), float(t["diff_ci95_high"][i]))
            units = {k: f["runs/baseline/yearly"][k].attrs["units"] for k in HEADLINES}
            units = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in units.items()}
        # Cards are static HTML: check them in the file, then in the rendered DOM.
        static = Dom()
        static.feed(text)
        expected = {(o, s) for o in HEADLINES for s in ("think60", "strategic-investment")}
        check({(c["outcome"], c["scenario"]) for c in static.cards} == expected,
              f"headline cards: {sorted((c['outcome'], c['scenario']) for c in static.cards)}")
        for c in static.cards:
            key = (c["outcome"], c["scenario"])
            if key not in rows:
                continue
            mean, lo, hi = rows[key]
            shown = [float(x) for x in c["values"].split("|")]
            check(shown == [mean, lo, hi], f"card {key}: values {shown} != file {[mean, lo, hi]}")
            want = difference_text(c["outcome"], units[c["outcome"]], mean, lo, hi)
            check(c["text"] == want, f"card {key}: text '{c['text']}' != '{want}'")
        if have_browser:
            dom = check_rendered(cmp_html, tmp, os.path.join(ARTIFACTS, "report-compare.png"))
            check(len(dom.cards) == len(static.cards) and
                  all(a["text"] == b["text"] for a, b in zip(dom.cards, static.cards)),
                  "rendered headline cards differ from the file's")
            check(dom.scenario_names == ["baseline", "think60", "strategic-investment"],
                  f"scenario names in the header: {dom.scenario_names}")

        # ---- separate run files, one with a hostile name: paired and escaped ----
        evil_yaml = os.path.join(tmp, "evil.yaml")
        with open(evil_yaml, "w", encoding="utf-8") as f:
            f.write(f"extends: {os.path.join(ROOT, 'scenarios', 'think60.yaml')}\n"
                    f"name: '{EVIL}'\n"
                    "description: 'closing </script><!-- and \"quotes\" & <b>bold</b>'\n")
        base_h5, evil_h5 = os.path.join(tmp, "base.h5"), os.path.join(tmp, "evil.h5")
        run(["run", os.path.join(ROOT, "scenarios", "baseline.yaml")] + SMALL + ["--replicates", "2", "--quiet", "-o", base_h5])
        run(["run", evil_yaml] + SMALL + ["--replicates", "2", "--quiet", "-o", evil_h5])
        evil_html = os.path.join(tmp, "evil.html")
        run(["report", base_h5, evil_h5, "-o", evil_html])
        text = read_html(evil_html)
        check(EVIL not in text, "the raw scenario name appears unescaped in the HTML")
        check("</script><!--" not in text, "the raw description appears unescaped in the HTML")
        check("&lt;script&gt;alert(1)&lt;/script&gt;" in text, "the escaped scenario name is missing")
        check("paired by replicate" in text, "separate runs with the same seed were not paired")
        check_self_contained(text, evil_html)
        if have_browser:
            dom = check_rendered(evil_html, tmp, os.path.join(ARTIFACTS, "report-escaping.png"))
            check(EVIL in dom.scenario_names, f"the name is not shown literally: {dom.scenario_names}")
            check(any(EVIL in s for s in dom.svg_texts), "the chart legends do not show the name literally")

        # Unpaired: another seed.
        other_h5 = os.path.join(tmp, "other.h5")
        run(["run", os.path.join(ROOT, "scenarios", "think60.yaml")] + SMALL +
            ["--replicates", "2", "--seed", "7", "--quiet", "-o", other_h5])
        unp_html = os.path.join(tmp, "unpaired.html")
        run(["report", base_h5, other_h5, "-o", unp_html])
        check("unpaired" in read_html(unp_html), "runs with different seeds were not reported as unpaired")

        # ---- a single run, a sweep and a study replication ----
        one_html = os.path.join(tmp, "one.html")
        run(["report", base_h5, "-o", one_html])
        sweep_h5 = os.path.join(tmp, "sweep.h5")
        run(["sweep", os.path.join(ROOT, "scenarios", "baseline.yaml"), "--grid", "learning.target_hours=40,60",
             "--replicates", "2", "--quiet", "-o", sweep_h5] + SMALL)
        sweep_html = os.path.join(tmp, "sweep.html")
        run(["report", sweep_h5, "-o", sweep_html])
        check("Key outcomes against learning.target_hours" in read_html(sweep_html), "sweep charts missing")
        study_h5 = os.path.join(tmp, "study.h5")
        p = subprocess.run([WFSIM, "replicate-study", "--replicates", "2", "-o", study_h5] + SMALL,
                           capture_output=True, text=True)
        check(p.returncode == 0, f"replicate-study failed: {p.stderr[-2000:]}")
        study_html = os.path.join(tmp, "study.html")
        if p.returncode == 0:
            run(["report", study_h5, "-o", study_html])
            check("Study vs simulation" in read_html(study_html), "study table missing")
        if have_browser:
            for page in (one_html, sweep_html, unp_html) + ((study_html,) if p.returncode == 0 else ()):
                check_rendered(page, tmp)

        # ---- input errors: exit 2 ----
        run(["report", os.path.join(tmp, "missing.h5"), "-o", os.path.join(tmp, "x.html")], expect=2)
        run(["report", evil_yaml, "-o", os.path.join(tmp, "x.html")], expect=2)
        run(["report", cmp_h5, base_h5, "-o", os.path.join(tmp, "x.html")], expect=2)
        run(["report", base_h5, "-o", one_html], expect=2)  # exists, no --overwrite
        run(["report", base_h5, "-o", one_html, "--overwrite"])
        run(["report", base_h5, "-o", os.path.join(tmp, "no-such-dir", "x.html")], expect=2)
        run(["report", base_h5, "-o", tmp], expect=2)
        run(["report", base_h5, "-o", base_h5, "--overwrite"], expect=2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        sys.exit(1)
    print("report tests passed")


if __name__ == "__main__":
    main()
