import Foundation
import RecommenderService
import Shared

/// `imgrec eval QUERIES.csv --model FILE [--model-dir DIR] [--build-from CAPTIONS.csv [--methods M,...]]
/// [--ranks FILE]`:
/// Recall@1/5/10 and MRR of every method in a model file, over the whole query set and over each of its
/// splits. With `--build-from`, the model file is first built from a `file,caption` CSV, with the build
/// parameters that `--hybrid-lexical tfidf|bm25|bm25_glove`, `--hybrid-weight W`,
/// `--hybrid-normalization zscore|minmax`, `--stop-words english|none` (bm25), `--expansion-neighbours N` and
/// `--expansion-min-cosine C`, `--translations on|off` (bm25_glove) and `--glove-weighting tfidf|none` change
/// from their defaults.
/// `--ranks FILE` also writes each query's rank under every method, to see which queries a method misses; the
/// file is checked before the run and replaced whole at its end.
enum EvalCommand {
    /// The flags `imgrec eval` reads.
    static let flags = [
        "model", "model-dir", "build-from", "methods", "hybrid-lexical", "hybrid-weight", "hybrid-normalization",
        "stop-words", "expansion-neighbours", "expansion-min-cosine", "translations", "glove-weighting",
        "ranks",
    ]

    static func run(_ options: CommandLineOptions) throws -> Int32 {
        guard options.positional.count == 1, let modelPath = options.string("model") else {
            throw ConfigurationError(
                message: "usage: imgrec eval QUERIES.csv --model FILE [--model-dir DIR] "
                    + "[--build-from CAPTIONS.csv [--methods M,...]] [--ranks FILE]")
        }
        let queriesPath = options.positional[0]
        let queries = try parsing(queriesPath) {
            try SearchEvaluator.queries(csv: try TextFile.read(queriesPath, role: "the query file"))
        }
        // An unwritable ranks file fails now, before any model is built or query asked; an old one stays whole
        // until the new ranks replace it.
        let ranksPath = options.string("ranks")
        if let ranksPath {
            let inputs =
                [("the query file", queriesPath), ("--model", modelPath)]
                + (options.string("build-from").map { [("--build-from", $0)] } ?? [])
            for (role, input) in inputs where TextFile.sameFile(ranksPath, input) {
                throw ConfigurationError(message: "--ranks \(ranksPath) is \(role); name another file for the ranks")
            }
            try TextFile.checkWritable(ranksPath, role: "--ranks")
        }
        let modelDirectory = options.string("model-dir", env: "IMGREC_MODEL_DIR", default: "models")!
        let buildFlags = flags.filter { !["model", "model-dir", "build-from", "ranks"].contains($0) }
        if options.string("build-from") == nil, let flag = buildFlags.first(where: { options.string($0) != nil }) {
            throw ConfigurationError(
                message: "--\(flag) changes how a model is built; it needs --build-from (an existing model is "
                    + "evaluated as it was built)")
        }
        var (catalog, missing) = SearchMethodCatalog.loading(modelDirectory: modelDirectory)
        try applyBuildOptions(options, to: &catalog)
        if options.string("translations") == "off" { missing["translations"] = nil }
        for (method, reason) in missing.sorted(by: { $0.key < $1.key }) {
            ImgrecCLI.printError("note: \(method) is unavailable: \(reason)")
        }

        if let captionsPath = options.string("build-from") {
            let images = try parsing(captionsPath) {
                try SearchEvaluator.captions(csv: try TextFile.read(captionsPath, role: "--build-from"))
            }
            let methods =
                options.string("methods").map { $0.split(separator: ",").map(String.init) }
                ?? ["hybrid"] + catalog.buildableMethods.filter { $0 != "hybrid" }
            try ModelBuilder(catalog: catalog).build(images: images, methods: methods, imageBaseURL: nil)
                .write(to: modelPath)
            print("built \(modelPath): \(images.count) images, methods \(methods.joined(separator: ", "))")
        }

        let index = try SearchIndex(path: modelPath, catalog: catalog)
        let known = Set(index.images.files)
        let strangers = Set(queries.flatMap(\.relevantFiles)).subtracting(known).sorted()
        if !strangers.isEmpty {
            ImgrecCLI.printError(
                "note: \(strangers.count) relevant file(s) are not in the model and count as misses: "
                    + strangers.prefix(5).joined(separator: ", ") + (strangers.count > 5 ? ", ..." : ""))
        }
        for (method, reason) in index.unavailableMethods.sorted(by: { $0.key < $1.key }) {
            ImgrecCLI.printError("note: \(method) in the model cannot be served: \(reason)")
        }
        let ranking = try SearchEvaluator.ranks(index, queries: queries)
        print("all queries:")
        print(SearchEvaluator.table(SearchEvaluator.summarize(ranking, queries: queries.count)))
        for split in Set(queries.compactMap(\.split)).sorted() {
            print("split \(split):")
            let positions = queries.indices.filter { queries[$0].split == split }
            let part = ranking.map { methodRanks in
                SearchEvaluator.MethodRanks(
                    method: methodRanks.method, ranks: positions.map { position in methodRanks.ranks[position] })
            }
            print(SearchEvaluator.table(SearchEvaluator.summarize(part, queries: positions.count)))
        }
        if let ranksPath {
            try TextFile.replace(ranksPath, with: SearchEvaluator.ranksCSV(ranking, queries: queries), role: "--ranks")
            print("per-query ranks written to \(ranksPath)")
        }
        return 0
    }

