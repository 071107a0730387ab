#!/usr/bin/python3
"""Checks that a wfsim results file (format 1.x, results/README.md) is readable by outside clients.

Usage: check_results_file.py FILE.h5 [--expect-panel] [--expect-events]

Opens the file with h5py (root attributes, names, shapes, units/description, coordinates) and
opens EVERY group with xarray.open_dataset(FILE, engine="h5netcdf", group=...), checking dims
and coordinates. Exits 0 if all is well, 1 with a list of problems otherwise.
"""
import argparse
import re
import sys

import h5py
import numpy as np
import xarray as xr

FREQS = {"monthly": "month", "yearly": "year", "halfyearly": "half"}
STATS = ["mean", "sd", "ci95_low", "ci95_high"]
PANEL = {
    "person_half": ["replicate", "person", "half", "role", "band", "tenure_months", "hours", "badges_knowledge",
                    "badges_skill", "badges_other", "badges_strategic", "ti_pct"],
    "person_year": ["replicate", "person", "year", "role", "band", "tenure_months", "hours", "learner_category",
                    "badges_year_knowledge", "badges_year_skill", "badges_year_other", "badges_year_strategic",
                    "badge_stock", "ti_mean", "promoted_next_year"],
}
EVENTS = {
    "badges": ["replicate", "person", "month", "badge_type", "topic", "strategic", "resource"],
    "promotions": ["replicate", "person", "month", "from_band", "to_band"],
    "hires": ["replicate", "person", "month", "role", "band"],
    "exits": ["replicate", "person", "month", "tenure_months"],
}
ROOT_ATTRS = ["filetype", "format_version", "wfsim_version", "git_commit", "created_utc", "command_line",
              "scenario_name", "seed", "replicates", "start_month", "months"]

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def is_vlen_utf8(ds):
    info = h5py.check_string_dtype(ds.dtype)
    return info is not None and info.length is None and info.encoding == "utf-8"


