import Foundation
import Tensors

/// The BERT hyper-parameters this encoder reads from `config.json`.
struct BertConfiguration: Decodable, Sendable {
    let hiddenSize: Int
    let layerCount: Int
    let headCount: Int
    let intermediateSize: Int
    let layerNormEpsilon: Float
    let vocabularySize: Int
    let maximumPositions: Int
    let activation: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", layerCount = "num_hidden_layers", headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size", layerNormEpsilon = "layer_norm_eps"
        case vocabularySize = "vocab_size", maximumPositions = "max_position_embeddings"
        case activation = "hidden_act"
    }
}

/// A layer norm's scale and shift.
struct NormWeights: Sendable {
    let gamma: [Float]
    let beta: [Float]
}

/// A linear layer in PyTorch's `[out, in]` layout, packed for few-row products.
struct LinearWeights: Sendable {
    let weight: PackedWeight
    let bias: [Float]
}

/// One transformer encoder layer; the query, key and value projections are fused into one `[3 * hidden, hidden]`
/// product so a layer costs four matrix products.
struct EncoderLayerWeights: Sendable {
    let queryKeyValue: LinearWeights
    let attentionOutput: LinearWeights
    let attentionNorm: NormWeights
    let intermediate: LinearWeights
    let output: LinearWeights
    let outputNorm: NormWeights
}

/// Every weight of the BERT encoder, loaded once into memory.
struct BertWeights: Sendable {
    let configuration: BertConfiguration
    let wordEmbeddings: Matrix
    let positionEmbeddings: Matrix
    let tokenTypeEmbedding: [Float]
    let embeddingNorm: NormWeights
    let layers: [EncoderLayerWeights]

    init(directory: URL) throws {
        let configURL = directory.appendingPathComponent("config.json")
        let configuration: BertConfiguration
        do {
            configuration = try JSONDecoder().decode(BertConfiguration.self, from: Data(contentsOf: configURL))
        } catch {
            throw TextEmbeddingError(.invalidModel, "\(configURL.path): not a readable BERT config (\(error))")
        }
        guard configuration.activation == "gelu", configuration.hiddenSize % configuration.headCount == 0 else {
            throw TextEmbeddingError(
                .invalidModel,
                "\(configURL.path): expected exact GELU and heads dividing "
                    + "the hidden size")
        }
        self.configuration = configuration

        let path = directory.appendingPathComponent("model.safetensors").path
        do {
            let file = try SafeTensors(path: path)
            let hidden = configuration.hiddenSize
            // Some exports prefix every name with the model type.
            let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] == nil ? "" : "bert."
            func matrix(_ name: String, _ shape: [Int]) throws -> Matrix {
                try file.matrix(prefix + name, shape: shape)
            }
            func vector(_ name: String, _ count: Int) throws -> [Float] {
                try file.floats(prefix + name, shape: [count])
            }
            func norm(_ name: String) throws -> NormWeights {
                NormWeights(gamma: try vector(name + ".weight", hidden), beta: try vector(name + ".bias", hidden))
            }
            func linear(_ name: String, out: Int, in inputs: Int) throws -> LinearWeights {
                LinearWeights(
                    weight: PackedWeight(try matrix(name + ".weight", [out, inputs])),
                    bias: try vector(name + ".bias", out))
            }

            wordEmbeddings = try matrix("embeddings.word_embeddings.weight", [configuration.vocabularySize, hidden])
            positionEmbeddings = try matrix(
                "embeddings.position_embeddings.weight",
                [configuration.maximumPositions, hidden])
            tokenTypeEmbedding = Array(try file.matrix(prefix + "embeddings.token_type_embeddings.weight").row(0))
            embeddingNorm = try norm("embeddings.LayerNorm")
            layers = try (0..<configuration.layerCount).map { index in
                let layer = "encoder.layer.\(index)."
                let query = try linear(layer + "attention.self.query", out: hidden, in: hidden)
                let key = try linear(layer + "attention.self.key", out: hidden, in: hidden)
                let value = try linear(layer + "attention.self.value", out: hidden, in: hidden)
                let fused = LinearWeights(
                    weight: PackedWeight(
                        Matrix(
                            rows: 3 * hidden, columns: hidden,
                            values: query.weight.weight.values + key.weight.weight.values
                                + value.weight.weight.values)),
                    bias: query.bias + key.bias + value.bias)
                return EncoderLayerWeights(
                    queryKeyValue: fused,
                    attentionOutput: try linear(layer + "attention.output.dense", out: hidden, in: hidden),
                    attentionNorm: try norm(layer + "attention.output.LayerNorm"),
                    intermediate: try linear(
                        layer + "intermediate.dense", out: configuration.intermediateSize,
                        in: hidden),
                    output: try linear(layer + "output.dense", out: hidden, in: configuration.intermediateSize),
                    outputNorm: try norm(layer + "output.LayerNorm"))
            }
        } catch let error as TensorError {
            throw TextEmbeddingError(.invalidModel, error.message)
        }
    }
}
