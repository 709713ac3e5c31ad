/// Why the metadata reader could not read a file at all. Damage inside a recognised file is not an
/// error: it is skipped and noted in `ImageMetadata.warnings`.
public struct MetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Code: String, Sendable {
        /// The magic bytes are not those of JPEG, PNG or WebP.
        case unsupportedFormat = "unsupported_format"
    }

    /// What went wrong.
    public let code: Code
    /// A readable explanation that names no file paths.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// A readable description.
    public var description: String { "\(code.rawValue): \(message)" }
}
