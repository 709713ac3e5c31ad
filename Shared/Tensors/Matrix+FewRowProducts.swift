import Foundation

extension Matrix {
    /// `self * weightᵀ (+ bias)` for a matrix of few rows (one token per beam in a decoder step), with `weight` in
    /// PyTorch's `[out, in]` layout.
    ///
    /// A general matrix product repacks the whole weight on every call, which dominates when the left side has a
    /// handful of rows. This kernel streams each weight row once, against all input rows at a time, and splits the
    /// outputs across `threads` workers. The result equals `linear(weight:bias:)` up to float rounding.
    public func fewRowProduct(weight: Matrix, bias: [Float]? = nil, threads: Int = 2) -> Matrix {
        precondition(columns == weight.columns, "linear layer expects \(weight.columns) inputs, got \(columns)")
        precondition(bias == nil || bias!.count == weight.rows, "bias must have one value per output")
        let outputs = weight.rows
        let inputs = columns
        let rowCount = rows
        var result = Matrix(rows: rowCount, columns: outputs)
        let chunks = max(1, min(threads, outputs / 256))
        values.withUnsafeBufferPointer { x in
            weight.values.withUnsafeBufferPointer { w in
                result.values.withUnsafeMutableBufferPointer { y in
                    let kernel = FewRowKernel(x: x.baseAddress!, w: w.baseAddress!, y: y.baseAddress!,
                                              bias: bias, rows: rowCount, inputs: inputs, outputs: outputs)
                    if chunks == 1 {
                        kernel.run(0 ..< outputs)
                    } else {
                        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                            kernel.run(outputs * chunk / chunks ..< outputs * (chunk + 1) / chunks)
                        }
                    }
                }
            }
        }
        return result
    }
}

/// The inner loops of `fewRowProduct`. `@unchecked Sendable`: workers read `x`, `w` and `bias` and write disjoint
/// output columns of `y`, all owned by the caller for the duration of the call.
private struct FewRowKernel: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let w: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
    let bias: [Float]?
    let rows: Int
    let inputs: Int
    let outputs: Int

    func run(_ range: Range<Int>) {
        let vectorEnd = inputs - inputs % 8
        var row = 0
        while row < rows {
            let group = min(4, rows - row)
            let x0 = x + row * inputs
            let x1 = x + (row + min(1, group - 1)) * inputs
            let x2 = x + (row + min(2, group - 1)) * inputs
            let x3 = x + (row + min(3, group - 1)) * inputs
            for output in range {
                let weights = w + output * inputs
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                var i = 0
                while i < vectorEnd {
                    let v = load(weights + i)
                    a0 += v * load(x0 + i)
                    a1 += v * load(x1 + i)
                    a2 += v * load(x2 + i)
                    a3 += v * load(x3 + i)
                    i += 8
                }
                var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
                while i < inputs {
                    s0 += weights[i] * x0[i]
                    s1 += weights[i] * x1[i]
                    s2 += weights[i] * x2[i]
                    s3 += weights[i] * x3[i]
                    i += 1
                }
                let shift = bias?[output] ?? 0
                let base = y + row * outputs + output
                base[0] = s0 + shift
                if group > 1 { base[outputs] = s1 + shift }
                if group > 2 { base[2 * outputs] = s2 + shift }
                if group > 3 { base[3 * outputs] = s3 + shift }
            }
            row += group
        }
    }

    @inline(__always)
    private func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }
}
