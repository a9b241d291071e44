import TikTokKit

/// The transport the emulator's tests speak HTTP through: `CurlTransport` where libcurl is built
/// in, as an app on Linux or macOS would, and `URLSessionTransport` in a build without it
/// (`TIKTOKKIT_NO_CURL=1`, the iOS configuration). These tests are about the emulator, so
/// either client will do.
func httpClientTransport(stallTimeout: Duration = .seconds(60)) -> any Transport {
    #if canImport(CTikTokKitCurl)
    CurlTransport(configuration: .init(stallTimeout: stallTimeout))
    #else
    URLSessionTransport(configuration: .init(stallTimeout: stallTimeout))
    #endif
}
