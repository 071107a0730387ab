#!/usr/bin/env python3
"""CLI test of `wfsim calibrate` (tests/cli/calibrate.cmake): a tiny calibration with --max-evals 8
exits 0; its overlay loads as a scenario overlay (`wfsim validate` on a scenario extending it);
--resume with the state file replays the evaluations and reproduces the same overlay; SIGINT saves
and exits 1 with resume instructions; a bad targets file exits 2."""
import os
import signal
import subprocess
import sys
import tempfile

wfsim, source = sys.argv[1], sys.argv[2]
data = os.path.join(source, "tests", "calibration", "data")
targets = os.path.join(data, "tiny-targets.yaml")
base = [wfsim, "calibrate", os.path.join(source, "scenarios", "baseline.yaml"), "--targets", targets,
        "--set", "population.headcount=1500", "--replicates", "2", "--threads", "2"]


def run(args, code):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != code:
        sys.exit(f"expected exit {code}, got {p.returncode}: {' '.join(args)}\n{p.stdout}\n{p.stderr}")
    return p


def values(path):
    with open(path) as f:
        return [line.rstrip() for line in f if not line.lstrip().startswith("#")]


with tempfile.TemporaryDirectory() as tmp:
    overlay, state = os.path.join(tmp, "overlay.yaml"), os.path.join(tmp, "state.json")
    p = run(base + ["--max-evals", "8", "-o", overlay, "--state", state], 0)
    assert "ti_per_badge" in p.stdout and "z after" in p.stdout, p.stdout
    assert "Identification check" in p.stdout, p.stdout
    assert p.stderr.count("eval ") >= 8, p.stderr
    text = open(overlay).read()
    assert "calibrated to" in text and "by indirect inference" in text, text
    assert "knowledge_effect_pct:" in text and "intercept:" in text, text
    # The overlay loads as an overlay of a scenario.
    child = os.path.join(tmp, "child.yaml")
    with open(child, "w") as f:
        f.write("extends: overlay.yaml\nname: child\n")
    v = run([wfsim, "validate", child], 0)
    assert v.stdout.startswith("ok"), v.stdout
    # --resume replays the cached evaluations and gives the same result.
    overlay2 = os.path.join(tmp, "overlay2.yaml")
    p2 = run(base + ["--max-evals", "8", "-o", overlay2, "--state", state, "--resume"], 0)
    assert p2.stderr.count("cached from the state file") == 8, p2.stderr
    assert values(overlay) == values(overlay2), (values(overlay), values(overlay2))
    # A state file of another calibration is refused.
    run(base + ["--max-evals", "8", "-o", overlay2, "--state", state, "--resume", "--seed", "7"], 2)
    # SIGINT: finish the evaluation, save, exit 1 with how to resume.
    state3 = os.path.join(tmp, "state3.json")
    proc = subprocess.Popen(base + ["--max-evals", "50", "--state", state3], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = ""
    while not line.startswith("eval "):
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            sys.exit("calibrate ended before the first evaluation")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (proc.returncode, err)
    assert "--resume" in err and os.path.exists(state3), err
    # Bad targets file: exit 2 with file:line:col.
    bad = run([wfsim, "calibrate", "--targets", os.path.join(data, "bad-targets.yaml")], 2)
    assert "bad-targets.yaml:2:3" in bad.stderr, bad.stderr
print("ok")
