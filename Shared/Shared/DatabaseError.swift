/// A failure reported by SQLite, with its result code, its message and the statement that failed.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite's extended result code, such as 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    public let code: Int32
    /// SQLite's message.
    public let message: String
    /// The statement, when one was running.
    public let sql: String?

    /// Creates an error.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of `code`), such as 19 (`SQLITE_CONSTRAINT`).
    public var primaryCode: Int32 {
        code & 0xff
    }

    /// `SQLite error 19: UNIQUE constraint failed: t.x (in: INSERT ...)`.
    public var description: String {
        let statement = sql.map { " (in: \($0))" } ?? ""
        return "SQLite error \(code): \(message)\(statement)"
    }
}
