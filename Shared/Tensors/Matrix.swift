/// A dense two-dimensional `Float` matrix stored row-major in one contiguous array.
///
/// Element `(r, c)` lives at `values[r * columns + c]`. A linear layer's weight keeps PyTorch's `[out, in]`
/// layout, which is why the products accept a transposed right-hand side.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements, row after row; `rows * columns` of them.
    public var values: [Float]

    /// Creates a matrix filled with one value.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: value, count: rows * columns)
    }

    /// Creates a matrix over existing row-major values; `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        precondition(values.count == rows * columns, "matrix \(rows)x\(columns) needs \(rows * columns) values")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Creates a one-row matrix from a vector.
    public init(row: [Float]) {
        self.init(rows: 1, columns: row.count, values: row)
    }

    /// The element at a row and a column.
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The elements of one row.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[index * columns..<(index + 1) * columns]
    }

    /// The rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(
            rows: range.count, columns: columns,
            values: Array(values[range.lowerBound * columns..<range.upperBound * columns]))
    }

    /// The transpose, as a new matrix.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns {
                result.values[c * rows + r] = values[r * columns + c]
            }
        }
        return result
    }
}