def month_labels(start, months):
    y, m = int(start[:4]), int(start[5:7]) - 1
    out = []
    for i in range(months):
        k = y * 12 + m + i
        out.append("%04d-%02d" % (k // 12, k % 12 + 1))
    return out


def year_labels(start, months):
    s = int(start[:4]) * 12 + int(start[5:7]) - 1
    return list(range(s // 12, (s + months - 1) // 12 + 1))


def half_labels(start, months):
    s = int(start[:4]) * 12 + int(start[5:7]) - 1
    return ["%d-H%d" % (h // 2, h % 2 + 1) for h in range(s // 6, (s + months - 1) // 6 + 1)]


def check_units(ds, where):
    check("units" in ds.attrs, f"{where}: no 'units' attribute")
    check("description" in ds.attrs, f"{where}: no 'description' attribute")
    if "description" in ds.attrs:
        check(text(ds.attrs["description"]) != "", f"{where}: empty description")


def check_series_group(f, path, time_name, time_values, first_dim, first_values):
    g = f[path]
    check(time_name in g, f"{path}: no '{time_name}' coordinate")
    check(first_dim in g, f"{path}: no '{first_dim}' coordinate")
    if time_name in g:
        got = [text(v) if not isinstance(v, (np.integer, int)) else int(v) for v in g[time_name][()]]
        check(got == time_values, f"{path}/{time_name}: {got[:3]}... != expected {time_values[:3]}...")
        if time_name != "year":
            check(is_vlen_utf8(g[time_name]), f"{path}/{time_name}: not variable-length UTF-8")
    if first_dim in g:
        got = [text(v) if first_dim == "stat" else int(v) for v in g[first_dim][()]]
        check(got == first_values, f"{path}/{first_dim}: {got} != {first_values}")
    metrics = [k for k in g if k not in (time_name, first_dim)]
    check(len(metrics) > 0, f"{path}: no metrics")
    for k in metrics:
        ds = g[k]
        check(ds.dtype == np.float64, f"{path}/{k}: dtype {ds.dtype}, expected float64")
        check(ds.shape == (len(first_values), len(time_values)), f"{path}/{k}: shape {ds.shape}")
        check_units(ds, f"{path}/{k}")
        check(len(ds.dims[0]) == 1 and len(ds.dims[1]) == 1, f"{path}/{k}: dimension scales not attached")
    # xarray
    try:
        with xr.open_dataset(FILE, engine="h5netcdf", group=path) as x:
            check(set(x.dims) == {first_dim, time_name}, f"xarray {path}: dims {dict(x.dims)}")
            check(first_dim in x.coords and time_name in x.coords, f"xarray {path}: coords {list(x.coords)}")
            for k in metrics:
                check(x[k].dims == (first_dim, time_name), f"xarray {path}/{k}: dims {x[k].dims}")
                check("units" in x[k].attrs, f"xarray {path}/{k}: units lost")
            if time_name in x.coords:
                got = [int(v) if time_name == "year" else str(v) for v in x[time_name].values]
                check(got == time_values, f"xarray {path}/{time_name}: {got[:3]}...")
    except Exception as e:  # noqa: BLE001 - any failure to open is a problem to report
        problems.append(f"xarray cannot open group {path}: {type(e).__name__}: {e}")
    return metrics


def check_table(f, path, columns, codes):
    if not check(path in f, f"no group {path}"):
        return
    g = f[path]
    for c in columns:
        if not check(c in g, f"{path}: no column '{c}'"):
            continue
        check_units(g[c], f"{path}/{c}")
        check(g[c].ndim == 1, f"{path}/{c}: not 1-D")
        check(g[c].chunks is not None and g[c].compression == "gzip", f"{path}/{c}: not chunked+deflate")
    n = {g[c].shape[0] for c in columns if c in g}
    check(len(n) == 1, f"{path}: columns of different lengths {n}")
    check("row" in g, f"{path}: no 'row' dimension")
    for c, labels in codes.items():
        if c in g and labels is not None:
            check("labels" in g[c].attrs, f"{path}/{c}: no 'labels' attribute")
            if "labels" in g[c].attrs:
                got = [text(v) for v in g[c].attrs["labels"]]
                check(got == labels, f"{path}/{c}: labels {got} != {labels}")
    try:
        with xr.open_dataset(FILE, engine="h5netcdf", group=path) as x:
            check(list(x.dims) == ["row"], f"xarray {path}: dims {dict(x.dims)}")
            for c in columns:
                check(c in x.variables and x[c].dims == ("row",), f"xarray {path}: column {c} missing or wrong dims")
            if n:
                check(x.dims["row"] == n.pop(), f"xarray {path}: row length differs from h5py")
    except Exception as e:  # noqa: BLE001
        problems.append(f"xarray cannot open group {path}: {type(e).__name__}: {e}")


def main():
    global FILE
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--expect-panel", action="store_true", help="fail if /panel is absent")
    ap.add_argument("--expect-events", action="store_true", help="fail if /events is absent")
    a = ap.parse_args()
    FILE = a.file
    with h5py.File(FILE, "r") as f:
        for k in ROOT_ATTRS:
            check(k in f.attrs, f"root: no attribute '{k}'")
        if problems:
            return report()
        check(text(f.attrs["filetype"]) == "wfsim-results", f"root: filetype {f.attrs['filetype']!r}")
        fv = list(f.attrs["format_version"])
        check(len(fv) == 2 and fv[0] == 1, f"root: format_version {fv}, expected [1, x]")
        check(np.issubdtype(f.attrs["format_version"].dtype, np.integer), "root: format_version not integer")
        start = text(f.attrs["start_month"])
        check(re.fullmatch(r"\d{4}-\d{2}", start) is not None, f"root: start_month {start!r}")
        check(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", text(f.attrs["created_utc"])) is not None,
              "root: created_utc not YYYY-MM-DDTHH:MM:SSZ")
        months, reps = int(f.attrs["months"]), int(f.attrs["replicates"])
        check("scenario" in f and is_vlen_utf8(f["scenario"]) and f["scenario"].shape == (),
              "/scenario: not a scalar variable-length UTF-8 string")
        if "scenario" in f:
            check_units(f["scenario"], "/scenario")
        times = {"monthly": month_labels(start, months), "yearly": year_labels(start, months),
                 "halfyearly": half_labels(start, months)}
        for freq, tname in FREQS.items():
            if not check(freq in f, f"no group /{freq}"):
                continue
            metrics = check_series_group(f, freq, tname, times[freq], "replicate", list(range(reps)))
            spath = f"summary/{freq}"
            if check(spath in f, f"no group /{spath}"):
                smetrics = check_series_group(f, spath, tname, times[freq], "stat", STATS)
                check(smetrics == metrics, f"/{spath}: metrics differ from /{freq}")
        roles = [text(v) for v in f.attrs.get("role_names", [])]
        topics = [text(v) for v in f.attrs.get("topic_names", [])]
        if check("panel" in f or not a.expect_panel, "no /panel group"):
            if "panel" in f:
                for t, cols in PANEL.items():
                    check_table(f, f"panel/{t}", cols, {
                        "role": roles or None,
                        "learner_category": ["under", "adequate", "steady", "super"] if t == "person_year" else None})
        if check("events" in f or not a.expect_events, "no /events group"):
            if "events" in f:
                for t, cols in EVENTS.items():
                    check_table(f, f"events/{t}", cols, {"topic": topics or None,
                                                         "badge_type": ["knowledge", "skill", "other"]})
        # No fixed-length strings anywhere (netcdf4 crashes on them).
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "S":
                problems.append(f"/{name}: fixed-length string dataset")
        f.visititems(visit)
    try:  # the root group opens too
        with xr.open_dataset(FILE, engine="h5netcdf") as x:
            check("scenario" in x.variables, "xarray root: no 'scenario' variable")
    except Exception as e:  # noqa: BLE001
        problems.append(f"xarray cannot open the root group: {type(e).__name__}: {e}")
    return report()


def report():
    if problems:
        print(f"{FILE}: {len(problems)} problem(s)")
        for p in problems:
            print("  " + p)
        return 1
    print(f"{FILE}: OK (h5py and xarray)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
