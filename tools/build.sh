#!/usr/bin/env bash
# Configures and builds wfsim (Release) in build/ (or $WFSIM_BUILD_DIR). Extra arguments go to
# the configure step; WFSIM_BUILD_TARGET builds one target only (e.g. wfsim).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${WFSIM_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
target=()
if [[ -n "${WFSIM_BUILD_TARGET:-}" ]]; then target=(--target "$WFSIM_BUILD_TARGET"); fi
cmake --build "$build" -j "$(nproc)" "${target[@]}"
