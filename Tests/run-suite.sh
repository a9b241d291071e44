#!/usr/bin/env bash
# Builds the package and runs its whole test suite, as `make test` does:
#   - every temporary file goes to a private directory that is removed afterwards, and the run
#     fails if a test left anything behind in it (SwiftPM's own lock files and
#     TemporaryDirectory.* folders, which it leaks, are not counted);
#   - the last line is a summary: "N passed, N failed in S s (after a build of B s)".
set -uo pipefail
SWIFT=${SWIFT:-swift}
cd "$(dirname "$0")/.."

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tiktokkit-suite.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/build" "$scratch/tmp"
log="$scratch/output.log"

build_start=$(date +%s)
# The example programs and tools are built too: the suite runs them as a user would.
if ! TMPDIR="$scratch/build" $SWIFT build --build-tests; then
  echo "build failed"
  exit 1
fi
test_start=$(date +%s)

# LIBDISPATCH_COOPERATIVE_POOL_STRICT=1 asks libdispatch for a minimal cooperative pool (Swift 6.3
# on Linux does not shrink it; BlockingCallLintTests and CooperativePoolTests check directly).
TMPDIR="$scratch/tmp" LIBDISPATCH_COOPERATIVE_POOL_STRICT=1 $SWIFT test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
end=$(date +%s)

passed=$(grep -cE '^✔ Test .+ passed after' "$log")
failed=$(grep -E '^✘ Test .+ failed after' "$log" | grep -vc '^✘ Test run with')
skipped=$(grep -cE '^➜ Test .+ skipped' "$log")
passed=$((passed - $(grep -cE '^✔ Test run with' "$log")))

left=$(cd "$scratch/tmp" && ls -A | grep -vE '^TemporaryDirectory\.[A-Za-z0-9]{6}$|\.lock$')
if [ -n "$left" ]; then
  echo "tests left these in the temporary directory (remove them in a defer):"
  echo "$left" | sed 's/^/  /'
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && [ -z "$left" ]; then
  echo "the test process exited with status $status (crashed?)"
fi
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary in $((end - test_start)) s (after a build of $((test_start - build_start)) s)"
exit "$status"
