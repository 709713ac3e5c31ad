/// What a caption engine is given: the image file's bytes and, when one exists, the text of the sidecar
/// caption file beside it (`photo.jpg` → `photo.txt`).
public struct CaptionInput: Sendable {
    /// The encoded image file (JPEG, PNG or WebP).
    public var image: [UInt8]
    /// The sidecar caption text, if the image has one.
    public var sidecarText: String?

    /// Creates an input from image bytes and an optional sidecar text.
    public init(image: [UInt8], sidecarText: String? = nil) {
        self.image = image
        self.sidecarText = sidecarText
    }
}

/// An engine's answer before cleaning: the text as produced and the generated token ids (empty for
/// engines that do not generate tokens).
public struct EngineCaption: Sendable, Equatable {
    /// The caption exactly as the engine produced it.
    public var rawText: String
    /// The generated token ids, in order.
    public var tokens: [Int]

    /// Creates an engine answer.
    public init(rawText: String, tokens: [Int] = []) {
        self.rawText = rawText
        self.tokens = tokens
    }
}

/// Something that writes a caption for an image. Implementations must be safe to call from several
/// threads at once.
public protocol CaptionEngine: Sendable {
    /// The engine's name as chosen with `--engine`, such as `embedded`.
    var name: String { get }
    /// What model produced the caption, such as a model folder's name and checksum; part of the cache
    /// key, so a different model never reuses another model's captions.
    var modelDescription: String { get }
    /// Whether the caption can depend on the sidecar text; if so the sidecar is part of the cache key.
    var readsSidecar: Bool { get }

    /// Writes a caption for `input`.
    /// - Throws: `ServiceError` (such as 422 `no_caption`) when no caption can be made.
    func caption(_ input: CaptionInput) throws -> EngineCaption
}
