#!/usr/bin/env bash
# Builds a scratch app that depends on TikTokKit (by path), declares targets of its own named
# `ExampleSupport` and `CCurl` (SwiftPM refuses a graph in which two packages declare the same
# target name), and uses, unqualified next to `import TikTokKit`, the type names CryptoKit, NIO,
# SotoCore, swift-http-types and OpenAPIRuntime declare (Swift refuses an ambiguous name): so this
# proves TikTokKit's target and type names do not collide with common ones in an app.
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
# Stand-ins for the names CryptoKit/swift-crypto, NIO, SotoCore, swift-http-types and
# OpenAPIRuntime declare: an app that imports one of them next to TikTokKit uses them unqualified,
# which compiles only if TikTokKit declares none of them publicly.
cat > "$app/Sources/ExampleSupport/OtherLibraries.swift" <<'SWIFT'
public struct SHA256 { public init() {} }
public struct HMAC { public init() {} }
public struct HTTPHeaders { public init() {} }
public enum HTTPMethod { case GET }
public struct HTTPRequest { public init() {} }
public struct HTTPResponse { public init() {} }
public final class HTTPBody { public init() {} }
public struct HTTPFields { public init() {} }
public struct FileRegion { public init() {} }
public struct RetryPolicy { public init() {} }
public struct ByteBuffer { public init() {} }
SWIFT
cat > "$app/Sources/App/main.swift" <<'SWIFT'
import CCurl
import ExampleSupport
import TikTokKit

let client = TikTokClient(accessToken: "not-a-real-token")
_ = client
// Each name resolves to the app's own type, not to one of TikTokKit's.
_ = (SHA256(), HMAC(), HTTPHeaders(), HTTPMethod.GET, HTTPRequest(), HTTPResponse(), HTTPBody(), HTTPFields(),
     FileRegion(), RetryPolicy(), ByteBuffer())
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

// What TikTokKitTesting offers an app's tests, without `@_spi` (the hooks under it stay SPI).
@Test func anAppsTestsCanPutUploadsOnAVirtualClock() {
    let clock = VirtualClock()
    let client = TikTokClient(accessToken: "t", transport: FakeTransport(),
                              configuration: .init(rateLimiter: RateLimiter(clock: clock)))
    _ = (client, UploadOptions().onVirtualClock(clock), UploadOptions().sleeping { _ in }.clock { clock.now })
}
SWIFT

echo "building a scratch app with its own ExampleSupport and CCurl targets and the common names of CryptoKit, NIO, Soto and OpenAPIRuntime, depending on TikTokKit"
TMPDIR="$app" $SWIFT build --package-path "$app" --build-tests 2>&1 | tail -3
"$app/.build/debug/App"
