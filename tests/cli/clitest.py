"""Helpers shared by the command-line tests: run wfsim, record failed checks."""
import subprocess

failures = []


def check(cond, what):
    """Records a failed expectation (the test goes on, and fails at the end)."""
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def run_wfsim(binary, *args, expect=0):
    """Runs wfsim; stops the test with its output if the exit code is not `expect`."""
    p = subprocess.run([binary, *args], capture_output=True, text=True)
    if p.returncode != expect:
        print("command:", " ".join(args), "\nstdout:", p.stdout[-3000:], "\nstderr:", p.stderr[-3000:])
        raise SystemExit(f"expected exit {expect}, got {p.returncode}")
    return p


def finish():
    """The exit code of a test: 1 if any check failed."""
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0
