/// A table of strings read in place from a `strings` section.
///
/// `@unchecked Sendable`: the pointers reach into an immutable mapping that `mapping` keeps alive.
public struct StringTable: RandomAccessCollection, @unchecked Sendable {
    let mapping: ModelFileMapping
    let offsets: Int
    let text: Int
    /// The number of strings.
    public let count: Int

    /// 0.
    public var startIndex: Int { 0 }
    /// `count`.
    public var endIndex: Int { count }

    /// The string at `index`, decoded from UTF-8 (invalid bytes become U+FFFD).
    public subscript(index: Int) -> String {
        precondition(index >= 0 && index < count, "string table index out of range")
        let start = Int(mapping.load(UInt64.self, at: offsets + index * 8))
        let end = Int(mapping.load(UInt64.self, at: offsets + index * 8 + 8))
        let bytes = UnsafeRawBufferPointer(start: mapping.base + text + start, count: end - start)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A row-major Float32 matrix (or vector, with one column) read in place from a `float32` section.
///
/// `@unchecked Sendable`: the pointer reaches into an immutable mapping that `mapping` keeps alive.
public struct Float32Array: RandomAccessCollection, @unchecked Sendable {
    let mapping: ModelFileMapping
    /// All values, row after row, pointing into the mapping.
    public let buffer: UnsafeBufferPointer<Float>
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int

    /// 0.
    public var startIndex: Int { 0 }
    /// The number of values.
    public var endIndex: Int { buffer.count }

    /// The value at flat position `index`.
    public subscript(index: Int) -> Float { buffer[index] }

    /// The values of row `row`, pointing into the mapping.
    public func row(_ row: Int) -> UnsafeBufferPointer<Float> {
        precondition(row >= 0 && row < rows, "matrix row out of range")
        return UnsafeBufferPointer(rebasing: buffer[row * cols..<(row + 1) * cols])
    }
}

/// A vector of UInt32 values read in place from a `uint32` section.
///
/// `@unchecked Sendable`: the pointer reaches into an immutable mapping that `mapping` keeps alive.
public struct UInt32Array: RandomAccessCollection, @unchecked Sendable {
    let mapping: ModelFileMapping
    /// The values, pointing into the mapping.
    public let buffer: UnsafeBufferPointer<UInt32>

    /// 0.
    public var startIndex: Int { 0 }
    /// The number of values.
    public var endIndex: Int { buffer.count }

    /// The value at `index`.
    public subscript(index: Int) -> UInt32 { buffer[index] }
}

/// A CSR sparse Float32 matrix read in place from a `csr_float32` section.
///
/// `@unchecked Sendable`: the pointers reach into an immutable mapping that `mapping` keeps alive.
public struct SparseMatrixView: @unchecked Sendable {
    let mapping: ModelFileMapping
    let indptr: Int
    /// Column indices of all stored values, pointing into the mapping.
    public let indices: UnsafeBufferPointer<UInt32>
    /// All stored values, pointing into the mapping.
    public let values: UnsafeBufferPointer<Float>
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int

    /// The stored column indices and values of row `row`.
    public func row(_ row: Int) -> (indices: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Float>) {
        precondition(row >= 0 && row < rows, "sparse matrix row out of range")
        let start = Int(mapping.load(UInt64.self, at: indptr + row * 8))
        let end = Int(mapping.load(UInt64.self, at: indptr + row * 8 + 8))
        return (
            UnsafeBufferPointer(rebasing: indices[start..<end]), UnsafeBufferPointer(rebasing: values[start..<end])
        )
    }
}
