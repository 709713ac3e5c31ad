import CCurl
import Foundation

/// A client for another imgrec service, on libcurl. Connections are kept alive between calls; idempotent
/// calls (GET) are retried with exponential backoff when the service cannot be reached or answers 502, 503
/// or 504.
///
/// Every method throws `ServiceError`:
/// - 502 `upstream_unreachable` ("service NAME unreachable at URL: ...") when no connection could be made;
/// - 504 `upstream_timeout` when the service did not answer within `timeoutSeconds`;
/// - the remote status, code and message when the service answered non-2xx with a JSON error document;
/// - 502 `upstream_error` for other non-2xx answers, 502 `upstream_malformed` for undecodable JSON.
public struct HTTPClient: Sendable {
    /// The service's base URL, such as `http://127.0.0.1:8081`.
    public let baseURL: String
    /// The service's name, used in error messages.
    public let service: String
    /// Limit for one whole attempt, connection included.
    public let timeoutSeconds: Double
    /// Limit for establishing a connection.
    public let connectTimeoutSeconds: Double
    /// Extra attempts for idempotent calls.
    public let retries: Int
    /// Wait before the first retry; each further retry waits twice as long.
    public let retryDelaySeconds: Double
    private let pool: CurlHandlePool

    /// Creates a client for the service at `baseURL`.
    public init(
        baseURL: String, service: String, timeoutSeconds: Double = 30, retries: Int = 2,
        connectTimeoutSeconds: Double = 5, retryDelaySeconds: Double = 0.2
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.service = service
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = min(connectTimeoutSeconds, timeoutSeconds)
        self.retries = max(0, retries)
        self.retryDelaySeconds = retryDelaySeconds
        self.pool = CurlHandlePool()
    }

    /// Connections this client has opened so far; it stays the same while calls reuse a kept-alive one.
    public var connectionsOpened: Int {
        pool.openedConnections
    }

    /// GETs `path` and decodes the JSON answer.
    public func getJSON<T: Decodable>(_ path: String, query: [String: String] = [:], as type: T.Type) throws -> T {
        let response = try send("GET", path, query: query, headers: ["Accept: application/json"], body: nil)
        return try decode(type, from: response, path: path)
    }

    /// GETs `path` and returns the raw answer, such as image bytes.
    public func getBytes(_ path: String, query: [String: String] = [:]) throws -> HTTPClientResponse {
        try send("GET", path, query: query, headers: [], body: nil)
    }

    /// POSTs `body` as JSON to `path` and decodes the JSON answer. Not retried.
    public func postJSON<Body: Encodable, T: Decodable>(_ path: String, body: Body, as type: T.Type) throws -> T {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(body)
        } catch {
            throw ServiceError.internalError("the request to service \(service) could not be encoded")
        }
        let response = try send(
            "POST", path, query: [:], headers: ["Content-Type: application/json", "Accept: application/json"],
            body: Array(data))
        return try decode(type, from: response, path: path)
    }

    /// POSTs raw `body` to `path` and returns the raw answer. Not retried.
    public func post(_ path: String, body: [UInt8], contentType: String) throws -> HTTPClientResponse {
        try send("POST", path, query: [:], headers: ["Content-Type: \(contentType)"], body: body)
    }

    /// The full URL for `path` and `query`.
    public func url(_ path: String, query: [String: String] = [:]) -> String {
        let slash = path.hasPrefix("/") ? "" : "/"
        return query.isEmpty ? baseURL + slash + path : baseURL + slash + path + "?" + QueryString.encode(query)
    }

    private func send(
        _ method: String, _ path: String, query: [String: String], headers: [String], body: [UInt8]?
    ) throws -> HTTPClientResponse {
        let target = url(path, query: query)
        // An empty Expect header stops curl from waiting for "100 Continue" before sending larger bodies.
        let request = CurlRequest(
            method: method, url: target, headers: headers + ["Expect:"], body: body,
            connectTimeoutSeconds: connectTimeoutSeconds, timeoutSeconds: timeoutSeconds)
        let attempts = method == "GET" ? retries + 1 : 1
        var attempt = 0
        while true {
            let outcome = pool.perform(request)
            attempt += 1
            if attempt < attempts, Self.isRetryable(outcome) {
                let delay = retryDelaySeconds * pow(2, Double(attempt - 1))
                usleep(UInt32(min(delay, 30) * 1_000_000))
                continue
            }
            return try result(of: outcome, method: method, url: target)
        }
    }

    private static func isRetryable(_ outcome: CurlOutcome) -> Bool {
        switch outcome {
        case .response(let response, _):
            return [502, 503, 504].contains(response.status)
        case .failure(let code, _, _):
            return [
                CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_GOT_NOTHING, CURLE_SEND_ERROR,
                CURLE_RECV_ERROR,
            ].contains(code)
        }
    }

    private func result(of outcome: CurlOutcome, method: String, url: String) throws -> HTTPClientResponse {
        switch outcome {
        case .failure(let code, let message, let connected):
            if code == CURLE_OPERATION_TIMEDOUT, connected {
                throw ServiceError.gatewayTimeout(
                    "upstream_timeout", "service \(service) did not answer \(method) \(url) within \(timeoutSeconds)s")
            }
            throw ServiceError.badGateway(
                "upstream_unreachable", "service \(service) unreachable at \(url): \(message)")
        case .response(let response, _):
            guard (200..<300).contains(response.status) else {
                throw remoteError(response, method: method, url: url)
            }
            return response
        }
    }

    private func remoteError(_ response: HTTPClientResponse, method: String, url: String) -> ServiceError {
        if let document = try? JSONDecoder().decode(ErrorDocument.self, from: Data(response.body)) {
            return ServiceError(status: response.status, code: document.error.code, message: document.error.message)
        }
        return .badGateway("upstream_error", "service \(service) answered \(response.status) to \(method) \(url)")
    }

    private func decode<T: Decodable>(_ type: T.Type, from response: HTTPClientResponse, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch let error as DecodingError {
            throw ServiceError.badGateway(
                "upstream_malformed", "service \(service) sent an unexpected answer to \(path): \(error.summary)")
        } catch {
            throw ServiceError.badGateway("upstream_malformed", "service \(service) sent invalid JSON for \(path)")
        }
    }
}
