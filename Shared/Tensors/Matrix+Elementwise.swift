import Foundation

extension Matrix {
    /// Adds `bias` (one value per column) to every row.
    public mutating func addBias(_ bias: [Float]) {
        precondition(bias.count == columns, "bias has \(bias.count) values for \(columns) columns")
        let columns = self.columns
        values.withUnsafeMutableBufferPointer { x in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * columns
                    for c in 0..<columns { row[c] += b[c] }
                }
            }
        }
    }

    /// Adds another matrix of the same shape element by element (a residual connection).
    public mutating func add(_ other: Matrix) {
        precondition(rows == other.rows && columns == other.columns, "cannot add matrices of different shapes")
        values.withUnsafeMutableBufferPointer { x in
            other.values.withUnsafeBufferPointer { y in
                for i in 0..<x.count { x[i] += y[i] }
            }
        }
    }

    /// Normalises every row to zero mean and unit variance (biased variance, `epsilon` inside the square root),
    /// then scales by `gamma` and shifts by `beta`, as PyTorch's `LayerNorm` over the last dimension.
    public mutating func layerNormalize(gamma: [Float], beta: [Float], epsilon: Float) {
        precondition(gamma.count == columns && beta.count == columns, "layer norm parameters must match columns")
        let columns = self.columns
        guard columns > 0 else { return }
        values.withUnsafeMutableBufferPointer { x in
            gamma.withUnsafeBufferPointer { g in
                beta.withUnsafeBufferPointer { b in
                    for r in 0..<rows {
                        let row = x.baseAddress! + r * columns
                        var sum: Float = 0
                        for c in 0..<columns { sum += row[c] }
                        let mean = sum / Float(columns)
                        var squares: Float = 0
                        for c in 0..<columns {
                            let d = row[c] - mean
                            squares += d * d
                        }
                        let scale = 1 / (squares / Float(columns) + epsilon).squareRoot()
                        for c in 0..<columns { row[c] = (row[c] - mean) * scale * g[c] + b[c] }
                    }
                }
            }
        }
    }

    /// Applies the exact GELU, `x * (1 + erf(x / √2)) / 2`, to every element (not the tanh approximation).
    ///
    /// `erf` is evaluated with Abramowitz and Stegun's formula 7.1.28 (absolute error below 3·10⁻⁷, about two
    /// float ulps near 1), which needs no `exp` and so vectorises, instead of calling the C library per element.
    public mutating func applyGELU() {
        values.withUnsafeMutableBufferPointer { x in
            for i in 0..<x.count {
                let v = x[i]
                x[i] = 0.5 * v * (1 + Self.erf(v * 0.707_106_78))
            }
        }
    }

    /// The error function, to within 3·10⁻⁷ (Abramowitz and Stegun 7.1.28):
    /// `erf(x) = 1 − (1 + a₁x + a₂x² + … + a₆x⁶)⁻¹⁶` for `x ≥ 0`, odd-symmetric.
    @inline(__always)
    public static func erf(_ x: Float) -> Float {
        let t = abs(x)
        var p: Float = 0.000_043_063_8
        p = p * t + 0.000_276_567_2
        p = p * t + 0.000_152_014_3
        p = p * t + 0.009_270_527_2
        p = p * t + 0.042_282_012_3
        p = p * t + 0.070_523_078_4
        p = p * t + 1
        p *= p  // p²
        p *= p  // p⁴
        p *= p  // p⁸
        p *= p  // p¹⁶
        let magnitude = 1 - 1 / p
        return x < 0 ? -magnitude : magnitude
    }

    /// Replaces every row by its softmax, subtracting the row maximum first so large inputs do not overflow.
    /// A row whose entries are all `-infinity` becomes all zeros.
    public mutating func applySoftmaxToRows() {
        let columns = self.columns
        values.withUnsafeMutableBufferPointer { x in
            for r in 0..<rows {
                Softmax.apply(UnsafeMutableBufferPointer(rebasing: x[r * columns..<(r + 1) * columns]))
            }
        }
    }

    /// Multiplies every element by a constant.
    public mutating func scale(by factor: Float) {
        values.withUnsafeMutableBufferPointer { x in
            for i in 0..<x.count { x[i] *= factor }
        }
    }
}

/// The numerically stable softmax on a raw buffer, shared by `Matrix` and the attention kernel.
public enum Softmax {
    /// Replaces `x` by `softmax(x)` in place; a buffer of all `-infinity` becomes all zeros.
    public static func apply(_ x: UnsafeMutableBufferPointer<Float>) {
        guard !x.isEmpty else { return }
        var maximum = -Float.infinity
        for v in x where v > maximum { maximum = v }
        guard maximum > -Float.infinity else {
            x.update(repeating: 0)
            return
        }

        var sum: Float = 0
        for i in 0..<x.count {
            let e = exp(x[i] - maximum)
            x[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<x.count { x[i] *= inverse }
    }
}
