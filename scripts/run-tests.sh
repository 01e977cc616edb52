#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds and runs every test headless, then the non-UI tests again in an ASan+UBSan build,
# and ends with one line counting test cases (TAP subtests): "N passed, N failed".
set -uo pipefail
build=${1:-_build}
asan=${2:-_build-asan}
status=0

ninja -C "$build" || exit 1
xvfb-run -a -s '-screen 0 1280x800x24' \
  meson test -C "$build" --no-rebuild --print-errorlogs --no-suite bench --timeout-multiplier 2 || status=1

if [[ ! -f $asan/build.ninja ]]; then
  meson setup "$asan" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dui_tests=false -Dbuildtype=debug || exit 1
fi
ninja -C "$asan" || exit 1
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C "$asan" --no-rebuild --print-errorlogs --no-suite bench --no-suite slow \
    --timeout-multiplier 3 || status=1

python3 "$(dirname "$0")/tap-summary.py" "$build/meson-logs/testlog.json" \
  "$asan/meson-logs/testlog.json" || status=1
exit $status
