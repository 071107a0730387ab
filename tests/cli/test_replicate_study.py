#!/usr/bin/env python3
"""End-to-end test of `wfsim replicate-study` on a small scenario.

Usage: test_replicate_study.py WFSIM_BINARY

Checks: exit 0; every quantity id of estimate_study (engine/stats/ESTIMATORS.md) is a row of the
stdout table; the HDF5 file holds /study_replication with every column and one row per quantity,
/study_replication_replicates with replicates x quantities rows, the root attributes and the run
under runs/<scenario>; a second invocation without --overwrite exits 2 and leaves the file
unchanged; with --overwrite it succeeds.
"""
import hashlib
import os
import subprocess
import sys
import tempfile

QUANTITIES = """ti_per_badge ti_5_badges ti_knowledge ti_skill ti_other ti_skill_knowledge_ratio
ti_strategic ti_nonstrategic ti_strategic_nonstrategic_ratio promo_base_rate promo_or_badge
promo_or_knowledge promo_or_skill promo_or_other promo_or_super promo_or_steady hours_mean
hours_median share_super share_steady share_adequate share_under share_think40
badge_share_knowledge badge_share_skill badge_share_other badge_share_strategic
badge_stock_mean_last_year""".split()

COLUMNS = ["quantity", "fact", "description", "study_value", "simulated_mean", "range_low",
           "range_high", "inside"]

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg, file=sys.stderr)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    wfsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s.h5")
        args = [wfsim, "replicate-study", "--replicates", "2",
                "--set", "population.headcount=1500", "--set", "catalog.size=20000", "-o", out]
        p = subprocess.run(args + ["--threads", "2"], capture_output=True, text=True, cwd=tmp)
        print(p.stdout)
        check(p.returncode == 0, f"exit code {p.returncode}, stderr: {p.stderr}")
        if p.returncode != 0:
            return
        lines = p.stdout.splitlines()
        table_ids = [l.split("|")[0].strip() for l in lines if l.count("|") == 5]
        for q in QUANTITIES:
            check(q in table_ids, f"quantity {q} missing from the stdout table")
        check(all(len(l) <= 120 for l in lines), "a stdout line is wider than 120 columns")
        check("percentile" in p.stdout and "2 per-replicate estimates" in p.stdout,
              "footer does not state the replicates and the percentile method")
        check(p.stderr == "", f"unexpected stderr (not a terminal): {p.stderr!r}")

        import h5py
        with h5py.File(out, "r") as f:
            check(f.attrs.get("filetype") in ("wfsim-study-replication", b"wfsim-study-replication"),
                  f"filetype {f.attrs.get('filetype')}")
            for a in ("scenario_name", "seed", "replicates", "percentile_method"):
                check(a in f.attrs, f"root attribute {a} missing")
            check(int(f.attrs.get("replicates", -1)) == 2, "root attribute replicates != 2")
            check("study_replication" in f, "/study_replication missing")
            if "study_replication" in f:
                g = f["study_replication"]
                for c in COLUMNS:
                    check(c in g, f"/study_replication/{c} missing")
                lengths = {c: g[c].shape[0] for c in COLUMNS if c in g}
                check(set(lengths.values()) == {len(QUANTITIES)},
                      f"/study_replication row counts {lengths}, expected {len(QUANTITIES)}")
                if "quantity" in g:
                    ids = [x.decode() if isinstance(x, bytes) else x for x in g["quantity"][()]]
                    check(ids == QUANTITIES, f"/study_replication/quantity = {ids}")
                if "inside" in g:
                    check(set(int(x) for x in g["inside"][()]) <= {-1, 0, 1}, "inside not in {-1,0,1}")
            check("study_replication_replicates" in f, "/study_replication_replicates missing")
            if "study_replication_replicates" in f:
                g = f["study_replication_replicates"]
                for c in ("replicate", "quantity", "estimate"):
                    check(c in g and g[c].shape[0] == 2 * len(QUANTITIES),
                          f"/study_replication_replicates/{c} missing or wrong length")
            name = f.attrs.get("scenario_name")
            name = name.decode() if isinstance(name, bytes) else name
            check(f"runs/{name}" in f, f"run group runs/{name} missing")

        before = digest(out)
        p2 = subprocess.run(args + ["--threads", "2"], capture_output=True, text=True, cwd=tmp)
        check(p2.returncode == 2, f"second run without --overwrite: exit {p2.returncode}, expected 2")
        check("error" in p2.stderr, f"second run: no error message on stderr: {p2.stderr!r}")
        check(digest(out) == before, "second run without --overwrite changed the file")
        check(sorted(os.listdir(tmp)) == ["s.h5"], f"stray files left: {os.listdir(tmp)}")

        p3 = subprocess.run(args + ["--overwrite", "--threads", "1"], capture_output=True, text=True, cwd=tmp)
        check(p3.returncode == 0, f"--overwrite run: exit {p3.returncode}: {p3.stderr}")
        # Thread count must not change the numbers (only the 'Results written' path line is equal too).
        check(p3.stdout == p.stdout, "output differs between --threads 2 and --threads 1")


if __name__ == "__main__":
    main()
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("ok")
