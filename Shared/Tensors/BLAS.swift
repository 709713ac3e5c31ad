import COpenBLAS

/// Thin typed wrappers over OpenBLAS single-precision routines, on row-major storage.
public enum BLAS {
    /// The number of threads OpenBLAS uses for one product.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Computes `C = alpha * op(A) * op(B) + beta * C` on row-major buffers, where `op(X)` is `X` or its
    /// transpose. `C` is `m x n`; `op(A)` is `m x k`; `op(B)` is `k x n`. The leading dimensions are the row
    /// strides of the buffers as stored, which lets a caller multiply column blocks (one attention head) in place.
    ///
    /// - Parameters:
    ///   - transposeA: Whether `A` is stored as `k x m` and used transposed.
    ///   - transposeB: Whether `B` is stored as `n x k` and used transposed (a linear layer's `[out, in]` weight).
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc)
        )
    }
}
