#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only `rows x columns` block of `Float` weights, row-major: either a view straight into the
/// memory-mapped weights file (F32 tensors, used as stored) or a buffer the loader filled (converted F16/BF16
/// tensors, transposed GPT-2 `Conv1D` weights).
///
/// `@unchecked Sendable`: the memory is never written after loading, and `owner` keeps it alive (the mapping or
/// the buffer) for as long as any copy of the tensor exists.
struct WeightTensor: @unchecked Sendable {
    /// The first element.
    let base: UnsafePointer<Float>
    /// Number of rows.
    let rows: Int
    /// Number of columns.
    let columns: Int
    private let owner: AnyObject

    /// A view of memory kept alive by `owner`.
    init(base: UnsafePointer<Float>, rows: Int, columns: Int, owner: AnyObject) {
        self.base = base
        self.rows = rows
        self.columns = columns
        self.owner = owner
    }

    /// A tensor over a new buffer of `rows * columns` elements that `fill` initialises completely.
    init(rows: Int, columns: Int, fill: (UnsafeMutablePointer<Float>) -> Void) {
        let buffer = FloatBuffer(count: rows * columns)
        fill(buffer.pointer)
        self.init(base: buffer.pointer, rows: rows, columns: columns, owner: buffer)
    }

    /// Row `index`.
    func row(_ index: Int) -> UnsafePointer<Float> { base + index * columns }

    /// The rows `range` as a view sharing this tensor's memory.
    func rows(_ range: Range<Int>) -> WeightTensor {
        WeightTensor(base: row(range.lowerBound), rows: range.count, columns: columns, owner: owner)
    }
}

/// Heap memory for weights the loader converts; freed with the last tensor that uses it.
private final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        pointer = .allocate(capacity: max(count, 1))
    }

    deinit {
        pointer.deallocate()
    }
}
