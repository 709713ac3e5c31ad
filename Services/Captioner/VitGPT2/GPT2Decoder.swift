import Tensors

/// The GPT-2 decoder with cross-attention: token and position embeddings, pre-norm blocks of causal
/// self-attention (over a key/value cache), cross-attention over the encoder states, and a tanh-GELU MLP, then a
/// final layer norm and the LM head (tied to the token embeddings unless the file has its own).
///
/// One call to `step` advances several independent sequences (beams) by one token each.
struct GPT2Decoder: Sendable {
    private struct Block: Sendable {
        let norm1: LayerNormWeights
        /// The fused query, key and value projection: `[3 * hidden, hidden]`.
        let queryKeyValue: PackedLinearWeights
        let projection: PackedLinearWeights
        let crossNorm: LayerNormWeights
        let crossQuery: PackedLinearWeights
        /// The fused cross-attention key and value projection: `[2 * hidden, hidden]`.
        let crossKeyValue: LinearWeights
        let crossProjection: PackedLinearWeights
        let norm2: LayerNormWeights
        let up: PackedLinearWeights
        let down: PackedLinearWeights
    }

    /// The cross-attention keys and values of every block, computed once per image and shared by all beams.
    struct CrossStates: Sendable {
        /// Per block, `[encoder tokens, hidden]`.
        let keys: [Matrix]
        /// Per block, `[encoder tokens, hidden]`.
        let values: [Matrix]
    }

    /// The self-attention keys and values of the tokens seen so far, per block and per beam.
    struct Cache: Sendable {
        /// `keys[block][beam]`: `length` rows of `hidden` values.
        var keys: [[[Float]]]
        /// `values[block][beam]`, laid out as `keys`.
        var values: [[[Float]]]
        /// Tokens seen so far by every beam.
        var length = 0

        /// An empty cache for `beams` sequences.
        init(blocks: Int, beams: Int) {
            keys = Array(repeating: Array(repeating: [], count: beams), count: blocks)
            values = keys
        }

        /// Keeps, for each new beam, the history of beam `sources[newBeam]` (beam search's reordering).
        mutating func reorder(_ sources: [Int]) {
            keys = keys.map { beams in sources.map { beams[$0] } }
            values = values.map { beams in sources.map { beams[$0] } }
        }
    }

    let configuration: VitGPT2Configuration.Decoder
    /// The token embeddings, or `nil` when they are tied to the LM head and read from its panels.
    private let tokenEmbeddings: WeightTensor?
    private let positionEmbeddings: WeightTensor
    private let blocks: [Block]
    private let finalNorm: LayerNormWeights
    private let head: PackedLinearWeights

    /// Reads the `decoder.` tensors, checking each shape against `configuration`.
    init(weights: WeightReader, configuration: VitGPT2Configuration.Decoder) throws {
        self.configuration = configuration
        let hidden = configuration.hiddenSize
        let inner = configuration.innerSize
        positionEmbeddings = try weights.tensor("decoder.transformer.wpe.weight", [configuration.positions, hidden])
        blocks = try (0..<configuration.layers).map { index in
            let prefix = "decoder.transformer.h.\(index)."
            func conv(_ name: String, _ inputs: Int, _ outputs: Int) throws -> LinearWeights {
                try weights.conv1DLayer(prefix + name, inputs: inputs, outputs: outputs)
            }
            // Packed at once, so the transposed plain weight is freed before the next layer loads.
            func packed(_ name: String, _ inputs: Int, _ outputs: Int) throws -> PackedLinearWeights {
                PackedLinearWeights(try conv(name, inputs, outputs))
            }
            return Block(
                norm1: try weights.layerNorm(prefix + "ln_1", size: hidden),
                queryKeyValue: try packed("attn.c_attn", hidden, 3 * hidden),
                projection: try packed("attn.c_proj", hidden, hidden),
                crossNorm: try weights.layerNorm(prefix + "ln_cross_attn", size: hidden),
                crossQuery: try packed("crossattention.q_attn", hidden, hidden),
                crossKeyValue: try conv("crossattention.c_attn", hidden, 2 * hidden),
                crossProjection: try packed("crossattention.c_proj", hidden, hidden),
                norm2: try weights.layerNorm(prefix + "ln_2", size: hidden),
                up: try packed("mlp.c_fc", hidden, inner),
                down: try packed("mlp.c_proj", inner, hidden))
        }
        finalNorm = try weights.layerNorm("decoder.transformer.ln_f", size: hidden)
        let vocabulary = [configuration.vocabularySize, hidden]
        let embeddings = try weights.tensor("decoder.transformer.wte.weight", vocabulary)
        if weights.contains("decoder.lm_head.weight") {
            tokenEmbeddings = embeddings
            head = PackedLinearWeights(
                weight: try weights.tensor("decoder.lm_head.weight", vocabulary), bias: nil
            ) { weights.releasePages("decoder.lm_head.weight", rows: $0) }
        } else {
            // Tied: the packed head is the only copy; embedding lookups gather from its panels.
            tokenEmbeddings = nil
            head = PackedLinearWeights(weight: embeddings, bias: nil) {
                weights.releasePages("decoder.transformer.wte.weight", rows: $0)
            }
        }
    }

