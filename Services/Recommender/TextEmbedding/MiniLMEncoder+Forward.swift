import Tensors

extension MiniLMEncoder {
    /// Runs the encoder over several token sequences packed row after row into one `[tokens, hidden]` matrix,
    /// and returns one pooled, normalised embedding per sequence.
    func embed(_ sequences: [[Int32]]) -> [[Float]] {
        let configuration = weights.configuration
        let hidden = configuration.hiddenSize
        let starts = sequences.reduce(into: [0]) { $0.append($0.last! + $1.count) }

        var state = embeddings(of: sequences, rows: starts.last!)
        let longest = sequences.map(\.count).max() ?? 0
        var scores = [Float](repeating: 0, count: longest * longest)
        for layer in weights.layers {
            let projected = state.linear(layer.queryKeyValue.weight, bias: layer.queryKeyValue.bias)
            var context = Matrix(rows: state.rows, columns: hidden)
            projected.values.withUnsafeBufferPointer { qkv in
                context.values.withUnsafeMutableBufferPointer { output in
                    scores.withUnsafeMutableBufferPointer { scratch in
                        for (index, sequence) in sequences.enumerated() {
                            let input = qkv.baseAddress! + starts[index] * 3 * hidden
                            Attention.compute(
                                query: input, key: input + hidden, value: input + 2 * hidden,
                                output: output.baseAddress! + starts[index] * hidden,
                                inputStride: 3 * hidden, outputStride: hidden,
                                queryCount: sequence.count, keyCount: sequence.count,
                                heads: configuration.headCount, headSize: hidden / configuration.headCount,
                                mask: .none, scores: scratch)
                        }
                    }
                }
            }

            var attended = context.linear(layer.attentionOutput.weight, bias: layer.attentionOutput.bias)
            attended.add(state)
            attended.layerNormalize(
                gamma: layer.attentionNorm.gamma, beta: layer.attentionNorm.beta,
                epsilon: configuration.layerNormEpsilon)
            var intermediate = attended.linear(layer.intermediate.weight, bias: layer.intermediate.bias)
            intermediate.applyGELU()
            state = intermediate.linear(layer.output.weight, bias: layer.output.bias)
            state.add(attended)
            state.layerNormalize(
                gamma: layer.outputNorm.gamma, beta: layer.outputNorm.beta,
                epsilon: configuration.layerNormEpsilon)
        }

        return sequences.indices.map { meanPooledUnitVector(state, rows: starts[$0]..<starts[$0 + 1]) }
    }

    /// Word + position + token-type embeddings, layer-normalised.
    private func embeddings(of sequences: [[Int32]], rows: Int) -> Matrix {
        let hidden = weights.configuration.hiddenSize
        var state = Matrix(rows: rows, columns: hidden)
        state.values.withUnsafeMutableBufferPointer { output in
            weights.wordEmbeddings.values.withUnsafeBufferPointer { words in
                weights.positionEmbeddings.values.withUnsafeBufferPointer { positions in
                    var row = 0
                    for sequence in sequences {
                        for (position, id) in sequence.enumerated() {
                            let target = output.baseAddress! + row * hidden
                            let word = words.baseAddress! + Int(id) * hidden
                            let place = positions.baseAddress! + position * hidden
                            for c in 0..<hidden {
                                target[c] = word[c] + place[c] + weights.tokenTypeEmbedding[c]
                            }
                            row += 1
                        }
                    }
                }
            }
        }
        state.layerNormalize(
            gamma: weights.embeddingNorm.gamma, beta: weights.embeddingNorm.beta,
            epsilon: weights.configuration.layerNormEpsilon)
        return state
    }

    /// The mean of `rows` of `state`, scaled to unit length (left as is when its norm is below 1e-12).
    private func meanPooledUnitVector(_ state: Matrix, rows: Range<Int>) -> [Float] {
        var mean = [Float](repeating: 0, count: state.columns)
        for r in rows {
            for (c, value) in state.row(r).enumerated() { mean[c] += value }
        }
        let count = Float(max(rows.count, 1))
        var squares: Float = 0
        for c in mean.indices {
            mean[c] /= count
            squares += mean[c] * mean[c]
        }
        let norm = max(squares.squareRoot(), 1e-12)
        return mean.map { $0 / norm }
    }
}
