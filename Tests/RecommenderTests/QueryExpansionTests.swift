import Foundation
import Shared
import Testing
import TextEmbedding

@testable import RecommenderService

/// Toy word vectors: "bush" lies next to "shrub", "puppy" next to "dog", "cat" between "dog" and "kitten".
private let toyVectors: [String: [Float]] = [
    "bush": [1, 0.1, 0], "shrub": [0.95, 0.2, 0], "tree": [0.6, 0.6, 0.2], "dog": [0, 1, 0.1],
    "puppy": [0.05, 0.97, 0.1], "cat": [0, 0.8, 0.6], "kitten": [0, 0.6, 0.8], "beach": [0.1, 0, 1],
]

/// An expansion over `vocabulary` with the toy vectors.
private func toyExpansion(
    _ vocabulary: [String], neighbours: Int = 1, minimumCosine: Double = 0.6
) -> QueryExpansion {
    var parameters = QueryExpansion.Parameters()
    parameters.neighbours = neighbours
    parameters.minimumCosine = minimumCosine
    return QueryExpansion(vocabulary: vocabulary, parameters: parameters) { toyVectors[$0] }
}

@Test func expansionReachesVocabularyTermsByCosine() {
    let expansion = toyExpansion(["shrub", "tree", "dog", "beach", "unvectored"])
    let bush = expansion.neighbours(of: "bush")
    #expect(bush.map(\.term) == ["shrub"])
    #expect(abs((bush.first?.cosine ?? 0) - 0.9942) < 1e-3)

    // Only vocabulary terms are proposed: without "shrub", "bush" reaches "tree" or nothing.
    #expect(toyExpansion(["tree", "dog"]).neighbours(of: "bush").map(\.term) == ["tree"])
    #expect(toyExpansion(["tree", "dog"], minimumCosine: 0.8).neighbours(of: "bush").isEmpty)
    #expect(expansion.neighbours(of: "bush", excluding: ["shrub"]).map(\.term) == ["tree"])
    #expect(
        toyExpansion(["shrub", "tree", "dog"], neighbours: 2).neighbours(of: "bush").map(\.term)
            == ["shrub", "tree"])
    // A word never reaches itself, and a word without a vector reaches nothing.
    #expect(toyExpansion(["bush", "shrub"]).neighbours(of: "bush").map(\.term) == ["shrub"])
    #expect(expansion.neighbours(of: "zzz").isEmpty && !expansion.knows("zzz") && expansion.knows("bush"))
}

/// A word-vector file with the toy vectors, written into `directory`.
private func toyGloVe(in directory: String) throws -> GloVeTextEncoder {
    let words = toyVectors.keys.sorted()
    let url = URL(fileURLWithPath: directory + "/toy.wordvec")
    try WordVectorFormat.write(words: words, vectors: words.flatMap { toyVectors[$0]! }, dimension: 3, to: url)
    return GloVeTextEncoder(vectors: try WordVectors(url: url))
}

private let garden = [
    ImageCaption(id: "1", file: "shrub.jpg", caption: "a green shrub by the wall"),
    ImageCaption(id: "2", file: "dog.jpg", caption: "a dog on the beach"),
    ImageCaption(id: "3", file: "kitten.jpg", caption: "a kitten asleep"),
]

