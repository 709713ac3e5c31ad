import Shared
import TextEmbedding

/// Which methods this recommender can build and load, and the encoders the dense ones need.
///
/// `tfidf` and `bm25` need nothing; a dense method needs an encoder under its name (`minilm`, `glove`);
/// `bm25_glove` needs `bm25` and the `glove` encoder's word vectors; `hybrid` needs its two components.
public struct SearchMethodCatalog: Sendable {
    /// Every method a recommender knows, best first by MRR on the evaluation set (docs/EVALUATION.md): the
    /// order in which a search falls back when the model's default method cannot be served.
    public static let methodsByQuality = ["hybrid", "minilm", "bm25_glove", "glove", "bm25", "tfidf"]

    /// Encoders by method name.
    public var encoders: [String: any TextEncoder]
    /// Why each encoder the catalog lacks is missing (for example, its files are not in the model cache).
    public var missingEncoders: [String: String]
    /// The fusion parameters new `hybrid` methods are built with.
    public var hybrid: HybridMethod.Parameters
    /// The parameters new `bm25` methods are built with.
    public var bm25: Bm25Method.Parameters
    /// Whether new word-vector methods (`glove`) average with idf weights.
    public var idfWeightedWordVectors: Bool
    /// The query expansion new `bm25_glove` methods are built with.
    public var expansion: QueryExpansion.Parameters
    /// The lexicon new `bm25_glove` methods take their translations of other-language words from; without it
    /// they translate nothing.
    public var translations: TranslationLexicon?

    /// Creates a catalog.
    public init(
        encoders: [String: any TextEncoder] = [:], hybrid: HybridMethod.Parameters = .init(),
        bm25: Bm25Method.Parameters = .init(), idfWeightedWordVectors: Bool = true,
        expansion: QueryExpansion.Parameters = .init(), missingEncoders: [String: String] = [:]
    ) {
        self.encoders = encoders
        self.missingEncoders = missingEncoders
        self.hybrid = hybrid
        self.bm25 = bm25
        self.idfWeightedWordVectors = idfWeightedWordVectors
        self.expansion = expansion
    }

    /// The methods a build can ask for.
    public var buildableMethods: [String] {
        var names = ["tfidf", "bm25"] + encoders.keys.sorted()
        if wordVectors != nil { names.append("bm25_glove") }
        if names.contains(hybrid.lexical) && names.contains(hybrid.semantic) { names.append("hybrid") }
        return names
    }

    /// Why this catalog cannot build or serve `name`; nil when it can, or when `name` is no method at all.
    func unavailabilityReason(_ name: String) -> String? {
        guard Self.methodsByQuality.contains(name), !buildableMethods.contains(name) else { return nil }
        guard name == "hybrid" else { return componentReason(name) }
        let missing = [hybrid.lexical, hybrid.semantic].filter { !buildableMethods.contains($0) }
        let reasons = missing.map { "\($0): \(componentReason($0))" }.joined(separator: "; ")
        return "it needs \(hybrid.lexical) and \(hybrid.semantic); \(reasons)"
    }

    private func componentReason(_ name: String) -> String {
        if name == "bm25_glove" { return "it needs the glove word vectors (\(componentReason("glove")))" }
        return missingEncoders[name] ?? "no \(name) encoder is configured"
    }

    /// Refuses a build of methods this catalog cannot build.
    /// - Throws: `RecommenderError` 503 `method_unavailable` for a method this process lacks the encoders
    ///   for, 400 `unknown_method` for a name that is no method.
    func checkBuildable(_ names: [String]) throws {
        for name in names where !buildableMethods.contains(name) {
            if let reason = unavailabilityReason(name) {
                throw RecommenderError(
                    .unavailable, "method_unavailable", "cannot build \(name) on this replica: \(reason)")
            }
            throw RecommenderError(
                .badRequest, "unknown_method",
                "cannot build \(name); available: \(buildableMethods.joined(separator: ", "))")
        }
    }

