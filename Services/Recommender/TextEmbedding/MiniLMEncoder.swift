import Foundation
import Tensors

/// The all-MiniLM-L6-v2 sentence encoder run natively: BERT tokenisation, a 6-layer BERT encoder on OpenBLAS,
/// mean pooling over the tokens and L2 normalisation, giving 384 floats of unit length per text.
///
/// The weights are loaded once and never change, so one encoder can serve any number of threads at once; each
/// call allocates its own working memory.
public final class MiniLMEncoder: Sendable {
    /// The tokenizer, for callers that want the ids.
    public let tokenizer: BertTokenizer
    /// The length of every embedding (384).
    public var dimension: Int { weights.configuration.hiddenSize }

    let weights: BertWeights

    /// The number of tokens packed into one forward pass by `encode(batch:)`.
    public static let tokensPerBatch = 4096

    /// Loads `config.json`, `model.safetensors` and `vocab.txt` from a model folder.
    ///
    /// - Throws: `TextEmbeddingError.modelMissing` when the folder lacks the model (the message names the set-up
    ///   script), `.invalidModel` when a file does not have the expected contents.
    public init(directory: URL, maximumLength: Int = 256) throws {
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            let file = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw TextEmbeddingError(.modelMissing, "\(file.path) not found; run scripts/setup_models.sh")
            }
        }
        weights = try BertWeights(directory: directory)
        tokenizer = try BertTokenizer(
            vocabularyURL: directory.appendingPathComponent("vocab.txt"),
            maximumLength: min(maximumLength, weights.configuration.maximumPositions))
        guard tokenizer.vocabularySize == weights.configuration.vocabularySize else {
            throw TextEmbeddingError(
                .invalidModel,
                "\(directory.path): vocab.txt has \(tokenizer.vocabularySize) "
                    + "tokens but the model expects \(weights.configuration.vocabularySize)")
        }
    }

    /// Loads the encoder from a model cache's MiniLM folder.
    public convenience init(cache: ModelCache = ModelCache()) throws {
        try self.init(directory: try cache.requireMiniLM())
    }

    /// The model's token ids for `text`, with `[CLS]` and `[SEP]`, truncated to 256.
    public func tokenize(_ text: String) -> [Int32] {
        tokenizer.tokenize(text)
    }

    /// The unit-length embedding of one text (the low-latency path for queries).
    public func encode(_ text: String) -> [Float] {
        embed([tokenizer.tokenize(text)])[0]
    }

    /// The embeddings of many texts, in order. Texts of similar length are packed together, up to
    /// `tokensPerBatch` tokens per forward pass, with no padding: each text attends only to its own tokens.
    public func encode(batch texts: [String]) -> [[Float]] {
        let sequences = texts.map { tokenizer.tokenize($0) }
        let order = sequences.indices.sorted { sequences[$0].count < sequences[$1].count }
        var embeddings = [[Float]](repeating: [], count: texts.count)

        var start = 0
        while start < order.count {
            var end = start
            var tokens = 0
            while end < order.count, end == start || tokens + sequences[order[end]].count <= Self.tokensPerBatch {
                tokens += sequences[order[end]].count
                end += 1
            }
            let chunk = Array(order[start..<end])
            for (index, embedding) in zip(chunk, embed(chunk.map { sequences[$0] })) {
                embeddings[index] = embedding
            }
            start = end
        }
        return embeddings
    }
}
