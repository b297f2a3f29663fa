#!/bin/sh
# Rewrites every expected.txt here from the current side-by-side output. Review with `git diff`
# before committing: a golden file is only as good as the reading it got.
# Usage: tests/data/diff/sidebyside/regenerate.sh [build directory, default build/dev]
set -eu
root=$(cd "$(dirname "$0")/../../../.." && pwd)
build=${1:-$root/build/dev}
ninja -C "$build" test_diff
DRIFTDECK_REGENERATE_GOLDEN=1 DRIFTDECK_SOURCE_DIR="$root" \
    "$build/tests/diff/test_diff" --gtest_filter='Cases/SideBySideGolden.*'
git -C "$root" status --short -- tests/data/diff/sidebyside
