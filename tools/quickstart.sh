#!/usr/bin/env bash
# Quick start: installs what is missing, builds, runs the embedded default scenario (the
# study's tech sellers 2014-2019) and prints its yearly summary; results go to results/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/tools/install-deps.sh"
WFSIM_BUILD_TARGET=wfsim "$root/tools/build.sh"
cd "$root"
"$root/build/wfsim" run -o results/baseline.h5 --overwrite
