import CaptionerService
import Testing

/// Caption cleaning: one test per kind of damage.
struct CaptionCleanerTests {
    let cleaner = CaptionCleaner()

    @Test func aPhraseRepeatedAfterAConnectorIsCollapsed() {
        #expect(cleaner.clean("a mountain range with a mountain range") == "a mountain range")
    }

    @Test func aChainOfRepeatsKeepsTheFirstOfEachPhrase() {
        let caption = "a blurry photo of a blurry image of a blurry image"
        #expect(cleaner.clean(caption) == "a blurry photo of a blurry image")
    }

    @Test func aWordRepeatedInPlaceIsCollapsed() {
        #expect(cleaner.clean("different colored colored colored things") == "different colored things")
    }

    @Test func aPhraseRepeatedInPlaceIsCollapsed() {
        #expect(cleaner.clean("a man riding a horse a man riding a horse") == "a man riding a horse")
    }

    @Test func repeatsAreFoundWithoutRegardToCaseOrTrailingPunctuation() {
        #expect(cleaner.clean("A red car, a red car.") == "A red car.")
        #expect(cleaner.clean("two dogs and Two Dogs on a beach") == "two dogs on a beach")
    }

    @Test func phrasesOfFunctionWordsAreNotCollapsedThroughAConnector() {
        #expect(cleaner.clean("the ball goes over and over") == "the ball goes over and over")
    }

    @Test func differentPhrasesAroundAConnectorStay() {
        let caption = "a cup of coffee and a cup of tea on a table"
        #expect(cleaner.clean(caption) == caption)
        #expect(cleaner.clean("a dog with a cat") == "a dog with a cat")
    }

    @Test func whitespaceIsTrimmedAndRunsBecomeOneSpace() {
        #expect(cleaner.clean("  a  dog\tin the\n snow \u{00A0}") == "a dog in the snow")
    }

    @Test func curlyQuotesBecomeStraight() {
        #expect(
            cleaner.clean("a sign saying \u{201C}open\u{201D} on a baker\u{2019}s door")
                == "a sign saying \"open\" on a baker's door")
    }

    @Test func quotesAroundTheWholeCaptionAreStripped() {
        #expect(cleaner.clean("\"a cat on a sofa\"") == "a cat on a sofa")
        #expect(cleaner.clean(" \u{201C} 'a cat on a sofa' \u{201D} ") == "a cat on a sofa")
        #expect(cleaner.clean("\"open\" sign and a \"closed\" sign") == "\"open\" sign and a \"closed\" sign")
        #expect(cleaner.clean("\"open\" and \"closed\"") == "\"open\" and \"closed\"")
    }

    @Test func emptyAndQuoteOnlyTextBecomesEmpty() {
        #expect(cleaner.clean("") == "")
        #expect(cleaner.clean("   \n ") == "")
        #expect(cleaner.clean("\"\"") == "")
        #expect(cleaner.clean("\u{201C}") == "")
    }

    @Test func phrasesLongerThanTheLimitAreLeftAlone() {
        let short = CaptionCleaner(maxPhraseLength: 2)
        #expect(short.clean("a big red car with a big red car") == "a big red car with a big red car")
        #expect(short.clean("a red car with a red car") == "a red car with a red car")
        #expect(short.clean("red car with red car") == "red car")
    }

    @Test func longRepetitiveTextIsCollapsedCompletely() {
        let repeated = Array(repeating: "a tree", count: 500).joined(separator: " with ")
        #expect(cleaner.clean(repeated) == "a tree")
    }
}
