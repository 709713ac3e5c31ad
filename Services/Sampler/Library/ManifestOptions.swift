/// Which manifest columns name the file and its label, and which label values mean real or AI.
public struct ManifestOptions: Sendable, Equatable, Codable {
    /// The column holding the image path, relative to the manifest's folder (or just the file name).
    public var fileColumn: String
    /// The column holding the label.
    public var labelColumn: String
    /// Label values meaning a real (human-made) image; compared after trimming, case-insensitively.
    public var realValues: [String]
    /// Label values meaning an AI-generated image.
    public var aiValues: [String]

    /// Creates options.
    public init(fileColumn: String, labelColumn: String, realValues: [String], aiValues: [String]) {
        self.fileColumn = fileColumn
        self.labelColumn = labelColumn
        self.realValues = realValues
        self.aiValues = aiValues
    }

    /// The Kaggle "AI vs human-generated images" layout: `,file_name,label` with an unnamed index
    /// column, label `0` = real/human, `1` = AI-generated.
    public static let kaggleAIvsHuman = ManifestOptions(
        fileColumn: "file_name", labelColumn: "label", realValues: ["0"], aiValues: ["1"])

    /// The verdict a label value maps to, or nil when it is in neither list.
    public func verdict(forLabel value: String) -> ProvenanceVerdict? {
        let normalised = value.trimmingWhitespace.lowercased()
        if realValues.contains(where: { $0.trimmingWhitespace.lowercased() == normalised }) { return .real }
        if aiValues.contains(where: { $0.trimmingWhitespace.lowercased() == normalised }) { return .ai }
        return nil
    }
}

/// One image's label from a manifest.
public struct ManifestLabel: Sendable, Equatable {
    /// The label column's name, for evidence such as `manifest:label=0`.
    public var column: String
    /// The label as written.
    public var value: String
    /// What the label means, or nil when the value is in neither the real nor the AI list, or the
    /// manifest lists the file more than once with labels that disagree.
    public var verdict: ProvenanceVerdict?
    /// Whether the manifest lists the file more than once with different labels (`value` then holds them
    /// all, joined by `|`).
    public var isConflicting: Bool

    /// Creates a label.
    public init(column: String, value: String, verdict: ProvenanceVerdict?, isConflicting: Bool = false) {
        self.column = column
        self.value = value
        self.verdict = isConflicting ? nil : verdict
        self.isConflicting = isConflicting
    }
}

extension String {
    var trimmingWhitespace: String {
        guard let start = firstIndex(where: { !$0.isWhitespace }),
            let end = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[start...end])
    }
}
