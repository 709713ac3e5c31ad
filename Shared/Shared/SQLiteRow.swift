/// One result row: values by column name.
public struct SQLiteRow: Sendable {
    /// Column names in result order.
    public let columns: [String]
    /// Values in result order.
    public let values: [SQLiteValue]

    /// Creates a row; `columns` and `values` have the same length.
    public init(columns: [String], values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column`, or `.null` when the row has no such column.
    public subscript(_ column: String) -> SQLiteValue {
        guard let index = columns.firstIndex(of: column) else {
            return .null
        }
        return values[index]
    }

    /// The column as text, or nil when it is not text.
    public func string(_ column: String) -> String? {
        if case .text(let value) = self[column] {
            return value
        }
        return nil
    }

    /// The column as an integer, or nil when it is not an integer.
    public func int(_ column: String) -> Int? {
        if case .integer(let value) = self[column] {
            return Int(value)
        }
        return nil
    }

    /// The column as a 64-bit integer, or nil when it is not an integer.
    public func int64(_ column: String) -> Int64? {
        if case .integer(let value) = self[column] {
            return value
        }
        return nil
    }

    /// The column as a number (integers are converted), or nil when it is neither real nor integer.
    public func double(_ column: String) -> Double? {
        switch self[column] {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The column as bytes, or nil when it is not a blob.
    public func blob(_ column: String) -> [UInt8]? {
        if case .blob(let value) = self[column] {
            return value
        }
        return nil
    }
}
