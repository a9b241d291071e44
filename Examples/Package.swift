// swift-tools-version: 6.0
// TikTokKit's example programs, its benchmark and its fault soak: a package of their own that
// depends on TikTokKit by path, as an app would, so none of their target names (ExampleSupport,
// publish-draft, tiktok-bench, …) enter the dependency graph of apps that use TikTokKit.
//
//   swift run --package-path Examples publish-draft --help
//   swift run --package-path Examples -c release tiktok-bench
//   swift test --package-path Examples          (runs every program as a user would)
import PackageDescription

let tiktokKit: Target.Dependency = .product(name: "TikTokKit", package: "TikTokKit")
let sandbox: Target.Dependency = .product(name: "TikTokSandbox", package: "TikTokKit")

let package = Package(
    name: "TikTokKitExamples",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "publish-draft", targets: ["publish-draft"]),
        .executable(name: "direct-post", targets: ["direct-post"]),
        .executable(name: "pull-from-url", targets: ["pull-from-url"]),
        .executable(name: "photo-post", targets: ["photo-post"]),
        .executable(name: "post-status", targets: ["post-status"]),
        .executable(name: "tiktok-login", targets: ["tiktok-login"]),
        .executable(name: "chunked-upload", targets: ["chunked-upload"]),
        .executable(name: "tiktok-bench", targets: ["tiktok-bench"]),
        .executable(name: "tiktok-soak", targets: ["tiktok-soak"]),
    ],
    dependencies: [.package(name: "TikTokKit", path: "..")],
    targets: [
        .target(name: "ExampleSupport", dependencies: [tiktokKit, sandbox], path: "ExampleSupport"),
        .executableTarget(name: "publish-draft", dependencies: ["ExampleSupport", tiktokKit, sandbox], path: "PublishDraft"),
        .executableTarget(name: "direct-post", dependencies: ["ExampleSupport", tiktokKit], path: "DirectPost"),
        .executableTarget(name: "pull-from-url", dependencies: ["ExampleSupport", tiktokKit], path: "PullFromURL"),
        .executableTarget(name: "photo-post", dependencies: ["ExampleSupport", tiktokKit], path: "PhotoPost"),
        .executableTarget(name: "post-status", dependencies: ["ExampleSupport", tiktokKit], path: "PostStatus"),
        .executableTarget(name: "tiktok-login", dependencies: ["ExampleSupport", tiktokKit, sandbox], path: "TikTokLogin"),
        .executableTarget(name: "chunked-upload", dependencies: ["ExampleSupport", tiktokKit, sandbox], path: "ChunkedUpload"),
        .executableTarget(name: "tiktok-bench", dependencies: ["ExampleSupport", tiktokKit, sandbox], path: "Benchmarks/tiktok-bench"),
        .executableTarget(name: "tiktok-soak", dependencies: ["ExampleSupport", tiktokKit, sandbox], path: "Benchmarks/tiktok-soak"),
        .testTarget(name: "ExampleProgramTests", dependencies: [tiktokKit, sandbox], path: "Tests/ExampleProgramTests"),
    ]
)

// The same upcoming language features as the SDK itself.
for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}
