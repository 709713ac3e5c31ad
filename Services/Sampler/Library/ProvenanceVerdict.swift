/// Whether an image is a real photograph, AI-generated, or undecided.
public enum ProvenanceVerdict: String, Sendable, Codable, CaseIterable {
    case real, ai, unknown
}

/// A verdict with the evidence that led to it, such as `exif:Make=Canon` or
/// `png:parameters (AUTOMATIC1111)`.
public struct ProvenanceResult: Sendable, Equatable, Codable {
    /// The decision.
    public var verdict: ProvenanceVerdict
    /// The signals seen, deciding ones first.
    public var evidence: [String]
    /// What the metadata reader had to skip in the file; it does not change the verdict.
    public var warnings: [String]

    /// Creates a result.
    public init(verdict: ProvenanceVerdict, evidence: [String], warnings: [String] = []) {
        self.verdict = verdict
        self.evidence = evidence
        self.warnings = warnings
    }
}
