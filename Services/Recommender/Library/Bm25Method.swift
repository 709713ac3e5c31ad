import Foundation
import Shared

/// The `bm25` method: Okapi BM25 over the captions' terms as `LexicalAnalyzer` reads them (plurals folded,
/// optionally without stop words), with query words missing from the vocabulary corrected by spelling when
/// a close term exists.
///
/// The model file stores the vocabulary, each term's idf `ln(1 + (n - df + 0.5) / (df + 0.5))` and, per term,
/// the images it occurs in with the saturated frequency `tf (k1 + 1) / (tf + k1 (1 - b + b |d| / avgdl))`,
/// so that a query's score is a sum of idf × stored value over its distinct terms.
public struct Bm25Method: SearchMethod {
    /// `bm25`.
    public let name = "bm25"
    private let index: TermIndex
    private let removesStopWords: Bool
    private let corrector: SpellingCorrector?

    /// The build parameters.
    public struct Parameters: Sendable, Equatable {
        /// Term-frequency saturation.
        public var k1 = 1.2
        /// Length normalisation, 0...1.
        public var b = 0.75
        /// Whether common English function words are dropped from captions and queries.
        public var removesStopWords = true
        /// Whether unknown query words are replaced by the closest vocabulary term.
        public var correctsSpelling = true

        /// Default parameters.
        public init() {}
    }

    /// The sections a `bm25` method writes and reads.
    static let sections = ["bm25.vocabulary", "bm25.idf", "bm25.postings"]

    /// Loads the method described by `entry` from a verified model file with `imageCount` images.
    public init(entry: ModelMethodEntry, file: ModelFile, imageCount: Int) throws {
        index = try TermIndex(file: file, prefix: "bm25", imageCount: imageCount)
        removesStopWords = entry.parameters["stop_words"] != "none"
        corrector =
            entry.parameters["spelling_correction"] == "true" ? SpellingCorrector(vocabulary: index.vocabulary) : nil
    }

    /// Indexes the captions and adds the method's sections to `writer`; returns the method's entry and its
    /// vocabulary (what methods built on it, such as `bm25_glove`, may match).
    public static func build(
        captions: [String], parameters: Parameters, into writer: inout ModelFileWriter
    ) throws -> (entry: ModelMethodEntry, vocabulary: [String]) {
        let documents = captions.map { LexicalAnalyzer.terms($0, removingStopWords: parameters.removesStopWords) }
        var documentFrequency = [String: Int]()
        for terms in documents {
            for term in Set(terms) { documentFrequency[term, default: 0] += 1 }
        }
        let vocabulary = documentFrequency.keys.sorted(by: TfidfVectorizer.codePointOrder)
        let columns = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let count = Double(captions.count)
        let idf = vocabulary.map { term -> Float in
            let frequency = Double(documentFrequency[term]!)
            return Float(log(1 + (count - frequency + 0.5) / (frequency + 0.5)))
        }

        let averageLength = max(Double(documents.map(\.count).reduce(0, +)) / count, 1)
        let rows = documents.map { terms -> [(column: Int, value: Float)] in
            var counts = [Int: Int]()
            for term in terms { counts[columns[term]!, default: 0] += 1 }
            let lengthFactor = parameters.k1 * (1 - parameters.b + parameters.b * Double(terms.count) / averageLength)
            return counts.keys.sorted().map { column in
                let frequency = Double(counts[column]!)
                return (column, Float(frequency * (parameters.k1 + 1) / (frequency + lengthFactor)))
            }
        }
        try writer.addStrings("bm25.vocabulary", vocabulary)
        try writer.addFloat32("bm25.idf", idf, rows: idf.count, cols: 1)
        try writer.addSparseMatrix("bm25.postings", SparseMatrix(cols: vocabulary.count, rows: rows).transposed())
        let stored = [
            "k1": "\(parameters.k1)", "b": "\(parameters.b)", "plural_folding": "true",
            "stop_words": parameters.removesStopWords ? "english" : "none",
            "spelling_correction": "\(parameters.correctsSpelling)", "vocabulary_size": "\(vocabulary.count)",
        ]
        return (
            ModelMethodEntry(name: "bm25", parameters: stored, sections: ImageTable.sections + sections), vocabulary
        )
    }

    /// The BM25 score of every image; unknown words are corrected or ignored, and reported.
    public func scores(for query: String) throws -> MethodScores {
        let reading = read(query)
        let weights = Dictionary(reading.matches.compactMap(\.term).map { ($0, 1.0) }) { first, _ in first }
        return MethodScores(scores: scores(weights: weights), diagnostics: reading.diagnostics)
    }

    /// The query's analysed words in order, each with the vocabulary term it stands for (itself, a spelling
    /// correction, or nil when unknown), and the diagnostics that report corrections and unknown words.
    func read(_ query: String) -> (matches: [(word: String, term: String?)], diagnostics: [String: String]) {
        var matches = [(word: String, term: String?)]()
        for word in LexicalAnalyzer.terms(query, removingStopWords: removesStopWords) {
            if index.column(word) != nil {
                matches.append((word, word))
            } else if let corrected = corrector?.correction(for: word), index.column(corrected.term) != nil {
                matches.append((word, corrected.term))
            } else {
                matches.append((word, nil))
            }
        }
        return (matches, Self.diagnostics(matches))
    }

    /// `unknown_terms` and `corrected_terms` ("montain→mountain") for the words of `matches`.
    static func diagnostics(_ matches: [(word: String, term: String?)]) -> [String: String] {
        let unknown = matches.filter { $0.term == nil }.map(\.word)
        let corrections = matches.compactMap { match in
            match.term.flatMap { $0 == match.word ? nil : "\(match.word)→\($0)" }
        }
        var diagnostics = [String: String]()
        if !unknown.isEmpty { diagnostics["unknown_terms"] = unknown.diagnosticList }
        if !corrections.isEmpty { diagnostics["corrected_terms"] = corrections.diagnosticList }
        return diagnostics
    }

    /// Per image, the sum over vocabulary terms of the term's query weight × its idf × its stored value.
    func scores(weights: [String: Double]) -> [Double] {
        index.scores(
            weights.compactMap { term, weight in
                index.column(term).map { (column: $0, weight: weight * Double(index.idf[$0])) }
            })
    }

    /// The vocabulary terms, in column order.
    var vocabulary: StringTable { index.vocabulary }
}
