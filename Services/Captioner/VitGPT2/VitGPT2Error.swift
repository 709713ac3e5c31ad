/// An error from loading or running a ViT-GPT2 captioning model: a code callers can branch on and a message that
/// names the file and, where one is involved, the tensor or setting.
public struct VitGPT2Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad class of failure.
    public enum Code: String, Sendable {
        /// A required file is missing from the model folder.
        case missingFile = "missing_file"
        /// A file exists but cannot be parsed.
        case malformedFile = "malformed_file"
        /// The files parse but disagree with each other (a tensor shape against the configuration, for instance).
        case inconsistentModel = "inconsistent_model"
        /// The model uses a variant this engine does not implement.
        case unsupported
        /// The caller passed an invalid image or option.
        case invalidInput = "invalid_input"
    }

    /// The class of failure.
    public let code: Code
    /// A readable explanation.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message, for logs.
    public var description: String { "\(code.rawValue): \(message)" }
}
