import CKernels

/// A linear layer's `[out, in]` weight kept twice: as is, for products over many rows, which go to OpenBLAS, and
/// copied once into panels of 16 output columns, for products over a few rows (one sentence's tokens), which a
/// streaming kernel computes reading every weight exactly once.
///
/// `@unchecked Sendable`: the panels are written only in `init` and read-only afterwards; the class owns them and
/// frees them in `deinit`.
public final class PackedWeight: @unchecked Sendable {
    /// The weight in PyTorch's `[out, in]` layout.
    public let weight: Matrix
    private let panels: UnsafeMutablePointer<Float>

    /// The most rows a product sends to the streaming kernel; longer inputs go to OpenBLAS.
    public static let streamingRowLimit = 64

    /// The code paths of the streaming kernel.
    public enum Kernel: Sendable, CaseIterable {
        /// The widest path this processor supports.
        case automatic
        /// Plain C, for any processor.
        case portable
        /// 256-bit AVX2 with fused multiply-add.
        case avx2
        /// 512-bit AVX-512.
        case avx512

        /// Whether this processor can run the path.
        public var isAvailable: Bool { ck_kernel_available(code) != 0 }

        var code: CKKernel {
            switch self {
            case .automatic: CK_KERNEL_AUTOMATIC
            case .portable: CK_KERNEL_PORTABLE
            case .avx2: CK_KERNEL_AVX2
            case .avx512: CK_KERNEL_AVX512
            }
        }
    }

    /// Packs `weight` (`[out, in]`).
    public init(_ weight: Matrix) {
        self.weight = weight
        let count = ck_packed_count(weight.rows, weight.columns)
        guard let panels = ck_allocate(count) else { fatalError("out of memory packing a \(count)-float weight") }
        self.panels = panels
        weight.values.withUnsafeBufferPointer { ck_pack_weight($0.baseAddress!, weight.rows, weight.columns, panels) }
    }

    deinit {
        ck_free(panels)
    }

    /// Computes `C = A * weightᵀ + bias` for `m` rows of `A` (row stride `lda`) into `C` (row stride `ldc`),
    /// sharing the work with one persistent worker thread when `threads` is 2 or more.
    func streamProduct(
        m: Int, a: UnsafePointer<Float>, lda: Int, bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>,
        ldc: Int, threads: Int, kernel: Kernel
    ) {
        ck_linear_packed(
            m, weight.rows, weight.columns, a, lda, panels, bias, c, ldc, Int32(clamping: threads), kernel.code)
    }
}
