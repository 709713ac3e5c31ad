import Shared
import TextEmbedding

/// The `bm25_glove` method: `bm25` over a query expanded with GloVe word vectors. Each analysed query word
/// keeps its own term (or spelling correction) at weight 1 and adds its nearest caption terms by word-vector
/// cosine (`QueryExpansion`) at a weight equal to that cosine, never adding more to an image than the cosine
/// times the typed term's best score; a term reached twice keeps its highest contribution.
///
/// It reads the `bm25` method's sections; its entry stores the expansion parameters and the word-vector
/// table it was built with, which must be the one loaded.
public struct ExpandedBm25Method: SearchMethod {
    /// `bm25_glove`.
    public let name = "bm25_glove"
    private let bm25: Bm25Method
    private let expansion: QueryExpansion

    /// Wraps the loaded `bm25` method with the expansion stored in `entry`, over `vectors`.
    public init(entry: ModelMethodEntry, loaded: [String: any SearchMethod], vectors: GloVeTextEncoder?) throws {
        guard let neighboursText = entry.parameters["neighbours"], let neighbours = Int(neighboursText),
            neighbours >= 0, let cosineText = entry.parameters["min_cosine"], let minimumCosine = Double(cosineText),
            (-1...1).contains(minimumCosine)
        else {
            throw ModelFileError(.malformedHeader, "bm25_glove parameters are missing or invalid")
        }
        guard let bm25 = loaded["bm25"] as? Bm25Method else {
            throw RecommenderError(.unavailable, "method_unavailable", "bm25_glove needs bm25 loaded")
        }
        guard let vectors else {
            throw RecommenderError(.unavailable, "method_unavailable", "bm25_glove needs the glove word vectors")
        }
        if let built = entry.parameters["word_vectors"], built != vectors.identity {
            throw RecommenderError(
                .unavailable, "encoder_mismatch", "bm25_glove was built with \(built), not \(vectors.identity)")
        }
        var parameters = QueryExpansion.Parameters()
        parameters.neighbours = neighbours
        parameters.minimumCosine = minimumCosine
        self.bm25 = bm25
        let table = vectors.vectors
        expansion = QueryExpansion(vocabulary: bm25.vocabulary, parameters: parameters) { table.vector(for: $0) }
    }

    /// The method entry for a model that already holds `bm25`.
    static func entry(
        _ parameters: QueryExpansion.Parameters, bm25: ModelMethodEntry, vectors: GloVeTextEncoder
    ) -> ModelMethodEntry {
        let stored = [
            "base": "bm25", "expansion": "glove", "word_vectors": vectors.identity,
            "neighbours": "\(parameters.neighbours)", "min_cosine": "\(parameters.minimumCosine)",
        ]
        return ModelMethodEntry(name: "bm25_glove", parameters: stored, sections: bm25.sections)
    }

    /// The BM25 scores of the expanded query; the added terms are reported as `expanded_terms`.
    ///
    /// A related word never outweighs the word the user typed: what a neighbour adds to an image is capped
    /// at its cosine times the best score the typed term reaches on any image, so for "dog" a caption that
    /// says only "cat" (a shorter caption scores higher) stays below the one that says "dogs". A typed word
    /// the captions lack ("drink") has no such cap: its neighbours are all there is.
    public func scores(for query: String) throws -> MethodScores {
        var (matches, diagnostics) = bm25.read(query)
        let own = Set(matches.compactMap(\.term))
        var total = bm25.scores(weights: Dictionary(own.map { ($0, 1.0) }) { first, _ in first })
        // Per added term, the most it adds to each image over the query words that reach it.
        var addedScores = [String: [Double]]()
        var added = [String]()
        var expanded = Set<String>()
        for match in matches where expanded.insert(match.word).inserted {
            // A misspelt word has no vector of its own; its correction stands in for it.
            guard let source = expansion.knows(match.word) ? match.word : match.term else { continue }
            let typedBest = match.term.map { bm25.scores(weights: [$0: 1]).max() ?? 0 }
            for neighbour in expansion.neighbours(of: source, excluding: own.union([match.word])) {
                var scores = bm25.scores(weights: [neighbour.term: neighbour.cosine])
                if let typedBest {
                    let cap = neighbour.cosine * typedBest
                    scores = scores.map { min($0, cap) }
                }
                addedScores[neighbour.term] = zip(addedScores[neighbour.term] ?? scores, scores).map { max($0, $1) }
                added.append("\(match.word)→\(neighbour.term)")
            }
        }
        for scores in addedScores.values {
            for index in total.indices { total[index] += scores[index] }
        }
        if !added.isEmpty { diagnostics["expanded_terms"] = added.diagnosticList }
        return MethodScores(scores: total, diagnostics: diagnostics)
    }
}
