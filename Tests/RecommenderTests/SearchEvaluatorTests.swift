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
    #expect(index.methodNames.contains("bm25_glove"))
    let results = try SearchEvaluator.evaluate(index, queries: try photoQueries())
    print(SearchEvaluator.table(results))
    let byMethod = Dictionary(uniqueKeysWithValues: results.map { ($0.method, $0) })
    let (hybrid, minilm, expanded, bm25, tfidf, glove) = try (
        #require(byMethod["hybrid"]), #require(byMethod["minilm"]), #require(byMethod["bm25_glove"]),
        #require(byMethod["bm25"]), #require(byMethod["tfidf"]), #require(byMethod["glove"])
    )

    // MiniLM finds what lexical matching cannot on queries written from the pictures.
    #expect(minilm.recallAt5 > bm25.recallAt5 + 0.2 && minilm.recallAt5 > glove.recallAt5)
    #expect(bm25.meanReciprocalRank > tfidf.meanReciprocalRank)
    // GloVe expansion lets BM25 reach captions that use a related word.
    #expect(expanded.recallAt1 > bm25.recallAt1 && expanded.recallAt5 > bm25.recallAt5)

    // The hybrid beats its lexical part everywhere and MiniLM on R@1 and MRR.
    #expect(hybrid.recallAt1 > expanded.recallAt1 && hybrid.recallAt5 > expanded.recallAt5)
    #expect(hybrid.recallAt1 > minilm.recallAt1 && hybrid.meanReciprocalRank > minilm.meanReciprocalRank)
    // FIXME: the hybrid only ties MiniLM on R@5 (0.984): MiniLM's two top-5 misses ("perro", "bean bag") get
    // no useful expansion from GloVe, so neither part can lift them into the first five.
    #expect(hybrid.recallAt5 >= minilm.recallAt5)
}