    /// Builds each method in `names` (components of `hybrid` included) into `writer`, in dependency order.
    func build(
        _ names: [String], captions: [String], into writer: inout ModelFileWriter,
        progress: ModelBuilder.Progress = { _, _, _ in }
    ) throws {
        try checkBuildable(names)
        var order = [String]()
        for name in names {
            for method in Self.components(of: name, hybrid: hybrid) + [name] where !order.contains(method) {
                order.append(method)
            }
        }

        var entries = [String: ModelMethodEntry]()
        var bm25Vocabulary = [String]()
        for name in order {
            let entry: ModelMethodEntry
            if name == "tfidf" {
                entry = try TfidfMethod.build(captions: captions, into: &writer)
            } else if name == "bm25" {
                (entry, bm25Vocabulary) = try Bm25Method.build(captions: captions, parameters: bm25, into: &writer)
            } else if name == "bm25_glove", let wordVectors {
                entry = try ExpandedBm25Method.build(
                    expansion, bm25: entries["bm25"]!, vocabulary: Set(bm25Vocabulary), bm25Parameters: bm25,
                    vectors: wordVectors, translations: translations, into: &writer)
            } else if name == "hybrid" {
                entry = HybridMethod.entry(hybrid, components: [entries[hybrid.lexical]!, entries[hybrid.semantic]!])
            } else {
                entry = try DenseVectorMethod.build(
                    name: name, encoder: encoders[name]!, captions: captions, idfWeighted: idfWeightedWordVectors,
                    into: &writer, progress: progress)
            }
            entries[name] = entry
            try writer.addMethod(entry)
        }
    }

    /// Loads every method of `file` that this catalog can serve; the others are listed with the reason.
    func load(
        _ file: ModelFile, images: ImageTable
    ) throws -> (methods: [String: any SearchMethod], unavailable: [String: String]) {
        var methods = [String: any SearchMethod]()
        var unavailable = [String: String]()
        // Methods built on others load after them.
        let stages = ["bm25_glove": 1, "hybrid": 2]
        let entries = file.header.methods.enumerated()
            .sorted { (stages[$0.element.name] ?? 0, $0.offset) < (stages[$1.element.name] ?? 0, $1.offset) }
            .map(\.element)
        for entry in entries {
            do {
                if entry.name == "tfidf" {
                    methods[entry.name] = try TfidfMethod(file: file, imageCount: images.count)
                } else if entry.name == "bm25" {
                    methods[entry.name] = try Bm25Method(entry: entry, file: file, imageCount: images.count)
                } else if entry.name == "bm25_glove" {
                    methods[entry.name] = try ExpandedBm25Method(
                        entry: entry, file: file, loaded: methods, vectors: wordVectors)
                } else if entry.name == "hybrid" {
                    methods[entry.name] = try HybridMethod(entry: entry, loaded: methods)
                } else if let encoder = encoders[entry.name] {
                    methods[entry.name] = try DenseVectorMethod(
                        entry: entry, file: file, encoder: encoder, imageCount: images.count)
                } else {
                    unavailable[entry.name] = missingEncoders[entry.name] ?? "no \(entry.name) encoder is configured"
                }
            } catch let error as RecommenderError where error.kind == .unavailable {
                unavailable[entry.name] = error.message
            }
        }
        return (methods, unavailable)
    }

    /// The word vectors of the `glove` encoder, which `bm25_glove` expands queries with.
    var wordVectors: GloVeTextEncoder? { encoders["glove"] as? GloVeTextEncoder }

    /// The methods that `name` is built on, components first.
    static func components(of name: String, hybrid: HybridMethod.Parameters) -> [String] {
        switch name {
        case "hybrid": components(of: hybrid.lexical, hybrid: hybrid) + [hybrid.lexical, hybrid.semantic]
        case "bm25_glove": ["bm25"]
        default: []
        }
    }
}
