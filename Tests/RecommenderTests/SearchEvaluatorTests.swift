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
    let fresh = try ["fresh_photo_queries.csv", "fresh_photo_queries_2.csv", "fresh_photo_queries_3.csv"].map {
        try SearchEvaluator.queries(csv: evalFixture($0))
    }
    #expect(fresh.map(\.count) == [160, 160, 160])
    #expect(Set(fresh[0].compactMap(\.split)) == ["writer_a", "writer_b"])
    #expect(Set(fresh[2].compactMap(\.split)) == ["writer_e", "writer_f"])
    for query in queries + fresh.joined() {
        #expect(query.relevantFiles.isSubset(of: files), "\(query.text) names files outside the sample")
    }
    #expect(queries.contains { $0.relevantFiles.count > 2 })

    let captionQueries = try SearchEvaluator.queries(csv: evalFixture("caption_queries.csv"))
    #expect(captionQueries.count == 127 && captionQueries.allSatisfy { $0.split == nil })
    #expect(SearchEvaluator.parseCSVLine(#""a, ""b""",c"#) == [#"a, "b""#, "c"])
    #expect(throws: RecommenderError.self) { try SearchEvaluator.queries(csv: "q,r\nx,y") }
    #expect(throws: RecommenderError.self) { try SearchEvaluator.queries(csv: "query,relevant\n") }
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

/// The four sets written from the demo photos: the team's 126 queries and three fresh sets of 160 written by
/// people who saw only the photos (the third was run only after translations were designed).
private let photoQuerySets = [
    "photo_queries.csv", "fresh_photo_queries.csv", "fresh_photo_queries_2.csv", "fresh_photo_queries_3.csv",
]

