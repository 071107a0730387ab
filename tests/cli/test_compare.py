"""End-to-end tests of `wfsim compare` (tools/EXPERIMENTS.md).

Usage: test_compare.py WFSIM_BINARY SOURCE_DIR
"""
import csv
import io
import json
import math
import os
import subprocess
import sys
import tempfile

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, finish, run_wfsim  # noqa: E402
import numpy as np

WFSIM = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
SCEN = os.path.join(SRC, "scenarios")
SMALL = ["--set", "population.headcount=400", "--set", "catalog.size=5000", "--set", "run.months=24"]
COLUMNS = ["outcome", "period", "scenario", "mean", "sd", "ci95_low", "ci95_high",
           "diff_mean", "diff_ci95_low", "diff_ci95_high"]
OUTCOMES = ["hours_mean", "share_super", "share_steady", "share_adequate", "share_under",
            "share_meeting_target", "badges_knowledge", "badges_skill", "badges_other",
            "badges_strategic", "badge_stock_mean", "ti_mean", "promotion_rate", "headcount",
            "learning_cost", "payroll"]


def wfsim(*args, expect=0):
    return run_wfsim(WFSIM, *args, expect=expect)


def all_period(yearly):  # [R, Y] -> mean over years per replicate (hours_mean is a mean outcome)
    return np.asarray(yearly).mean(axis=1)


