/// Query expansion by word vectors: a query word reaches the vocabulary terms whose vectors lie nearest to its
/// own ("drink" → "coffee"), so that a lexical method can match captions that use a related word.
///
/// Only terms of the given vocabulary (a model's caption terms) are ever proposed, so the expanded query stays
/// a lexical query over that vocabulary. Immutable after creation; safe to share between threads.
public struct QueryExpansion: Sendable {
    /// How many neighbours a word adds, and how close they must be.
    public struct Parameters: Sendable, Equatable {
        /// The most vocabulary terms one query word adds.
        public var neighbours = 1
        /// The least cosine similarity between a query word's vector and an added term's vector.
        public var minimumCosine = 0.6

        /// Default parameters (chosen on the evaluation set's dev half).
        public init() {}
    }

    /// The expansion parameters.
    public let parameters: Parameters
    private let terms: [String]
    private let unitVectors: [[Float]]
    private let vector: @Sendable (String) -> [Float]?

    /// Looks up the vector of every vocabulary term; terms without one are never proposed.
    ///
    /// - Parameters:
    ///   - vocabulary: the terms an expansion may add.
    ///   - vector: a word's vector, or nil when the table does not have it.
    public init(
        vocabulary: some Sequence<String>, parameters: Parameters = Parameters(),
        vector: @escaping @Sendable (String) -> [Float]?
    ) {
        var terms = [String]()
        var unitVectors = [[Float]]()
        for term in vocabulary {
            guard let found = vector(term), found.contains(where: { $0 != 0 }) else { continue }
            terms.append(term)
            unitVectors.append(unitLength(found))
        }
        self.terms = terms
        self.unitVectors = unitVectors
        self.parameters = parameters
        self.vector = vector
    }

    /// Whether the word-vector table has `word`.
    public func knows(_ word: String) -> Bool {
        vector(word) != nil
    }

    /// The vocabulary terms nearest to `word`, best first (equal cosines in code-point order), at most
    /// `neighbours` of them, each at least `minimumCosine` away and none of them in `excluding`; empty when
    /// the table does not have `word`.
    public func neighbours(of word: String, excluding: Set<String> = []) -> [(term: String, cosine: Double)] {
        guard let found = vector(word), found.contains(where: { $0 != 0 }) else { return [] }
        let query = unitLength(found)
        var candidates = [(term: String, cosine: Double)]()
        for (term, unit) in zip(terms, unitVectors) where term != word && !excluding.contains(term) {
            let cosine = Double(zip(query, unit).reduce(Float(0)) { $0 + $1.0 * $1.1 })
            if cosine >= parameters.minimumCosine { candidates.append((term, cosine)) }
        }
        candidates.sort {
            $0.cosine != $1.cosine ? $0.cosine > $1.cosine : TfidfVectorizer.codePointOrder($0.term, $1.term)
        }
        return Array(candidates.prefix(parameters.neighbours))
    }
}
