import Shared

/// A lexical method's index as the model file stores it under a prefix (`tfidf`, `bm25`): the vocabulary,
/// one idf per term, and per term the images it occurs in with a stored weight.
struct TermIndex: Sendable {
    /// The terms; a term's position is its column.
    let vocabulary: StringTable
    /// Each term's idf.
    let idf: Float32Array
    private let columns: [String: Int]
    private let postings: SparseMatrixView
    private let imageCount: Int

    /// Reads `<prefix>.vocabulary`, `<prefix>.idf` and `<prefix>.postings` and checks that they agree.
    init(file: ModelFile, prefix: String, imageCount: Int) throws {
        vocabulary = try file.strings("\(prefix).vocabulary")
        idf = try file.float32("\(prefix).idf")
        postings = try file.sparseMatrix("\(prefix).postings")
        guard idf.count == vocabulary.count, postings.rows == vocabulary.count, postings.cols == imageCount else {
            throw ModelFileError(.inconsistentSection, "\(prefix) sections disagree on vocabulary or image count")
        }
        var columns = [String: Int](minimumCapacity: vocabulary.count)
        for (column, term) in vocabulary.enumerated() { columns[term] = column }
        self.columns = columns
        self.imageCount = imageCount
    }

    /// The column of `term`, if it is in the vocabulary.
    func column(_ term: String) -> Int? {
        columns[term]
    }

    /// Per image, the sum over `terms` of the term's query weight times its stored weight for the image.
    func scores(_ terms: some Sequence<(column: Int, weight: Double)>) -> [Double] {
        var scores = [Double](repeating: 0, count: imageCount)
        for term in terms {
            let row = postings.row(term.column)
            for (image, value) in zip(row.indices, row.values) { scores[Int(image)] += term.weight * Double(value) }
        }
        return scores
    }
}
