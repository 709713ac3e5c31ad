import COpenBLAS
import Dispatch

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

    /// Computes `C = A * Bᵀ + beta * C` where `A` is `m x k` and `B` is `n x k`, both row-major: the product of
    /// activations with a linear layer's `[out, in]` weight.
    ///
    /// For a few rows (a single query's tokens) a plain `sgemm` spends most of its time copying the whole weight
    /// into its packed layout. Then the output is computed in column blocks small enough for OpenBLAS's unpacked
    /// small-matrix kernels, which read the weight in place, spread over `threadCount` threads (each reads only
    /// its share of the weight). Larger products go to `sgemm`, which threads itself.
    public static func multiplyByTransposed(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let block = smallProductBlock(m: m, n: n, k: k)
        guard block < n else {
            sgemm(transposeB: true, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        let blocks = (n + block - 1) / block
        let workers = min(threadCount, blocks)
        let operands = BlockOperands(a: a, b: b, c: c)
        let multiply = { @Sendable (worker: Int) in
            for index in (blocks * worker / workers)..<(blocks * (worker + 1) / workers) {
                let start = index * block
                sgemm(
                    transposeB: true, m: m, n: min(block, n - start), k: k, a: operands.a, lda: lda,
                    b: operands.b + start * ldb, ldb: ldb, beta: beta, c: operands.c + start, ldc: ldc)
            }
        }
        if workers > 1 {
            DispatchQueue.concurrentPerform(iterations: workers, execute: multiply)
        } else {
            multiply(0)
        }
    }

    /// The buffers of one blocked product, handed to its worker threads.
    ///
    /// `@unchecked Sendable`: the workers only read `a` and `b`, each writes a disjoint set of `c`'s columns, and
    /// `concurrentPerform` returns only after all of them finish, while the caller still owns the buffers.
    private struct BlockOperands: @unchecked Sendable {
        let a: UnsafePointer<Float>
        let b: UnsafePointer<Float>
        let c: UnsafeMutablePointer<Float>
    }

    /// The widest multiple of 16 output columns that keeps an `m x k` by `k x block` product within the sizes
    /// OpenBLAS's small-matrix kernels take (at most about 1,200 outputs and 10⁶ multiply-adds); `n` when the
    /// product is already small or no block of 16 columns qualifies.
    static func smallProductBlock(m: Int, n: Int, k: Int) -> Int {
        guard m > 0, k >= 32, m * n > smallOutputLimit || m * n * k > smallWorkLimit else { return n }
        let block = min(smallOutputLimit / m, smallWorkLimit / (m * k)) / 16 * 16
        return block >= 16 ? block : n
    }

    private static let smallOutputLimit = 1200
    private static let smallWorkLimit = 1_000_000
}
