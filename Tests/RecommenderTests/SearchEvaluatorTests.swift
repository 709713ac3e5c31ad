import Foundation
import Testing
import TextEmbedding

@testable import RecommenderService

private func demoQueries() throws -> [SearchEvaluator.Query] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/eval/demo_queries.csv")
    return try SearchEvaluator.queries(csv: String(contentsOf: url, encoding: .utf8))
}

@Test func queryFileParses() throws {
    let queries = try demoQueries()
    #expect(queries.count >= 100)
    let files = Set(TfidfReference.shared.files)
    for query in queries {
        #expect(query.relevantFiles.isSubset(of: files), "\(query.text) names unknown files")
    }
    #expect(SearchEvaluator.parseCSVLine(#""a, ""b""",c"#) == [#"a, "b""#, "c"])
    #expect(throws: RecommenderError.self) { try SearchEvaluator.queries(csv: "q,r\nx,y") }
}

@Test func evaluationCountsRanks() throws {
    let index = try loadedIndex(TfidfReference.shared.images)
    let queries = [
        SearchEvaluator.Query(text: "dry beach grass on a sand dune", relevantFiles: ["real_exif_01.jpg"]),
        SearchEvaluator.Query(text: "zebra", relevantFiles: ["real_exif_01.jpg"]),
    ]
    let result = try #require(try SearchEvaluator.evaluate(index, queries: queries).first)
    #expect(result.method == "tfidf")
    #expect(result.recallAt1 == 0.5 && result.recallAt10 == 0.5 && result.meanReciprocalRank == 0.5)
    #expect(SearchEvaluator.table([result]).contains("| tfidf | 2 | 0.500 | 0.500 | 0.500 | 0.500 |"))
}

/// The real encoders, when the set-up script has filled the model cache.
private let realCatalog: SearchMethodCatalog? = {
    let (catalog, missing) = SearchMethodCatalog.loading(cache: ModelCache())
    return missing.isEmpty ? catalog : nil
}()

@Test(.enabled(if: realCatalog != nil, "needs the MiniLM and GloVe model cache (scripts/setup_models.sh)"))
func hybridRanksAtLeastAsWellAsItsPartsOnTheDemoQueries() throws {
    let catalog = try #require(realCatalog)
    let index = try loadedIndex(
        TfidfReference.shared.images, methods: ["hybrid", "tfidf", "minilm", "glove"], catalog: catalog)
    let results = try SearchEvaluator.evaluate(index, queries: try demoQueries())
    print(SearchEvaluator.table(results))
    let byMethod = Dictionary(uniqueKeysWithValues: results.map { ($0.method, $0) })
    let hybrid = try #require(byMethod["hybrid"])
    for part in ["tfidf", "minilm"] {
        let other = try #require(byMethod[part])
        #expect(hybrid.recallAt1 > other.recallAt1, "R@1 against \(part)")
        #expect(hybrid.meanReciprocalRank > other.meanReciprocalRank, "MRR against \(part)")
        // FIXME: on this set MiniLM's only top-5 misses (two emoji, a German word, "hedge") share no word with
        // any caption either, so no lexical fusion can lift R@5 above MiniLM's; the hybrid ties it.
        #expect(hybrid.recallAt5 >= other.recallAt5, "R@5 against \(part)")
    }
}
