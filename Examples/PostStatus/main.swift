// post-status: shows where a publish stands, from its publish ID.
//
//     post-status <publish-id> [--wait]
//
// A publish ID outlives the process that started it: keep it, and follow the publish later.
import ExampleSupport
import Foundation
import TikTokKit

let program = "post-status"
var arguments = Arguments()
if arguments.isEmpty || arguments.wantsHelp {
    print("""
    usage: post-status <publish-id> [--wait]

    Prints where a publish stands: its status, the reason and what to do if it FAILED, the bytes
    TikTok has received (FILE_UPLOAD) or downloaded (PULL_FROM_URL), and any public post IDs.
    Exits non-zero when the publish FAILED.

      --wait   poll (2 s growing to 10 s, at most 15 minutes) until the publish is delivered to
               the inbox, posted, or failed

    Environment: TIKTOK_ACCESS_TOKEN (or ~/.tiktokkit/token, see tiktok-login), TIKTOK_API_BASE_URL.
    With neither, an embedded TikTok sandbox is used — it starts empty, so it knows no publish ID;
    point TIKTOK_API_BASE_URL at a running tiktok-sandbox to look one up there.
    """)
    exit(arguments.isEmpty ? 2 : 0)
}

do {
    let wait = arguments.flag("--wait")
    guard let publishID = try arguments.positionals().first else { throw ExampleFailure("missing <publish-id>; see --help") }
    let client = try ExampleEnvironment.fromProcess(program: program).client

    if wait {
        print("waiting for a final status…")
        let result = try await client.waitForPublish(publishID: publishID)   // FAILED arrives as a thrown TikTokError
        print("status: \(result.status)")
        if !result.publiclyAvailablePostIDs.isEmpty {
            print("public post IDs: \(result.publiclyAvailablePostIDs.map(\.rawValue).joined(separator: ", "))")
        }
    } else {
        let status = try await client.publishStatus(publishID: publishID)
        print("status: \(status.status)")
        if let bytes = status.uploadedBytes { print("uploaded bytes: \(bytes)") }
        if let bytes = status.downloadedBytes { print("downloaded bytes: \(bytes)") }
        if !status.publiclyAvailablePostIDs.isEmpty {
            print("public post IDs: \(status.publiclyAvailablePostIDs.map(\.rawValue).joined(separator: ", "))")
        }
        if status.status == .failed {
            // The same error waiting would have thrown: report prints the reason and what to do.
            let reason = status.failReason ?? FailReason(rawValue: "unknown")
            var failure = TikTokError(.publishFailed(reason), message: "TikTok reported FAILED: \(reason)")
            failure.publishID = publishID
            throw failure
        }
    }
} catch {
    exit(report(error, program: program))
}
