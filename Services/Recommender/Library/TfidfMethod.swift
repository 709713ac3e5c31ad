import Shared

/// The `tfidf` method: cosine similarity between the query's TF-IDF vector and each caption's, read from
/// the model file's vocabulary, idf and term-to-image postings.
public struct TfidfMethod: SearchMethod {
    /// `tfidf`.
    public let name = "tfidf"
    private let index: TermIndex

    /// The sections a `tfidf` method writes and reads.
    static let sections = ["tfidf.vocabulary", "tfidf.idf", "tfidf.documents", "tfidf.postings"]

    /// Loads the method from a verified model file with `imageCount` images.
    public init(file: ModelFile, imageCount: Int) throws {
        index = try TermIndex(file: file, prefix: "tfidf", imageCount: imageCount)
    }

    /// Fits TF-IDF on the captions and adds its sections to `writer`.
    public static func build(captions: [String], into writer: inout ModelFileWriter) throws -> ModelMethodEntry {
        let vectorizer = TfidfVectorizer(fitting: captions)
        try writer.addStrings("tfidf.vocabulary", vectorizer.vocabulary)
        try writer.addFloat32("tfidf.idf", vectorizer.idf.map(Float.init), rows: vectorizer.idf.count, cols: 1)
        try writer.addSparseMatrix("tfidf.documents", vectorizer.documents)
        try writer.addSparseMatrix("tfidf.postings", vectorizer.documents.transposed())
        let parameters = [
            "token_pattern": #"(?u)\b\w\w+\b"#, "lowercase": "true", "smooth_idf": "true",
            "sublinear_tf": "false", "norm": "l2", "vocabulary_size": "\(vectorizer.vocabulary.count)",
        ]
        return ModelMethodEntry(name: "tfidf", parameters: parameters, sections: ImageTable.sections + sections)
    }

    /// Cosine similarity of the query with every caption; unknown words are ignored and reported.
    public func scores(for query: String) throws -> MethodScores {
        let tokens = TfidfAnalyzer.tokens(query)
        let terms = TfidfVectorizer.weightedTerms(tokens, column: index.column, idf: { Double(index.idf[$0]) })
        let scores = index.scores(terms)

        var diagnostics = [String: String]()
        let unknown = tokens.filter { index.column($0) == nil }
        if !unknown.isEmpty { diagnostics["unknown_terms"] = unknown.diagnosticList }
        return MethodScores(scores: scores, diagnostics: diagnostics)
    }
}
