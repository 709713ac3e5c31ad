extension Matrix {
    /// A linear layer over a packed weight: `self * weightᵀ + bias`, with `bias` of length `out` (or `nil`).
    ///
    /// Up to `PackedWeight.streamingRowLimit` rows are computed by the streaming kernel on `BLAS.threadCount`
    /// threads; more rows go to OpenBLAS, like `linear(weight:bias:)`. `kernel` chooses the streaming kernel's
    /// code path (an unavailable one falls back to the automatic choice).
    public func linear(_ packed: PackedWeight, bias: [Float]?, kernel: PackedWeight.Kernel = .automatic) -> Matrix {
        let outputs = packed.weight.rows
        precondition(columns == packed.weight.columns, "linear layer expects \(packed.weight.columns) inputs")
        precondition(bias.map { $0.count == outputs } ?? true, "bias needs \(outputs) values")
        guard rows <= PackedWeight.streamingRowLimit, rows > 0, columns > 0 else {
            return linear(weight: packed.weight, bias: bias)
        }

        var result = Matrix(rows: rows, columns: outputs)
        values.withUnsafeBufferPointer { a in
            result.values.withUnsafeMutableBufferPointer { c in
                let output = c.baseAddress!
                let compute = { (b: UnsafePointer<Float>?) in
                    packed.streamProduct(
                        m: rows, a: a.baseAddress!, lda: columns, bias: b, c: output, ldc: outputs,
                        threads: BLAS.threadCount, kernel: kernel)
                }
                if let bias {
                    bias.withUnsafeBufferPointer { compute($0.baseAddress!) }
                } else {
                    compute(nil)
                }
            }
        }
        return result
    }
}
