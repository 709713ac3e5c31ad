/// An error that crosses a service edge: it carries the HTTP status, a stable machine-readable code and a
/// message for people. The HTTP server turns it into `{"error": {"code": ..., "message": ...}}`.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status the error is answered with.
    public let status: Int
    /// A stable snake_case code that clients can branch on, such as `malformed_json`.
    public let code: String
    /// A message for people; it must not leak paths, stacks or other internals.
    public let message: String

    /// Creates an error with an explicit status.
    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// A readable form: `400 malformed_json: ...`.
    public var description: String {
        "\(status) \(code): \(message)"
    }

    /// 400: the request is wrong in a way the client can fix.
    public static func badRequest(_ code: String, _ message: String) -> ServiceError {
        ServiceError(status: 400, code: code, message: message)
    }

    /// 404: the named thing does not exist.
    public static func notFound(_ code: String, _ message: String) -> ServiceError {
        ServiceError(status: 404, code: code, message: message)
    }

    /// 409: the request conflicts with the current state.
    public static func conflict(_ code: String, _ message: String) -> ServiceError {
        ServiceError(status: 409, code: code, message: message)
    }

    /// 413 `payload_too_large`: the request body is over the limit.
    public static func payloadTooLarge(_ message: String) -> ServiceError {
        ServiceError(status: 413, code: "payload_too_large", message: message)
    }

    /// 415: the body's media type is not one the endpoint takes.
    public static func unsupportedMediaType(_ code: String, _ message: String) -> ServiceError {
        ServiceError(status: 415, code: code, message: message)
    }

    /// 422: the request is well formed but cannot be processed.
    public static func unprocessable(_ code: String, _ message: String) -> ServiceError {
        ServiceError(status: 422, code: code, message: message)
    }

    /// 500 `internal`: something failed on our side.
    public static func internalError(_ message: String) -> ServiceError {
        ServiceError(status: 500, code: "internal", message: message)
    }

    /// 503: the service cannot answer now (not ready, overloaded, shutting down).
    public static func unavailable(_ code: String, _ message: String) -> ServiceError {
        ServiceError(status: 503, code: code, message: message)
    }

    /// 502: a service this one depends on failed or could not be reached.
    public static func badGateway(_ code: String, _ message: String) -> ServiceError {
        ServiceError(status: 502, code: code, message: message)
    }

    /// 504: a service this one depends on did not answer in time.
    public static func gatewayTimeout(_ code: String, _ message: String) -> ServiceError {
        ServiceError(status: 504, code: code, message: message)
    }
}
