/// A ranking method loaded from a model file: it scores every image of the model for a query.
///
/// Implementations are immutable after loading and safe to call from many request threads at once.
public protocol SearchMethod: Sendable {
    /// The method's name as `/v1/search?method=` spells it.
    var name: String { get }
    /// One score per image of the model, in model order; higher is better.
    func scores(for query: String) throws -> MethodScores
}

/// A lexical method that can tell a semantic method what the query means in the semantic method's language:
/// `hybrid` asks its lexical part, so that a query its English encoder cannot read ("perro") reaches it
/// with its translation ("perro dog").
public protocol SemanticQueryRewriting {
    /// The text the semantic method should encode for `query`, or nil to encode the query as typed.
    func semanticQuery(for query: String) -> String?
}

extension Sequence where Element == String {
    /// The items once each, in order of first appearance.
    var uniqued: [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }

    /// The items once each, in order of first appearance, space-separated: a diagnostics value that stays
    /// short however often a query repeats a word.
    var diagnosticList: String { uniqued.joined(separator: " ") }
}

/// The scores of one query, with whatever a method wants to say about how it read the query.
public struct MethodScores: Sendable {
    /// One score per image, in model order.
    public var scores: [Double]
    /// Notes for the response (for example query words missing from the vocabulary).
    public var diagnostics: [String: String]

    /// Creates scores with optional diagnostics.
    public init(scores: [Double], diagnostics: [String: String] = [:]) {
        self.scores = scores
        self.diagnostics = diagnostics
    }
}

/// Turns text into a fixed-length vector: the seam where sentence encoders (MiniLM) and word-vector
/// averages (GloVe) plug into the recommender as dense methods.
public protocol TextEncoder: Sendable {
    /// The length of every vector.
    var dimensions: Int { get }
    /// A short identity of the encoder (model name and version) recorded in the model file.
    var identity: String { get }
    /// The vector of one text (a query); latency matters here.
    func encode(_ text: String) throws -> [Float]
    /// The vectors of many texts (captions at build time); throughput matters here.
    func encodeBatch(_ texts: [String]) throws -> [[Float]]
    /// Notes on how `text` was read, such as words the encoder does not know.
    func diagnostics(for text: String) -> [String: String]
    /// The best similarity under which a ranking is reported as low-confidence; nil never reports it.
    var lowConfidenceSimilarity: Double? { get }
}

extension TextEncoder {
    /// Encodes the texts one by one.
    public func encodeBatch(_ texts: [String]) throws -> [[Float]] {
        try texts.map { try encode($0) }
    }

    /// No notes.
    public func diagnostics(for text: String) -> [String: String] { [:] }

    /// No threshold.
    public var lowConfidenceSimilarity: Double? { nil }
}

/// An encoder that averages word vectors and can weight each word by its idf over a model's captions.
public protocol IdfWeightableEncoder: TextEncoder {
    /// The same encoder with each word weighted by `idf` (words absent from it get a default weight).
    func weighted(by idf: [String: Float]) -> any TextEncoder
}
