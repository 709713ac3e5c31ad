import Shared

/// Which methods this recommender can build and load, and the encoders the dense ones need.
///
/// `tfidf` needs nothing; a dense method needs an encoder under its name (`minilm`, `glove`); `hybrid`
/// needs its two components.
public struct SearchMethodCatalog: Sendable {
    /// Encoders by method name.
    public var encoders: [String: any TextEncoder]
    /// The fusion parameters new `hybrid` methods are built with.
    public var hybrid: HybridMethod.Parameters

    /// Creates a catalog.
    public init(encoders: [String: any TextEncoder] = [:], hybrid: HybridMethod.Parameters = .init()) {
        self.encoders = encoders
        self.hybrid = hybrid
    }

    /// The methods a build can ask for.
    public var buildableMethods: [String] {
        var names = ["tfidf"] + encoders.keys.sorted()
        if names.contains(hybrid.lexical) && names.contains(hybrid.semantic) { names.append("hybrid") }
        return names
    }

    /// Builds each method in `names` (components of `hybrid` included) into `writer`, in dependency order.
    func build(_ names: [String], captions: [String], into writer: inout ModelFileWriter) throws {
        var order = [String]()
        for name in names {
            guard buildableMethods.contains(name) else {
                throw RecommenderError(
                    .badRequest, "unknown_method",
                    "cannot build \(name); available: \(buildableMethods.joined(separator: ", "))")
            }
            let required = name == "hybrid" ? [hybrid.lexical, hybrid.semantic, name] : [name]
            for method in required where !order.contains(method) { order.append(method) }
        }

        var entries = [String: ModelMethodEntry]()
        for name in order {
            let entry: ModelMethodEntry
            if name == "tfidf" {
                entry = try TfidfMethod.build(captions: captions, into: &writer)
            } else if name == "hybrid" {
                entry = HybridMethod.entry(hybrid, components: [entries[hybrid.lexical]!, entries[hybrid.semantic]!])
            } else {
                entry = try DenseVectorMethod.build(
                    name: name, encoder: encoders[name]!, captions: captions, into: &writer)
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
        // Fusions read their components, so they load last.
        let entries =
            file.header.methods.filter { $0.name != "hybrid" } + file.header.methods.filter { $0.name == "hybrid" }
        for entry in entries {
            do {
                if entry.name == "tfidf" {
                    methods[entry.name] = try TfidfMethod(file: file, imageCount: images.count)
                } else if entry.name == "hybrid" {
                    methods[entry.name] = try HybridMethod(entry: entry, loaded: methods)
                } else if let encoder = encoders[entry.name] {
                    methods[entry.name] = try DenseVectorMethod(
                        entry: entry, file: file, encoder: encoder, imageCount: images.count)
                } else {
                    unavailable[entry.name] = "no \(entry.name) encoder is configured"
                }
            } catch let error as RecommenderError where error.kind == .unavailable {
                unavailable[entry.name] = error.message
            }
        }
        return (methods, unavailable)
    }
}
