#if canImport(CTikTokKitCurl)
internal import CTikTokKitCurl
import Foundation

/// The thread that owns a libcurl multi handle and runs every transfer of one ``CurlTransport``.
///
/// Other threads talk to it only through `submit`, `wake` and `shutdown`, which touch the
/// locked inbox and call `curl_multi_wakeup` (documented as callable from any thread). Every
/// other libcurl call happens on the agent thread.
final class CurlAgent: @unchecked Sendable {
    private struct Inbox {
        var transfers: [CurlTransfer] = []
        var stopping = false
    }

    /// libcurl's global state is initialised once per process, before the first handle.
    private static let globalInit: Void = {
        _ = curl_global_init(tk_global_all)
    }()

    private let multi: UnsafeMutableRawPointer
    private let inbox = Locked(Inbox())
    private let configuration: CurlTransport.Configuration
    /// Transfers added to the multi handle, by easy handle. Agent thread only.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(configuration: CurlTransport.Configuration) {
        Self.globalInit
        guard let multi = curl_multi_init() else {
            fatalError("curl_multi_init failed: libcurl is out of memory")
        }
        self.multi = multi
        self.configuration = configuration
        _ = tk_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, configuration.maxIdleConnections))
        let thread = Thread { [self] in run() }
        thread.name = "TikTokKit.CurlTransport"
        thread.start()
    }

    /// Queues a transfer and wakes the agent.
    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.transfers.append(transfer)
            return true
        }
        if accepted {
            curl_multi_wakeup(multi)
        } else {
            transfer.complete(.failure(TransportError(
                .cancelled, "the transport was shut down", method: transfer.method, url: transfer.url)))
        }
    }

    /// Wakes the agent so it notices a cancelled transfer now rather than at its next timeout.
    func wake() {
        curl_multi_wakeup(multi)
    }

    /// Asks the agent to fail what is left and exit. Returns at once; the thread cleans up.
    func shutdown() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    // MARK: Agent thread

    private func run() {
        while true {
            let (incoming, stopping) = inbox.withLock { inbox in
                defer { inbox.transfers.removeAll() }
                return (inbox.transfers, inbox.stopping)
            }
            if stopping {
                let leftovers = incoming + Array(active.values)
                for transfer in leftovers {
                    finish(transfer, .failure(TransportError(
                        .cancelled, "the transport was shut down", method: transfer.method, url: transfer.url)))
                }
                break
            }
            for transfer in incoming {
                start(transfer)
            }
            for transfer in active.values where transfer.isCancelRequested {
                finish(transfer, .failure(CancellationError()))
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinishedTransfers()
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)   // blocking-ok: the agent's own thread
        }
        curl_multi_cleanup(multi)
    }

    private func start(_ transfer: CurlTransfer) {
        if transfer.isCancelRequested {
            transfer.releaseResources()
            transfer.complete(.failure(CancellationError()))
            return
        }
        guard let easy = curl_easy_init() else {
            transfer.complete(.failure(TransportError(
                .other, "curl_easy_init failed", method: transfer.method, url: transfer.url)))
            return
        }
        do {
            try transfer.configure(easy)
        } catch {
            transfer.releaseResources()
            curl_easy_cleanup(easy)
            transfer.complete(.failure(error))
            return
        }
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else {
            transfer.releaseResources()
            curl_easy_cleanup(easy)
            transfer.complete(.failure(TransportError(
                .other, "curl_multi_add_handle failed (\(added.rawValue))", method: transfer.method, url: transfer.url)))
            return
        }
        active[easy] = transfer
    }

    private func collectFinishedTransfers() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE,
                  let easy = message.pointee.easy_handle,
                  let transfer = active[easy]
            else { continue }
            finish(transfer, transfer.result(of: message.pointee.data.result))
        }
    }

    /// Detaches the transfer from libcurl, frees its handle and resumes its caller.
    private func finish(_ transfer: CurlTransfer, _ result: Result<TikTokHTTPResponse, any Error>) {
        if let easy = transfer.easyHandle {
            active[easy] = nil
            _ = curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
        }
        transfer.releaseResources()
        transfer.complete(result)
    }
}
#endif
