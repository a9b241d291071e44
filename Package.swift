// swift-tools-version: 6.0
import PackageDescription

/// Platforms where libcurl is available as a system library. Elsewhere (iOS, tvOS, watchOS,
/// visionOS) the package builds without `CurlTransport` and defaults to `URLSessionTransport`.
let curlPlatforms: [Platform] = [.linux, .macOS, .android, .openbsd]

/// `TIKTOKKIT_NO_CURL=1` builds everywhere as on iOS: the C module is not declared, so nothing that
/// needs libcurl is compiled (`CurlTransport` is absent) and `URLSessionTransport` is the default
/// transport. CI builds this way on Linux (`make build-no-curl`) to prove the iOS configuration.
let buildsCurl = !["1", "true", "yes"].contains(Context.environment["TIKTOKKIT_NO_CURL"]?.lowercased() ?? "")
let curl: [Target] = buildsCurl ? [
    .systemLibrary(
        name: "CTikTokKitCurl",
        pkgConfig: "libcurl",
        providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
    ),
] : []
let curlDependency: [Target.Dependency] = buildsCurl
    ? [.target(name: "CTikTokKitCurl", condition: .when(platforms: curlPlatforms))] : []

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
    targets: curl + [
        .target(name: "TikTokKit", dependencies: curlDependency),
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
