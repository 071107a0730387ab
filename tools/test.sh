#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole ctest suite; exits non-zero on any
# failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The browser test of wfsim report (tests/cli/test_report.py) needs Chromium.
export WFSIM_WITH_BROWSER=1
"$root/tools/install-deps.sh"
"$root/tools/build.sh"
cd "$root/build"
ctest --output-on-failure -j "$(nproc)" "$@"
