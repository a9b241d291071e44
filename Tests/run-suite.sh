#!/usr/bin/env bash
# Builds and runs the whole test suite, as `make test` does: the SDK's package (the root), then the
# examples package (Examples/, which runs every example program, the benchmark's reduced mode
# and a short soak as a user would).
#   - Every temporary file goes to a private directory that is removed afterwards, and the run
#     fails if a test left anything behind in it (SwiftPM's own lock files and
#     TemporaryDirectory.* folders, which it leaks, are not counted).
#   - The build must have no warnings.
#   - The last line is a summary: "N passed, N failed in S s (after a build of B s)".
# Arguments are passed to both `swift test` runs (e.g. --filter).
set -uo pipefail
SWIFT=${SWIFT:-swift}
cd "$(dirname "$0")/.."

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tiktokkit-suite.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/build" "$scratch/tmp"
log="$scratch/output.log"
: > "$log"

# Zero warnings, Swift 6 mode: a warning in what this build compiled fails the run. (An incremental
# build shows only the files it recompiled; CI's fresh clone compiles, and so checks, everything.)
build_start=$(date +%s)
for package in . Examples; do
  TMPDIR="$scratch/build" $SWIFT build --package-path "$package" --build-tests 2>&1 | tee "$scratch/build.log"
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "build failed in $package"
    exit 1
  fi
  if grep -E 'warning: ' "$scratch/build.log" | grep -v '^\s*[|`]' | sort -u | grep . ; then
    echo "the build of $package has warnings (above); the package builds with none"
    exit 1
  fi
done
test_start=$(date +%s)

# LIBDISPATCH_COOPERATIVE_POOL_STRICT=1 asks libdispatch for a minimal cooperative pool (Swift 6.3
# on Linux does not shrink it; BlockingCallLintTests and CooperativePoolTests check directly).
status=0
for package in . Examples; do
  TMPDIR="$scratch/tmp" LIBDISPATCH_COOPERATIVE_POOL_STRICT=1 \
    $SWIFT test --package-path "$package" --skip-build "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -ne 0 ] && status=1
done
end=$(date +%s)

passed=$(grep -cE '^✔ Test .+ passed after' "$log")
passed=$((passed - $(grep -cE '^✔ Test run with' "$log")))
failed=$(grep -E '^✘ Test .+ failed after' "$log" | grep -vc '^✘ Test run with')
skipped=$(grep -cE '^➜ Test .+ skipped' "$log")

left=$(cd "$scratch/tmp" && ls -A | grep -vE '^TemporaryDirectory\.[A-Za-z0-9]{6}$|\.lock$')
if [ -n "$left" ]; then
  echo "tests left these in the temporary directory (remove them in a defer):"
  echo "$left" | sed 's/^/  /'
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && [ -z "$left" ]; then
  echo "a test process exited with an error (crashed?); see above"
fi
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary in $((end - test_start)) s (after a build of $((test_start - build_start)) s)"
exit "$status"
