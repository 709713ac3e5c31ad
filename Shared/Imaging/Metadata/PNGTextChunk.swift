/// One PNG text chunk: its keyword, its text (decompressed and decoded) and the chunk type it came from.
public struct PNGTextChunk: Sendable, Equatable {
    /// The chunk type a text came from.
    public enum Kind: String, Sendable, Equatable {
        case tEXt, zTXt, iTXt
    }

    /// The keyword, such as `parameters`, `Description` or `XML:com.adobe.xmp`.
    public var keyword: String
    /// The text: Latin-1 for `tEXt`/`zTXt`, UTF-8 for `iTXt`.
    public var text: String
    /// The chunk type.
    public var kind: Kind
    /// False when `text` is only the start of the chunk's text, or empty: its compressed stream is damaged,
    /// inflates past the reader's limit, or was skipped because the file's compressed text had used up its
    /// budget.
    public var isComplete: Bool

    /// Creates a text chunk value.
    public init(keyword: String, text: String, kind: Kind, isComplete: Bool = true) {
        self.keyword = keyword
        self.text = text
        self.kind = kind
        self.isComplete = isComplete
    }
}