@Test func expandedBm25ParametersRoundTripThroughTheModelFile() throws {
    let directory = NSTemporaryDirectory() + "imgrec-expansion-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var expansion = QueryExpansion.Parameters()
    expansion.neighbours = 2
    expansion.minimumCosine = 0.55
    var hybrid = HybridMethod.Parameters()
    hybrid.semantic = "glove"
    let glove = try toyGloVe(in: directory)
    let catalog = SearchMethodCatalog(encoders: ["glove": glove], hybrid: hybrid, expansion: expansion)

    let path = directory + "/model.imgrec"
    try ModelBuilder(catalog: catalog).build(images: garden, methods: ["hybrid"], imageBaseURL: nil).write(to: path)
    let index = try SearchIndex(path: path, catalog: catalog)
    #expect(index.methodNames == ["bm25", "bm25_glove", "glove", "hybrid"])
    let stored = try #require(index.file.header.method(named: "bm25_glove")?.parameters)
    #expect(stored["neighbours"] == "2" && stored["min_cosine"] == "0.55" && stored["word_vectors"] == glove.identity)
    let fusion = try #require(index.file.header.method(named: "hybrid")?.parameters)
    #expect(fusion["lexical"] == "bm25_glove" && fusion["lexical_weight"] == "0.05")

    // The stored parameters, not the catalog's, govern the loaded method.
    let reloaded = try SearchIndex(path: path, catalog: SearchMethodCatalog(encoders: ["glove": glove]))
    let response = try reloaded.search("bush", k: 3, method: "bm25_glove")
    #expect(response.results.map(\.id) == ["1"])
    #expect(response.diagnostics["expanded_terms"] == "bush→shrub")
    #expect(try index.search("bush", k: 3, method: "bm25").results.isEmpty)
    let puppy = try reloaded.search("puppy", k: 3, method: "bm25_glove").diagnostics["expanded_terms"]
    #expect(puppy == "puppy→dog puppy→kitten")

    // Without the word vectors the expansion is unavailable, and plain bm25 still serves.
    let bare = try SearchIndex(path: path)
    #expect(bare.methods.keys.sorted() == ["bm25"])
    #expect(bare.unavailableMethods["bm25_glove"]?.contains("glove") == true)
}

@Test func defaultHybridIsExpandedBm25WithMiniLM() {
    let parameters = HybridMethod.Parameters()
    #expect(parameters.lexical == "bm25_glove" && parameters.semantic == "minilm")
    #expect(parameters.lexicalWeight == 0.05 && parameters.normalization == .zscore)
    #expect(QueryExpansion.Parameters().neighbours == 1 && QueryExpansion.Parameters().minimumCosine == 0.6)
    #expect(!SearchMethodCatalog().buildableMethods.contains("bm25_glove"))
}

@Test func realGloVeExpandsDrinkToCoffee() throws {
    let catalog = try realCatalog()
    let index = try loadedIndex(try demoSampleCaptions(), methods: ["bm25_glove"], catalog: catalog)
    let response = try index.search("hot drink", k: 1, method: "bm25_glove")
    #expect(response.diagnostics["expanded_terms"]?.contains("drink→coffee") == true)
    #expect(response.results.first?.file == "real_noexif_24.jpg")
}

@Test func aRelatedWordNeverOutscoresTheTypedOne() throws {
    // "cat" (cosine 0.92 to "dog" in GloVe) on a shorter caption used to outscore "dogs" for the query "dog".
    let catalog = try realCatalog()
    let index = try loadedIndex(try demoSampleCaptions(), methods: ["bm25_glove"], catalog: catalog)
    let dog = try index.search("dog", k: 2, method: "bm25_glove")
    #expect(dog.diagnostics["expanded_terms"] == "dog→cat")
    #expect(dog.results.map(\.file) == ["real_noexif_08.jpg", "real_xmponly_01.png"], "\(dog.results)")
    let (typed, related) = (dog.results[0].score, dog.results[1].score)
    #expect(related < typed && related > 0.8 * typed, "the cat still scores, at the cosine times the dogs' score")

    // A typed word the captions lack is not capped: its neighbour is all there is.
    let drink = try index.search("drink", k: 1, method: "bm25_glove")
    let bm25Coffee = try index.search("coffee", k: 1, method: "bm25").results.first?.score ?? 0
    #expect(drink.results.first?.file == "real_noexif_24.jpg")
    #expect(abs((drink.results.first?.score ?? 0) - 0.7 * bm25Coffee) < 0.3 * bm25Coffee)
}
