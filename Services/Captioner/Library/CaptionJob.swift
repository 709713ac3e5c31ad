/// A batch captioning job over one sampler sample, as `GET /v1/jobs/{id}` reports it.
public struct CaptionJob: Sendable, Equatable, Codable {
    /// Where a job is in its life.
    public enum Status: String, Sendable, Codable {
        /// Waiting for the worker.
        case queued
        /// Being worked on (also after a restart, until the worker picks it up again).
        case running
        /// Every image was captioned or failed on its own.
        case done
        /// Stopped early: the sample could not be read or the sampler became unreachable.
        case failed
    }

    /// The job id.
    public var id: String
    /// The job's status.
    public var status: Status
    /// Images in the sample (0 until the sample has been read).
    public var total: Int
    /// Images captioned so far.
    public var done: Int
    /// Images that could not be captioned.
    public var failed: Int
    /// The sampler's base URL.
    public var sampler: String
    /// The sample's id at the sampler.
    public var sampleID: String
    /// Why the job failed, when it did.
    public var error: String?

    /// Creates a job description.
    public init(
        id: String, status: Status, total: Int, done: Int, failed: Int, sampler: String, sampleID: String,
        error: String? = nil
    ) {
        self.id = id
        self.status = status
        self.total = total
        self.done = done
        self.failed = failed
        self.sampler = sampler
        self.sampleID = sampleID
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case id, status, total, done, failed, sampler, error
        case sampleID = "sample_id"
    }
}

/// One image of a job's sample and how far it got.
public struct CaptionJobImage: Sendable, Equatable {
    /// The image's state within its job.
    public enum Status: String, Sendable {
        /// Not captioned yet.
        case pending
        /// Captioned (by the engine or from the cache).
        case done
        /// Could not be captioned; `error` says why.
        case failed
    }

    /// The sampler's image id.
    public var imageID: String
    /// The image's path relative to the dataset root.
    public var file: String
    /// The image's SHA-256 as captioned (the sampler's value until the bytes have been read).
    public var sha256: String
    /// The image's state.
    public var status: Status
    /// The cache key of its caption, once captioned.
    public var contentKey: String?
    /// Why it failed, when it did.
    public var error: String?

    /// Creates a job image.
    public init(
        imageID: String, file: String, sha256: String, status: Status = .pending, contentKey: String? = nil,
        error: String? = nil
    ) {
        self.imageID = imageID
        self.file = file
        self.sha256 = sha256
        self.status = status
        self.contentKey = contentKey
        self.error = error
    }
}
