import Foundation
import Testing

@testable import RecommenderService

/// A file under Tests/Fixtures/eval.
private func evalFixture(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/eval/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
}

/// The evaluation set written from the demo photos.
func photoQueries() throws -> [SearchEvaluator.Query] {
    try SearchEvaluator.queries(csv: evalFixture("photo_queries.csv"))
}

/// The captions of the 43 demo images a demo sample can contain.
func demoSampleCaptions() throws -> [ImageCaption] {
    try SearchEvaluator.captions(csv: evalFixture("demo_sample_captions.csv"))
}

@Test func queryFilesParse() throws {
    let queries = try photoQueries()
    #expect(queries.count >= 100)
    #expect(queries.filter { $0.split == "dev" }.count == 63 && queries.filter { $0.split == "test" }.count == 63)
    let files = Set(try demoSampleCaptions().map(\.file))
    #expect(files.count == 43)
    for query in queries {
        #expect(query.relevantFiles.isSubset(of: files), "\(query.text) names files outside the sample")
    }
    #expect(queries.contains { $0.relevantFiles.count > 2 })

    let captionQueries = try SearchEvaluator.queries(csv: evalFixture("caption_queries.csv"))
    #expect(captionQueries.count == 127 && captionQueries.allSatisfy { $0.split == nil })
    #expect(SearchEvaluator.parseCSVLine(#""a, ""b""",c"#) == [#"a, "b""#, "c"])
    #expect(throws: RecommenderError.self) { try SearchEvaluator.queries(csv: "q,r\nx,y") }
    #expect(throws: RecommenderError.self) { try SearchEvaluator.captions(csv: "file,text\nx,y") }
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

@Test func methodsOnThePhotoQueries() throws {
    let catalog = try realCatalog()
    let index = try loadedIndex(
        try demoSampleCaptions(), methods: ["hybrid", "tfidf", "bm25", "minilm", "glove"], catalog: catalog)
    let results = try SearchEvaluator.evaluate(index, queries: try photoQueries())
    print(SearchEvaluator.table(results))
    let byMethod = Dictionary(uniqueKeysWithValues: results.map { ($0.method, $0) })
    let (hybrid, minilm, bm25, tfidf, glove) = try (
        #require(byMethod["hybrid"]), #require(byMethod["minilm"]), #require(byMethod["bm25"]),
        #require(byMethod["tfidf"]), #require(byMethod["glove"]))

    // MiniLM finds what lexical matching cannot on queries written from the pictures.
    #expect(minilm.recallAt5 > bm25.recallAt5 + 0.2 && minilm.recallAt5 > glove.recallAt5)
    #expect(bm25.meanReciprocalRank > tfidf.meanReciprocalRank)
    // FIXME: the hybrid does not beat MiniLM on this set: MiniLM's misses share no word with any caption, and the
    // fusion chosen on the dev half loses a top-5 hit on the test half unless stop words are dropped, after
    // which it ranks as MiniLM does. It must at least not rank worse than either part.
    for part in [minilm, bm25] {
        #expect(hybrid.recallAt1 >= part.recallAt1, "R@1 against \(part.method)")
        #expect(hybrid.recallAt5 >= part.recallAt5, "R@5 against \(part.method)")
        #expect(hybrid.meanReciprocalRank >= part.meanReciprocalRank, "MRR against \(part.method)")
    }
}
