import Shared

/// The `hybrid` method: a weighted sum of a lexical and a semantic method's scores after each is rescaled to
/// 0...1 over the images (min-max), so that neither scale dominates. Its parameters live in the model file.
public struct HybridMethod: SearchMethod {
    /// `hybrid`.
    public let name = "hybrid"
    private let lexical: any SearchMethod
    private let semantic: any SearchMethod
    private let lexicalWeight: Double

    /// The fusion parameters a build records.
    public struct Parameters: Sendable, Equatable {
        /// The lexical component, `tfidf`.
        public var lexical = "tfidf"
        /// The semantic component, `minilm` or `glove`.
        public var semantic = "minilm"
        /// The lexical score's weight in 0...1; the semantic score gets the rest.
        public var lexicalWeight = 0.15

        /// Default parameters.
        public init() {}

        /// The parameters as the model file stores them.
        var stored: [String: String] {
            ["lexical": lexical, "semantic": semantic, "lexical_weight": "\(lexicalWeight)", "normalization": "minmax"]
        }
    }

    /// Combines two methods that are already loaded, with the parameters stored in `entry`.
    public init(entry: ModelMethodEntry, loaded: [String: any SearchMethod]) throws {
        guard let lexicalName = entry.parameters["lexical"], let semanticName = entry.parameters["semantic"],
            let weightText = entry.parameters["lexical_weight"], let weight = Double(weightText),
            (0...1).contains(weight), entry.parameters["normalization"] == "minmax"
        else {
            throw ModelFileError(.malformedHeader, "hybrid parameters are missing or invalid")
        }
        guard let lexical = loaded[lexicalName], let semantic = loaded[semanticName] else {
            throw RecommenderError(
                .unavailable, "method_unavailable", "hybrid needs \(lexicalName) and \(semanticName) loaded")
        }
        self.lexical = lexical
        self.semantic = semantic
        lexicalWeight = weight
    }

    /// The method entry for a model that already holds both components.
    static func entry(_ parameters: Parameters, components: [ModelMethodEntry]) -> ModelMethodEntry {
        var sections = [String]()
        for section in components.flatMap(\.sections) where !sections.contains(section) { sections.append(section) }
        return ModelMethodEntry(name: "hybrid", parameters: parameters.stored, sections: sections)
    }

    /// The fused scores; diagnostics of both components are passed on.
    public func scores(for query: String) throws -> MethodScores {
        let lexicalScores = try lexical.scores(for: query)
        let semanticScores = try semantic.scores(for: query)
        let left = Self.minMax(lexicalScores.scores)
        let right = Self.minMax(semanticScores.scores)
        let fused = zip(left, right).map { lexicalWeight * $0 + (1 - lexicalWeight) * $1 }
        return MethodScores(
            scores: fused, diagnostics: lexicalScores.diagnostics.merging(semanticScores.diagnostics) { a, _ in a })
    }

    /// Scores rescaled to 0...1; all-equal scores become 0.
    static func minMax(_ scores: [Double]) -> [Double] {
        guard let low = scores.min(), let high = scores.max(), high > low else {
            return [Double](repeating: 0, count: scores.count)
        }
        return scores.map { ($0 - low) / (high - low) }
    }
}
