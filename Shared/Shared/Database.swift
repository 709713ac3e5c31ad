import CSQLite
import Foundation

/// A SQLite database file with one connection: WAL journal, a busy timeout, foreign keys enforced,
/// prepared statements cached by SQL text, and schema migrations tracked in `PRAGMA user_version`.
///
/// `@unchecked Sendable`: the connection and the statement cache are only used while `lock` is held, so
/// calls from different threads run one after another. The lock is recursive so that a `transaction`
/// body can call `execute` and `query`; other threads wait until the whole transaction is over.
public final class Database: @unchecked Sendable {
    /// How long a statement waits for another process's lock before failing with `SQLITE_BUSY`.
    public static let busyTimeoutMilliseconds: Int32 = 5_000

    /// The file's path.
    public let path: String
    let lock = NSRecursiveLock()
    let connection: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    var transactionDepth = 0

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// - Parameter migrations: `migrations[i]` is SQL (one or more statements) that brings the schema from
    ///   `user_version` i to i + 1; each runs once, in its own transaction.
    /// - Throws: `DatabaseError` when the file cannot be opened, a migration fails, or the file's schema is
    ///   newer than `migrations` knows.
    public init(path: String, migrations: [String]) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw DatabaseError(code: status, message: "cannot open \(path): \(message)")
        }
        self.path = path
        self.connection = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        _ = try query("PRAGMA journal_mode = WAL")
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA synchronous = NORMAL")
        try migrate(migrations)
    }

    deinit {
        for statement in statements.values {
            sqlite3_finalize(statement)
        }
        sqlite3_close_v2(connection)
    }

    /// Runs `sql` with `parameters` bound to its `?` placeholders in order. Without parameters, `sql` may
    /// hold several statements separated by semicolons.
    /// - Throws: `DatabaseError` with SQLite's code and message.
    public func execute(_ sql: String, _ parameters: [SQLiteValue] = []) throws {
        try lock.withLock {
            guard try prepared(sql) != nil else {
                // Several statements: only possible without parameters.
                guard parameters.isEmpty else {
                    throw DatabaseError(
                        code: SQLITE_MISUSE, message: "parameters need a single statement", sql: sql)
                }
                try runScript(sql)
                return
            }
            _ = try run(sql, parameters, collect: false)
        }
    }

    /// Runs `sql` and returns its rows.
    /// - Throws: `DatabaseError` with SQLite's code and message.
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        try lock.withLock { try run(sql, parameters, collect: true) }
    }

    /// Runs an `INSERT` and returns the new row's id, read under the same lock so that no other insert
    /// can come between.
    public func insert(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int64 {
        try lock.withLock {
            _ = try run(sql, parameters, collect: false)
            return sqlite3_last_insert_rowid(connection)
        }
    }

    /// Runs an `UPDATE` or `DELETE` and returns how many rows it changed, read under the same lock so that
    /// no other statement can come between.
    public func update(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int {
        try lock.withLock {
            _ = try run(sql, parameters, collect: false)
            return Int(sqlite3_changes(connection))
        }
    }

    /// The row id of the most recent successful `INSERT` on this connection. With several threads
    /// inserting, prefer `insert(_:_:)` or read it inside a `transaction`.
    public var lastInsertRowID: Int64 {
        lock.withLock { sqlite3_last_insert_rowid(connection) }
    }

    /// Rows changed by the most recent `INSERT`, `UPDATE` or `DELETE`.
    public var changes: Int {
        lock.withLock { Int(sqlite3_changes(connection)) }
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    public var schemaVersion: Int {
        (try? query("PRAGMA user_version").first?.int("user_version")) ?? 0
    }

    func error(_ status: Int32, sql: String?) -> DatabaseError {
        DatabaseError(code: status, message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }

    /// Runs several statements with no parameters.
    func runScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(connection, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(connection))
            throw DatabaseError(code: sqlite3_extended_errcode(connection), message: text, sql: sql)
        }
    }

    private func run(_ sql: String, _ parameters: [SQLiteValue], collect: Bool) throws -> [SQLiteRow] {
        guard let statement = try prepared(sql) else {
            throw DatabaseError(code: SQLITE_MISUSE, message: "expected a single statement", sql: sql)
        }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw DatabaseError(
                code: SQLITE_RANGE, message: "expected \(expected) parameters, got \(parameters.count)", sql: sql)
        }
        for (offset, value) in parameters.enumerated() {
            let status = bind(value, to: statement, at: Int32(offset + 1))
            guard status == SQLITE_OK else {
                throw error(status, sql: sql)
            }
        }
        var rows: [SQLiteRow] = []
        let columns = (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) }
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE {
                return rows
            }
            guard status == SQLITE_ROW else {
                throw error(sqlite3_extended_errcode(connection), sql: sql)
            }
            if collect {
                let values = (0..<Int32(columns.count)).map { column(statement, $0) }
                rows.append(SQLiteRow(columns: columns, values: values))
            }
        }
    }

    /// The cached prepared statement for `sql`, or nil when `sql` holds more than one statement.
    private func prepared(_ sql: String) throws -> OpaquePointer? {
        if let statement = statements[sql] {
            return statement
        }
        var statement: OpaquePointer?
        var rest = ""
        let status = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v3(connection, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            rest = tail.map { String(cString: $0) } ?? ""
            return status
        }
        guard status == SQLITE_OK, let statement else {
            throw error(status, sql: sql)
        }
        guard rest.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite3_finalize(statement)
            return nil
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(statement, index)
        case .integer(let number):
            return sqlite3_bind_int64(statement, index, number)
        case .real(let number):
            return sqlite3_bind_double(statement, index, number)
        case .text(let text):
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { buffer in
                // A non-null pointer even for "" so that the value is empty text, not NULL.
                let base = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(bitPattern: 1)!
                return sqlite3_bind_text64(
                    statement, index, base.assumingMemoryBound(to: CChar.self), UInt64(buffer.count),
                    imgrec_sqlite_transient(), UInt8(SQLITE_UTF8))
            }
        case .blob(let bytes):
            guard !bytes.isEmpty else {
                return sqlite3_bind_zeroblob(statement, index, 0)
            }
            return bytes.withUnsafeBytes { buffer in
                sqlite3_bind_blob64(
                    statement, index, buffer.baseAddress, UInt64(buffer.count), imgrec_sqlite_transient())
            }
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let text = sqlite3_column_text(statement, index) else {
                return .text("")
            }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let blob = sqlite3_column_blob(statement, index), count > 0 else {
                return .blob([])
            }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }
}