    /// The build parameters the flags set.
    static func applyBuildOptions(_ options: CommandLineOptions, to catalog: inout SearchMethodCatalog) throws {
        if let lexical = options.string("hybrid-lexical") {
            guard ["tfidf", "bm25", "bm25_glove"].contains(lexical) else {
                throw ConfigurationError(message: "--hybrid-lexical must be tfidf, bm25 or bm25_glove")
            }
            catalog.hybrid.lexical = lexical
        }
        if options.string("hybrid-weight") != nil {
            catalog.hybrid.lexicalWeight = try options.double("hybrid-weight", default: 0, range: 0...1)
        }
        if let name = options.string("hybrid-normalization") {
            guard let normalization = HybridMethod.Normalization(rawValue: name) else {
                throw ConfigurationError(message: "--hybrid-normalization must be zscore or minmax")
            }
            catalog.hybrid.normalization = normalization
        }
        if let stopWords = options.string("stop-words") {
            guard ["english", "none"].contains(stopWords) else {
                throw ConfigurationError(message: "--stop-words must be english or none")
            }
            catalog.bm25.removesStopWords = stopWords == "english"
        }
        if let translations = options.string("translations") {
            guard ["on", "off"].contains(translations) else {
                throw ConfigurationError(message: "--translations must be on or off")
            }
            if translations == "off" { catalog.translations = nil }
        }
        if options.string("expansion-neighbours") != nil {
            catalog.expansion.neighbours = try options.int("expansion-neighbours", default: 1, range: 0...20)
        }
        if options.string("expansion-min-cosine") != nil {
            catalog.expansion.minimumCosine = try options.double("expansion-min-cosine", default: 0, range: -1...1)
        }
        if let weighting = options.string("glove-weighting") {
            guard ["tfidf", "none"].contains(weighting) else {
                throw ConfigurationError(message: "--glove-weighting must be tfidf or none")
            }
            catalog.idfWeightedWordVectors = weighting == "tfidf"
        }
    }

    /// The rows `parse` reads from the file at `path`, its complaints (a line without a query, a quote not
    /// closed) prefixed with the path.
    private static func parsing<Rows>(_ path: String, _ parse: () throws -> Rows) throws -> Rows {
        do {
            return try parse()
        } catch let error as RecommenderError {
            throw ConfigurationError(message: "\(path): \(error.message)")
        }
    }
}
