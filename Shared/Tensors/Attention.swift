/// Scaled dot-product attention over several heads laid out side by side: a `[sequence, heads * headSize]`
/// matrix holds head `h` in columns `h * headSize ..< (h + 1) * headSize`, as the query, key and value
/// projections of BERT, ViT and GPT-2 produce them.
public enum Attention {
    /// Which query–key pairs may attend, added to the scaled scores before the softmax.
    public enum Mask: Sendable, Equatable {
        /// Every query sees every key.
        case none
        /// One additive value per key, the same for every query (0 to keep, a large negative number to drop;
        /// BERT's padding mask).
        case keys([Float])
        /// Query `i` sees keys `0 ... keyCount - queryCount + i` (GPT-2's causal mask; with a key cache the
        /// queries are the last positions).
        case causal
        /// A full additive `[queries, keys]` matrix.
        case full(Matrix)
    }

    /// Computes `softmax(Q Kᵀ / √headSize + mask) V` for every head and returns `[queries, heads * headSize]`.
    ///
    /// - Parameters:
    ///   - query: `[queries, heads * headSize]`.
    ///   - key: `[keys, heads * headSize]`.
    ///   - value: `[keys, heads * headSize]`.
    ///   - heads: The number of heads; the column count must divide evenly.
    ///   - mask: Additive mask applied to every head.
    public static func scaledDotProduct(
        query: Matrix, key: Matrix, value: Matrix, heads: Int, mask: Mask = .none
    ) -> Matrix {
        precondition(heads > 0 && query.columns % heads == 0, "columns must split evenly into heads")
        precondition(key.columns == query.columns && value.columns == query.columns, "Q, K, V widths differ")
        precondition(key.rows == value.rows, "keys and values must have the same length")
        var output = Matrix(rows: query.rows, columns: query.columns)
        var scores = [Float](repeating: 0, count: query.rows * key.rows)
        query.values.withUnsafeBufferPointer { q in
            key.values.withUnsafeBufferPointer { k in
                value.values.withUnsafeBufferPointer { v in
                    output.values.withUnsafeMutableBufferPointer { o in
                        scores.withUnsafeMutableBufferPointer { s in
                            compute(
                                query: q.baseAddress!, key: k.baseAddress!, value: v.baseAddress!,
                                output: o.baseAddress!, inputStride: query.columns, outputStride: query.columns,
                                queryCount: query.rows, keyCount: key.rows, heads: heads,
                                headSize: query.columns / heads, mask: mask, scores: s
                            )
                        }
                    }
                }
            }
        }
        return output
    }

    /// The same computation on raw buffers, for callers that attend over a block of rows inside a larger batch,
    /// or read Q, K and V straight out of one fused projection, without copying.
    ///
    /// Head `h` of a query row starts at `query + row * inputStride + h * headSize` (likewise keys and values);
    /// head `h` of an output row at `output + row * outputStride + h * headSize`. `scores` needs room for
    /// `queryCount * keyCount` values.
    public static func compute(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, inputStride: Int, outputStride: Int,
        queryCount: Int, keyCount: Int, heads: Int, headSize: Int,
        mask: Mask, scores: UnsafeMutableBufferPointer<Float>
    ) {
        guard queryCount > 0 else { return }
        precondition(scores.count >= queryCount * keyCount, "attention scratch buffer too small")
        guard keyCount > 0 else {
            for r in 0..<queryCount { (output + r * outputStride).update(repeating: 0, count: heads * headSize) }
            return
        }
        if case .keys(let additive) = mask { precondition(additive.count == keyCount, "key mask length") }
        if case .causal = mask { precondition(keyCount >= queryCount, "causal mask needs keys >= queries") }
        if case .full(let additive) = mask {
            precondition(additive.rows == queryCount && additive.columns == keyCount, "mask shape")
        }
        let scale = 1 / Float(headSize).squareRoot()

        for h in 0..<heads {
            let offset = h * headSize
            BLAS.sgemm(
                transposeB: true, m: queryCount, n: keyCount, k: headSize, alpha: scale,
                a: query + offset, lda: inputStride, b: key + offset, ldb: inputStride,
                c: scores.baseAddress!, ldc: keyCount)
            applyMask(mask, to: scores, queryCount: queryCount, keyCount: keyCount)
            for r in 0..<queryCount {
                Softmax.apply(UnsafeMutableBufferPointer(rebasing: scores[r * keyCount..<(r + 1) * keyCount]))
            }
            BLAS.sgemm(
                m: queryCount, n: headSize, k: keyCount, a: scores.baseAddress!, lda: keyCount,
                b: value + offset, ldb: inputStride, c: output + offset, ldc: outputStride)
        }
    }

    private static func applyMask(
        _ mask: Mask, to scores: UnsafeMutableBufferPointer<Float>, queryCount: Int, keyCount: Int
    ) {
        switch mask {
        case .none:
            return
        case .keys(let additive):
            for r in 0..<queryCount {
                for c in 0..<keyCount { scores[r * keyCount + c] += additive[c] }
            }
        case .causal:
            let shift = keyCount - queryCount
            for r in 0..<queryCount where r + shift + 1 < keyCount {
                for c in (r + shift + 1)..<keyCount { scores[r * keyCount + c] = -.infinity }
            }
        case .full(let additive):
            for i in 0..<queryCount * keyCount { scores[i] += additive.values[i] }
        }
    }
}
