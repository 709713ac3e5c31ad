/// A compressed sparse row (CSR) matrix of Float32 values, as the writer takes it.
///
/// Row `r` holds the column indices `indices[indptr[r]..<indptr[r + 1]]` and their `values`.
public struct SparseMatrix: Sendable, Equatable {
    /// Number of rows.
    public var rows: Int
    /// Number of columns.
    public var cols: Int
    /// `rows + 1` offsets into `indices` and `values`; starts at 0 and never decreases.
    public var indptr: [Int]
    /// Column index of each stored value.
    public var indices: [UInt32]
    /// The stored values.
    public var values: [Float]

    /// Creates a matrix from its CSR arrays; `validate()` checks that they agree.
    public init(rows: Int, cols: Int, indptr: [Int], indices: [UInt32], values: [Float]) {
        self.rows = rows
        self.cols = cols
        self.indptr = indptr
        self.indices = indices
        self.values = values
    }

    /// Builds a matrix from rows of `(column, value)` pairs.
    public init(cols: Int, rows rowEntries: [[(column: Int, value: Float)]]) {
        var indptr = [0]
        var indices = [UInt32]()
        var values = [Float]()
        for row in rowEntries {
            for entry in row {
                indices.append(UInt32(entry.column))
                values.append(entry.value)
            }
            indptr.append(indices.count)
        }
        self.init(rows: rowEntries.count, cols: cols, indptr: indptr, indices: indices, values: values)
    }

    /// The transpose (column-major view of the same values), with indices sorted within each row.
    public func transposed() -> SparseMatrix {
        var counts = [Int](repeating: 0, count: cols + 1)
        for column in indices { counts[Int(column) + 1] += 1 }
        for column in 0..<cols { counts[column + 1] += counts[column] }

        var next = counts
        var newIndices = [UInt32](repeating: 0, count: indices.count)
        var newValues = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            for position in indptr[row]..<indptr[row + 1] {
                let column = Int(indices[position])
                newIndices[next[column]] = UInt32(row)
                newValues[next[column]] = values[position]
                next[column] += 1
            }
        }
        return SparseMatrix(rows: cols, cols: rows, indptr: counts, indices: newIndices, values: newValues)
    }

    /// Throws `invalidInput` unless the arrays describe a well-formed matrix.
    public func validate() throws {
        guard rows >= 0, cols >= 0, cols <= Int(UInt32.max), indptr.count == rows + 1, indptr.first == 0,
            indptr.last == indices.count, indices.count == values.count
        else {
            throw ModelFileError(.invalidInput, "sparse matrix arrays disagree with its shape")
        }
        for row in 0..<rows where indptr[row] > indptr[row + 1] {
            throw ModelFileError(.invalidInput, "sparse matrix indptr decreases at row \(row)")
        }
        if let bad = indices.first(where: { Int($0) >= cols }) {
            throw ModelFileError(.invalidInput, "sparse matrix column \(bad) is out of range 0..<\(cols)")
        }
    }
}
