/// One image found by a dataset scan, with its verdict.
public struct ScannedImage: Sendable, Equatable, Codable {
    /// Stable for the same dataset folder and relative path (see `DatasetScanner.imageID`).
    public var id: String
    /// The path relative to the dataset folder, with `/` separators.
    public var file: String
    /// The provenance verdict.
    public var verdict: ProvenanceVerdict
    /// The signals behind the verdict.
    public var evidence: [String]
    /// SHA-256 of the file's bytes, 64 lower-case hex digits.
    public var sha256: String
    /// File size in bytes.
    public var size: Int
    /// Parts of the file the metadata reader had to skip (a damaged segment, a hidden stream it could not
    /// read); nil when there were none. They never change the verdict.
    public var warnings: [String]?

    /// Creates a scanned image.
    public init(
        id: String, file: String, verdict: ProvenanceVerdict, evidence: [String], sha256: String,
        size: Int, warnings: [String]? = nil
    ) {
        self.id = id
        self.file = file
        self.verdict = verdict
        self.evidence = evidence
        self.sha256 = sha256
        self.size = size
        self.warnings = warnings?.isEmpty == true ? nil : warnings
    }
}

/// How many images of a scan got each verdict.
public struct VerdictCounts: Sendable, Equatable, Codable {
    /// Images judged real photos.
    public var real: Int
    /// Images judged AI-generated.
    public var ai: Int
    /// Images left undecided.
    public var unknown: Int

    /// Creates counts.
    public init(real: Int, ai: Int, unknown: Int) {
        self.real = real
        self.ai = ai
        self.unknown = unknown
    }

    /// Counts the verdicts of `images`.
    public init(_ images: [ScannedImage]) {
        real = images.count { $0.verdict == .real }
        ai = images.count { $0.verdict == .ai }
        unknown = images.count { $0.verdict == .unknown }
    }
}

/// The result of scanning a dataset folder.
public struct DatasetScan: Sendable, Equatable {
    /// The dataset folder, as an absolute standardised path.
    public var dataset: String
    /// The images, sorted by relative path.
    public var images: [ScannedImage]
    /// Files that looked like images but were left out, with the reason (for example over the size cap).
    public var notes: [String]
    /// Image files the scan went through: the `files_total` of its progress.
    public var filesRead: Int

    /// Creates a scan result; `filesRead` defaults to one file per image and note.
    public init(dataset: String, images: [ScannedImage], notes: [String] = [], filesRead: Int? = nil) {
        self.dataset = dataset
        self.images = images
        self.notes = notes
        self.filesRead = filesRead ?? images.count + notes.count
    }

    /// Verdict counts over `images`.
    public var counts: VerdictCounts { VerdictCounts(images) }
}
