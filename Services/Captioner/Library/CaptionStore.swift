import Foundation
import Shared

/// The captioner's SQLite database: the caption cache and the batch jobs with their images.
///
/// Captions are keyed by (content key, engine, model): the content key is the image's SHA-256, joined
/// with the sidecar text for engines that read it, so the same content is never captioned twice by the
/// same model.
public final class CaptionStore: Sendable {
    let database: Database

    /// Schema versions; entry i brings the database to `user_version` i + 1.
    static let migrations = [
        """
        CREATE TABLE captions (
            content_key TEXT NOT NULL,
            engine TEXT NOT NULL,
            model TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            caption TEXT NOT NULL,
            raw_caption TEXT NOT NULL,
            tokens TEXT NOT NULL,
            ms REAL NOT NULL,
            created_at REAL NOT NULL,
            PRIMARY KEY (content_key, engine, model)
        );
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            sampler TEXT NOT NULL,
            sample_id TEXT NOT NULL,
            engine TEXT NOT NULL,
            model TEXT NOT NULL,
            status TEXT NOT NULL,
            total INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE TABLE job_images (
            job_id TEXT NOT NULL REFERENCES jobs(id),
            position INTEGER NOT NULL,
            image_id TEXT NOT NULL,
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            status TEXT NOT NULL,
            content_key TEXT,
            error TEXT,
            PRIMARY KEY (job_id, image_id)
        );
        CREATE INDEX jobs_by_status ON jobs(status, created_at);
        """
    ]

    /// Opens (creating and migrating when needed) the database at `path`.
    public init(path: String) throws {
        database = try Database(path: path, migrations: Self.migrations)
    }

    // MARK: Captions

    /// The cached caption for `contentKey` by `engine` and `model`, if there is one.
    public func cachedCaption(contentKey: String, engine: String, model: String) throws -> CaptionRecord? {
        let rows = try database.query(
            "SELECT * FROM captions WHERE content_key = ? AND engine = ? AND model = ?",
            [.text(contentKey), .text(engine), .text(model)])
        return rows.first.map { Self.caption(from: $0, cached: true) }
    }

    /// Stores a caption under `contentKey`; an existing caption for the same key is kept.
    public func storeCaption(_ record: CaptionRecord, contentKey: String) throws {
        let tokens = String(decoding: try JSONEncoder().encode(record.tokens), as: UTF8.self)
        try database.execute(
            """
            INSERT OR IGNORE INTO captions
                (content_key, engine, model, sha256, caption, raw_caption, tokens, ms, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(contentKey), .text(record.engine), .text(record.model), .text(record.sha256),
                .text(record.caption), .text(record.rawCaption), .text(tokens), .real(record.ms),
                .real(Date().timeIntervalSince1970),
            ])
    }

    /// The number of cached captions.
    public func captionCount() throws -> Int {
        try database.query("SELECT count(*) AS n FROM captions").first?.int("n") ?? 0
    }

    private static func caption(from row: SQLiteRow, cached: Bool) -> CaptionRecord {
        let tokens = row.string("tokens").flatMap { try? JSONDecoder().decode([Int].self, from: Data($0.utf8)) }
        return CaptionRecord(
            caption: row.string("caption") ?? "", rawCaption: row.string("raw_caption") ?? "",
            tokens: tokens ?? [], engine: row.string("engine") ?? "", model: row.string("model") ?? "",
            ms: row.double("ms") ?? 0, sha256: row.string("sha256") ?? "", cached: cached)
    }
}
