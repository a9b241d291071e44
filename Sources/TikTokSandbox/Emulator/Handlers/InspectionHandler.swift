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

    func serveFile(_ name: String) -> HTTPServerResponse {
        guard let url = locked({ $0.servedFiles[name] }), let data = try? Data(contentsOf: url) else {
            return HTTPServerResponse(status: 404)
        }
        return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/octet-stream"], body: data)
    }
}
