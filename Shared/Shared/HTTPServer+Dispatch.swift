import Foundation

extension HTTPServer {
    /// Route label for requests that match no route, so that metrics never carry raw paths.
    static let unmatchedRoute = "unmatched"

    /// Answers one fully read request: routes it, runs the handler, turns errors into JSON, records metrics
    /// and logs failures.
    func respond(to incoming: HTTPRequest, started: Date) -> HTTPResponse {
        var request = incoming
        var route = Self.unmatchedRoute
        var response: HTTPResponse
        var failure: String?
        switch lookup(method: request.method, path: request.path) {
        case .found(let handler, let pattern, let parameters):
            route = pattern
            request.pathParameters = parameters
            (response, failure) = run(handler, request)
        case .methodNotAllowed(let pattern, let allowed):
            route = pattern
            response = .error(
                ServiceError(
                    status: 405, code: "method_not_allowed",
                    message: "\(request.method) is not allowed on \(pattern); use \(allowed.joined(separator: ", "))"))
            response.headers["Allow"] = allowed.joined(separator: ", ")
        case .notFound:
            response = .error(.notFound("not_found", "no route for \(request.method) \(request.path)"))
        }
        finish(&response, request: request, route: route, started: started, failure: failure)
        return response
    }

    /// Records, logs and stamps a response that is about to be sent. A failed request gets one log line:
    /// at error for 5xx, at debug for 4xx; `failure` is the underlying error, which only the log sees.
    func finish(
        _ response: inout HTTPResponse, request: HTTPRequest, route: String, started: Date, failure: String? = nil
    ) {
        response.headers["X-Request-Id"] = request.requestID
        if isStopping {
            response.headers["Connection"] = "close"
        }
        let seconds = Date().timeIntervalSince(started)
        let labels = ["route": route, "method": request.method, "status": String(response.status)]
        metrics.increment("imgrec_http_requests_total", help: "HTTP requests answered.", labels: labels)
        metrics.observe(
            "imgrec_http_request_duration_seconds", help: "Time to answer HTTP requests, in seconds.",
            labels: ["route": route], value: seconds)
        if response.status >= 400 {
            var metadata = [
                "request_id": request.requestID, "method": request.method, "path": request.path, "route": route,
                "status": String(response.status), "ms": String(Int(seconds * 1000)),
            ]
            metadata["error"] = failure
            logger.log(response.status >= 500 ? .error : .debug, "request failed", metadata)
        }
    }

    func lookup(method: String, path: String) -> Router.Match {
        let match = router.match(method: method, path: path)
        if case .notFound = match {
            return builtins.match(method: method, path: path)
        }
        return match
    }

    /// Runs the handler; returns the response and, for errors other than `ServiceError`, the error's text.
    private func run(_ handler: HTTPHandler, _ request: HTTPRequest) -> (HTTPResponse, String?) {
        do {
            return (try handler(request), nil)
        } catch let error as ServiceError {
            return (.error(error), error.status >= 500 ? error.message : nil)
        } catch {
            // Other errors may hold paths or SQL: the log gets them, the response does not.
            let message = "internal error while handling the request (id \(request.requestID))"
            return (.error(.internalError(message)), String(describing: error))
        }
    }

    /// The client's request id when it is 1–128 characters of letters, digits and `-_.:`, else a new one.
    static func requestID(from header: String?) -> String {
        if let header, (1...128).contains(header.utf8.count),
            header.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: ":")
            })
        {
            return header
        }
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
