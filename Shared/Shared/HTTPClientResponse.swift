/// A response received by `HTTPClient`.
public struct HTTPClientResponse: Sendable {
    /// The HTTP status code.
    public let status: Int
    /// Response headers; names are lower case.
    public let headers: [String: String]
    /// The body.
    public let body: [UInt8]

    /// Creates a response from its parts.
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
