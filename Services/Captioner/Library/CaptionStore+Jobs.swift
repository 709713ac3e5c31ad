import Foundation
import Shared

/// A caption made within a job, as `GET /v1/jobs/{id}/captions` lists it.
public struct JobCaption: Sendable, Equatable, Codable {
    /// The sampler's image id.
    public var imageID: String
    /// The image's path relative to the dataset root.
    public var file: String
    /// SHA-256 (hex) of the image bytes.
    public var sha256: String
    /// The cleaned caption.
    public var caption: String
    /// The engine that made it.
    public var engine: String

    /// Creates an entry.
    public init(imageID: String, file: String, sha256: String, caption: String, engine: String) {
        self.imageID = imageID
        self.file = file
        self.sha256 = sha256
        self.caption = caption
        self.engine = engine
    }

    enum CodingKeys: String, CodingKey {
        case file, sha256, caption, engine
        case imageID = "image_id"
    }
}

/// An image of a job that could not be captioned, and why, as `GET /v1/jobs/{id}/captions` lists it.
public struct JobFailure: Sendable, Equatable, Codable {
    /// The sampler's image id.
    public var imageID: String
    /// The image's path relative to the dataset root.
    public var file: String
    /// The reason: a status and an error code, then a message (`422 no_caption: ...`,
    /// `409 image_changed: ...`).
    public var error: String

    /// Creates an entry.
    public init(imageID: String, file: String, error: String) {
        self.imageID = imageID
        self.file = file
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case file, error
        case imageID = "image_id"
    }
}

extension CaptionStore {
    /// Records a new queued job for `sampleID` at `sampler`, to be captioned by `engine`/`model`.
    public func createJob(sampler: String, sampleID: String, engine: String, model: String) throws -> CaptionJob {
        let id = UUID().uuidString.lowercased()
        let now = Date().timeIntervalSince1970
        try database.execute(
            """
            INSERT INTO jobs (id, sampler, sample_id, engine, model, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)
            """,
            [.text(id), .text(sampler), .text(sampleID), .text(engine), .text(model), .real(now), .real(now)])
        return CaptionJob(id: id, status: .queued, total: 0, done: 0, failed: 0, sampler: sampler, sampleID: sampleID)
    }

    /// The job with `id` and its progress, or nil when there is none.
    public func job(_ id: String) throws -> CaptionJob? {
        let rows = try database.query(
            """
            SELECT j.*,
                (SELECT count(*) FROM job_images i WHERE i.job_id = j.id AND i.status = 'done') AS done,
                (SELECT count(*) FROM job_images i WHERE i.job_id = j.id AND i.status = 'failed') AS failed
            FROM jobs j WHERE j.id = ?
            """,
            [.text(id)])
        guard let row = rows.first else {
            return nil
        }
        return CaptionJob(
            id: id, status: CaptionJob.Status(rawValue: row.string("status") ?? "") ?? .failed,
            total: row.int("total") ?? 0, done: row.int("done") ?? 0, failed: row.int("failed") ?? 0,
            sampler: row.string("sampler") ?? "", sampleID: row.string("sample_id") ?? "", error: row.string("error"))
    }

    /// The engine and model a job captions with.
    public func jobEngine(_ id: String) throws -> (engine: String, model: String)? {
        let rows = try database.query("SELECT engine, model FROM jobs WHERE id = ?", [.text(id)])
        return rows.first.map { ($0.string("engine") ?? "", $0.string("model") ?? "") }
    }

    /// Ids of the jobs that were queued or running, oldest first: the ones to resume at start.
    public func unfinishedJobIDs() throws -> [String] {
        try database.query(
            "SELECT id FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, id"
        ).compactMap { $0.string("id") }
    }

    /// Sets a job's status (and the reason, for `failed`).
    public func setStatus(_ status: CaptionJob.Status, ofJob id: String, error: String? = nil) throws {
        try database.execute(
            "UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?",
            [
                .text(status.rawValue), error.map(SQLiteValue.text) ?? .null, .real(Date().timeIntervalSince1970),
                .text(id),
            ])
    }

