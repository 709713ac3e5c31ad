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
        ldc: Int, threads: Int
    ) {
        ck_linear_packed(
            m, weight.rows, weight.columns, a, lda, panels, bias, c, ldc, Int32(clamping: threads))
    }
}
