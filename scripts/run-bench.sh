#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the benchmarks and prints their figures. Benchmarks never pass or fail on time.
# The list benchmarks need a database of 1,000,000 interactions; it is made once in the build
# directory with `assayctl seed --interactions 1000000 --no-conversations` and reused. It takes
# the demo's recordings and scorecards from the build tree (data/demo), as `make run` does.
set -euo pipefail
build=${1:-_build}
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $build = /* ]] || build="$root/$build"
benchdir="$build/bench"
mkdir -p "$benchdir"

# "-demo": databases made before the seed found the demo's recordings are made again
export ASSAY_BENCH_DB="$benchdir/bench-1m-demo.db"
export ASSAY_BIN="$build/src/assay"
export ASSAY_BENCH_EMPTY_WINDOW="$build/tests/bench/bench-empty-window"
export ASSAY_DEMO_DIR="$build/data/demo"
export ASSAY_BENCH_DIR="$benchdir"
# the KPI benchmark's centre (1,000,000 contacts, 200,000 evaluations) is made by bench-kpi once
export ASSAY_BENCH_KPI_DB="$benchdir/bench-kpi-1m.db"
if [[ ! -f $ASSAY_BENCH_DB ]]; then
  echo "Making the 1,000,000-interaction benchmark database (once)…"
  # without the chats' and emails' conversations: they would double the time and triple the size
  # a new file, not --force: seed refuses --force on a database it did not make
  rm -f "$ASSAY_BENCH_DB.tmp" "$ASSAY_BENCH_DB.tmp-wal" "$ASSAY_BENCH_DB.tmp-shm"
  "$build/src/cli/assayctl" --database "$ASSAY_BENCH_DB.tmp" seed --interactions 1000000 \
    --no-conversations
  mv "$ASSAY_BENCH_DB.tmp" "$ASSAY_BENCH_DB"
  rm -f "$ASSAY_BENCH_DB.tmp-wal" "$ASSAY_BENCH_DB.tmp-shm"
fi

xvfb-run -a -s '-screen 0 1280x800x24' \
  meson test -C "$build" --benchmark --no-rebuild --verbose --num-processes 1 2>&1 \
  | grep -vE '^(>>>|―|ninja|\[|Full log|Ok:|Expected Fail|Fail:|Unexpected Pass|Skipped|Timeout|$)' 
