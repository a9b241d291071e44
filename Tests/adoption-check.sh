#!/usr/bin/env bash
# Builds a scratch app that depends on TikTokKit (by path) and declares targets of its own named
# `ExampleSupport` and `CCurl`: SwiftPM refuses a graph in which two packages declare the same
# target name, so this proves TikTokKit's names do not collide with common ones in an app.
set -euo pipefail
SWIFT=${SWIFT:-swift}
root=$(cd "$(dirname "$0")/.." && pwd)
app=$(mktemp -d "${TMPDIR:-/tmp}/tiktokkit-adoption.XXXXXX")
trap 'rm -rf "$app"' EXIT

mkdir -p "$app/Sources/App" "$app/Sources/ExampleSupport" "$app/Sources/CCurl/include" "$app/Tests/AppTests"
cat > "$app/Package.swift" <<MANIFEST
// swift-tools-version: 6.0
import PackageDescription
let package = Package(
    name: "ScratchApp",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "TikTokKit", path: "$root")],
    targets: [
        .target(name: "CCurl"),
        .target(name: "ExampleSupport"),
        .executableTarget(name: "App", dependencies: [
            "CCurl", "ExampleSupport",
            .product(name: "TikTokKit", package: "TikTokKit"),
        ]),
        .testTarget(name: "AppTests", dependencies: [
            "ExampleSupport",
            .product(name: "TikTokKit", package: "TikTokKit"),
            .product(name: "TikTokKitTesting", package: "TikTokKit"),
            .product(name: "TikTokSandbox", package: "TikTokKit"),
        ]),
    ]
)
MANIFEST
cat > "$app/Sources/CCurl/include/ccurl.h" <<'HEADER'
int app_own_ccurl_answer(void);
HEADER
echo 'int app_own_ccurl_answer(void) { return 42; }' > "$app/Sources/CCurl/ccurl.c"
echo 'public enum AppExampleSupport { public static let name = "the app'"'"'s own ExampleSupport" }' \
  > "$app/Sources/ExampleSupport/ExampleSupport.swift"
cat > "$app/Sources/App/main.swift" <<'SWIFT'
import CCurl
import ExampleSupport
import TikTokKit

let client = TikTokClient(accessToken: "not-a-real-token")
_ = client
print("\(AppExampleSupport.name), CCurl answers \(app_own_ccurl_answer()), TikTokKit linked")
SWIFT
cat > "$app/Tests/AppTests/AppTests.swift" <<'SWIFT'
import ExampleSupport
import Testing
import TikTokKit
import TikTokKitTesting
import TikTokSandbox

@Test func theAppsTestsSeeEveryProduct() {
    _ = FakeTransport()
    #expect(AppExampleSupport.name.contains("ExampleSupport"))
}
SWIFT

echo "building a scratch app with its own ExampleSupport and CCurl targets, depending on TikTokKit"
TMPDIR="$app" $SWIFT build --package-path "$app" --build-tests 2>&1 | tail -3
"$app/.build/debug/App"
