// swift-tools-version: 6.0
// libFuzzer targets for TikTokKit's parsers, in their own package so normal builds are unaffected.
// Build and run them all with ./run.sh (see README there).
import PackageDescription

let package = Package(
    name: "TikTokKitFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "TikTokKit", path: "..")],
    targets: [
        .executableTarget(
            name: "tiktokkit-fuzz",
            dependencies: [.product(name: "TikTokKit", package: "TikTokKit")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
