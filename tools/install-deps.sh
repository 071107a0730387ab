#!/usr/bin/env bash
# Installs the Debian 12 packages wfsim needs to build, test and report. Does nothing (and
# needs no network) when they are all present.
set -euo pipefail
packages=(
  build-essential cmake git pkg-config
  libboost-dev libeigen3-dev libyaml-cpp-dev libhdf5-dev hdf5-tools catch2
  librandom123-dev libcli11-dev libnlopt-cxx-dev
  python3 python3-h5py python3-xarray python3-h5netcdf python3-pandas python3-numpy python3-statsmodels
)
# 'wfsim report' embeds chart libraries installed with npm (tools/report/package-lock.json).
# Debian's nodejs and npm only if there is no npm yet (e.g. NodeSource's nodejs brings its own).
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
# The report's browser test (tests/cli/test_report.py) needs headless Chromium.
if [[ "${WFSIM_WITH_BROWSER:-0}" == 1 ]]; then
  packages+=(chromium chromium-driver)
fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Chart libraries of 'wfsim report' (Vega, Vega-Lite, vega-embed; versions pinned in
# tools/report/package-lock.json), embedded into the binary at build time. Nothing to do (and no
# network) when node_modules already matches the lock file.
report_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/report
stamp=$report_dir/node_modules/.wfsim-lock-sha256
lock_sum=$(sha256sum "$report_dir/package-lock.json" | cut -d' ' -f1)
complete=1
for lib in vega vega-lite vega-embed; do
  [[ -f $report_dir/node_modules/$lib/build/$lib.min.js ]] || complete=0
done
if [[ $complete == 1 && -f $stamp && $(cat "$stamp") == "$lock_sum" ]]; then
  exit 0
fi
echo "install-deps: npm ci in $report_dir" >&2
(cd "$report_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
echo "$lock_sum" >"$stamp"
