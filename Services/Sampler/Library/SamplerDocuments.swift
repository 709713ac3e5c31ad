/// The `POST /v1/scans` request.
public struct ScanRequest: Sendable, Codable, Equatable {
    /// Absolute path of the dataset folder; must lie under a configured root.
    public var dataset: String
    /// Absolute path of a manifest CSV; must lie under a configured root.
    public var manifest: String?
    /// Manifest column naming the file (default `file_name`).
    public var manifestFileColumn: String?
    /// Manifest column holding the label (default `label`).
    public var manifestLabelColumn: String?
    /// Label values meaning real (default `["0"]`).
    public var manifestRealValues: [String]?
    /// Label values meaning AI (default `["1"]`).
    public var manifestAIValues: [String]?
    /// When true, the scan runs in the background: the answer is 202 with the scan's id and status `running`,
    /// and `GET /v1/scans/{id}` reports its progress and, once `done`, its images.
    public var background: Bool?

    /// Creates a request.
    public init(
        dataset: String, manifest: String? = nil, manifestFileColumn: String? = nil,
        manifestLabelColumn: String? = nil, manifestRealValues: [String]? = nil,
        manifestAIValues: [String]? = nil, background: Bool? = nil
    ) {
        self.background = background
        self.dataset = dataset
        self.manifest = manifest
        self.manifestFileColumn = manifestFileColumn
        self.manifestLabelColumn = manifestLabelColumn
        self.manifestRealValues = manifestRealValues
        self.manifestAIValues = manifestAIValues
    }

    /// The manifest options: the Kaggle preset with any given field replaced.
    public var manifestOptions: ManifestOptions {
        let preset = ManifestOptions.kaggleAIvsHuman
        return ManifestOptions(
            fileColumn: manifestFileColumn ?? preset.fileColumn, labelColumn: manifestLabelColumn ?? preset.labelColumn,
            realValues: manifestRealValues ?? preset.realValues, aiValues: manifestAIValues ?? preset.aiValues)
    }

    enum CodingKeys: String, CodingKey {
        case dataset, manifest, background
        case manifestFileColumn = "manifest_file_column"
        case manifestLabelColumn = "manifest_label_column"
        case manifestRealValues = "manifest_real_values"
        case manifestAIValues = "manifest_ai_values"
    }
}

/// Where a scan stands.
public enum ScanStatus: String, Sendable, Codable, Equatable {
    /// Reading files; no images yet.
    case running
    /// Every image is stored; samples can be drawn.
    case done
    /// The scan stopped on an error (see `ScanDocument.error`).
    case failed
    /// The sampler stopped while the scan was running.
    case interrupted
}

/// How far a scan has come.
public struct ScanProgress: Sendable, Codable, Equatable {
    /// Image files read so far.
    public var filesDone: Int
    /// Image files the scan will read; nil while the folder is still being listed.
    public var filesTotal: Int?

    /// Creates a progress report.
    public init(filesDone: Int, filesTotal: Int?) {
        self.filesDone = filesDone
        self.filesTotal = filesTotal
    }

    enum CodingKeys: String, CodingKey {
        case filesDone = "files_done"
        case filesTotal = "files_total"
    }
}

/// A scan as `POST /v1/scans` and `GET /v1/scans/{id}` return it. Counts and images are filled in once the
/// status is `done`; before that they are zero and empty.
public struct ScanDocument: Sendable, Codable, Equatable {
    /// The stored scan's id.
    public var scanID: String
    /// The canonical dataset folder.
    public var dataset: String
    /// Where the scan stands.
    public var status: ScanStatus
    /// How far it has come.
    public var progress: ScanProgress
    /// Verdict counts.
    public var counts: VerdictCounts
    /// Every image with its verdict.
    public var images: [ScannedImage]
    /// Files left out of the scan, with reasons.
    public var notes: [String]
    /// Why the scan failed or stopped.
    public var error: String?

    /// Creates a scan document.
    public init(
        scanID: String, dataset: String, status: ScanStatus, progress: ScanProgress,
        counts: VerdictCounts = VerdictCounts(real: 0, ai: 0, unknown: 0), images: [ScannedImage] = [],
        notes: [String] = [], error: String? = nil
    ) {
        self.scanID = scanID
        self.dataset = dataset
        self.status = status
        self.progress = progress
        self.counts = counts
        self.images = images
        self.notes = notes
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case dataset, status, progress, counts, images, notes, error
        case scanID = "scan_id"
    }
}

/// The `POST /v1/samples` request.
public struct SampleRequest: Sendable, Codable, Equatable {
    /// The scan to draw real photos from.
    public var scanID: String
    /// How many images to draw.
    public var count: Int
    /// The seed; the same scan, count and seed always give the same sample.
    public var seed: UInt64
    /// The verdicts to draw from: `real` when absent; `unknown` adds photos that carry no marker either way.
    /// AI-generated images are never drawn.
    public var verdicts: [ProvenanceVerdict]?

    /// Creates a request.
    public init(scanID: String, count: Int, seed: UInt64, verdicts: [ProvenanceVerdict]? = nil) {
        self.scanID = scanID
        self.count = count
        self.seed = seed
        self.verdicts = verdicts
    }

    enum CodingKeys: String, CodingKey {
        case count, seed, verdicts
        case scanID = "scan_id"
    }
}

/// A drawn sample: the `POST /v1/samples` and `GET /v1/samples/{id}` response.
public struct SampleDocument: Sendable, Codable, Equatable {
    /// One sampled image.
    public struct Image: Sendable, Codable, Equatable {
        /// The image id (for `GET /v1/images/{id}`).
        public var id: String
        /// Path relative to the dataset folder.
        public var file: String
        /// SHA-256 of the file when scanned.
        public var sha256: String
        /// Size in bytes when scanned.
        public var size: Int
    }

    /// The sample's id.
    public var sampleID: String
    /// The scan it was drawn from.
    public var scanID: String
    /// The requested count; `images` holds fewer when the scan has fewer eligible images, and `note` then
    /// says how many it holds.
    public var count: Int
    /// The seed.
    public var seed: UInt64
    /// The verdicts the sample was drawn from.
    public var verdicts: [ProvenanceVerdict]
    /// Set exactly when `images` holds fewer than `count` (fewer eligible images than requested).
    public var note: String?
    /// The sampled images in draw order.
    public var images: [Image]

    enum CodingKeys: String, CodingKey {
        case count, seed, verdicts, note, images
        case sampleID = "sample_id"
        case scanID = "scan_id"
    }
}
