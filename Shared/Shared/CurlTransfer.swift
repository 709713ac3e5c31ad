import CCurl
import Foundation

/// One request to run on a curl easy handle.
struct CurlRequest {
    var method: String
    var url: String
    var headers: [String] = []
    var body: [UInt8]?
    var connectTimeoutSeconds: Double
    var timeoutSeconds: Double
}

/// What one transfer produced: a response, or curl's error.
enum CurlOutcome {
    case response(HTTPClientResponse, newConnections: Int)
    case failure(code: CURLcode, message: String, connected: Bool)
}

/// Accumulates a response's headers and body while curl delivers them.
private final class TransferSink {
    var body: [UInt8] = []
    var headers: [String: String] = [:]
}

/// Hands one chunk that curl delivers to `consume` with the transfer's sink; returns the byte count, which
/// tells curl that the whole chunk was taken.
private func deliver(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?,
    _ consume: (TransferSink, UnsafeBufferPointer<UInt8>) -> Void
) -> Int {
    guard let data, let context else {
        return 0
    }
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    let total = size * count
    data.withMemoryRebound(to: UInt8.self, capacity: total) { bytes in
        consume(sink, UnsafeBufferPointer(start: bytes, count: total))
    }
    return total
}

private func receiveBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    deliver(data, size, count, context) { sink, chunk in
        sink.body.append(contentsOf: chunk)
    }
}

private func receiveHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    deliver(data, size, count, context) { sink, chunk in
        let line = String(decoding: chunk, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line (after a redirect or a 100 Continue) starts a new header block.
            sink.headers = [:]
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            sink.headers[name] = value
        }
    }
}

/// Easy handles kept between requests so that connections to the same service are reused (keep-alive).
///
/// `@unchecked Sendable`: the idle list is only touched while `lock` is held, and a handle is used by one
/// thread at a time: it is either in the idle list or checked out by exactly one transfer.
final class CurlHandlePool: @unchecked Sendable {
    /// Sets up libcurl's global state once per process, before the first handle exists.
    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []
    private let capacity: Int
    private var connectionsOpened = 0

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    deinit {
        for handle in idle {
            curl_easy_cleanup(handle)
        }
    }

    /// Connections opened by all transfers so far; stays put while keep-alive reuses connections.
    var openedConnections: Int {
        lock.withLock { connectionsOpened }
    }

    /// Runs `request` on a pooled handle.
    func perform(_ request: CurlRequest) -> CurlOutcome {
        _ = Self.globalInit
        let handle = lock.withLock { idle.popLast() } ?? curl_easy_init()
        guard let handle else {
            return .failure(code: CURLE_FAILED_INIT, message: "curl_easy_init failed", connected: false)
        }
        let outcome = Self.transfer(request, on: handle)
        lock.withLock {
            if case .response(_, let opened) = outcome {
                connectionsOpened += opened
            }
            if idle.count < capacity {
                idle.append(handle)
            } else {
                curl_easy_cleanup(handle)
            }
        }
        return outcome
    }

    private static func transfer(_ request: CurlRequest, on handle: UnsafeMutableRawPointer) -> CurlOutcome {
        curl_easy_reset(handle)
        let sink = TransferSink()
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            headerList = curl_slist_append(headerList, header)
        }
        defer {
            curl_slist_free_all(headerList)
            errorBuffer.deallocate()
        }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        _ = imgrec_curl_setopt_string(handle, CURLOPT_URL, request.url)
        // Services hand each other URLs that callers chose; never let one reach files or other protocols.
        _ = imgrec_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = imgrec_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = imgrec_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = imgrec_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeoutSeconds))
        _ = imgrec_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.timeoutSeconds))
        _ = imgrec_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = imgrec_curl_setopt_write_function(handle, receiveBody)
        _ = imgrec_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = imgrec_curl_setopt_header_function(handle, receiveHeader)
        _ = imgrec_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = imgrec_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        if request.method != "GET" {
            _ = imgrec_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        let code: CURLcode = withExtendedLifetime(sink) {
            guard let body = request.body else {
                return curl_easy_perform(handle)
            }
            return body.withUnsafeBytes { buffer in
                _ = imgrec_curl_setopt_long(handle, CURLOPT_POST, 1)
                _ = imgrec_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(buffer.count))
                if let base = buffer.baseAddress {
                    _ = imgrec_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                } else {
                    _ = imgrec_curl_setopt_string(handle, CURLOPT_POSTFIELDS, "")
                }
                return curl_easy_perform(handle)
            }
        }
        guard code == CURLE_OK else {
            var connectTime: curl_off_t = 0
            _ = imgrec_curl_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connectTime)
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(code: code, message: message, connected: connectTime > 0)
        }
        var status = 0
        var opened = 0
        _ = imgrec_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        _ = imgrec_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &opened)
        let response = HTTPClientResponse(status: status, headers: sink.headers, body: sink.body)
        return .response(response, newConnections: opened)
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }
}
