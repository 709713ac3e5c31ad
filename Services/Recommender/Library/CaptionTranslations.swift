import Foundation
import Shared
import TextEmbedding

/// The part of a translation lexicon that a model's captions can use: each other-language word whose senses
/// reach caption terms ("perro" → dog, when a caption says "dogs"), with those terms per sense.
///
/// A `bm25_glove` build cuts it from the model cache's `TranslationLexicon` and stores it in the model file,
/// so a replica serving the model needs no lexicon of its own. Words are stored as `LexicalAnalyzer` reads a
/// query word (lower case, plural folded), and a word that is itself a caption term or a stop word is never
/// translated. Immutable; safe to share between threads.
struct CaptionTranslations: Sendable {
    /// The sections a `bm25_glove` model with translations stores: the words, and per word its senses as
    /// `term term;term` (senses separated by `;`, a sense's caption terms by spaces).
    static let sections = ["bm25_glove.translation_words", "bm25_glove.translation_senses"]

    private let senses: [String: [[String]]]

    /// How many words can be translated.
    var count: Int { senses.count }

    /// Cuts from `lexicon` the words whose senses reach `vocabulary` (the BM25 caption terms, analysed with
    /// or without stop words as the BM25 method is).
    init(lexicon: TranslationLexicon, vocabulary: Set<String>, removesStopWords: Bool) {
        var senses = [String: [[String]]]()
        // Sorted, so that words folding onto one key merge their senses in the same order on every build.
        for (word, wordSenses) in lexicon.entries.sorted(by: { TfidfVectorizer.codePointOrder($0.word, $1.word) }) {
            guard TfidfAnalyzer.tokens(word) == [word], !LexicalAnalyzer.stopWords.contains(word) else { continue }
            let key = LexicalAnalyzer.singular(word)
            guard !vocabulary.contains(key), !vocabulary.contains(word) else { continue }
            var reached = senses[key] ?? []
            for sense in wordSenses {
                let unique = sense.flatMap { LexicalAnalyzer.terms($0, removingStopWords: removesStopWords) }
                    .filter { vocabulary.contains($0) }.uniqued
                if !unique.isEmpty, !reached.contains(unique) { reached.append(unique) }
            }
            if !reached.isEmpty { senses[key] = reached }
        }
        self.senses = senses
    }

    /// Reads the translations a `bm25_glove` model stored.
    init(file: ModelFile) throws {
        let words = try file.strings(Self.sections[0])
        let stored = try file.strings(Self.sections[1])
        guard words.count == stored.count else {
            throw ModelFileError(
                .malformedHeader, "bm25_glove translations: \(words.count) words, \(stored.count) senses")
        }
        var senses = [String: [[String]]]()
        senses.reserveCapacity(words.count)
        for (word, text) in zip(words, stored) {
            let parsed = text.split(separator: ";").map { $0.split(separator: " ").map(String.init) }
            guard !word.isEmpty, !parsed.isEmpty else {
                throw ModelFileError(.malformedHeader, "bm25_glove translations: an empty entry")
            }
            senses[word] = parsed
        }
        self.senses = senses
    }

    /// Adds the two sections to `writer`.
    func write(into writer: inout ModelFileWriter) throws {
        let words = senses.keys.sorted(by: TfidfVectorizer.codePointOrder)
        try writer.addStrings(Self.sections[0], words)
        try writer.addStrings(
            Self.sections[1], words.map { senses[$0]!.map { $0.joined(separator: " ") }.joined(separator: ";") })
    }

    /// The caption terms of each sense of the analysed query word `word`, or nil when it is not translated.
    /// (Plurals the analyser does not fold, "montañas" or "cani", are words of the lexicon themselves.)
    func senses(of word: String) -> [[String]]? {
        senses[word]
    }

    /// `query` (in composed form) with each translated word followed by its caption terms (every sense's,
    /// once each), and everything else — other words, punctuation, emoji — as typed; nil when no word is
    /// translated.
    func translatedText(_ query: String) -> String? {
        var result = ""
        var word = String.UnicodeScalarView()
        var translated = false
        // Each run of word characters is read as the BM25 analyser reads a query word, so the same words are
        // translated here as in the lexical scores.
        func flush() {
            defer { word.removeAll(keepingCapacity: true) }
            result.unicodeScalars.append(contentsOf: word)
            guard let term = LexicalAnalyzer.terms(String(word)).first, let found = senses(of: term) else { return }
            for translation in found.joined().uniqued { result += " " + translation }
            translated = true
        }
        for scalar in query.precomposedStringWithCanonicalMapping.unicodeScalars {
            if TfidfAnalyzer.isWordCharacter(scalar) {
                word.append(scalar)
            } else {
                flush()
                result.unicodeScalars.append(scalar)
            }
        }
        flush()
        return translated ? result : nil
    }
}
