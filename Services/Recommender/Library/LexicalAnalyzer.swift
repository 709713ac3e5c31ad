import Foundation

/// The analysis of the `bm25` method: TF-IDF's tokens (lower-cased words of two or more word characters) of
/// the text in Unicode composed form (NFC, so that "n" + combining tilde is "ñ" and does not split a word),
/// without common English function words, with plurals folded to their singular ("dogs" → "dog",
/// "berries" → "berry", "boxes" → "box").
///
/// The folding is a few suffix rules, not a stemmer: it only has to make a query word and a caption word
/// that differ in number meet on one term, and it must never merge unrelated words.
public enum LexicalAnalyzer {
    /// The terms of `text` in order, repeats included.
    public static func terms(_ text: String, removingStopWords: Bool = true) -> [String] {
        TfidfAnalyzer.tokens(text.precomposedStringWithCanonicalMapping).compactMap { token in
            removingStopWords && stopWords.contains(token) ? nil : singular(token)
        }
    }

    /// `word` with a regular English plural ending removed; other words unchanged.
    public static func singular(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), word.unicodeScalars.allSatisfy(\.isASCII) else { return word }
        if unchangedEndings.contains(where: word.hasSuffix) { return word }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if sibilantPlurals.contains(where: word.hasSuffix) { return String(word.dropLast(2)) }
        return String(word.dropLast())
    }

    /// Endings of words that are not plurals, or whose plural keeps them ("glass", "cactus", "analysis").
    private static let unchangedEndings = ["ss", "us", "is", "ous", "ics"]

    /// Plural endings that add "es" after a sibilant ("bushes", "boxes", "benches").
    private static let sibilantPlurals = ["shes", "ches", "xes", "zes", "sses"]

    /// Words too common in captions and queries to say anything about a picture.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it",
        "its", "of", "on", "or", "that", "the", "their", "there", "this", "to", "was", "were", "with", "what",
        "which", "who", "some", "something", "me", "my", "show", "find", "picture", "photo", "image", "images",
        "pictures", "photos",
    ]
}