def main():
    base = os.path.join(SCEN, "baseline.yaml")
    think = os.path.join(SCEN, "think60.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cmp.h5")
        # CSV, with the -o file.
        p = wfsim("compare", base, think, "--replicates", "20", *SMALL, "--format", "csv", "-o", out, "--quiet")
        rows = list(csv.DictReader(io.StringIO(p.stdout)))
        check(list(rows[0].keys()) == COLUMNS, f"CSV columns {list(rows[0].keys())}")
        check(len(rows) == len(OUTCOMES) * 3 * 2, f"CSV has {len(rows)} rows")
        check({r["outcome"] for r in rows} == set(OUTCOMES), "CSV outcomes")
        check({r["period"] for r in rows} == {"2014", "2015", "all"}, "CSV periods")
        check({r["scenario"] for r in rows} == {"baseline", "think60"}, "CSV scenarios")
        for r in rows:
            if r["scenario"] == "baseline":
                check(r["diff_mean"] == "" and r["diff_ci95_low"] == "", "first scenario has empty diffs")
            else:
                check(r["diff_mean"] != "", "later scenario has a diff")
                float(r["diff_mean"])
        by = {(r["outcome"], r["period"], r["scenario"]): r for r in rows}

        # The -o file: runs/* and /comparison with the CSV columns.
        with h5py.File(out, "r") as f:
            check(f.attrs["filetype"] == "wfsim-comparison", "comparison filetype")
            check(sorted(f["runs"].keys()) == ["baseline", "think60"], f"runs: {list(f['runs'].keys())}")
            check(f["runs/baseline/yearly/hours_mean"].shape == (20, 2), "run yearly shape")
            for c in COLUMNS:
                check(c in f["comparison"], f"/comparison/{c}")
            check(f["comparison/mean"].shape[0] == len(rows), "/comparison rows")
            b_yearly = f["runs/baseline/yearly/hours_mean"][:, :]
            t_yearly = f["runs/think60/yearly/hours_mean"][:, :]
        # The CSV agrees with the stored runs.
        check(math.isclose(float(by[("hours_mean", "all", "baseline")]["mean"]), all_period(b_yearly).mean(),
                           rel_tol=1e-12), "hours_mean all = mean over years")
        d = all_period(t_yearly) - all_period(b_yearly)
        check(math.isclose(float(by[("hours_mean", "all", "think60")]["diff_mean"]), d.mean(), rel_tol=1e-9,
                           abs_tol=1e-12), "paired diff mean")

        # Paired vs unpaired: think60 alone with another seed, unpaired Welch CI from both files.
        other = os.path.join(tmp, "think60-other-seed.h5")
        wfsim("run", think, "--replicates", "20", "--seed", "777", *SMALL, "-o", other, "--quiet")
        with h5py.File(other, "r") as f:
            t_other = all_period(f["yearly/hours_mean"][:, :])
        b_all = all_period(b_yearly)
        n = len(b_all)
        unpaired_half = 2.02 * math.sqrt(b_all.var(ddof=1) / n + t_other.var(ddof=1) / n)  # t(0.975, ~38 df)
        r = by[("hours_mean", "all", "think60")]
        paired_half = (float(r["diff_ci95_high"]) - float(r["diff_ci95_low"])) / 2
        print(f"hours_mean all: paired half-width {paired_half:.4g}, unpaired {unpaired_half:.4g}")
        check(paired_half < 0.5 * unpaired_half, f"paired {paired_half} not < 0.5 x unpaired {unpaired_half}")

        # JSON: one object per (outcome, period, scenario), same numbers as the CSV.
        p = wfsim("compare", base, think, "--replicates", "20", *SMALL, "--format", "json", "--quiet")
        objs = json.loads(p.stdout)
        check(len(objs) == len(rows), "JSON rows")
        check(all(list(o.keys()) == COLUMNS for o in objs), "JSON keys")
        for o in objs:
            ref = by[(o["outcome"], o["period"], o["scenario"])]
            if o["mean"] is not None:
                check(math.isclose(o["mean"], float(ref["mean"]), rel_tol=1e-15), "JSON mean = CSV mean")
            if o["scenario"] == "baseline":
                check(o["diff_mean"] is None, "JSON first scenario diff is null")

        # Table: fits 120 columns, has the footer.
        p = wfsim("compare", base, think, "--replicates", "20", *SMALL, "--quiet")
        check(max(len(line) for line in p.stdout.splitlines()) <= 120, "table fits 120 columns")
        check("paired" in p.stdout and "unpaired" in p.stdout and "ratio" in p.stdout, "table footer")
        check("hours_mean" in p.stdout and "payroll" in p.stdout, "table blocks")

        # Results files as inputs: the same seed gives the same paired numbers as running the YAMLs.
        fb, ft = os.path.join(tmp, "b.h5"), os.path.join(tmp, "t.h5")
        wfsim("run", base, "--replicates", "20", *SMALL, "-o", fb, "--quiet")
        wfsim("run", think, "--replicates", "20", *SMALL, "-o", ft, "--quiet")
        p = wfsim("compare", fb, ft, "--format", "csv", "--quiet")
        check(p.stdout == "\n".join(",".join(r[c] for c in COLUMNS) for r in [dict(zip(COLUMNS, COLUMNS))] + rows)
              + "\n", "results-file compare equals scenario compare")
        # Mixed: the file sets seed and replicates of the scenario.
        p = wfsim("compare", fb, think, *SMALL, "--format", "csv", "--quiet")
        check(p.stdout.splitlines()[1:] == [",".join(r[c] for c in COLUMNS) for r in rows],
              "mixed file + scenario compare")

        # Same name twice: suffixed, differences exactly 0.
        p = wfsim("compare", base, base, "--replicates", "3", *SMALL, "--format", "csv", "--quiet")
        rr = list(csv.DictReader(io.StringIO(p.stdout)))
        check({r["scenario"] for r in rr} == {"baseline", "baseline-2"}, "unique names")
        check(all(float(r["diff_mean"]) == 0 for r in rr if r["scenario"] == "baseline-2"), "self-diff is 0")

        # Bad input: exit 2, nothing written.
        bad = os.path.join(tmp, "bad.h5")
        p = wfsim("compare", fb, "-o", bad, expect=2)
        check("at least two" in p.stderr, "one input: message")
        p = wfsim("compare", fb, other, "-o", bad, expect=2)
        check("seed" in p.stderr and "--seed" in p.stderr, f"seed mismatch message: {p.stderr}")
        p = wfsim("compare", base, think, *SMALL, "--set", "learning.nokey=1", "-o", bad, expect=2)
        check(not os.path.exists(bad), "nothing written on bad input")
        p = wfsim("compare", base, think, "--replicates", "2", *SMALL, "-o", out, expect=2)  # exists
        check(not any(n.startswith(".") for n in os.listdir(tmp)), "no temporary files left")

    return finish()


if __name__ == "__main__":
    sys.exit(main())
