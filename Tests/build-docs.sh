#!/usr/bin/env bash
# Builds the DocC documentation as `make docs` does, with the toolchain's own `docc` (no plugin):
#   1. a debug build of the three libraries that also writes their symbol graphs (a scratch path
#      of its own, so it never invalidates the main build's flags);
#   2. Tests/check-doc-comments.py: every public declaration has a doc comment;
#   3. `docc convert` of Sources/TikTokKit/TikTokKit.docc with warnings as errors;
#   4. Tests/bridge-check.sh: the swift-log and swift-metrics bridges of
#      Documentation/Observability.md build against those packages.
# Output: .build/docs/TikTokKit.doccarchive, a static site: serve the folder (`python3 -m http.server`
# in it) and open /documentation/tiktokkit.
set -euo pipefail
SWIFT=${SWIFT:-swift}
cd "$(dirname "$0")/.."
root=$PWD
out=$root/.build/docs
graphs=$out/symbol-graphs

# The toolchain ships docc beside swift (Linux); Xcode has it behind xcrun.
if [ -z "${DOCC:-}" ]; then
  if command -v docc >/dev/null; then DOCC=docc
  elif command -v xcrun >/dev/null; then DOCC="xcrun docc"
  else DOCC="$(dirname "$(realpath "$(command -v "$SWIFT")")")/docc"
  fi
fi

if ! command -v python3 >/dev/null; then
  echo "make docs needs python3 for Tests/check-doc-comments.py. Install with:"
  echo "  sudo apt-get update && sudo apt-get install -y python3"
  exit 1
fi

# SwiftPM leaves TemporaryDirectory.* folders in TMPDIR; keep them under .build.
mkdir -p "$graphs" "$out/tmp"
export TMPDIR=$out/tmp
symbol_graph_flags=(-Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs")
for target in TikTokSandbox TikTokKitTesting; do   # TikTokSandbox builds TikTokKit too
  $SWIFT build --scratch-path "$out/build" --target "$target" "${symbol_graph_flags[@]}"
done

python3 Tests/check-doc-comments.py "$graphs"

# docc documents one module per archive: give it TikTokKit's graphs only (its own, and its
# extensions of other modules' types, TikTokKit@*.symbols.json).
rm -rf "$out/TikTokKit-graphs" "$out/TikTokKit.doccarchive"
mkdir "$out/TikTokKit-graphs"
cp "$graphs"/TikTokKit.symbols.json "$graphs"/TikTokKit@*.symbols.json "$out/TikTokKit-graphs/"
$DOCC convert Sources/TikTokKit/TikTokKit.docc \
  --additional-symbol-graph-dir "$out/TikTokKit-graphs" \
  --fallback-display-name TikTokKit \
  --fallback-bundle-identifier TikTokKit \
  --output-path "$out/TikTokKit.doccarchive" \
  --warnings-as-errors
echo "docs: $out/TikTokKit.doccarchive"

SWIFT=$SWIFT Tests/bridge-check.sh
