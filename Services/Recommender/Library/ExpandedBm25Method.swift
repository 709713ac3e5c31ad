import Shared
import TextEmbedding

/// The `bm25_glove` method: `bm25` over a query expanded with GloVe word vectors. Each analysed query word
/// keeps its own term (or spelling correction) at weight 1 and adds its nearest caption terms by word-vector
/// cosine (`QueryExpansion`) at a weight equal to that cosine, never adding more to an image than the cosine
/// times the typed term's best score; a term reached twice keeps its highest contribution.
///
/// A query word of another language that is no caption term ("perro") is translated instead, when the model
/// holds translations (`CaptionTranslations`): each of its senses that reaches caption terms shares weight 1
/// equally, and its terms count like typed ones. It is neither corrected nor expanded.
///
/// It reads the `bm25` method's sections; its entry stores the expansion parameters and the word-vector
/// table it was built with, which must be the one loaded, and names the translation sections when it has them.
public struct ExpandedBm25Method: SearchMethod, SemanticQueryRewriting {
    /// `bm25_glove`.
    public let name = "bm25_glove"
    private let bm25: Bm25Method
    private let expansion: QueryExpansion
    private let translations: CaptionTranslations?

    /// Wraps the loaded `bm25` method with the expansion stored in `entry`, over `vectors`.
    public init(
        entry: ModelMethodEntry, file: ModelFile, loaded: [String: any SearchMethod], vectors: GloVeTextEncoder?
    ) throws {
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
        translations = entry.parameters["translations"] == nil ? nil : try CaptionTranslations(file: file)
        let table = vectors.vectors
        expansion = QueryExpansion(vocabulary: bm25.vocabulary, parameters: parameters) { table.vector(for: $0) }
    }

    /// The method entry for a model that already holds `bm25` (its `vocabulary`), with the translations cut
    /// from `translations` for those terms added to `writer` when a lexicon is given.
    static func build(
        _ parameters: QueryExpansion.Parameters, bm25: ModelMethodEntry, vocabulary: Set<String>,
        bm25Parameters: Bm25Method.Parameters, vectors: GloVeTextEncoder, translations lexicon: TranslationLexicon?,
        into writer: inout ModelFileWriter
    ) throws -> ModelMethodEntry {
        var stored = [
            "base": "bm25", "expansion": "glove", "word_vectors": vectors.identity,
            "neighbours": "\(parameters.neighbours)", "min_cosine": "\(parameters.minimumCosine)",
        ]
        var sections = bm25.sections
        if let lexicon {
            let translations = CaptionTranslations(
                lexicon: lexicon, vocabulary: vocabulary, removesStopWords: bm25Parameters.removesStopWords)
            try translations.write(into: &writer)
            stored["translations"] = lexicon.identity
            stored["translated_words"] = "\(translations.count)"
            sections += CaptionTranslations.sections
        }
        return ModelMethodEntry(name: "bm25_glove", parameters: stored, sections: sections)
    }

    /// The BM25 scores of the expanded query; the added terms are reported as `expanded_terms`.
    ///
    /// A related word never outweighs the word the user typed: what a neighbour adds to an image is capped
    /// at its cosine times the best score the typed term reaches on any image, so for "dog" a caption that
    /// says only "cat" (a shorter caption scores higher) stays below the one that says "dogs". A typed word
    /// the captions lack ("drink") has no such cap: its neighbours are all there is.
    public func scores(for query: String) throws -> MethodScores {
        var (matches, _) = bm25.read(query)
        // Other-language words that are no caption terms are translated, not corrected or expanded.
        var translatedWeights = [String: Double]()
        var translatedNotes = [String]()
        if let translations {
            matches.removeAll { match in
                guard match.term != match.word, let senses = translations.senses(of: match.word) else { return false }
                for term in senses.joined() {
                    translatedWeights[term] = max(translatedWeights[term] ?? 0, 1 / Double(senses.count))
                }
                translatedNotes.append("\(match.word)→" + senses.joined().uniqued.joined(separator: "/"))
                return true
            }
        }
        var diagnostics = Bm25Method.diagnostics(matches)
        let own = Set(matches.compactMap(\.term))
        var weights = translatedWeights
        for term in own { weights[term] = 1 }
        var total = bm25.scores(weights: weights)
        // Per added term, the most it adds to each image over the query words that reach it.
        var addedScores = [String: [Double]]()
        var added = [String]()
        var expanded = Set<String>()
        let reached = own.union(translatedWeights.keys)
        for match in matches where expanded.insert(match.word).inserted {
            // A misspelt word has no vector of its own; its correction stands in for it.
            guard let source = expansion.knows(match.word) ? match.word : match.term else { continue }
            let typedBest = match.term.map { bm25.scores(weights: [$0: 1]).max() ?? 0 }
            for neighbour in expansion.neighbours(of: source, excluding: reached.union([match.word])) {
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
        if !translatedNotes.isEmpty { diagnostics["translated_terms"] = translatedNotes.diagnosticList }
        return MethodScores(scores: total, diagnostics: diagnostics)
    }

    /// The query with each translated word followed by its caption terms ("perro" → "perro dog"), for a
    /// semantic method that knows only English; nil when the model has no translations or nothing is
    /// translated.
    public func semanticQuery(for query: String) -> String? {
        translations?.translatedText(query)
    }
}
