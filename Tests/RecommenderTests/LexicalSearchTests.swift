import Foundation
import Testing

@testable import RecommenderService

@Test func pluralsFoldToTheirSingular() {
    let cases = [
        "dogs": "dog", "berries": "berry", "boxes": "box", "bushes": "bush", "benches": "bench", "glass": "glass",
        "cactus": "cactus", "grass": "grass", "leaves": "leave", "bus": "bus", "mountains": "mountain",
    ]
    for (word, singular) in cases { #expect(LexicalAnalyzer.singular(word) == singular, "\(word)") }
    #expect(LexicalAnalyzer.terms("The DOGS, on a Beach!") == ["dog", "beach"])
    #expect(LexicalAnalyzer.terms("the dogs", removingStopWords: false) == ["the", "dog"])
}

@Test func spellingCorrectorFindsTheClosestTermOrNothing() throws {
    let corrector = SpellingCorrector(vocabulary: ["mountain", "fountain", "motorcycle", "dandelion", "dog"])
    #expect(try #require(corrector.correction(for: "montain")).term == "mountain")
    #expect(corrector.correction(for: "motercycle")?.term == "motorcycle")
    #expect(corrector.correction(for: "dandelon")?.term == "dandelion")
    #expect(corrector.correction(for: "dgo") == nil)  // too short to judge
    #expect(corrector.correction(for: "zebra") == nil)
}

@Test func emojiBecomeWords() {
    #expect(EmojiWords.rewrite("🐶").text == "dog")
    let rewritten = EmojiWords.rewrite("two🐶 on the 🏖️!")
    #expect(rewritten.text == "two dog on the beach !")
    #expect(rewritten.replacements == ["🐶→dog", "🏖→beach"])
    #expect(EmojiWords.rewrite("👍🏽 no emoji known").text == "👍🏽 no emoji known")
    #expect(EmojiWords.rewrite("plain text").replacements.isEmpty)
    // A replacement is reported once however often the emoji repeats (9,000 dogs made a 135 KB answer).
    let many = EmojiWords.rewrite(String(repeating: "🐶", count: 9_000) + "🌲")
    #expect(many.replacements == ["🐶→dog", "🌲→pine tree"])
}

private let captions = [
    ImageCaption(id: "1", file: "dogs.jpg", caption: "two brown dogs looking out of a wooden house"),
    ImageCaption(id: "2", file: "mountain.jpg", caption: "hiking trail towards rocky snowy mountains"),
    ImageCaption(id: "3", file: "dune.jpg", caption: "dry beach grass on a sand dune with the sea behind"),
    ImageCaption(id: "4", file: "dog.jpg", caption: "a dog"),
]

@Test func bm25ScoresMatchTheFormula() throws {
    let index = try loadedIndex(captions, methods: ["bm25"])
    let scores = try index.methods["bm25"]!.scores(for: "dog beach").scores
    // n = 4; "dog" in 2 captions, "beach" in 1. Lengths without stop words: 7, 6, 7, 1; average 5.25.
    func idf(_ frequency: Double) -> Double { log(1 + (4 - frequency + 0.5) / (frequency + 0.5)) }
    func saturated(_ length: Double) -> Double { 2.2 / (1 + 1.2 * (0.25 + 0.75 * length / 5.25)) }
    #expect(abs(scores[0] - idf(2) * saturated(7)) < 1e-5)
    #expect(scores[1] == 0)
    #expect(abs(scores[2] - idf(1) * saturated(7)) < 1e-5)
    #expect(abs(scores[3] - idf(2) * saturated(1)) < 1e-5)
}

@Test func bm25ReadsPluralsCaseTyposAndReportsWhatItCouldNot() throws {
    let index = try loadedIndex(captions, methods: ["bm25"])
    #expect(try index.search("mountain", k: 1).results.map(\.id) == ["2"])
    #expect(try index.search("DOG!!!", k: 2).results.map(\.id) == ["4", "1"])

    let typo = try index.search("montain", k: 1)
    #expect(typo.results.map(\.id) == ["2"])
    #expect(typo.diagnostics["corrected_terms"] == "montain→mountain")

    let unknown = try index.search("zebra on the beach", k: 5)
    #expect(unknown.results.map(\.id) == ["3"])
    #expect(unknown.diagnostics["unknown_terms"] == "zebra")
    #expect(try index.search("🐶", k: 2).diagnostics["emoji"] == "🐶→dog")
    // Each word is reported once, however often the query repeats it.
    let repeated = try index.search("zebra montain zebra montain yak zebra", k: 1)
    #expect(repeated.diagnostics["unknown_terms"] == "zebra yak")
    #expect(repeated.diagnostics["corrected_terms"] == "montain→mountain")
}

@Test func tfidfReportsUnknownTermsAndReadsEmoji() throws {
    let index = try loadedIndex(captions, methods: ["tfidf"])
    let response = try index.search("Zebra 🐶 zebra ZEBRA", k: 2)
    #expect(response.diagnostics["unknown_terms"] == "zebra")
    #expect(response.results.first?.id == "4")
}
