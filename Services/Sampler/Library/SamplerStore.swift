import Foundation
import Shared

/// The sampler's SQLite store: scans, each image's verdict, evidence and SHA-256, and drawn samples.
public final class SamplerStore: Sendable {
    /// Schema migrations; entry `i` brings the schema to version `i + 1`.
    static let migrations = [
        """
        CREATE TABLE scans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            dataset TEXT NOT NULL,
            manifest TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE images (
            scan_id INTEGER NOT NULL REFERENCES scans(id),
            id TEXT NOT NULL,
            file TEXT NOT NULL,
            verdict TEXT NOT NULL,
            evidence TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (scan_id, id)
        );
        CREATE INDEX images_by_id ON images(id, scan_id);
        CREATE INDEX images_by_sha256 ON images(sha256);
        CREATE TABLE samples (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            scan_id INTEGER NOT NULL REFERENCES scans(id),
            count INTEGER NOT NULL,
            seed TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sample_images (
            sample_id INTEGER NOT NULL REFERENCES samples(id),
            position INTEGER NOT NULL,
            image_id TEXT NOT NULL,
            PRIMARY KEY (sample_id, position)
        );
        """,
        "ALTER TABLE samples ADD COLUMN verdicts TEXT NOT NULL DEFAULT 'real';",
        """
        ALTER TABLE scans ADD COLUMN status TEXT NOT NULL DEFAULT 'done';
        ALTER TABLE scans ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE scans ADD COLUMN error TEXT;
        """,
        "ALTER TABLE images ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';",
        """
        ALTER TABLE scans ADD COLUMN owner TEXT;
        ALTER TABLE scans ADD COLUMN heartbeat_at REAL;
        ALTER TABLE scans ADD COLUMN files_done INTEGER;
        ALTER TABLE scans ADD COLUMN files_total INTEGER;
        """,
    ]

    /// A stored scan's state, without its images.
    public struct ScanRecord: Sendable, Equatable {
        /// The canonical dataset folder.
        public var dataset: String
        /// Where the scan stands.
        public var status: ScanStatus
        /// Files left out of a finished scan, with reasons.
        public var notes: [String]
        /// Why a scan failed or stopped.
        public var error: String?
        /// How far a running scan had come at its owner's last heartbeat.
        public var progress: ScanProgress?
    }

    /// A stored image with the dataset it belongs to.
    public struct StoredImage: Sendable, Equatable {
        /// The scanned image.
        public var image: ScannedImage
        /// The canonical dataset folder.
        public var dataset: String
    }

    private let database: Database

    /// Opens (creating and migrating when needed) the store at `path`.
    public init(path: String) throws {
        database = try Database(path: path, migrations: Self.migrations)
    }

    /// Saves a finished scan and returns its id (`scan-N`).
    public func saveScan(_ scan: DatasetScan, manifest: String?) throws -> String {
        let scanID = try beginScan(dataset: scan.dataset, manifest: manifest)
        try finishScan(scanID, with: scan)
        return scanID
    }

    /// Records a scan that has started (status `running`, no images yet, owned by `owner` with a first
    /// heartbeat now) and returns its id (`scan-N`).
    func beginScan(
        dataset: String, manifest: String?, owner: ScanOwner = .current, now: Date = Date()
    ) throws
        -> String
    {
        let scanRow = try database.insert(
            """
            INSERT INTO scans (dataset, manifest, created_at, status, owner, heartbeat_at)
            VALUES (?, ?, ?, 'running', ?, ?)
            """,
            [
                .text(dataset), manifest.map(SQLiteValue.text) ?? .null, .text(Self.timestamp()), .text(owner.stored),
                .real(now.timeIntervalSince1970),
            ])
        return "scan-\(scanRow)"
    }

    /// Records that the owner of these running scans is alive, and how far each has come.
    /// Returns the ids among them that are no longer `running` in the store: another sampler marked them
    /// interrupted, and their work is lost.
    @discardableResult
    func heartbeat(_ scans: [String: ScanProgress], at now: Date = Date()) throws -> [String] {
        var gone: [String] = []
        for (scanID, progress) in scans {
            guard let row = Self.rowID(scanID, prefix: "scan-") else { continue }
            let changed = try database.update(
                """
                UPDATE scans SET heartbeat_at = ?, files_done = ?, files_total = ?
                WHERE id = ? AND status = 'running'
                """,
                [
                    .real(now.timeIntervalSince1970), .integer(Int64(progress.filesDone)),
                    progress.filesTotal.map { .integer(Int64($0)) } ?? .null, .integer(row),
                ])
            if changed == 0 { gone.append(scanID) }
        }
        return gone.sorted()
    }

