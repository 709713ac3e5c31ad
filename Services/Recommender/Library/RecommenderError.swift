/// Why a build, a load or a search failed; the service maps each to an HTTP status at its edge.
public struct RecommenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: Sendable, Equatable {
        /// The caller's input is wrong (empty query, bad `k`, unknown method).
        case badRequest
        /// The input is well-formed but cannot be used (no captions, duplicate ids).
        case unprocessable
        /// No model is loaded, or the one asked for cannot be used.
        case unavailable
    }

    /// The kind of failure.
    public let kind: Kind
    /// A short machine-readable code such as `empty_query`.
    public let code: String
    /// A readable explanation.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, _ code: String, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// `<code>: <message>`.
    public var description: String { "\(code): \(message)" }
}
