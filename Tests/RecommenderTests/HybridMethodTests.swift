import Foundation
import Shared
import Testing

@testable import RecommenderService

/// A toy encoder: one dimension per concept word, so semantic matches are predictable.
struct ConceptEncoder: TextEncoder {
    let concepts = [["dog", "dogs", "puppy"], ["cat", "kitten"], ["beach", "sea", "sand"], ["snow", "winter"]]
    var identity = "concepts-v1"
    var dimensions: Int { concepts.count }

    func encode(_ text: String) throws -> [Float] {
        let words = TfidfAnalyzer.tokens(text)
        return concepts.map { group in Float(words.filter(group.contains).count) + 0.01 }
    }

    func diagnostics(for text: String) -> [String: String] { ["encoder": identity] }
}

private let pictures = [
    ImageCaption(id: "1", file: "dog.jpg", caption: "a dog on the beach"),
    ImageCaption(id: "2", file: "cat.jpg", caption: "a kitten on a sofa"),
    ImageCaption(id: "3", file: "snow.jpg", caption: "two dogs in winter snow"),
]

/// A hybrid of plain `bm25` (the default `bm25_glove` needs word vectors) and the concept encoder.
let bm25Hybrid = {
    var parameters = HybridMethod.Parameters()
    parameters.lexical = "bm25"
    parameters.lexicalWeight = 0.1
    return parameters
}()

private let catalog = SearchMethodCatalog(encoders: ["minilm": ConceptEncoder()], hybrid: bm25Hybrid)

@Test func denseMethodFindsSynonyms() throws {
    let index = try loadedIndex(pictures, methods: ["minilm"], catalog: catalog)
    let response = try index.search("puppy", k: 3)
    #expect(response.method == "minilm")
    #expect(response.results.first?.id == "1")
    #expect(response.diagnostics["encoder"] == "concepts-v1")
    #expect(try index.search("kitten", k: 1).results.map(\.id) == ["2"])
}

@Test func hybridBuildsItsComponentsAndFusesStandardisedScores() throws {
    let index = try loadedIndex(pictures, methods: ["hybrid"], catalog: catalog)
    #expect(index.methodNames == ["bm25", "minilm", "hybrid"])
    #expect(index.defaultMethod == "hybrid")
    let parameters = try #require(index.file.header.method(named: "hybrid")?.parameters)
    #expect(parameters["lexical_weight"] == "0.1" && parameters["normalization"] == "zscore")

    let query = "dogs in the snow"
    let lexical = HybridMethod.standardized(try index.methods["bm25"]!.scores(for: query).scores)
    let semanticScores = try index.methods["minilm"]!.scores(for: query).scores
    let semantic = HybridMethod.standardized(semanticScores)
    let fused = try index.methods["hybrid"]!.scores(for: query).scores
    for image in 0..<3 {
        let expected = semantic.mean + semantic.deviation * (0.1 * lexical.values[image] + 0.9 * semantic.values[image])
        #expect(abs(fused[image] - expected) < 1e-12)
    }
    #expect(try index.search(query, k: 3).results.first?.id == "3")

    // Without a lexical match the hybrid ranks exactly as the semantic method, on its scale.
    let unmatched = try index.methods["hybrid"]!.scores(for: "puppy").scores
    let plain = try index.methods["minilm"]!.scores(for: "puppy").scores
    for image in 0..<3 { #expect(abs(unmatched[image] - 0.9 * plain[image] - 0.1 * mean(plain)) < 1e-9) }
}

/// The mean of `scores`.
private func mean(_ scores: [Double]) -> Double { scores.reduce(0, +) / Double(scores.count) }

@Test func minMaxHybridOverTfidfStillBuildsAndLoads() throws {
    var parameters = HybridMethod.Parameters()
    parameters.lexical = "tfidf"
    parameters.normalization = .minmax
    parameters.lexicalWeight = 0.15
    let minMaxCatalog = SearchMethodCatalog(encoders: ["minilm": ConceptEncoder()], hybrid: parameters)
    let index = try loadedIndex(pictures, methods: ["hybrid"], catalog: minMaxCatalog)
    #expect(index.methodNames == ["tfidf", "minilm", "hybrid"])
    let query = "dogs in the snow"
    let lexical = HybridMethod.minMax(try index.methods["tfidf"]!.scores(for: query).scores)
    let semantic = HybridMethod.minMax(try index.methods["minilm"]!.scores(for: query).scores)
    let fused = try index.methods["hybrid"]!.scores(for: query).scores
    for image in 0..<3 { #expect(abs(fused[image] - (0.15 * lexical[image] + 0.85 * semantic[image])) < 1e-12) }
}

@Test func methodsWithoutTheirEncoderAreUnavailableNotFatal() throws {
    let directory = NSTemporaryDirectory() + "imgrec-hybrid-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.imgrec"
    try ModelBuilder(catalog: catalog).build(images: pictures, methods: ["hybrid"], imageBaseURL: nil).write(to: path)

    let plain = try SearchIndex(path: path)
    #expect(plain.methods.keys.sorted() == ["bm25"])
    #expect(plain.unavailableMethods.keys.sorted() == ["hybrid", "minilm"])
    let error = #expect(throws: RecommenderError.self) { try plain.search("dog", k: 3, method: "hybrid") }
    #expect(error?.code == "method_unavailable")
    let fallback = try plain.search("dog", k: 3)
    #expect(fallback.method == "bm25" && fallback.diagnostics["fallback"]?.hasSuffix("ranked by bm25") == true)
    #expect(try plain.search("dog", k: 3, method: "bm25").results.first?.id == "1")

    var other = ConceptEncoder()
    other.identity = "concepts-v2"
    let mismatched = try SearchIndex(path: path, catalog: SearchMethodCatalog(encoders: ["minilm": other]))
    #expect(mismatched.unavailableMethods["minilm"]?.contains("concepts-v1") == true)
}
