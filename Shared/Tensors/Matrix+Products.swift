extension Matrix {
    /// The product `self * other`, both row-major.
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(columns == other.rows, "cannot multiply \(rows)x\(columns) by \(other.rows)x\(other.columns)")
        return product(with: other, outputs: other.columns, transposed: false)
    }

    /// The product `self * otherᵀ`: `other` is `n x columns`, for instance a linear layer's `[out, in]` weight.
    public func multiplied(byTransposed other: Matrix) -> Matrix {
        precondition(
            columns == other.columns,
            "cannot multiply \(rows)x\(columns) by the transpose of \(other.rows)x\(other.columns)")
        return product(with: other, outputs: other.rows, transposed: true)
    }

    private func product(with other: Matrix, outputs: Int, transposed: Bool) -> Matrix {
        var result = Matrix(rows: rows, columns: outputs)
        guard columns > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                result.values.withUnsafeMutableBufferPointer { c in
                    if transposed {
                        BLAS.multiplyByTransposed(
                            m: rows, n: outputs, k: columns, a: a.baseAddress!, lda: columns,
                            b: b.baseAddress!, ldb: columns, c: c.baseAddress!, ldc: outputs)
                    } else {
                        BLAS.sgemm(
                            m: rows, n: outputs, k: columns, a: a.baseAddress!, lda: columns,
                            b: b.baseAddress!, ldb: outputs, c: c.baseAddress!, ldc: outputs)
                    }
                }
            }
        }
        return result
    }

    /// A linear layer: `self * weightᵀ + bias`, with `weight` in PyTorch's `[out, in]` layout and `bias` of
    /// length `out` (or `nil`). The bias is written first and accumulated into by the product.
    public func linear(weight: Matrix, bias: [Float]?) -> Matrix {
        precondition(
            columns == weight.columns,
            "linear layer expects \(weight.columns) inputs, got \(columns)")
        guard let bias else { return multiplied(byTransposed: weight) }
        precondition(bias.count == weight.rows, "bias has \(bias.count) values for \(weight.rows) outputs")

        var result = Matrix(rows: rows, columns: weight.rows)
        result.values.withUnsafeMutableBufferPointer { c in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    (c.baseAddress! + r * weight.rows).update(from: b.baseAddress!, count: weight.rows)
                }
            }
        }
        guard columns > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            weight.values.withUnsafeBufferPointer { w in
                result.values.withUnsafeMutableBufferPointer { c in
                    BLAS.multiplyByTransposed(
                        m: rows, n: weight.rows, k: columns, a: a.baseAddress!,
                        lda: columns, b: w.baseAddress!, ldb: columns, beta: 1,
                        c: c.baseAddress!, ldc: weight.rows)
                }
            }
        }
        return result
    }
}
