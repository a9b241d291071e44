// publish-draft: uploads a video to the creator's TikTok inbox as a draft.
//
//     publish-draft <file> [--journal DIR] [--chunk-size BYTES] [--retry-unconfirmed-init]
//
// With TIKTOK_ACCESS_TOKEN set, it talks to TikTok (or to TIKTOK_API_BASE_URL); with neither set,
// to an embedded sandbox. The upload is journaled: run the same command again after an
// interruption and it resumes the same upload instead of starting a second one.
import ExampleSupport
import Foundation
import TikTokKit
import TikTokSandbox

let program = "publish-draft"
var arguments = Arguments()
if arguments.isEmpty || arguments.wantsHelp {
    print("""
    usage: publish-draft <file> [--journal DIR] [--chunk-size BYTES] [--retry-unconfirmed-init]
           publish-draft --sample MB [--journal DIR]

    Uploads <file> (MP4, MOV or WebM, up to 4 GiB) to the creator's TikTok inbox as a draft, by
    FILE_UPLOAD, and waits until TikTok has delivered it.

      --chunk-size BYTES  chunk size for videos over 64,000,000 bytes (default 16,000,000)
      --sample MB         generate a sample MP4 of MB megabytes and upload that (to try it out)
    \(journalOptionsHelp)

    Environment: TIKTOK_ACCESS_TOKEN (or ~/.tiktokkit/token), TIKTOK_API_BASE_URL.
    With neither, an embedded TikTok sandbox is used.
    """)
    exit(arguments.isEmpty ? 2 : 0)
}

/// A sample this run generated (`--sample`), removed when the program ends.
var generatedSample: URL?

do {
    let journalDirectory = try arguments.option("--journal").map { URL(fileURLWithPath: $0) }
    let chunkSize = try arguments.integer("--chunk-size") ?? UploadPlan.defaultChunkSize
    let sampleMegabytes = try arguments.integer("--sample")
    let retryUnconfirmedInit = arguments.flag("--retry-unconfirmed-init")
    let files = try arguments.positionals()   // an unknown or mistyped --option is refused here
    guard files.count <= 1 else { throw ExampleFailure("expected one file, got \(files.count); see --help") }
    guard sampleMegabytes == nil || files.isEmpty else { throw ExampleFailure("give a file or --sample, not both") }
    var sample: String?
    if let megabytes = sampleMegabytes {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiktokkit-sample-\(UUID().uuidString).mp4")
        print("\(program): generated a \(megabytes) MB sample video at \(url.path) (removed at the end)")
        generatedSample = url
        sample = try SampleVideo.write(to: url, size: megabytes * 1_000_000, durationSeconds: 30).path
    }
    guard let path = sample ?? files.first else { throw ExampleFailure("missing <file>; see --help") }

    let environment = try ExampleEnvironment.fromProcess(program: program)
    let journal = try environment.journal(directory: journalDirectory)
    // An unfinished upload whose URL expired cannot have produced a post: start it over, once.
    let options = UploadOptions(chunkSize: chunkSize, restartExpiredUploads: true, journal: journal,
                                retryUnconfirmedInit: retryUnconfirmedInit)
    let printer = ProgressPrinter()
    let result = try await environment.client.publishDraft(file: URL(fileURLWithPath: path), options: options) { step in
        printer.show(step)
    }
    printer.endBar()
    print("status: \(result.status)")
    if !result.publiclyAvailablePostIDs.isEmpty {
        print("public post IDs: \(result.publiclyAvailablePostIDs.map(\.rawValue).joined(separator: ", "))")
    }
    print("The draft is in the creator's TikTok inbox; they finish the post in the app.")
    if let generatedSample { try? FileManager.default.removeItem(at: generatedSample) }
} catch {
    if let generatedSample { try? FileManager.default.removeItem(at: generatedSample) }
    exit(report(error, program: program))
}