    /// Stores the images and notes of a running scan and marks it `done`, in one transaction: a scan's
    /// images are never visible before all of them are stored.
    public func finishScan(_ scanID: String, with scan: DatasetScan) throws {
        guard let scanRow = Self.rowID(scanID, prefix: "scan-") else {
            throw ServiceError.notFound("scan_not_found", "no scan with id '\(scanID)'")
        }
        try database.transaction {
            // Another sampler may have judged the scan abandoned meanwhile; its verdict stands.
            let finished = try database.update(
                """
                UPDATE scans SET status = 'done', notes = ?, files_done = ?, files_total = ?
                WHERE id = ? AND status = 'running'
                """,
                [
                    .text(Self.encodeEvidence(scan.notes)), .integer(Int64(scan.filesRead)),
                    .integer(Int64(scan.filesRead)), .integer(scanRow),
                ])
            guard finished == 1 else {
                throw ServiceError.conflict(
                    "scan_interrupted", "scan \(scanID) was marked interrupted by another sampler before it ended")
            }
            for image in scan.images {
                try database.execute(
                    """
                    INSERT INTO images (scan_id, id, file, verdict, evidence, sha256, size, warnings)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .integer(scanRow), .text(image.id), .text(image.file), .text(image.verdict.rawValue),
                        .text(Self.encodeEvidence(image.evidence)), .text(image.sha256), .integer(Int64(image.size)),
                        .text(Self.encodeEvidence(image.warnings ?? [])),
                    ])
            }
        }
    }

    /// Marks a running scan as ended without images: `failed` with the reason.
    public func failScan(_ scanID: String, reason: String) throws {
        guard let scanRow = Self.rowID(scanID, prefix: "scan-") else { return }
        try database.execute(
            "UPDATE scans SET status = 'failed', error = ? WHERE id = ? AND status = 'running'",
            [.text(reason), .integer(scanRow)])
    }

    /// Marks the `running` scans whose process has gone as `interrupted` (a process that stops mid-scan
    /// leaves them so) and returns their ids. A scan is judged by `isAbandoned(owner, heartbeat)`; `only`
    /// limits the check to one scan.
    func interruptAbandonedScans(
        only scanID: String? = nil,
        isAbandoned: (ScanOwner?, Date?) -> Bool = { ScanOwner.isAbandoned(owner: $0, heartbeat: $1) }
    ) throws -> [String] {
        var rows = try database.query("SELECT id, owner, heartbeat_at FROM scans WHERE status = 'running'")
        if let scanID {
            let row = Self.rowID(scanID, prefix: "scan-")
            rows = rows.filter { $0.int64("id") == row }
        }
        var interrupted: [String] = []
        for row in rows {
            let heartbeat = row.double("heartbeat_at")
            guard let id = row.int64("id"),
                isAbandoned(row.string("owner").flatMap(ScanOwner.init(stored:)), Self.date(heartbeat))
            else { continue }
            // Only if no heartbeat landed since it was read: the owner may have been late, not gone.
            let changed = try database.update(
                """
                UPDATE scans SET status = 'interrupted', error = 'the sampler stopped before the scan ended; scan again'
                WHERE id = ? AND status = 'running' AND heartbeat_at IS ?
                """, [.integer(id), heartbeat.map(SQLiteValue.real) ?? .null])
            if changed == 1 { interrupted.append("scan-\(id)") }
        }
        return interrupted
    }

    /// A stored scan's state, or nil when there is none with this id.
    public func scanRecord(_ scanID: String) throws -> ScanRecord? {
        guard let row = Self.rowID(scanID, prefix: "scan-"),
            let scan = try database.query(
                "SELECT dataset, status, notes, error, files_done, files_total FROM scans WHERE id = ?", [.integer(row)]
            ).first
        else { return nil }
        return ScanRecord(
            dataset: scan.string("dataset") ?? "", status: ScanStatus(rawValue: scan.string("status") ?? "") ?? .failed,
            notes: Self.decodeEvidence(scan.string("notes") ?? "[]"), error: scan.string("error"),
            progress: scan.int("files_done").map { ScanProgress(filesDone: $0, filesTotal: scan.int("files_total")) })
    }

    /// The images of a scan, sorted by file, or nil when there is no such scan.
    public func scanImages(_ scanID: String) throws -> [ScannedImage]? {
        guard let row = Self.rowID(scanID, prefix: "scan-"),
            try !database.query("SELECT id FROM scans WHERE id = ?", [.integer(row)]).isEmpty
        else { return nil }
        return try database.query(
            "SELECT id, file, verdict, evidence, sha256, size, warnings FROM images WHERE scan_id = ? ORDER BY file",
            [.integer(row)]
        ).map(Self.image)
    }

    /// Saves a drawn sample and returns its id (`sample-N`).
    public func saveSample(
        scanID: String, count: Int, seed: UInt64, verdicts: [ProvenanceVerdict], note: String?, imageIDs: [String]
    ) throws -> String {
        guard let scanRow = Self.rowID(scanID, prefix: "scan-") else {
            throw ServiceError.notFound("scan_not_found", "no scan with id '\(scanID)'")
        }
        return try database.transaction {
            let sampleRow = try database.insert(
                "INSERT INTO samples (scan_id, count, seed, note, created_at, verdicts) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    .integer(scanRow), .integer(Int64(count)), .text(String(seed)), note.map(SQLiteValue.text) ?? .null,
                    .text(Self.timestamp()), .text(verdicts.map(\.rawValue).joined(separator: ",")),
                ])
            for (position, imageID) in imageIDs.enumerated() {
                try database.execute(
                    "INSERT INTO sample_images (sample_id, position, image_id) VALUES (?, ?, ?)",
                    [.integer(sampleRow), .integer(Int64(position)), .text(imageID)])
            }
            return "sample-\(sampleRow)"
        }
    }

    /// A stored sample, or nil when there is none with this id.
    public func sample(_ sampleID: String) throws -> SampleDocument? {
        guard let row = Self.rowID(sampleID, prefix: "sample-"),
            let sample = try database.query(
                "SELECT scan_id, count, seed, note, verdicts FROM samples WHERE id = ?",
                [.integer(row)]
            ).first,
            let scanRow = sample.int64("scan_id")
        else { return nil }
        let images = try database.query(
            """
            SELECT images.id, images.file, images.sha256, images.size FROM sample_images
            JOIN images ON images.scan_id = ? AND images.id = sample_images.image_id
            WHERE sample_images.sample_id = ? ORDER BY sample_images.position
            """, [.integer(scanRow), .integer(row)])
        return SampleDocument(
            sampleID: sampleID, scanID: "scan-\(scanRow)", count: sample.int("count") ?? 0,
            seed: UInt64(sample.string("seed") ?? "") ?? 0,
            verdicts: (sample.string("verdicts") ?? "real").split(separator: ",").compactMap {
                ProvenanceVerdict(rawValue: String($0))
            },
            note: sample.string("note"),
            images: images.map {
                SampleDocument.Image(
                    id: $0.string("id") ?? "", file: $0.string("file") ?? "",
                    sha256: $0.string("sha256") ?? "", size: $0.int("size") ?? 0)
            })
    }

    /// The most recent stored record of an image id, or nil.
    public func image(_ imageID: String) throws -> StoredImage? {
        guard
            let row = try database.query(
                """
                SELECT images.id, images.file, images.verdict, images.evidence, images.sha256, images.size,
                    images.warnings,
                    scans.dataset
                FROM images JOIN scans ON scans.id = images.scan_id WHERE images.id = ?
                ORDER BY images.scan_id DESC LIMIT 1
                """, [.text(imageID)]
            ).first
        else { return nil }
        return StoredImage(image: Self.image(row), dataset: row.string("dataset") ?? "")
    }

    /// Number of stored scans.
    public func scanCount() throws -> Int {
        try database.query("SELECT COUNT(*) AS n FROM scans").first?.int("n") ?? 0
    }

    private static func image(_ row: SQLiteRow) -> ScannedImage {
        ScannedImage(
            id: row.string("id") ?? "", file: row.string("file") ?? "",
            verdict: ProvenanceVerdict(rawValue: row.string("verdict") ?? "") ?? .unknown,
            evidence: decodeEvidence(row.string("evidence") ?? "[]"), sha256: row.string("sha256") ?? "",
            size: row.int("size") ?? 0, warnings: decodeEvidence(row.string("warnings") ?? "[]"))
    }

    /// The row of an id written exactly as the store writes it (`scan-12`: no sign, no leading zeros), so
    /// that one record has one id.
    private static func rowID(_ id: String, prefix: String) -> Int64? {
        guard id.hasPrefix(prefix), let row = Int64(id.dropFirst(prefix.count)), row > 0,
            "\(prefix)\(row)" == id
        else { return nil }
        return row
    }

    private static func encodeEvidence(_ evidence: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(evidence)) ?? Data("[]".utf8), as: UTF8.self)
    }

    private static func decodeEvidence(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    private static func date(_ secondsSince1970: Double?) -> Date? {
        secondsSince1970.map(Date.init(timeIntervalSince1970:))
    }

    private static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
