import Foundation
import Testing

@testable import Shared

private struct Abort: Error {}

private let schema = [
    "CREATE TABLE scans (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);",
    """
    CREATE TABLE images (id INTEGER PRIMARY KEY, scan_id INTEGER NOT NULL REFERENCES scans(id), file TEXT);
    CREATE INDEX images_scan ON images(scan_id);
    """,
]

/// A fresh directory for one test's database files.
private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("imgrec-db-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct DatabaseTests {
    @Test func runsMigrationsOnceAndRecordsTheVersion() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("test.sqlite").path

        do {
            let database = try Database(path: path, migrations: Array(schema.prefix(1)))
            #expect(database.schemaVersion == 1)
            try database.execute("INSERT INTO scans (name) VALUES (?)", ["first"])
        }
        let database = try Database(path: path, migrations: schema)
        #expect(database.schemaVersion == 2)
        #expect(try database.query("SELECT count(*) AS n FROM scans").first?.int("n") == 1)
        let reopened = try Database(path: path, migrations: schema)
        #expect(reopened.schemaVersion == 2)
        #expect(try reopened.query("PRAGMA journal_mode").first?.string("journal_mode") == "wal")

        #expect(throws: DatabaseError.self) { try Database(path: path, migrations: Array(schema.prefix(1))) }
    }

    @Test func reportsTheSQLiteCodeAndMessage() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: directory.appendingPathComponent("t.sqlite").path, migrations: schema)

        try database.execute("INSERT INTO scans (name) VALUES (?)", ["a"])
        do {
            try database.execute("INSERT INTO scans (name) VALUES (?)", ["a"])
            Issue.record("a duplicate insert should fail")
        } catch let error as DatabaseError {
            #expect(error.primaryCode == 19)
            #expect(error.message.contains("UNIQUE"))
        }
        let foreignKey = #expect(throws: DatabaseError.self) {
            try database.execute("INSERT INTO images (scan_id, file) VALUES (?, ?)", [.integer(999), "x.jpg"])
        }
        #expect(foreignKey?.message.contains("FOREIGN KEY") == true)
        #expect(throws: DatabaseError.self) { try database.query("SELECT nope FROM scans") }
    }

    @Test func rollsBackWhenTheBodyThrows() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: directory.appendingPathComponent("t.sqlite").path, migrations: schema)

        #expect(throws: Abort.self) {
            try database.transaction {
                try database.execute("INSERT INTO scans (name) VALUES (?)", ["doomed"])
                throw Abort()
            }
        }
        #expect(try database.query("SELECT * FROM scans").isEmpty)

        let id = try database.transaction { () throws -> Int64 in
            let id = try database.insert("INSERT INTO scans (name) VALUES (?)", ["kept"])
            // An inner failure that the outer body handles undoes only the inner work.
            try? database.transaction {
                try database.execute("INSERT INTO images (scan_id, file) VALUES (?, ?)", [.integer(id), "a.jpg"])
                throw Abort()
            }
            try database.transaction {
                try database.execute("INSERT INTO images (scan_id, file) VALUES (?, ?)", [.integer(id), "b.jpg"])
            }
            return id
        }
        #expect(try database.query("SELECT name FROM scans").map { $0.string("name") } == ["kept"])
        let files = try database.query("SELECT file FROM images WHERE scan_id = ?", [.integer(id)])
        #expect(files.map { $0.string("file") } == ["b.jpg"])
    }

    @Test func roundTripsEveryValueType() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(
            path: directory.appendingPathComponent("t.sqlite").path,
            migrations: ["CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT, e TEXT, z BLOB)"])

        let values: [SQLiteValue] = [
            .integer(Int64.min), .real(-1.25e-300), .text("naïve 🐕 \"quoted\" ' ; -- x"), .blob([0, 255, 1, 0]),
            .null, .text(""), .blob([]),
        ]
        try database.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        #expect(database.lastInsertRowID == 1)
        let row = try #require(try database.query("SELECT * FROM t").first)
        #expect(row.values == values)
        #expect(row.int64("i") == Int64.min)
        #expect(row.double("r") == -1.25e-300)
        #expect(row.string("s") == "naïve 🐕 \"quoted\" ' ; -- x")
        #expect(row.blob("b") == [0, 255, 1, 0])
        #expect(row["n"] == .null)
        #expect(row["missing"] == .null)
        #expect(row.string("i") == nil)
    }

    @Test func servesManyThreads() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: directory.appendingPathComponent("t.sqlite").path, migrations: schema)

        DispatchQueue.concurrentPerform(iterations: 40) { index in
            _ = try? database.transaction {
                try database.execute("INSERT INTO scans (name) VALUES (?)", [.text("scan \(index)")])
            }
        }
        #expect(try database.query("SELECT count(*) AS n FROM scans").first?.int("n") == 40)
    }
}
