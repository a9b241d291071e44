#!/usr/bin/env bash
# Compiles the swift-log and swift-metrics bridges of Documentation/Observability.md, as written,
# and the Redis sketches of Documentation/Uploading.md against TikTokKit's protocols,
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

# The Redis sketches of Documentation/Uploading.md (a custom UploadJournal with its claim, a shared
# RateLimitStore) are declarations, compiled as written against the protocols they implement, with
# a stand-in for "any client": the calls they make, typed, and nothing behind them.
python3 - "$root/Documentation/Uploading.md" "$app/Sources/Bridges" <<'PY'
import re, sys
page, out = sys.argv[1], sys.argv[2]
blocks = [b for b in re.findall(r"```swift\n(.*?)```", open(page).read(), re.S) if re.search(r"^struct Redis\w+: ", b, re.M)]
if len(blocks) < 2:
    sys.exit(f"bridge-check: expected the Redis journal and rate-limit store sketches in {page}, found {len(blocks)}")
with open(f"{out}/RedisSketches.swift", "w") as f:
    f.write("import Foundation\nimport TikTokKit\n\n" + "\n".join(blocks))
PY
cat > "$app/Sources/Bridges/MyRedisClient.swift" <<'SWIFT'
import Foundation

/// The Redis client the sketches assume ("any client"): each call they make, typed.
struct MyRedisClient: Sendable {
    func get(_ key: String) async throws -> Data? { nil }
    func set(_ key: String, to value: Data) async throws {}
    func set(_ key: String, to value: String, onlyIfAbsent: Bool, expiresIn: Duration) async throws -> Bool { true }
    func set(_ key: String, to value: Int64, expiresAt: Date) async throws {}
    func delete(_ key: String) async throws {}
    func deleteIfEquals(_ key: String, _ value: String) async throws {}
    func eval(_ script: String, keys: [String], args: [any Sendable]) async throws -> [Int64] { [1, 0] }
    func zadd(_ key: String, score: Int64, member: String, onlyIfExists: Bool) async throws {}
    func pexpireat(_ key: String, _ milliseconds: Int64, onlyIfGreater: Bool) async throws {}
}

extension Date {
    /// Milliseconds since 1970, as Redis scores and PEXPIREAT take them.
    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
SWIFT

# Only errors count: a snippet's unused `configuration` is the user's to use.
if ! $SWIFT build --package-path "$app" > "$app/build.log" 2>&1; then
  grep -E "error:" "$app/build.log" | sort -u || tail -20 "$app/build.log"
  echo "bridge-check: a snippet of Documentation/Observability.md or Uploading.md does not build"
  exit 1
fi
"$app/.build/debug/Bridges"
echo "bridge-check: the Redis sketches of Uploading.md build against UploadJournal, UploadClaim and RateLimitStore"
