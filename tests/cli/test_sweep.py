"""End-to-end tests of `wfsim sweep` (tools/EXPERIMENTS.md).

Usage: test_sweep.py WFSIM_BINARY SOURCE_DIR
"""
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
BASE = os.path.join(SRC, "scenarios", "baseline.yaml")
SMALL = ["--set", "population.headcount=400", "--set", "catalog.size=5000", "--set", "run.months=24",
         "--replicates", "3"]
OUTPUTS = ["hours_mean", "share_meeting_target", "badge_stock_mean", "ti_mean", "promotion_rate",
           "learning_cost", "payroll"]


def wfsim(*args, expect=0):
    return run_wfsim(WFSIM, *args, expect=expect)


def same_run(f, group, g, where):
    """Every series dataset of run `group` of h5py file f equals the single-run file g, bit for bit."""
    for freq in ("yearly", "monthly", "halfyearly"):
        names = sorted(g[freq].keys())
        check(sorted(f[group][freq].keys()) == names, f"{where}: {freq} datasets")
        for n in names:
            a, b = f[f"{group}/{freq}/{n}"][()], g[f"{freq}/{n}"][()]
            if a.dtype.kind == "f":
                check(a.shape == b.shape and a.tobytes() == b.tobytes(), f"{where}: {freq}/{n} differs")
            else:
                check(np.array_equal(a, b), f"{where}: {freq}/{n} differs")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        # Grid sweep; a variant equals a plain run with the same overrides and seed.
        out = os.path.join(tmp, "grid.h5")
        grid = ["--grid", "learning.target_hours=40,60", "--grid", "learning.target_compliance=0.5,0.9"]
        p = wfsim("sweep", BASE, *SMALL, *grid, "-o", out)
        check(p.stderr.count("variant ") >= 4 and "done in" in p.stderr, "progress lines")
        check("v0003" in p.stdout, "summary table")
        with h5py.File(out, "r") as f:
            check(f.attrs["filetype"] == "wfsim-sweep", "sweep filetype")
            check(sorted(f["variants"].keys()) == ["v0000", "v0001", "v0002", "v0003"], "variant groups")
            t = f["sweep"]
            for c in ["variant", "learning.target_hours", "learning.target_compliance", *OUTPUTS]:
                check(c in t, f"/sweep/{c}")
            check(list(t["learning.target_hours"][:]) == [40, 40, 60, 60], "full factorial, first key slowest")
            check(list(t["learning.target_compliance"][:]) == [0.5, 0.9, 0.5, 0.9], "second key fastest")
            check([v.decode() if isinstance(v, bytes) else v for v in t["variant"][:]] ==
                  ["v0000", "v0001", "v0002", "v0003"], "variant ids")
            check(all(np.isfinite(t["hours_mean"][:])), "outputs finite")
            plain = os.path.join(tmp, "plain.h5")
            wfsim("run", BASE, *SMALL, "--set", "learning.target_hours=60", "--set",
                  "learning.target_compliance=0.5", "-o", plain, "--quiet")
            with h5py.File(plain, "r") as g:
                same_run(f, "variants/v0002", g, "v0002 vs plain run")
                hm = g["yearly/hours_mean"][:, :].mean(axis=1).mean()
                check(abs(t["hours_mean"][2] - hm) < 1e-9 * abs(hm), "/sweep hours_mean = all-period mean")
        check(not os.path.exists(out + ".partial"), "checkpoint removed after success")

        # Resume: stop after one variant (test-only flag), then --resume; equals the uninterrupted sweep.
        res = os.path.join(tmp, "resumed.h5")
        part = res + ".partial"
        p = wfsim("sweep", BASE, *SMALL, *grid, "-o", res, "--stop-after", "1", expect=1)
        check(os.path.isdir(part) and os.path.exists(os.path.join(part, "v0000.h5")), "checkpoint after stop")
        check(not os.path.exists(os.path.join(part, "v0001.h5")), "only one variant ran")
        check(not os.path.exists(res), "no output after stop")
        p = wfsim("sweep", BASE, *SMALL, *grid, "-o", res, expect=2)
        check("--resume" in p.stderr, "existing checkpoint without --resume: message")
        p = wfsim("sweep", BASE, *SMALL, "--grid", "learning.target_hours=40,50", "-o", res, "--resume", expect=2)
        check("different sweep" in p.stderr, "resume with another definition: message")
        p = wfsim("sweep", BASE, *SMALL, *grid, "-o", res, "--stop-after", "1", "--resume", expect=1)
        check(os.path.exists(os.path.join(part, "v0001.h5")), "second partial run adds one variant")
        p = wfsim("sweep", BASE, *SMALL, *grid, "-o", res, "--resume")
        check(p.stderr.count("reused from checkpoint") == 2, "two variants reused")
        check(not os.path.exists(part), "checkpoint removed after resume")
        with h5py.File(out, "r") as f, h5py.File(res, "r") as g:
            for v in f["variants"].keys():
                same_run(g, f"variants/{v}", f[f"variants/{v}"], f"resumed {v}")
            for c in f["sweep"].keys():
                if c != "row":
                    check(np.array_equal(f["sweep"][c][()], g["sweep"][c][()]), f"resumed /sweep/{c}")

        # Latin hypercube: deterministic from the seed, one sample per stratum, integers rounded.
        lhs = ["--lhs", "learning.target_hours=30:70", "--lhs", "population.headcount=300:500", "--samples", "4"]
        a, b = os.path.join(tmp, "lhs1.h5"), os.path.join(tmp, "lhs2.h5")
        wfsim("sweep", BASE, *SMALL, *lhs, "-o", a, "--quiet")
        wfsim("sweep", BASE, *SMALL, *lhs, "-o", b, "--quiet")
        with h5py.File(a, "r") as f, h5py.File(b, "r") as g:
            th = f["sweep/learning.target_hours"][:]
            hc = f["sweep/population.headcount"][:]
            check(np.array_equal(th, g["sweep/learning.target_hours"][:]), "LHS deterministic")
            check(sorted(int((x - 30) // 10) for x in th) == [0, 1, 2, 3], f"LHS strata of target_hours: {th}")
            check(sorted(int((x - 300) // 50) for x in hc) == [0, 1, 2, 3], f"LHS strata of headcount: {hc}")
            check(all(float(x).is_integer() for x in hc), "integer key rounded")
            check(f["variants/v0000/yearly/headcount"][0, 0] == hc[0], "override applied")

        # Bad input: exit 2, the argument named, nothing written.
        bad = os.path.join(tmp, "bad.h5")
        p = wfsim("sweep", BASE, *SMALL, "--grid", "learning.nokey=1,2", "-o", bad, expect=2)
        check("--grid learning.nokey=1,2" in p.stderr, f"bad key names the argument: {p.stderr}")
        p = wfsim("sweep", BASE, *SMALL, "--grid", "learning.target_hours=40,-5", "-o", bad, expect=2)
        check("--grid learning.target_hours=40,-5" in p.stderr and "-5" in p.stderr, "bad value")
        p = wfsim("sweep", BASE, *SMALL, "--lhs", "learning.target_hours=70:30", "--samples", "3", "-o", bad,
                  expect=2)
        p = wfsim("sweep", BASE, *SMALL, "--lhs", "learning.target_hours=30:70", "-o", bad, expect=2)
        check("--samples" in p.stderr, "lhs without --samples")
        p = wfsim("sweep", BASE, *SMALL, "-o", bad, expect=2)
        p = wfsim("sweep", BASE, *SMALL, *grid, "-o", out, expect=2)  # exists, no --overwrite
        check(not os.path.exists(bad) and not os.path.exists(bad + ".partial"), "nothing written")
        check(not os.path.exists(out + ".partial"), "no checkpoint when the output exists")

    return finish()


if __name__ == "__main__":
    sys.exit(main())
