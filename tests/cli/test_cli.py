#!/usr/bin/env python3
"""End-to-end tests of the wfsim program: exit codes, error messages, files, reproducibility.

Usage: test_cli.py WFSIM_BINARY SOURCE_DIR CHECK_RESULTS_SCRIPT
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

WFSIM, SRC, CHECKER = sys.argv[1], sys.argv[2], sys.argv[3]
SMALL = ["--set", "population.headcount=300", "--set", "catalog.size=3000", "--set", "run.months=24",
         "--replicates", "2"]
failures = []


def run(args, cwd=None):
    p = subprocess.run([WFSIM] + args, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def datasets(path):
    """Every dataset's bytes, keyed by path (the data, not the creation attributes)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()].tobytes() if obj.dtype.kind != "O" else repr(obj[()])
        f.visititems(visit)
    return out


with tempfile.TemporaryDirectory() as tmp:
    # Unknown key: file:line:col and the suggestion, exit 2, nothing written.
    bad = os.path.join(tmp, "x.yaml")
    with open(bad, "w") as fh:
        fh.write("name: x\nrun:\n  months: 12\nlearnig: {}\n")
    rc, out, err = run(["validate", bad])
    check(rc == 2, "validate unknown key exits 2")
    check(f"{bad}:4:1: unknown key 'learnig' (did you mean 'learning'?)" in err, "unknown key message: " + err.strip())
    rc, out, err = run(["run", bad, "-o", os.path.join(tmp, "never.h5")])
    check(rc == 2 and not os.path.exists(os.path.join(tmp, "never.h5")), "run on a bad scenario writes nothing")

    # Out of range: key path and range.
    with open(bad, "w") as fh:
        fh.write("learning:\n  target_compliance: 1.5\n")
    rc, out, err = run(["validate", bad])
    check(rc == 2 and "learning.target_compliance" in err and "[0, 1]" in err, "out-of-range names key and range: " + err.strip())

    # Three errors, all reported.
    with open(bad, "w") as fh:
        fh.write("run:\n  months: 0\n  start_month: 2020-13\npromotion:\n  or_skill: 0\n")
    rc, out, err = run(["validate", bad])
    lines = [l for l in err.splitlines() if l.startswith("error:")]
    check(rc == 2 and len(lines) == 3, f"three errors reported at once ({len(lines)}): {err.strip()}")
    check("run.months" in err and "run.start_month" in err and "promotion.or_skill" in err, "each error names its key")

    # --set with a bad key.
    rc, out, err = run(["validate", "--set", "learnig.target_hours=3"])
    check(rc == 2 and "did you mean 'learning'" in err, "--set unknown key: " + err.strip())
    # Bad flags.
    rc, out, err = run(["run", "--no-such-flag"])
    check(rc == 2, "unknown flag exits 2")
    rc, out, err = run(["run", "--threads", "-3"])
    check(rc == 2, "bad flag value exits 2")
    # Help on every subcommand, version with the commit.
    for sub in ["run", "validate", "params", "summary", "rerun"]:
        rc, out, err = run([sub, "--help"])
        check(rc == 0 and "Usage" in out, f"{sub} --help")
    rc, out, err = run(["--version"])
    check(rc == 0 and "commit" in out, "--version names the commit: " + out.strip())
    # validate prints ok and the resolved YAML.
    rc, out, err = run(["validate", os.path.join(SRC, "scenarios", "covid.yaml")])
    check(rc == 0 and out.startswith("ok\n") and "covid_march" in out, "validate covid ok + resolved YAML")
    # params: every key with provenance.
    rc, out, err = run(["params"])
    check(rc == 0 and "promotion.or_super" in out and "S16" in out, "params table")

    # The embedded default works from any directory; results under results/.
    rc, out, err = run(["run"] + SMALL, cwd=tmp)
    check(rc == 0 and os.path.exists(os.path.join(tmp, "results", "baseline.h5")), "run with no scenario from any dir")
    check("hours mean" in out and "promo" in out, "run prints the yearly table")
    # An existing file is not overwritten without --overwrite.
    target = os.path.join(tmp, "results", "baseline.h5")
    before = open(target, "rb").read()
    rc, out, err = run(["run"] + SMALL, cwd=tmp)
    check(rc == 2 and "--overwrite" in err and open(target, "rb").read() == before, "no silent overwrite")

    # Same seed twice: identical data.
    a, b = os.path.join(tmp, "a.h5"), os.path.join(tmp, "b.h5")
    rc1, _, e1 = run(["run", "--panel", "--events", "-o", a, "--threads", "1"] + SMALL)
    rc2, _, e2 = run(["run", "--panel", "--events", "-o", b, "--threads", "2"] + SMALL)
    check(rc1 == 0 and rc2 == 0, "two runs succeed " + e1 + e2)
    da, db = datasets(a), datasets(b)
    check(da.keys() == db.keys() and all(da[k] == db[k] for k in da), "same seed, any threads: identical data")
    # A real outside reader checks the full layout.
    p = subprocess.run([sys.executable, CHECKER, a, "--expect-panel", "--expect-events"], capture_output=True, text=True)
    check(p.returncode == 0, "h5py/xarray check of a real run file: " + p.stdout[-2000:] + p.stderr[-2000:])
    with h5py.File(a, "r") as f:
        for m in ["headcount", "hires", "exits", "hours_mean", "hours_classroom_share", "hours_async_share",
                  "hours_live_share", "enrolments", "completions", "badges_knowledge", "badges_skill", "badges_other",
                  "badges_strategic", "learning_cost", "payroll"]:
            check(m in f["monthly"], f"monthly/{m}")
        for m in ["headcount", "hours_mean", "hours_median", "share_super", "share_steady", "share_adequate",
                  "share_under", "share_meeting_target", "badges_knowledge", "badges_skill", "badges_other",
                  "badges_strategic", "badges_cloud", "badge_stock_mean", "promotion_rate", "ti_mean",
                  "learning_cost", "payroll"]:
            check(m in f["yearly"], f"yearly/{m}")
        check("ti_mean" in f["halfyearly"] and "ti_sd" in f["halfyearly"], "halfyearly ti_mean, ti_sd")
        check(f["monthly/hours_mean"].shape == (2, 24), "monthly shape [replicate, month]")
        py = f["panel/person_year"]
        promoted = py["promoted_next_year"][()]
        check(set(np.unique(promoted)) <= {-1, 0, 1}, "promoted_next_year in {-1,0,1}")
    # Different seed: different data.
    c = os.path.join(tmp, "c.h5")
    run(["run", "-o", c, "--seed", "7"] + SMALL)
    dc = datasets(c)
    check(dc["monthly/hours_mean"] != datasets(b)["monthly/hours_mean"], "another seed gives other data")

    # rerun reproduces the data bit for bit.
    r = os.path.join(tmp, "a.rerun.h5")
    rc, out, err = run(["rerun", a, "-o", r])
    dr = datasets(r)
    check(rc == 0 and dr.keys() == da.keys() and all(dr[k] == da[k] for k in da), "rerun reproduces every dataset")
    # summary of a results file; of a non-results file: exit 2.
    rc, out, err = run(["summary", a])
    check(rc == 0 and "2014" in out, "summary prints the yearly table")
    rc, out, err = run(["summary", bad])
    check(rc == 2 and "error" in err, "summary of a non-results file exits 2: " + err.strip())

    # A catalog of real resources from CSV (catalog.source: csv): runs end to end; a bad row is
    # one clear error with file:line:col, exit 2, nothing written.
    csv_path = os.path.join(tmp, "catalog.csv")
    with open(csv_path, "w") as fh:
        fh.write("id,title,topic,hours,modality,provider,fee_usd,badge,pass_probability\n")
        topics = ["Cloud", "Analytics", "Design Thinking", "AI", "Product"]
        for i in range(200):
            badge = ["none", "knowledge", "skill", "other"][i % 4]
            fh.write(f"r{i},\"Course {i}, part 1\",{topics[i % 5]},{5 + i % 40},{['classroom','async','live'][i % 3]},"
                     f"{'internal' if i % 2 else 'external'},{0 if i % 2 else 150},{badge},0.8\n")
    scen = os.path.join(tmp, "csv.yaml")
    with open(scen, "w") as fh:
        fh.write("name: csv-catalog\ncatalog:\n  source: csv\n  csv_path: catalog.csv\n")
    out_csv = os.path.join(tmp, "csv.h5")
    rc, out, err = run(["run", scen, "-o", out_csv] + SMALL)
    check(rc == 0, "run with a CSV catalog: " + err.strip())
    if rc == 0:
        with h5py.File(out_csv, "r") as f:
            check(f["yearly/badges_knowledge"][()].sum() > 0, "CSV catalog programmes award badges")
    with open(csv_path, "a") as fh:
        fh.write("r999,x,Cloud,abc,async,internal,0,skill,0.8\n")
    rc, out, err = run(["run", scen, "-o", os.path.join(tmp, "csv2.h5")] + SMALL)
    check(rc == 2 and f"{csv_path}:202:4" in err and "hours" in err and not os.path.exists(os.path.join(tmp, "csv2.h5")),
          "bad CSV row: file:line:col, exit 2, nothing written: " + err.strip())

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
