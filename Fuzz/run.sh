#!/usr/bin/env bash
# Builds the fuzzer and runs every target for RUNS executions (default 1,000,000).
# Corpora and crash files go to .fuzz/<target>/. Exit status is non-zero if any target crashed.
set -euo pipefail
cd "$(dirname "$0")"
RUNS="${RUNS:-1000000}"
swift build -c release -Xswiftc -sanitize=fuzzer --scratch-path .build-fuzz >/dev/null
BIN=".build-fuzz/release/tiktokkit-fuzz"
status=0
for target in envelope status oauth webhook content-range media-probe signature; do
  mkdir -p ".fuzz/$target/corpus" ".fuzz/$target/crashes"
  if [ -d "seeds/$target" ]; then cp -n seeds/$target/* ".fuzz/$target/corpus/" 2>/dev/null || true; fi
  max_len=4096; [ "$target" = media-probe ] && max_len=16384   # real video seeds are a few KB
  if FUZZ_TARGET="$target" "$BIN" -runs="$RUNS" -max_len="$max_len" -artifact_prefix=".fuzz/$target/crashes/" \
       ".fuzz/$target/corpus" > ".fuzz/$target/log" 2>&1; then
    echo "$target: $(grep -E '^Done' ".fuzz/$target/log" | tail -1)"
  else
    echo "$target: CRASH — see .fuzz/$target/log and .fuzz/$target/crashes/"; status=1
  fi
done
exit $status
