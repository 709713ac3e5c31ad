import CSQLite

extension Database {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. Nested calls
    /// become savepoints, so an inner failure that the outer body catches undoes only the inner work.
    /// Other threads wait until the outermost transaction ends.
    /// - Throws: what `body` throws, or `DatabaseError` when SQLite cannot begin or commit.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let depth = transactionDepth
        let savepoint = "imgrec_savepoint_\(depth)"
        try runScript(depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
        transactionDepth += 1
        let value: T
        do {
            value = try body()
            transactionDepth -= 1
            try runScript(depth == 0 ? "COMMIT" : "RELEASE \(savepoint)")
        } catch {
            if transactionDepth > depth {
                transactionDepth -= 1
            }
            if depth == 0 {
                try? runScript("ROLLBACK")
            } else {
                try? runScript("ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
            }
            throw error
        }
        return value
    }

    /// Applies the migrations the file has not seen yet, each in its own transaction together with the
    /// new `user_version`, re-reading the version inside the transaction so that two processes opening
    /// the same file at once do not both migrate.
    func migrate(_ migrations: [String]) throws {
        while true {
            let applied = try transaction { () throws -> Bool in
                let version = try query("PRAGMA user_version").first?.int("user_version") ?? 0
                guard version <= migrations.count else {
                    throw DatabaseError(
                        code: SQLITE_ERROR,
                        message: "\(path) has schema version \(version), newer than this program's "
                            + "\(migrations.count); refusing to use it")
                }
                guard version < migrations.count else {
                    return false
                }
                do {
                    try runScript(migrations[version])
                } catch let failure as DatabaseError {
                    throw DatabaseError(
                        code: failure.code, message: "migration \(version + 1) failed: \(failure.message)",
                        sql: failure.sql)
                }
                try runScript("PRAGMA user_version = \(version + 1)")
                return true
            }
            if !applied {
                return
            }
        }
    }
}
