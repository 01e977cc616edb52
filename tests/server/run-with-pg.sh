#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one server test (argv) against a throwaway PostgreSQL cluster of its own: starts it,
# exports ASSAY_TEST_PG, runs the test, and stops the cluster however the test ends.
set -u
here=$(dirname "$0")
dir=$(mktemp -d "${TMPDIR:-/tmp}/assay-pg-XXXXXX")
chmod 755 "$dir"
trap '"$here/pg-cluster.sh" stop "$dir/cluster"; rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
url=$("$here/pg-cluster.sh" start "$dir/cluster") || { echo "Bail out! no PostgreSQL cluster"; exit 1; }
ASSAY_TEST_PG=$url "$@"
