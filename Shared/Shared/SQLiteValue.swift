/// A value stored in or read from SQLite, one case per storage class.
public enum SQLiteValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByNilLiteral
{
    /// An integer literal as `.integer`.
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }

    /// A floating-point literal as `.real`.
    public init(floatLiteral value: Double) {
        self = .real(value)
    }

    /// A string literal as `.text`.
    public init(stringLiteral value: String) {
        self = .text(value)
    }

    /// `nil` as `.null`.
    public init(nilLiteral: ()) {
        self = .null
    }

    /// `.integer` from an `Int`.
    public static func int(_ value: Int) -> SQLiteValue {
        .integer(Int64(value))
    }

    /// `.text`, or `.null` for nil.
    public static func optional(_ value: String?) -> SQLiteValue {
        value.map { .text($0) } ?? .null
    }
}
