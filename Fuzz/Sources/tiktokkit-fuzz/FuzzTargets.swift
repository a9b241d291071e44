// One libFuzzer entry point; FUZZ_TARGET picks what it feeds: envelope, status, oauth, webhook,
// content-range, media-probe, signature. Every input must be handled without crashing: decoders
// throw, parsers return nil.
import Foundation
import TikTokKit

private let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "envelope"
private let probeFile = FileManager.default.temporaryDirectory.appendingPathComponent("tiktokkit-fuzz-\(getpid()).bin")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let text = String(decoding: data, as: UTF8.self)
    let decoder = JSONDecoder()
    switch target {
    case "envelope":
        _ = try? decoder.decode(APIEnvelope<PublishInit>.self, from: data)
        _ = try? decoder.decode(APIEnvelope<CreatorInfo>.self, from: data)
    case "status":
        if let report = try? decoder.decode(APIEnvelope<PublishStatusReport>.self, from: data) {
            _ = report.data?.publiclyAvailablePostIDs.map(\.int64Value)
        }
    case "oauth":
        _ = try? decoder.decode(TokenResponse.self, from: data)
        _ = try? decoder.decode(OAuthErrorBody.self, from: data)
    case "webhook":
        _ = try? WebhookEvent(json: data)
    case "content-range":
        if let range = ContentRange(text) { _ = range.description }
    case "media-probe":
        if (try? data.write(to: probeFile)) != nil {
            _ = try? MediaProbe(file: probeFile)
        }
    case "signature":
        _ = try? WebhookSignature(header: text)
        _ = try? WebhookVerifier(clientSecret: "secret", replayCache: nil).verify(signatureHeader: text, body: data)
    default:
        fatalError("unknown FUZZ_TARGET \(target)")
    }
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main` and defines `main` from it, so the
// program starts here and hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("tiktokkit_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { bytes, size in fuzz(bytes, size) }
}
