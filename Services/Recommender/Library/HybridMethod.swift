import Shared

/// The `hybrid` method: a weighted sum of a lexical method's scores (`bm25_glove`, `bm25` or `tfidf`) and a
/// semantic one's (`minilm` or `glove`), each first put on a common scale over the images. Its parameters live in the
/// model file.
///
/// Scales: `zscore` (the default) standardises each method's scores to mean 0 and standard deviation 1 over
/// the images and maps the weighted sum back onto the semantic method's scale, so a hybrid score reads like
/// a cosine and a query with no lexical match ranks exactly as the semantic method does; `minmax` rescales
/// each to 0...1 (the first design, kept so that older model files load).
public struct HybridMethod: SearchMethod {
    /// `hybrid`.
    public let name = "hybrid"
    private let lexical: any SearchMethod
    private let semantic: any SearchMethod
    private let lexicalWeight: Double
    private let normalization: Normalization

    /// How the two score lists are put on one scale before they are added.
    public enum Normalization: String, Sendable, Equatable {
        /// Mean 0, standard deviation 1 over the images.
        case zscore
        /// 0...1 over the images.
        case minmax
    }

    /// The fusion parameters a build records.
    public struct Parameters: Sendable, Equatable {
        /// The lexical component, `bm25_glove`, `bm25` or `tfidf`.
        public var lexical = "bm25_glove"
        /// The semantic component, `minilm` or `glove`.
        public var semantic = "minilm"
        /// The lexical score's weight in 0...1; the semantic score gets the rest.
        public var lexicalWeight = 0.05
        /// The common scale.
        public var normalization = Normalization.zscore

        /// Default parameters: `bm25_glove` and `minilm`, z-scored, weighted 0.05 / 0.95 (chosen on the
        /// evaluation set's dev half).
        public init() {}

        /// The parameters as the model file stores them.
        var stored: [String: String] {
            [
                "lexical": lexical, "semantic": semantic, "lexical_weight": "\(lexicalWeight)",
                "normalization": normalization.rawValue,
            ]
        }
    }

    /// Combines two methods that are already loaded, with the parameters stored in `entry`.
    public init(entry: ModelMethodEntry, loaded: [String: any SearchMethod]) throws {
        guard let lexicalName = entry.parameters["lexical"], let semanticName = entry.parameters["semantic"],
            let weightText = entry.parameters["lexical_weight"], let weight = Double(weightText),
            (0...1).contains(weight),
            let normalization = entry.parameters["normalization"].flatMap(Normalization.init(rawValue:))
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
        self.normalization = normalization
    }

    /// The method entry for a model that already holds both components.
    static func entry(_ parameters: Parameters, components: [ModelMethodEntry]) -> ModelMethodEntry {
        var sections = [String]()
        for section in components.flatMap(\.sections) where !sections.contains(section) { sections.append(section) }
        return ModelMethodEntry(name: "hybrid", parameters: parameters.stored, sections: sections)
    }

    /// The fused scores. The semantic component's diagnostics are passed on as they are; the lexical
    /// component's get a `lexical_` prefix (`lexical_unknown_terms`), since a word the lexical part does not
    /// know may still be understood by the semantic part.
    ///
    /// When the lexical part translates words of another language (`SemanticQueryRewriting`), the semantic
    /// part encodes the translated text, reported as `semantic_query`.
    public func scores(for query: String) throws -> MethodScores {
        let lexicalScores = try lexical.scores(for: query)
        let semanticQuery = (lexical as? any SemanticQueryRewriting)?.semanticQuery(for: query)
        let semanticScores = try semantic.scores(for: semanticQuery ?? query)
        let lexicalNotes = lexicalScores.diagnostics.map { ("lexical_" + $0.key, $0.value) }
        var diagnostics = semanticScores.diagnostics.merging(lexicalNotes) { semantic, _ in semantic }
        if let semanticQuery { diagnostics["semantic_query"] = semanticQuery }
        switch normalization {
        case .minmax:
            let left = Self.minMax(lexicalScores.scores)
            let right = Self.minMax(semanticScores.scores)
            let fused = zip(left, right).map { lexicalWeight * $0 + (1 - lexicalWeight) * $1 }
            return MethodScores(scores: fused, diagnostics: diagnostics)
        case .zscore:
            let left = Self.standardized(lexicalScores.scores)
            let right = Self.standardized(semanticScores.scores)
            // A semantic method that cannot tell the images apart leaves the lexical one to rank alone.
            let scale = right.deviation > 0 ? right.deviation : 1
            let fused = zip(left.values, right.values).map {
                right.mean + scale * (lexicalWeight * $0 + (1 - lexicalWeight) * $1)
            }
            return MethodScores(scores: fused, diagnostics: diagnostics)
        }
    }

    /// Scores rescaled to 0...1; all-equal scores become 0.
    static func minMax(_ scores: [Double]) -> [Double] {
        guard let low = scores.min(), let high = scores.max(), high > low else {
            return [Double](repeating: 0, count: scores.count)
        }
        return scores.map { ($0 - low) / (high - low) }
    }

    /// Scores shifted to mean 0 and scaled to standard deviation 1 (all-equal scores become 0), with the
    /// mean and standard deviation they had.
    static func standardized(_ scores: [Double]) -> (values: [Double], mean: Double, deviation: Double) {
        guard !scores.isEmpty else { return ([], 0, 0) }
        let count = Double(scores.count)
        let mean = scores.reduce(0, +) / count
        let deviation = (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count).squareRoot()
        guard deviation > 0 else { return ([Double](repeating: 0, count: scores.count), mean, 0) }
        return (scores.map { ($0 - mean) / deviation }, mean, deviation)
    }
}
