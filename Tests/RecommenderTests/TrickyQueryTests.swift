import Foundation
import Testing

@testable import RecommenderService

/// One model over the demo sample with every method, built once for these tests.
private let demoIndex = Result { () throws -> SearchIndex in
    try loadedIndex(
        try demoSampleCaptions(), methods: ["hybrid", "tfidf", "bm25", "minilm", "glove"], catalog: try realCatalog())
}

private let mountains: Set<String> = ["real_noexif_06.jpg", "real_noexif_11.jpg", "real_noexif_13.jpg"]

/// The first result's file for `query` by `method`.
private func top(_ query: String, _ method: String) throws -> String? {
    try demoIndex.get().search(query, k: 1, method: method).results.first?.file
}

@Test func misspellingsFindTheIntendedPictures() throws {
    let index = try demoIndex.get()
    for method in ["bm25", "minilm", "hybrid"] {
        #expect(mountains.contains(try top("montain", method) ?? ""), "\(method)")
        #expect(try top("motercycle", method) == "real_noexif_26.jpg", "\(method)")
    }
    #expect(try index.search("montain", k: 3, method: "bm25").diagnostics["corrected_terms"] == "montain→mountain")
    #expect(try index.search("montain", k: 3, method: "tfidf").diagnostics["unknown_terms"] == "montain")
}

@Test func pluralsCaseAndPunctuationDoNotChangeTheAnswer() throws {
    for method in ["tfidf", "bm25", "minilm", "hybrid", "glove"] {
        let plain = try top("cat", method)
        #expect(plain == "real_xmponly_01.png", "\(method)")
        #expect(try top("CAT!!!", method) == plain, "\(method)")
        #expect(try top("  Cat?? ", method) == plain, "\(method)")
    }
    // scikit-learn's TF-IDF has no plural folding: "cats" is unknown to it.
    for method in ["bm25", "minilm", "hybrid"] {
        #expect(try top("CATS!!!", method) == "real_xmponly_01.png", "\(method)")
    }
    // The caption says "dogs"; BM25 folds both to "dog", and its share of the hybrid lifts the right picture,
    // while MiniLM alone ranks the cat first for the bare word.
    for method in ["bm25", "hybrid"] { #expect(try top("a dog", method) == "real_noexif_08.jpg", "\(method)") }
}

@Test func emojiAreReadAsWords() throws {
    let index = try demoIndex.get()
    for method in ["tfidf", "bm25", "minilm", "hybrid", "glove"] {
        let response = try index.search("🏍", k: 1, method: method)
        #expect(response.results.first?.file == "real_noexif_26.jpg", "\(method)")
        #expect(response.diagnostics["emoji"] == "🏍→motorcycle")
        if method != "glove" { #expect(try top("☕️", method) == "real_noexif_24.jpg", "\(method)") }
    }
    #expect(try top("🐶🐶", "bm25") == "real_noexif_08.jpg")
}

@Test func queriesInAnotherLanguageAreTranslatedOrAnsweredWithLowConfidence() throws {
    let index = try demoIndex.get()
    // Words of the languages the word list covers reach the captions through their translations.
    for (query, file) in [("perro", "real_noexif_08.jpg"), ("coccinelle", "real_noexif_19.jpg")] {
        let response = try index.search(query, k: 5, method: "hybrid")
        #expect(response.results.map(\.file).contains(file), "\(query): \(response.results.map(\.file))")
        #expect(response.diagnostics["semantic_query"]?.hasPrefix(query + " ") == true)
    }
    // Other languages are answered as well as MiniLM can, and flagged when that is poorly.
    for query in ["Hund", "chat tigré"] {
        let response = try index.search(query, k: 5, method: "hybrid")
        #expect(response.diagnostics["semantic_query"] == nil, "\(query)")
        #expect(response.diagnostics["confidence"] == "low", "\(query) \(response.diagnostics)")
        #expect(response.diagnostics["best_similarity"] != nil)
    }
    #expect(try index.search("two dogs", k: 5, method: "hybrid").diagnostics["confidence"] == nil)
    let glove = try index.search("fleurs jaunes xqzv", k: 5, method: "glove")
    #expect(glove.diagnostics["unknown_words"] == "jaunes xqzv")
}

@Test func queriesLongerThanTheWindowAreTruncatedNotRejected() throws {
    let index = try demoIndex.get()
    let sentence = "a long walk along the beach where dry grass grows on the sand dune and the sea shines behind it "
    let long = String(repeating: sentence, count: 20)
    for method in ["minilm", "hybrid"] {
        let response = try index.search(long, k: 3, method: method)
        #expect(response.results.first?.file == "real_exif_01.jpg", "\(method)")
        #expect(response.diagnostics["truncated"]?.hasPrefix("encoded the first 254 of") == true, "\(method)")
    }
    #expect(try index.search("beach", k: 3, method: "minilm").diagnostics["truncated"] == nil)
}
