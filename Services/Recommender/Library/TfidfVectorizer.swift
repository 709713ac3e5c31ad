import Foundation
import Shared

/// TF-IDF as scikit-learn's `TfidfVectorizer()` computes it with default settings: raw term counts, smooth
/// idf `ln((1 + n) / (1 + df)) + 1`, rows scaled to unit l2 norm, vocabulary sorted by code point.
public struct TfidfVectorizer: Sendable {
    /// The terms, sorted by code point; a term's position is its column.
    public let vocabulary: [String]
    /// The idf of each term.
    public let idf: [Double]
    /// The l2-normalised TF-IDF rows of the documents the vectorizer was fitted on.
    public let documents: SparseMatrix

    /// Fits the vocabulary and idf on `documents` and transforms them.
    public init(fitting documents: [String]) {
        let tokenized = documents.map(TfidfAnalyzer.tokens)
        var documentFrequency = [String: Int]()
        for tokens in tokenized {
            for term in Set(tokens) { documentFrequency[term, default: 0] += 1 }
        }
        vocabulary = documentFrequency.keys.sorted(by: Self.codePointOrder)
        let count = Double(documents.count)
        idf = vocabulary.map { log((1 + count) / (1 + Double(documentFrequency[$0]!))) + 1 }

        let columns = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let weights = idf
        let rows = tokenized.map { tokens in
            Self.weightedTerms(tokens, column: { columns[$0] }, idf: { weights[$0] })
                .map { (column: $0.column, value: Float($0.weight)) }
        }
        self.documents = SparseMatrix(cols: vocabulary.count, rows: rows)
    }

    /// The l2-normalised TF-IDF weights of `tokens`, sorted by column; tokens without a column are ignored,
    /// as scikit-learn's `transform` ignores unknown words.
    public static func weightedTerms(
        _ tokens: [String], column: (String) -> Int?, idf: (Int) -> Double
    ) -> [(column: Int, weight: Double)] {
        var counts = [Int: Int]()
        for token in tokens {
            if let column = column(token) { counts[column, default: 0] += 1 }
        }
        var terms = counts.map { (column: $0.key, weight: Double($0.value) * idf($0.key)) }
        terms.sort { $0.column < $1.column }
        let norm = terms.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
        guard norm > 0 else { return [] }
        return terms.map { (column: $0.column, weight: $0.weight / norm) }
    }

    /// Python's default string order: by code point, not by Swift's canonical ordering.
    public static func codePointOrder(_ left: String, _ right: String) -> Bool {
        left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars) { $0.value < $1.value }
    }
}
