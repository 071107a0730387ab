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
if [[ "${WFSIM_WITH_BROWSER:-0}" == 1 ]]; then
  packages+=(chromium chromium-driver nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
