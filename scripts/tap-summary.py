#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts TAP test cases in meson's JSON test logs and prints 'N passed, N failed'.

A test program that fails without reporting a failing case (a crash, a timeout) counts as one
failed case, so nothing fails silently."""
import json
import re
import sys

OK = re.compile(r'^ok \d+')
NOT_OK = re.compile(r'^not ok \d+')
SKIP = re.compile(r'#\s*SKIP', re.IGNORECASE)

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding='utf-8').read().splitlines()
    except OSError as e:
        print(f'cannot read {path}: {e}', file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        entry = json.loads(line)
        out = entry.get('stdout') or ''
        p = f = s = 0
        for tap in out.splitlines():
            tap = tap.strip()
            if NOT_OK.match(tap):
                f += 1
            elif OK.match(tap):
                if SKIP.search(tap):
                    s += 1
                else:
                    p += 1
        if entry.get('result') not in ('OK', 'EXPECTEDFAIL', 'SKIP') and f == 0:
            f += 1
            print(f"{entry.get('name')}: {entry.get('result')} without a failing case",
                  file=sys.stderr)
        passed += p
        failed += f
        skipped += s

line = f'{passed} passed, {failed} failed'
if skipped:
    line += f', {skipped} skipped'
print(line)
sys.exit(1 if failed else 0)
