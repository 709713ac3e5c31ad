import Foundation
import Shared
import Testing

@testable import RecommenderService

/// scikit-learn's results on the demo captions, written by scripts/tfidf_reference.py.
struct TfidfReference: Decodable {
    struct AnalyzerCase: Decodable {
        let text: String
        let tokens: [String]
    }
    struct Query: Decodable {
        let query: String
        let scores: [Double]
    }
    let files: [String]
    let captions: [String]
    let vocabulary: [String]
    let idf: [Double]
    let analyzer: [AnalyzerCase]
    let queries: [Query]

    static let shared: TfidfReference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/tfidf/reference.json")
        return try! JSONDecoder().decode(TfidfReference.self, from: Data(contentsOf: url))
    }()

    /// The demo captions as a build takes them, with the file name as the id.
    var images: [ImageCaption] {
        zip(files, captions).map { ImageCaption(id: $0, file: $0, caption: $1) }
    }
}

@Test(arguments: TfidfReference.shared.analyzer.map(\.text))
func analyzerMatchesScikitLearn(text: String) {
    let expected = TfidfReference.shared.analyzer.first { $0.text == text }!.tokens
    #expect(TfidfAnalyzer.tokens(text) == expected)
}

@Test func vocabularyAndIdfMatchScikitLearn() {
    let reference = TfidfReference.shared
    let vectorizer = TfidfVectorizer(fitting: reference.captions)
    #expect(vectorizer.vocabulary == reference.vocabulary)
    #expect(vectorizer.idf.count == reference.idf.count)
    for (mine, theirs) in zip(vectorizer.idf, reference.idf) {
        #expect(abs(mine - theirs) < 1e-9)
    }
}

@Test func modelFileScoresMatchScikitLearn() throws {
    let reference = TfidfReference.shared
    let directory = NSTemporaryDirectory() + "imgrec-tfidf-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.imgrec"
    try ModelBuilder().build(images: reference.images, methods: ["tfidf"], imageBaseURL: nil).write(to: path)

    let index = try SearchIndex(path: path)
    let stored = try index.file.float32("tfidf.idf")
    for (mine, theirs) in zip(stored, reference.idf) {
        #expect(abs(Double(mine) - theirs) < 1e-6)
    }
    #expect(Array(try index.file.strings("tfidf.vocabulary")) == reference.vocabulary)

    let method = try #require(index.methods["tfidf"])
    for query in reference.queries {
        let scores = try method.scores(for: query.query).scores
        #expect(scores.count == query.scores.count)
        let worst = zip(scores, query.scores).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-6, "query \(query.query): largest difference \(worst)")
    }
}
