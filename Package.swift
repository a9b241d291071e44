// swift-tools-version: 6.0
import PackageDescription

/// Platforms where libcurl is available as a system library. Elsewhere (iOS, tvOS, watchOS,
/// visionOS) the package builds without `CurlTransport` and defaults to `URLSessionTransport`.
let curlPlatforms: [Platform] = [.linux, .macOS, .android, .openbsd]

let package = Package(
    name: "TikTokKit",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9), .visionOS(.v1)],
    products: [
        .library(name: "TikTokKit", targets: ["TikTokKit"]),
        .library(name: "TikTokKitTesting", targets: ["TikTokKitTesting"]),
        .library(name: "TikTokSandbox", targets: ["TikTokSandbox"]),
        .executable(name: "tiktok-bench", targets: ["tiktok-bench"]),
        .executable(name: "tiktok-sandbox", targets: ["tiktok-sandbox"]),
        .executable(name: "publish-draft", targets: ["publish-draft"]),
        .executable(name: "direct-post", targets: ["direct-post"]),
        .executable(name: "pull-from-url", targets: ["pull-from-url"]),
        .executable(name: "photo-post", targets: ["photo-post"]),
        .executable(name: "post-status", targets: ["post-status"]),
        .executable(name: "tiktok-login", targets: ["tiktok-login"]),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .target(
            name: "TikTokKit",
            dependencies: [.target(name: "CCurl", condition: .when(platforms: curlPlatforms))]
        ),
        .target(name: "TikTokKitTesting", dependencies: ["TikTokKit"]),
        .target(name: "TikTokSandbox", dependencies: ["TikTokKit"]),
        .executableTarget(
            name: "chunked-upload",
            dependencies: ["TikTokKit", "TikTokSandbox"],
            path: "Examples/ChunkedUpload"
        ),
        .executableTarget(name: "tiktok-bench", dependencies: ["TikTokKit", "TikTokSandbox"]),
        .executableTarget(name: "tiktok-sandbox", dependencies: ["TikTokSandbox"]),
        .executableTarget(name: "tiktok-soak", dependencies: ["TikTokKit", "TikTokSandbox"]),
        .target(name: "ExampleSupport", dependencies: ["TikTokKit", "TikTokSandbox"], path: "Examples/ExampleSupport"),
        .executableTarget(name: "publish-draft", dependencies: ["ExampleSupport", "TikTokKit", "TikTokSandbox"], path: "Examples/PublishDraft"),
        .executableTarget(name: "direct-post", dependencies: ["ExampleSupport", "TikTokKit"], path: "Examples/DirectPost"),
        .executableTarget(name: "pull-from-url", dependencies: ["ExampleSupport", "TikTokKit"], path: "Examples/PullFromURL"),
        .executableTarget(name: "photo-post", dependencies: ["ExampleSupport", "TikTokKit"], path: "Examples/PhotoPost"),
        .executableTarget(name: "post-status", dependencies: ["ExampleSupport", "TikTokKit"], path: "Examples/PostStatus"),
        .executableTarget(name: "tiktok-login", dependencies: ["ExampleSupport", "TikTokKit", "TikTokSandbox"], path: "Examples/TikTokLogin"),
        .testTarget(name: "TikTokKitTests", dependencies: ["TikTokKit", "TikTokKitTesting", "TikTokSandbox"]),
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
