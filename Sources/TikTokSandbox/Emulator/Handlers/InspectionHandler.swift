import Foundation
import TikTokKit

/// The sandbox's own paths: `GET /__sandbox/uploads` (what arrived) and `GET /files/NAME`
/// (files served for PULL_FROM_URL and photo posts).
extension TikTokEmulator {
    func inspection() -> HTTPServerResponse {
        let inspection = locked { state in
            Inspection(requestCount: state.requests, uploads: state.order.compactMap { state.publishes[$0].map(record) })
        }
        return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"],
                                  body: (try? JSONEncoder().encode(inspection)) ?? Data())
    }

    /// Streams the file from disk: many clients downloading a large one at once (or never
    /// reading it) cost a bounded buffer each, not a copy of the file each.
    func serveFile(_ name: String) -> HTTPServerResponse {
        guard let url = locked({ $0.servedFiles[name] }),
              let response = try? HTTPServerResponse.file(url, headers: ["Content-Type": "application/octet-stream"])
        else { return HTTPServerResponse(status: 404) }
        return response
    }
}