@Test(arguments: photoQuerySets)
func methodsOnThePhotoQueries(_ set: String) throws {
    let catalog = try realCatalog()
    let index = try loadedIndex(
        try demoSampleCaptions(), methods: ["hybrid", "tfidf", "bm25", "minilm", "glove"], catalog: catalog)
    #expect(index.methodNames.contains("bm25_glove"))
    let results = try SearchEvaluator.evaluate(index, queries: try SearchEvaluator.queries(csv: evalFixture(set)))
    print(set + "\n" + SearchEvaluator.table(results))
    let byMethod = Dictionary(uniqueKeysWithValues: results.map { ($0.method, $0) })
    let (hybrid, minilm, expanded, bm25, tfidf, glove) = try (
        #require(byMethod["hybrid"]), #require(byMethod["minilm"]), #require(byMethod["bm25_glove"]),
        #require(byMethod["bm25"]), #require(byMethod["tfidf"]), #require(byMethod["glove"])
    )

    // MiniLM finds what lexical matching cannot on queries written from the pictures.
    #expect(minilm.recallAt5 > bm25.recallAt5 + 0.1 && minilm.recallAt5 > glove.recallAt5)
    #expect(bm25.meanReciprocalRank > tfidf.meanReciprocalRank)
    // GloVe expansion lets BM25 reach captions that use a related word.
    #expect(expanded.recallAt5 > bm25.recallAt5)

    // The hybrid beats its lexical part everywhere, and never falls behind MiniLM.
    #expect(hybrid.recallAt1 > expanded.recallAt1 && hybrid.recallAt5 > expanded.recallAt5)
    #expect(hybrid.recallAt1 >= minilm.recallAt1 && hybrid.recallAt5 >= minilm.recallAt5)
    #expect(hybrid.meanReciprocalRank > minilm.meanReciprocalRank)
    // On the evaluation set it beats both parts on R@1 and R@5. Where a set has other-language queries
    // MiniLM misses ("perro", "coccinelle", "chien à la fenêtre"), the translations lift R@5; the second fresh
    // set has none, and there R@5 ties. The third set ties on R@1 (docs/EVALUATION.md).
    let beatsOnRecallAt1: Set = ["photo_queries.csv", "fresh_photo_queries.csv", "fresh_photo_queries_2.csv"]
    let beatsOnRecallAt5: Set = ["photo_queries.csv", "fresh_photo_queries.csv", "fresh_photo_queries_3.csv"]
    if beatsOnRecallAt1.contains(set) { #expect(hybrid.recallAt1 > minilm.recallAt1) }
    if beatsOnRecallAt5.contains(set) { #expect(hybrid.recallAt5 > minilm.recallAt5) }
}

/// Without translations the hybrid's R@5 is MiniLM's on every set: the gain on R@5 comes from them.
@Test func withoutTranslationsTheHybridTiesMiniLMOnRecallAt5() throws {
    var catalog = try realCatalog()
    catalog.translations = nil
    let index = try loadedIndex(try demoSampleCaptions(), methods: ["hybrid", "minilm"], catalog: catalog)
    for set in photoQuerySets {
        let results = try SearchEvaluator.evaluate(index, queries: try SearchEvaluator.queries(csv: evalFixture(set)))
        let byMethod = Dictionary(uniqueKeysWithValues: results.map { ($0.method, $0.recallAt5) })
        #expect(byMethod["hybrid"] != nil && byMethod["hybrid"] == byMethod["minilm"], "\(set)")
    }
}

@Test func perQueryRanks() throws {
    let index = try loadedIndex(
        [
            ImageCaption(id: "a", file: "a.jpg", caption: "dry beach grass on a sand dune"),
            ImageCaption(id: "b", file: "b.jpg", caption: "a red car in the city"),
        ], methods: ["tfidf"])
    let queries = [
        SearchEvaluator.Query(text: "red \"car\"", relevantFiles: ["b.jpg"], split: "dev"),
        SearchEvaluator.Query(text: "zebra", relevantFiles: ["a.jpg"]),
    ]
    let ranking = try SearchEvaluator.ranks(index, queries: queries)
    #expect(ranking.map(\.method) == ["tfidf"] && ranking[0].ranks == [1, nil])
    let csv = SearchEvaluator.ranksCSV(ranking, queries: queries)
    #expect(csv == "query,split,tfidf\n\"red \"\"car\"\"\",\"dev\",1\n\"zebra\",,\n")
    let parsed = SearchEvaluator.parseCSVLine(#""red ""car""",dev,1"#)
    #expect(parsed == [#"red "car""#, "dev", "1"])
}

@Test func ranksCSVQuotesTheSplit() throws {
    let queries = [
        SearchEvaluator.Query(text: "a, \"b\"", relevantFiles: ["a.jpg"], split: "writer \"a\", day 2"),
        SearchEvaluator.Query(text: "\"", relevantFiles: ["a.jpg"], split: "test"),
    ]
    let ranking = [SearchEvaluator.MethodRanks(method: "tfidf", ranks: [3, nil])]
    let lines = SearchEvaluator.ranksCSV(ranking, queries: queries).split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(SearchEvaluator.parseCSVLine(lines[1]) == ["a, \"b\"", "writer \"a\", day 2", "3"])
    #expect(SearchEvaluator.parseCSVLine(lines[2]) == ["\"", "test", ""])
}

@Test func anUnclosedQuoteIsNamedWithItsLine() throws {
    #expect(SearchEvaluator.parseCSVLine(#""a, b,c"#) == nil)
    #expect(SearchEvaluator.parseCSVLine(#"a "b" c,d"#) == [#"a "b" c"#, "d"])
    let error = try #require(throws: RecommenderError.self) {
        try SearchEvaluator.queries(csv: "query,relevant\n\n\"a dog, running,a.jpg\n")
    }
    #expect(
        error.message
            == "line 3: a quote is not closed (a field that holds a quote must be quoted, with the quote doubled)")
    let captionError = try #require(throws: RecommenderError.self) {
        try SearchEvaluator.captions(csv: "file,caption\na.jpg,\"a dog\nb.jpg,a cat\n")
    }
    #expect(captionError.message.hasPrefix("line 2: a quote is not closed"))
}

@Test func lineNumbersCountBlankLines() throws {
    let error = try #require(throws: RecommenderError.self) {
        try SearchEvaluator.queries(csv: "query,relevant\n\na dog,a.jpg\n\n   ,b.jpg\n")
    }
    #expect(error.message == "line 5 needs a query and files")
}

@Test func aQueryOverTheLimitIsRefusedWithItsLine() throws {
    let long = String(repeating: "a", count: SearchIndex.maxQueryCharacters + 1)
    let error = try #require(throws: RecommenderError.self) {
        try SearchEvaluator.queries(csv: "query,relevant\na dog,a.jpg\n\(long),b.jpg\n")
    }
    #expect(error.message == "line 3: the query has 10001 characters, more than the limit of 10000")
    let atLimit = String(repeating: "a", count: SearchIndex.maxQueryCharacters)
    #expect(try SearchEvaluator.queries(csv: "query,relevant\n\(atLimit),b.jpg\n").count == 1)
}
