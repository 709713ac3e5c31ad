import Foundation
import SamplerService
import Shared

/// The `imgrec` command line: one entry point, one subcommand per job.
public enum ImgrecCLI {
    /// The usage text printed by `imgrec help` and after a usage error.
    public static let usage = """
        imgrec — text-to-image search for photo collections

        usage:
          imgrec demo [--port P] [--data-dir DIR] [--count N] [--seed S] [--real-only] [--model-dir DIR]
                      [--verbose]
              run the whole pipeline over the bundled demo collection and serve the search page
          imgrec pipeline --sampler URL --captioner URL --recommender URL --dataset DIR
                          [--count N] [--seed S] [--include-unknown] [--methods tfidf,glove,minilm,hybrid]
                          [--manifest CSV [--file-column C] [--label-column C] [--real-values V,...]
                           [--ai-values V,...]]
              drive running services: scan, sample, caption, build the model
          imgrec search "QUERY" [--k K] [--method M] [--recommender URL]
              print the best-matching images
          imgrec scan DIR [--manifest CSV [--file-column C] [--label-column C] [--real-values V,...]
                      [--ai-values V,...]] [--json]
              print one JSON object per image: file, verdict, evidence, sha256, size
          imgrec model inspect FILE
              print what a model file holds, after verifying it
          imgrec eval QUERIES.csv --model FILE [--model-dir DIR] [--build-from CAPTIONS.csv [--methods M,...]]
                      [--ranks FILE]
              print Recall@1/5/10 and MRR of every method in the model over the queries; --ranks writes
              each query's rank under every method
          imgrec help
        """

    /// Runs the subcommand named by `arguments` (without the program name) and returns the exit status.
    public static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            printError(usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "demo":
                return try DemoCommand.run(options(rest, demoFlags, switches: ["real-only", "verbose"]))
            case "pipeline":
                return try runPipeline(
                    options(
                        rest, pipelineFlags + ["sampler", "captioner", "recommender", "dataset"],
                        switches: ["include-unknown"]))
            case "search":
                return try runSearch(options(rest, ["k", "method", "recommender"]))
            case "scan":
                return try ScanCommand.run(options(rest, manifestFlags, switches: ["json"]))
            case "model":
                return try ModelCommand.run(options(rest, []))
            case "eval":
                return try EvalCommand.run(options(rest, EvalCommand.flags))
            case "help", "--help", "-h":
                Console.line(usage)
                return 0
            default:
                printError("imgrec: unknown command '\(command)'\n\n\(usage)")
                return 2
            }
        } catch let error as ConfigurationError {
            printError("imgrec \(command): \(error.message)")
            return 2
        } catch let error as ServiceError {
            printError("imgrec \(command): \(error.message) [\(error.code)]")
            return 1
        } catch {
            printError("imgrec \(command): \(error)")
            return 1
        }
    }

    /// The flags that describe a manifest's layout, for `scan`, `pipeline` and `demo`.
    static let manifestFlags = ["manifest", "file-column", "label-column", "real-values", "ai-values"]
    /// The pipeline's own settings, shared by `pipeline` and `demo`.
    static let pipelineFlags = manifestFlags + ["count", "seed", "methods"]
    /// `demo`'s flags beyond the pipeline's.
    static let demoFlags = pipelineFlags + ["port", "data-dir", "dataset", "model-dir"]

    /// The subcommand's options, refused when a flag is unknown or lacks its value.
    static func options(
        _ arguments: [String], _ flags: [String], switches: [String] = []
    ) throws
        -> CommandLineOptions
    {
        let options = CommandLineOptions(arguments: arguments, switches: Set(switches))
        try options.validate(flags: flags, switches: switches)
        return options
    }

    /// `imgrec pipeline`: drives running services through one run.
    static func runPipeline(_ options: CommandLineOptions) throws -> Int32 {
        func required(_ flag: String) throws -> String {
            guard let value = options.string(flag, env: "IMGREC_\(flag.uppercased())") else {
                throw ConfigurationError(message: "--\(flag) is required")
            }
            return value
        }
        let driver = PipelineDriver(
            samplerURL: try required("sampler"), captionerURL: try required("captioner"),
            recommenderURL: try required("recommender"), progress: Console.line)
        let outcome = try driver.run(try pipelineRequest(options, dataset: try required("dataset")))
        Console.line("done: \(outcome.sampled) photos sampled, \(outcome.captioned) captioned, model built")
        return 0
    }

    /// The pipeline settings shared by `imgrec pipeline` and `imgrec demo`.
    static func pipelineRequest(
        _ options: CommandLineOptions, dataset: String, count: Int = 100
    ) throws
        -> PipelineDriver.Request
    {
        let seedText = options.string("seed", default: "42") ?? "42"
        guard let seed = UInt64(seedText) else {
            throw ConfigurationError(message: "--seed must be a non-negative integer, got '\(seedText)'")
        }
        let methods = options.string("methods").map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return PipelineDriver.Request(
            dataset: dataset, manifest: options.string("manifest"), manifestOptions: try manifestOptions(options),
            count: try options.int("count", default: count, range: 1...1_000_000), seed: seed,
            verdicts: options.flag("include-unknown") ? [.real, .unknown] : [.real], methods: methods)
    }

    /// The manifest layout from `--file-column`, `--label-column`, `--real-values` and `--ai-values`, each
    /// defaulting to the Kaggle "AI vs human-generated" layout (`file_name`, `label`, 0 = real, 1 = AI).
    static func manifestOptions(_ options: CommandLineOptions) throws -> ManifestOptions? {
        guard options.string("manifest") != nil else {
            return nil
        }
        let preset = ManifestOptions.kaggleAIvsHuman
        func list(_ flag: String) -> [String]? {
            options.string(flag).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        }
        return ManifestOptions(
            fileColumn: options.string("file-column") ?? preset.fileColumn,
            labelColumn: options.string("label-column") ?? preset.labelColumn,
            realValues: list("real-values") ?? preset.realValues, aiValues: list("ai-values") ?? preset.aiValues)
    }

    /// `imgrec search`: prints the best matches of a query as a table.
    static func runSearch(_ options: CommandLineOptions) throws -> Int32 {
        let query = options.positional.joined(separator: " ")
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ConfigurationError(message: "give a query, e.g. imgrec search \"a dog on a beach\"")
        }
        let url = options.string("recommender", env: "IMGREC_RECOMMENDER", default: "http://127.0.0.1:8083")!
        let client = SearchClient(baseURL: url)
        let (method, hits) = try client.search(
            query, k: try options.int("k", default: 5, range: 1...100), method: options.string("method"))
        Console.line("query: \(query)  method: \(method ?? "default")")
        Console.line(SearchClient.table(hits))
        return 0
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