    /// The cross-attention keys and values for one image's encoder states.
    func crossStates(encoderStates: Matrix) -> CrossStates {
        let hidden = configuration.hiddenSize
        var keys: [Matrix] = []
        var values: [Matrix] = []
        for block in blocks {
            let fused = block.crossKeyValue.apply(encoderStates)
            var key = Matrix(rows: fused.rows, columns: hidden)
            var value = Matrix(rows: fused.rows, columns: hidden)
            for row in 0..<fused.rows {
                let start = row * 2 * hidden
                key.values.replaceSubrange(
                    row * hidden..<(row + 1) * hidden,
                    with: fused.values[start..<start + hidden])
                value.values.replaceSubrange(
                    row * hidden..<(row + 1) * hidden,
                    with: fused.values[start + hidden..<start + 2 * hidden])
            }
            keys.append(key)
            values.append(value)
        }
        return CrossStates(keys: keys, values: values)
    }

    /// Feeds `tokens[b]` to beam `b` at position `cache.length`, appends to the cache, and returns the next-token
    /// logits, `[beams, vocabulary]`.
    func step(tokens: [Int], cache: inout Cache, cross: CrossStates) -> Matrix {
        let hidden = configuration.hiddenSize
        let heads = configuration.heads
        let position = cache.length
        precondition(position < configuration.positions, "sequence longer than the position embeddings")
        var states = Matrix(rows: tokens.count, columns: hidden)
        for (beam, token) in tokens.enumerated() {
            let embedding =
                tokenEmbeddings.map { Array(UnsafeBufferPointer(start: $0.row(token), count: hidden)) }
                ?? head.panels.row(token)
            let place = positionEmbeddings.row(position)
            for c in 0..<hidden {
                states[beam, c] = embedding[c] + place[c]
            }
        }

        let epsilon = configuration.layerNormEpsilon
        var scores = [Float](repeating: 0, count: max(position + 1, cross.keys.first?.rows ?? 0) * tokens.count)
        for (index, block) in blocks.enumerated() {
            let fused = block.queryKeyValue.apply(states.layerNormalized(block.norm1, epsilon: epsilon))
            var attended = Matrix(rows: tokens.count, columns: hidden)
            for beam in 0..<tokens.count {
                let row = beam * 3 * hidden
                cache.keys[index][beam].append(contentsOf: fused.values[row + hidden..<row + 2 * hidden])
                cache.values[index][beam].append(contentsOf: fused.values[row + 2 * hidden..<row + 3 * hidden])
                fused.values.withUnsafeBufferPointer { q in
                    cache.keys[index][beam].withUnsafeBufferPointer { k in
                        cache.values[index][beam].withUnsafeBufferPointer { v in
                            attended.values.withUnsafeMutableBufferPointer { o in
                                scores.withUnsafeMutableBufferPointer { s in
                                    Attention.compute(
                                        query: q.baseAddress! + row, key: k.baseAddress!,
                                        value: v.baseAddress!, output: o.baseAddress! + beam * hidden,
                                        inputStride: hidden, outputStride: hidden, queryCount: 1,
                                        keyCount: position + 1, heads: heads,
                                        headSize: hidden / heads, mask: .none, scores: s)
                                }
                            }
                        }
                    }
                }
            }
            states.add(block.projection.apply(attended))

            let crossQuery = block.crossQuery.apply(states.layerNormalized(block.crossNorm, epsilon: epsilon))
            let crossAttended = Attention.scaledDotProduct(
                query: crossQuery, key: cross.keys[index],
                value: cross.values[index], heads: heads)
            states.add(block.crossProjection.apply(crossAttended))

            var inner = block.up.apply(states.layerNormalized(block.norm2, epsilon: epsilon))
            inner.applyTanhGELU()
            states.add(block.down.apply(inner))
        }
        cache.length += 1
        states.layerNormalize(gamma: finalNorm.gamma, beta: finalNorm.beta, epsilon: epsilon)
        return head.apply(states)
    }
}
