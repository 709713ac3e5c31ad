import Foundation
import Tensors

/// Up to this many input rows, products stream the weight once instead of calling the general product.
let fewRowLimit = 16

/// A layer norm's scale and shift.
struct LayerNormWeights: Sendable {
    /// Per-column scale.
    let gamma: [Float]
    /// Per-column shift.
    let beta: [Float]
}

/// A linear layer in PyTorch's `[out, in]` layout, with its bias when it has one.
struct LinearWeights: Sendable {
    /// `[out, in]`.
    let weight: WeightTensor
    /// `[out]`, or `nil` for no bias (the LM head).
    let bias: [Float]?

    /// `input * weightᵀ + bias`, `[input.rows, out]`.
    ///
    /// Many rows (the encoder, the cross-attention states) go to OpenBLAS. A handful of rows (one token per beam
    /// in a decoder step) take a kernel that reads each weight row once for all input rows: a general product
    /// would repack the whole weight on every call, which dominates when the left side is that small.
    func apply(_ input: Matrix) -> Matrix {
        precondition(input.columns == weight.columns, "linear layer expects \(weight.columns) inputs")
        var result = Matrix(rows: input.rows, columns: weight.rows)
        guard input.rows > 0, weight.rows > 0 else { return result }
        input.values.withUnsafeBufferPointer { x in
            result.values.withUnsafeMutableBufferPointer { y in
                let product = LinearProduct(
                    x: x.baseAddress!, rows: input.rows, weight: weight, bias: bias,
                    y: y.baseAddress!)
                // Few rows: split finely enough to share the weight stream; many rows: blocks worth a BLAS call.
                let streaming = input.rows <= fewRowLimit
                let parts = max(1, min(LinearWeights.workerCount, weight.rows / (streaming ? 512 : 64)))
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let outputs = weight.rows * part / parts..<weight.rows * (part + 1) / parts
                    if streaming {
                        product.stream(outputs: outputs)
                    } else {
                        product.multiply(outputs: outputs)
                    }
                }
            }
        }
        return result
    }

    /// Threads that share one product: both cores of the reference machine, at most. OpenBLAS itself runs
    /// single-threaded (see `VitGPT2Model.init`), so its idle threads never spin against these workers.
    static let workerCount = min(2, max(1, ProcessInfo.processInfo.activeProcessorCount))
}

/// One linear-layer product, computed in blocks of output columns by several workers.
///
/// `@unchecked Sendable`: workers read `x`, the weight and the bias and write disjoint output columns of `y`, all
/// of which the caller keeps alive and does not touch during the call.
private struct LinearProduct: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let rows: Int
    let weight: WeightTensor
    let bias: [Float]?
    let y: UnsafeMutablePointer<Float>

    /// The output columns `range` through one single-threaded OpenBLAS product.
    func multiply(outputs range: Range<Int>) {
        let outputs = weight.rows
        if let bias {
            bias.withUnsafeBufferPointer { shift in
                for row in 0..<rows {
                    (y + row * outputs + range.lowerBound).update(
                        from: shift.baseAddress! + range.lowerBound,
                        count: range.count)
                }
            }
        }
        BLAS.sgemm(
            transposeB: true, m: rows, n: range.count, k: weight.columns, a: x, lda: weight.columns,
            b: weight.row(range.lowerBound), ldb: weight.columns, beta: bias == nil ? 0 : 1,
            c: y + range.lowerBound, ldc: outputs)
    }

    /// The output columns `range`: for each output, one pass over its weight row against up to four input rows at
    /// once, eight lanes wide.
    func stream(outputs range: Range<Int>) {
        let inputs = weight.columns
        let outputs = weight.rows
        let wide = inputs - inputs % 8
        if rows == 1 {
            runOneRow(outputs: range)
            return
        }
        var first = 0
        while first < rows {
            let count = min(4, rows - first)
            // Rows past the end of a short group repeat the group's last row; their sums are not stored.
            let r0 = x + first * inputs
            let r1 = x + (first + min(1, count - 1)) * inputs
            let r2 = x + (first + min(2, count - 1)) * inputs
            let r3 = x + (first + min(3, count - 1)) * inputs
            for output in range {
                let w = weight.row(output)
                var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
                var i = 0
                while i < wide {
                    let lane = Self.load(w + i)
                    s0 += lane * Self.load(r0 + i)
                    s1 += lane * Self.load(r1 + i)
                    s2 += lane * Self.load(r2 + i)
                    s3 += lane * Self.load(r3 + i)
                    i &+= 8
                }
                var t0 = s0.sum(), t1 = s1.sum(), t2 = s2.sum(), t3 = s3.sum()
                while i < inputs {
                    t0 += w[i] * r0[i]
                    t1 += w[i] * r1[i]
                    t2 += w[i] * r2[i]
                    t3 += w[i] * r3[i]
                    i += 1
                }
                let shift = bias?[output] ?? 0
                let out = y + first * outputs + output
                out[0] = t0 + shift
                if count > 1 { out[outputs] = t1 + shift }
                if count > 2 { out[2 * outputs] = t2 + shift }
                if count > 3 { out[3 * outputs] = t3 + shift }
            }
            first += count
        }
    }

    /// One input row (greedy search): two accumulators over sixteen lanes per pass.
    private func runOneRow(outputs range: Range<Int>) {
        let inputs = weight.columns
        let wide = inputs - inputs % 16
        for output in range {
            let w = weight.row(output)
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
            var i = 0
            while i < wide {
                s0 += Self.load(w + i) * Self.load(x + i)
                s1 += Self.load(w + i + 8) * Self.load(x + i + 8)
                i &+= 16
            }
            var total = (s0 + s1).sum()
            while i < inputs {
                total += w[i] * x[i]
                i += 1
            }
            y[output] = total + (bias?[output] ?? 0)
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }
}

extension Matrix {
    /// This matrix normalised by `norm`, as a new matrix.
    func layerNormalized(_ norm: LayerNormWeights, epsilon: Float) -> Matrix {
        var copy = self
        copy.layerNormalize(gamma: norm.gamma, beta: norm.beta, epsilon: epsilon)
        return copy
    }
}
