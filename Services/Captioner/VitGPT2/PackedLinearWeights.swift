import CKernels
import Tensors

/// A decoder linear layer whose weight is kept only as panels of 16 output columns for the streaming few-row
/// kernel in `CKernels` (the layout `Tensors.PackedWeight` uses), with its bias when it has one.
///
/// Decoder steps feed one row per beam, so these layers never need the plain `[out, in]` weight; the loader packs
/// each weight once and lets the original go, keeping one copy of the decoder in memory.
struct PackedLinearWeights: Sendable {
    /// The packed `[out, in]` weight.
    let panels: WeightPanels
    /// `[out]`, or `nil` for no bias (the LM head).
    let bias: [Float]?

    /// Packs `weight` (`[out, in]`), calling `packedRows` after each block of rows is packed (to release them).
    init(weight: WeightTensor, bias: [Float]?, packedRows: (Range<Int>) -> Void = { _ in }) {
        panels = WeightPanels(weight, packedRows: packedRows)
        self.bias = bias
    }

    /// Packs a layer loaded in plain form; the plain weight is released with the last copy of `layer`.
    init(_ layer: LinearWeights) {
        self.init(weight: layer.weight, bias: layer.bias)
    }

    /// `input * weightᵀ + bias`, `[input.rows, out]`, shared with the kernel's worker thread.
    func apply(_ input: Matrix) -> Matrix {
        let outputs = panels.rows
        precondition(input.columns == panels.columns, "linear layer expects \(panels.columns) inputs")
        var result = Matrix(rows: input.rows, columns: outputs)
        guard input.rows > 0, outputs > 0 else { return result }
        input.values.withUnsafeBufferPointer { x in
            result.values.withUnsafeMutableBufferPointer { y in
                if let bias {
                    bias.withUnsafeBufferPointer { shift in
                        multiply(rows: input.rows, x: x.baseAddress!, bias: shift.baseAddress!, y: y.baseAddress!)
                    }
                } else {
                    multiply(rows: input.rows, x: x.baseAddress!, bias: nil, y: y.baseAddress!)
                }
            }
        }
        return result
    }

    private func multiply(
        rows: Int, x: UnsafePointer<Float>, bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>
    ) {
        ck_linear_packed(
            rows, panels.rows, panels.columns, x, panels.columns, panels.pointer, bias, y, panels.rows,
            Int32(LinearWeights.workerCount), CK_KERNEL_AUTOMATIC)
    }
}

/// An `[out, in]` weight copied into panels of `CK_PANEL_WIDTH` output columns: panel `p` holds, for each input,
/// the weights of outputs `p * 16 ..< p * 16 + 16` side by side.
///
/// The panels sit on 64-byte-aligned heap memory rather than `ck_allocate`'s 2 MB pages: rounding each of the
/// decoder's 73 weights up to whole huge pages cost about 140 MiB of peak memory for no measurable speed.
///
/// `@unchecked Sendable`: the panels are written only in `init` and read-only afterwards; the class owns them and
/// frees them in `deinit`.
final class WeightPanels: @unchecked Sendable {
    /// The packed floats.
    let pointer: UnsafeMutablePointer<Float>
    /// Outputs of the weight.
    let rows: Int
    /// Inputs of the weight.
    let columns: Int

    /// Packs `weight` in blocks of whole panels, calling `packedRows` with the rows of each block once it is
    /// packed, so that a caller can drop the source pages before the next block (a panel depends only on its own
    /// 16 rows, so packing a block writes exactly its panels of the whole layout).
    init(_ weight: WeightTensor, packedRows: (Range<Int>) -> Void = { _ in }) {
        rows = weight.rows
        columns = weight.columns
        let count = ck_packed_count(rows, columns)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
        let block = 256 * Int(CK_PANEL_WIDTH)
        for first in stride(from: 0, to: rows, by: block) {
            let range = first..<min(first + block, rows)
            ck_pack_weight(weight.row(first), range.count, columns, pointer + first * columns)
            packedRows(range)
        }
    }

    deinit {
        pointer.deallocate()
    }

    /// Row `index` of the original weight (a tied token embedding), gathered from its panel.
    func row(_ index: Int) -> [Float] {
        let width = Int(CK_PANEL_WIDTH)
        let panel = pointer + index / width * width * columns + index % width
        return (0..<columns).map { panel[$0 * width] }
    }
}
