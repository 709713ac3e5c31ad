/// Why bytes could not be turned into an `RGBImage`.
public struct ImageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; each maps to one stable error code.
    public enum Kind: String, Sendable, Equatable {
        /// No bytes at all.
        case empty = "empty_image"
        /// Not a JPEG, PNG or WebP file (judged by the leading signature bytes).
        case unsupportedFormat = "unsupported_image_format"
        /// A supported format whose data ends before the image is complete.
        case truncated = "truncated_image"
        /// A supported format whose data the library rejects.
        case corrupt = "corrupt_image"
        /// The header announces more pixels than the configured limit allows.
        case tooLarge = "image_too_large"
    }

    /// The kind of failure.
    public let kind: Kind
    /// A readable explanation, safe to show to a client (no paths, no addresses).
    public let message: String

    /// Creates an error of `kind` with a readable `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The stable machine-readable code, such as `truncated_image`.
    public var code: String { kind.rawValue }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
