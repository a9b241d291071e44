// swift-tools-version: 6.0
import PackageDescription

/// Platforms where libcurl is available as a system library. Elsewhere (iOS, tvOS, watchOS,
/// visionOS) the package builds without `CurlTransport` and defaults to `URLSessionTransport`.
let curlPlatforms: [Platform] = [.linux, .macOS, .android, .openbsd]

// Only what an app depending on TikTokKit builds: the libraries, the C module (prefixed, since
// target names must be unique across a whole dependency graph) and the emulator's command-line
// tool. The examples, the benchmark and the soak are a package of their own in Examples/,
// the fuzz targets another in Fuzz/; both depend on this one by path.
let package = Package(
    name: "TikTokKit",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9), .visionOS(.v1)],
    products: [
        .library(name: "TikTokKit", targets: ["TikTokKit"]),
        .library(name: "TikTokKitTesting", targets: ["TikTokKitTesting"]),
        .library(name: "TikTokSandbox", targets: ["TikTokSandbox"]),
        .executable(name: "tiktok-sandbox", targets: ["tiktok-sandbox"]),
    ],
    targets: [
        .systemLibrary(
            name: "CTikTokKitCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .target(
            name: "TikTokKit",
            dependencies: [.target(name: "CTikTokKitCurl", condition: .when(platforms: curlPlatforms))]
        ),
        .target(name: "TikTokKitTesting", dependencies: ["TikTokKit"]),
        .target(name: "TikTokSandbox", dependencies: ["TikTokKit"]),
        .executableTarget(name: "tiktok-sandbox", dependencies: ["TikTokSandbox", "TikTokKit"]),
        .testTarget(name: "TikTokKitTests", dependencies: ["TikTokKit", "TikTokKitTesting", "TikTokSandbox"],
                    exclude: ["Upload/Corpus"]),   // read in place through #filePath
        .testTarget(name: "TikTokKitTestingTests", dependencies: ["TikTokKit", "TikTokKitTesting"]),
        .testTarget(name: "TikTokSandboxTests", dependencies: ["TikTokSandbox", "TikTokKit"]),
    ]
)

// Upcoming language features, set once for every Swift target.
// `NonisolatedNonsendingByDefault` is deliberately not enabled: transports hop off the caller's
// actor on purpose, and nothing here relies on running on the caller's executor.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}
