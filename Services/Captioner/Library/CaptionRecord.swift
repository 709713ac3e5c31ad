/// A caption as stored and served: the cleaned text with what it was made from and by.
public struct CaptionRecord: Sendable, Equatable, Codable {
    /// The cleaned caption.
    public var caption: String
    /// The engine's text before cleaning.
    public var rawCaption: String
    /// The generated token ids (empty for engines without tokens).
    public var tokens: [Int]
    /// The engine name, such as `embedded`.
    public var engine: String
    /// The engine's model description.
    public var model: String
    /// Milliseconds the engine took when the caption was made.
    public var ms: Double
    /// SHA-256 (hex) of the image bytes.
    public var sha256: String
    /// Whether this answer came from the cache rather than the engine.
    public var cached: Bool

    /// Creates a record.
    public init(
        caption: String, rawCaption: String, tokens: [Int], engine: String, model: String, ms: Double,
        sha256: String, cached: Bool
    ) {
        self.caption = caption
        self.rawCaption = rawCaption
        self.tokens = tokens
        self.engine = engine
        self.model = model
        self.ms = ms
        self.sha256 = sha256
        self.cached = cached
    }

    enum CodingKeys: String, CodingKey {
        case caption, tokens, engine, model, ms, sha256, cached
        case rawCaption = "raw_caption"
    }
}
