import Foundation
import Tensors

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

    /// `input * weightᵀ + bias`, `[input.rows, out]`, in blocks of output columns through OpenBLAS.
    ///
    /// Only the encoder and the cross-attention states (hundreds of rows) use these layers; the decoder's
    /// few-row products go through `PackedLinearWeights`.
    func apply(_ input: Matrix) -> Matrix {
        precondition(input.columns == weight.columns, "linear layer expects \(weight.columns) inputs")
        var result = Matrix(rows: input.rows, columns: weight.rows)
        guard input.rows > 0, weight.rows > 0 else { return result }
        input.values.withUnsafeBufferPointer { x in
            result.values.withUnsafeMutableBufferPointer { y in
                let product = LinearProduct(
                    x: x.baseAddress!, rows: input.rows, weight: weight, bias: bias,
                    y: y.baseAddress!)
                let parts = max(1, min(LinearWeights.workerCount, weight.rows / 64))
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    product.multiply(outputs: weight.rows * part / parts..<weight.rows * (part + 1) / parts)
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
}

extension Matrix {
    /// This matrix normalised by `norm`, as a new matrix.
    func layerNormalized(_ norm: LayerNormWeights, epsilon: Float) -> Matrix {
        var copy = self
        copy.layerNormalize(gamma: norm.gamma, beta: norm.beta, epsilon: epsilon)
        return copy
    }
}
