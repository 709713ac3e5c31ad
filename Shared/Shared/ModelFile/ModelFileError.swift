/// Why a model file could not be written, opened or read.
///
/// Every problem with a hostile or damaged file surfaces as one of these codes with a readable message;
/// reading a model file never traps.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, stable enough for callers and tests to switch on.
    public enum Code: String, Sendable, Equatable {
        /// The file could not be opened, read, mapped or written.
        case io
        /// The file is shorter than its preamble, header or sections require.
        case truncated
        /// The file does not start with the model-file magic.
        case badMagic
        /// The file's format version is not one this build reads.
        case unsupportedVersion
        /// The JSON header is malformed, oversized or internally inconsistent.
        case malformedHeader
        /// The bytes of the header or of a section do not match their SHA-256 checksum.
        case checksumMismatch
        /// A section lies outside the file, is misaligned, or overlaps another one.
        case sectionOutOfBounds
        /// A section's contents disagree with its declared kind, counts or shape.
        case inconsistentSection
        /// A section or method that was asked for is not in the file.
        case missing
        /// The caller asked the writer for something it cannot encode.
        case invalidInput
    }

    /// The kind of failure.
    public let code: Code
    /// A readable explanation naming the section or field at fault.
    public let message: String

    /// Creates an error with a code and a readable message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `model file <code>: <message>`.
    public var description: String { "model file \(code.rawValue): \(message)" }
}