    /// Records the sample's images for a job, all pending, unless the job already has its images.
    /// - Returns: whether the images were recorded now.
    @discardableResult
    public func setImages(_ images: [CaptionJobImage], ofJob id: String) throws -> Bool {
        try database.transaction {
            let existing = try database.query("SELECT count(*) AS n FROM job_images WHERE job_id = ?", [.text(id)])
            guard existing.first?.int("n") == 0 else {
                return false
            }
            for (position, image) in images.enumerated() {
                try database.execute(
                    """
                    INSERT OR IGNORE INTO job_images (job_id, position, image_id, file, sha256, status)
                    VALUES (?, ?, ?, ?, ?, 'pending')
                    """,
                    [
                        .text(id), .integer(Int64(position)), .text(image.imageID), .text(image.file),
                        .text(image.sha256),
                    ])
            }
            try database.execute(
                "UPDATE jobs SET total = (SELECT count(*) FROM job_images WHERE job_id = ?) WHERE id = ?",
                [.text(id), .text(id)])
            return true
        }
    }

    /// Whether the job's sample has been read into its image list.
    public func hasImages(job id: String) throws -> Bool {
        try database.query("SELECT count(*) AS n FROM job_images WHERE job_id = ?", [.text(id)]).first?.int("n") ?? 0
            > 0
    }

    /// The job's images that are still pending, in sample order.
    public func pendingImages(ofJob id: String) throws -> [CaptionJobImage] {
        try database.query(
            "SELECT * FROM job_images WHERE job_id = ? AND status = 'pending' ORDER BY position", [.text(id)]
        ).map { row in
            CaptionJobImage(
                imageID: row.string("image_id") ?? "", file: row.string("file") ?? "",
                sha256: row.string("sha256") ?? "")
        }
    }

    /// Marks one image of a job done (with the key of its caption) or failed (with the reason).
    public func finishImage(
        _ imageID: String, ofJob id: String, status: CaptionJobImage.Status, sha256: String?, contentKey: String?,
        error: String?
    ) throws {
        try database.execute(
            """
            UPDATE job_images SET status = ?, sha256 = coalesce(?, sha256), content_key = ?, error = ?
            WHERE job_id = ? AND image_id = ?
            """,
            [
                .text(status.rawValue), sha256.map(SQLiteValue.text) ?? .null,
                contentKey.map(SQLiteValue.text) ?? .null, error.map(SQLiteValue.text) ?? .null, .text(id),
                .text(imageID),
            ])
    }

    /// The captions made for a job's images so far, in sample order.
    public func captions(ofJob id: String) throws -> [JobCaption] {
        try database.query(
            """
            SELECT i.image_id, i.file, i.sha256, c.caption, c.engine
            FROM job_images i
            JOIN jobs j ON j.id = i.job_id
            JOIN captions c ON c.content_key = i.content_key AND c.engine = j.engine AND c.model = j.model
            WHERE i.job_id = ? AND i.status = 'done'
            ORDER BY i.position
            """,
            [.text(id)]
        ).map { row in
            JobCaption(
                imageID: row.string("image_id") ?? "", file: row.string("file") ?? "",
                sha256: row.string("sha256") ?? "", caption: row.string("caption") ?? "",
                engine: row.string("engine") ?? "")
        }
    }

    /// The images of a job that failed, with their reasons, in sample order.
    public func failures(ofJob id: String) throws -> [JobFailure] {
        try database.query(
            "SELECT image_id, file, error FROM job_images WHERE job_id = ? AND status = 'failed' ORDER BY position",
            [.text(id)]
        ).map { row in
            JobFailure(
                imageID: row.string("image_id") ?? "", file: row.string("file") ?? "",
                error: row.string("error") ?? "no reason was recorded")
        }
    }
}
