import Foundation
import TikTokKit

/// PULL_FROM_URL: the emulator downloads the video or photos as TikTok would, then checks them.
extension TikTokEmulator {
    func download(_ urls: [String], for id: String) {
        let downloader = self.downloader
        Task { [weak self] in
            var total: Int64 = 0
            var last = Data()
            for text in urls {
                guard let url = URL(string: text),
                      let response = try? await downloader.send(TikTokHTTPRequest(method: .get, url: url)),
                      response.status == 200, !response.body.isEmpty else {
                    let failedNow = self?.locked { state -> Bool in
                        // A cancelled publish keeps publish_cancelled (and its one webhook).
                        guard let publish = state.publishes[id], publish.failReason == nil else { return false }
                        state.publishes[id]?.failReason = publish.mediaType == .photo ? .photoPullFailed : .videoPullFailed
                        return true
                    }
                    if failedNow == true { self?.announceStatus(of: id) }
                    return
                }
                total += Int64(response.body.count)
                last = response.body
                self?.locked { $0.publishes[id]?.received = total }
            }
            self?.finishDownload(id, body: last)
        }
    }

    private func finishDownload(_ id: String, body: Data) {
        let isPhoto = locked { $0.publishes[id]?.mediaType == .photo }
        let verdict = isPhoto ? MediaInspection.Verdict() : media.inspectDownload(body)
        let now = self.now
        locked { state in
            guard var publish = state.publishes[id], publish.failReason == nil else { return }
            publish.videoSize = publish.received
            publish.complete(with: verdict, at: now)
            state.publishes[id] = publish
        }
        announceOutcome(of: id)
    }
}
