import Foundation
import Tensors

/// The ViT image encoder: patch embedding (a strided convolution, computed as im2col and one product), CLS token,
/// position embeddings, pre-norm transformer blocks with exact GELU, and a final layer norm.
struct ViTEncoder: Sendable {
    private struct Block: Sendable {
        let normBefore: LayerNormWeights
        let query: LinearWeights
        let key: LinearWeights
        let value: LinearWeights
        let output: LinearWeights
        let normAfter: LayerNormWeights
        let intermediate: LinearWeights
        let down: LinearWeights
    }

    let configuration: VitGPT2Configuration.Encoder
    private let patchProjection: LinearWeights
    private let classToken: [Float]
    private let positions: Matrix
    private let blocks: [Block]
    private let finalNorm: LayerNormWeights

    /// Reads the `encoder.` tensors, checking each shape against `configuration`.
    init(weights: WeightReader, configuration: VitGPT2Configuration.Encoder) throws {
        self.configuration = configuration
        let hidden = configuration.hiddenSize
        let patchInputs = configuration.channels * configuration.patchSize * configuration.patchSize
        let patch = configuration.patchSize
        patchProjection = LinearWeights(
            weight: try weights.tensor(
                "encoder.embeddings.patch_embeddings.projection.weight",
                [hidden, configuration.channels, patch, patch]),
            bias: try weights.floats("encoder.embeddings.patch_embeddings.projection.bias", [hidden]))
        precondition(patchProjection.weight.columns == patchInputs, "patch projection shape checked above")
        classToken = try weights.floats("encoder.embeddings.cls_token", [1, 1, hidden])
        let tokens = configuration.patchCount + 1
        positions = Matrix(
            rows: tokens, columns: hidden,
            values: try weights.floats(
                "encoder.embeddings.position_embeddings", [1, tokens, hidden]))
        blocks = try (0..<configuration.layers).map { index in
            let prefix = "encoder.encoder.layer.\(index)."
            let inner = configuration.intermediateSize
            return Block(
                normBefore: try weights.layerNorm(prefix + "layernorm_before", size: hidden),
                query: try weights.linear(prefix + "attention.attention.query", inputs: hidden, outputs: hidden),
                key: try weights.linear(prefix + "attention.attention.key", inputs: hidden, outputs: hidden),
                value: try weights.linear(prefix + "attention.attention.value", inputs: hidden, outputs: hidden),
                output: try weights.linear(prefix + "attention.output.dense", inputs: hidden, outputs: hidden),
                normAfter: try weights.layerNorm(prefix + "layernorm_after", size: hidden),
                intermediate: try weights.linear(prefix + "intermediate.dense", inputs: hidden, outputs: inner),
                down: try weights.linear(prefix + "output.dense", inputs: inner, outputs: hidden))
        }
        finalNorm = try weights.layerNorm("encoder.layernorm", size: hidden)
    }

    /// The encoder's last hidden state, `[patches + 1, hidden]`, for `[3, size, size]` pixel values.
    func encode(pixelValues: [Float]) -> Matrix {
        let embedded = patchProjection.apply(patches(pixelValues))
        var states = Matrix(rows: embedded.rows + 1, columns: configuration.hiddenSize)
        states.values.replaceSubrange(0..<classToken.count, with: classToken)
        states.values.replaceSubrange(classToken.count..<states.values.count, with: embedded.values)
        states.add(positions)

        let epsilon = configuration.layerNormEpsilon
        for block in blocks {
            let normed = states.layerNormalized(block.normBefore, epsilon: epsilon)
            let attended = Self.attention(
                query: block.query.apply(normed), key: block.key.apply(normed),
                value: block.value.apply(normed), heads: configuration.heads)
            states.add(block.output.apply(attended))

            var inner = block.intermediate.apply(states.layerNormalized(block.normAfter, epsilon: epsilon))
            inner.applyGELU()
            states.add(block.down.apply(inner))
        }
        states.layerNormalize(gamma: finalNorm.gamma, beta: finalNorm.beta, epsilon: epsilon)
        return states
    }

    /// Multi-head attention without a mask, the heads split between the product workers.
    private static func attention(query: Matrix, key: Matrix, value: Matrix, heads: Int) -> Matrix {
        let parts = min(LinearWeights.workerCount, heads)
        guard parts > 1 else {
            return Attention.scaledDotProduct(query: query, key: key, value: value, heads: heads)
        }
        var output = Matrix(rows: query.rows, columns: query.columns)
        let headSize = query.columns / heads
        query.values.withUnsafeBufferPointer { q in
            key.values.withUnsafeBufferPointer { k in
                value.values.withUnsafeBufferPointer { v in
                    output.values.withUnsafeMutableBufferPointer { o in
                        let pointers = HeadGroup(
                            query: q.baseAddress!, key: k.baseAddress!, value: v.baseAddress!,
                            output: o.baseAddress!)
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            let first = heads * part / parts
                            let count = heads * (part + 1) / parts - first
                            let offset = first * headSize
                            var scores = [Float](repeating: 0, count: query.rows * key.rows)
                            scores.withUnsafeMutableBufferPointer { s in
                                Attention.compute(
                                    query: pointers.query + offset, key: pointers.key + offset,
                                    value: pointers.value + offset, output: pointers.output + offset,
                                    inputStride: query.columns, outputStride: query.columns,
                                    queryCount: query.rows, keyCount: key.rows, heads: count,
                                    headSize: headSize, mask: .none, scores: s)
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// im2col: one row per patch (row-major over the patch grid), its values ordered channel, row, column as the
    /// convolution weight's `[out, channel, row, column]` layout.
    private func patches(_ pixels: [Float]) -> Matrix {
        let size = configuration.imageSize
        let patch = configuration.patchSize
        let grid = size / patch
        let plane = size * size
        var matrix = Matrix(rows: grid * grid, columns: 3 * patch * patch)
        matrix.values.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { image in
                var index = 0
                for gridRow in 0..<grid {
                    for gridColumn in 0..<grid {
                        for channel in 0..<3 {
                            for row in 0..<patch {
                                let source = channel * plane + (gridRow * patch + row) * size + gridColumn * patch
                                for column in 0..<patch {
                                    out[index] = image[source + column]
                                    index += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return matrix
    }
}

/// The attention inputs and output shared by the head workers.
///
/// `@unchecked Sendable`: workers read the inputs and write the columns of their own heads only, while the caller
/// keeps all four buffers alive.
private struct HeadGroup: @unchecked Sendable {
    let query: UnsafePointer<Float>
    let key: UnsafePointer<Float>
    let value: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
}
