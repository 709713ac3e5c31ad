/// An error raised while reading or checking tensors: a machine-readable code and a readable message that names
/// the file and the tensor involved.
public struct TensorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in broad classes that callers can branch on.
    public enum Code: String, Sendable {
        /// The file could not be opened, read or mapped.
        case io
        /// The header is not a valid safetensors header.
        case malformedHeader
        /// A tensor's byte range lies outside the data section, overlaps another, or leaves a hole.
        case invalidOffsets
        /// A tensor's element type cannot be converted to `Float`.
        case unsupportedType
        /// No tensor has the requested name.
        case missingTensor
        /// A tensor does not have the shape the caller expects.
        case shapeMismatch
    }

    /// The class of failure.
    public let code: Code
    /// A readable explanation naming the file and, where one is involved, the tensor.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message, for logs.
    public var description: String { "\(code.rawValue): \(message)" }
}
