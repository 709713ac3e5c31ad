import Foundation
import Shared
import Testing

@testable import RecommenderService

/// Builds a model over `images` into a fresh temporary directory and loads it.
func loadedIndex(
    _ images: [ImageCaption], methods: [String] = ["tfidf"], catalog: SearchMethodCatalog = SearchMethodCatalog(),
    imageBaseURL: String? = "http://sampler:8081"
) throws -> SearchIndex {
    let directory = NSTemporaryDirectory() + "imgrec-index-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.imgrec"
    let writer = try ModelBuilder(catalog: catalog).build(images: images, methods: methods, imageBaseURL: imageBaseURL)
    try writer.write(to: path)
    return try SearchIndex(path: path, catalog: catalog)
}

private let animals = [
    ImageCaption(id: "i3", file: "b/dogs.jpg", caption: "two brown dogs in the snow"),
    ImageCaption(id: "i1", file: "a/dog.jpg", caption: "a dog on the beach"),
    ImageCaption(id: "i2", file: "a/cat.jpg", caption: "a cat on a sofa"),
    ImageCaption(id: "i4", file: "c/dog-copy.jpg", caption: "a dog on the beach"),
    ImageCaption(id: "i 5", file: "c/empty.jpg", caption: ""),
]

@Test func searchRanksBestFirstWithDeterministicTies() throws {
    let index = try loadedIndex(animals)
    let response = try index.search("dog beach", k: 10)
    #expect(response.method == "tfidf")
    #expect(response.results.map(\.id) == ["i1", "i4"])
    #expect(response.results[0].score == response.results[1].score)
    #expect(response.results[0].score > 0.5)
    #expect(response.results[0].caption == "a dog on the beach")
    #expect(response.results[0].imageURL == "http://sampler:8081/v1/images/i1")
}

@Test func searchReturnsOnlyMatchingImagesAndAtMostK() throws {
    let index = try loadedIndex(animals)
    #expect(try index.search("dog", k: 1).results.map(\.id) == ["i1"])
    #expect(try index.search("DOGS!", k: 5).results.map(\.id) == ["i3"])
    let none = try index.search("zebra", k: 5)
    #expect(none.results.isEmpty)
    #expect(none.diagnostics["unknown_terms"] == "zebra")
}

@Test func badSearchesAreTypedErrors() throws {
    let index = try loadedIndex(animals)
    for (query, k, method, code) in [
        ("", 5, nil, "empty_query"), ("   ", 5, nil, "empty_query"), ("\u{0}", 5, nil, "empty_query"),
        ("\u{0} \u{7}\n", 5, nil, "empty_query"), ("dog", 0, nil, "invalid_parameter"),
        ("dog", 101, nil, "invalid_parameter"), ("dog", 5, "bm25", "unknown_method"),
    ] as [(String, Int, String?, String)] {
        let error = #expect(throws: RecommenderError.self) { try index.search(query, k: k, method: method) }
        #expect(error?.code == code)
        #expect(error?.kind == .badRequest)
    }
}

@Test func imageURLsUseTheOverrideAndEncodeIds() throws {
    let index = try loadedIndex(animals)
    let results = try index.search("snow", k: 5, imageBaseURL: "https://photos.example/").results
    #expect(results.first?.imageURL == "https://photos.example/v1/images/i3")
    #expect(SearchIndex.imageURL(base: "http://h", id: "i 5/x") == "http://h/v1/images/i%205%2Fx")
    let bare = try loadedIndex(animals, imageBaseURL: nil)
    #expect(try bare.search("snow", k: 5).results.first?.imageURL == nil)
}

@Test func buildsRefuseUnusableInput() throws {
    let builder = ModelBuilder()
    #expect(throws: RecommenderError.self) { try builder.build(images: [], methods: ["tfidf"], imageBaseURL: nil) }
    #expect(throws: RecommenderError.self) {
        try builder.build(images: animals, methods: ["minilm"], imageBaseURL: nil)
    }
    let twice = [animals[0], animals[0]]
    let error = #expect(throws: RecommenderError.self) {
        try builder.build(images: twice, methods: ["tfidf"], imageBaseURL: nil)
    }
    #expect(error?.code == "duplicate_image")
}

@Test func modelRecordsItsParameters() throws {
    let index = try loadedIndex(animals)
    #expect(index.imageBaseURL == "http://sampler:8081")
    #expect(index.methodNames == ["tfidf"])
    #expect(index.defaultMethod == "tfidf")
    #expect(index.images.count == 5)
    #expect(index.file.header.method(named: "tfidf")?.parameters["smooth_idf"] == "true")
}
