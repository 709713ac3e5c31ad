/// An error from loading or using a text-embedding model: a machine-readable code and a readable message.
public struct TextEmbeddingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Broad classes of failure.
    public enum Code: String, Sendable {
        /// A model file or folder is missing; the message says how to create it.
        case modelMissing
        /// A model file exists but its contents are not what this code reads.
        case invalidModel
        /// A file could not be read.
        case io
    }

    /// The class of failure.
    public let code: Code
    /// A readable explanation naming the file involved.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message, for logs.
    public var description: String { "\(code.rawValue): \(message)" }
}
