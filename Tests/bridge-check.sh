#!/usr/bin/env bash
# Compiles the swift-log and swift-metrics bridges of Documentation/Observability.md, as written,
# in a scratch app that depends on TikTokKit (by path), swift-log and swift-metrics: the few lines
# the page tells users to paste must build against the real packages, not only read well.
# (TikTokKit itself depends on neither.) `make docs` runs it.
#
# Every ```swift block of the page that imports Logging or Metrics becomes a function of its own
# file, its imports lifted to the top; `token` is the one name the snippets take from around them.
set -euo pipefail
SWIFT=${SWIFT:-swift}
root=$(cd "$(dirname "$0")/.." && pwd)
app=$(mktemp -d "${TMPDIR:-/tmp}/tiktokkit-bridges.XXXXXX")
trap 'rm -rf "$app"' EXIT
mkdir -p "$app/Sources/Bridges"

cat > "$app/Package.swift" <<MANIFEST
// swift-tools-version: 6.0
import PackageDescription
let package = Package(
    name: "Bridges",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "TikTokKit", path: "$root"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
    ],
    targets: [
        .executableTarget(name: "Bridges", dependencies: [
            .product(name: "TikTokKit", package: "TikTokKit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
    ]
)
MANIFEST

python3 - "$root/Documentation/Observability.md" "$app/Sources/Bridges" <<'PY'
import re, sys
page, out = sys.argv[1], sys.argv[2]
blocks = re.findall(r"```swift\n(.*?)```", open(page).read(), re.S)
bridges = [b for b in blocks if re.search(r"^import (Logging|Metrics)$", b, re.M)]
if len(bridges) < 2:
    sys.exit(f"bridge-check: expected the swift-log and swift-metrics snippets in {page}, found {len(bridges)}")
calls = []
for n, block in enumerate(bridges):
    imports = [l for l in block.splitlines() if l.startswith("import ")]
    body = "\n".join("    " + l for l in block.splitlines() if not l.startswith("import "))
    with open(f"{out}/Bridge{n}.swift", "w") as f:
        f.write("\n".join(imports) + f"\n\n@discardableResult\nfunc bridge{n}(token: String) -> Any? {{\n{body}\n    return nil\n}}\n")
    calls.append(f"_ = bridge{n}(token: \"t\")")
with open(f"{out}/main.swift", "w") as f:
    f.write("\n".join(calls) + f'\nprint("bridge-check: {len(bridges)} snippets of Observability.md build against swift-log and swift-metrics")\n')
PY

# Only errors count: a snippet's unused `configuration` is the user's to use.
if ! $SWIFT build --package-path "$app" > "$app/build.log" 2>&1; then
  grep -E "error:" "$app/build.log" | sort -u || tail -20 "$app/build.log"
  echo "bridge-check: a snippet of Documentation/Observability.md does not build"
  exit 1
fi
"$app/.build/debug/Bridges"
