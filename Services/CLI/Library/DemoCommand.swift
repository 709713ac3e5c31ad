import Foundation
import Shared

/// `imgrec demo`: the whole pipeline over the bundled demo collection, then the search page.
enum DemoCommand {
    /// Queries printed as a first thing to try.
    static let exampleQueries = ["two dogs looking out of a wooden house", "stonehenge", "a cat"]

    static func run(_ options: CommandLineOptions) throws -> Int32 {
        let demo = try demoFolder(options.string("dataset"))
        let dataDirectory = options.string("data-dir", env: "IMGREC_DEMO_DATA_DIR", default: ".cache/demo")!
        var stackConfiguration = ServiceStack.Configuration(
            datasetRoot: demo.path,
            dataDirectory: URL(fileURLWithPath: dataDirectory).standardizedFileURL.path,
            embeddingCacheDirectory: options.string("model-dir", env: "IMGREC_MODEL_DIR", default: "models"))
        stackConfiguration.recommenderPort = try options.int(
            "port", env: "IMGREC_DEMO_PORT", default: 8083, range: 0...65535)

        let logger = Logger(label: "imgrec", level: options.flag("verbose") ? .info : .warning)
        let stack = try ServiceStack(stackConfiguration, logger: logger)
        Console.line(
            "services: sampler \(stack.samplerURL), captioner \(stack.captionerURL), "
                + "recommender \(stack.recommenderURL)")

        var request = try ImgrecCLI.pipelineRequest(options, dataset: demo.appendingPathComponent("images").path)
        if !options.flag("real-only") {
            // The demo's real photos are few: most camera photos lost their EXIF upstream and have no marker
            // either way, so the demo also draws from those (AI-marked images are never drawn).
            request.verdicts = [.real, .unknown]
        }
        request.manifest = nil
        let driver = PipelineDriver(
            samplerURL: stack.samplerURL, captionerURL: stack.captionerURL, recommenderURL: stack.recommenderURL,
            progress: Console.line)
        do {
            _ = try driver.run(request)
        } catch {
            stack.stop()
            throw error
        }

        Console.line(
            """

            search page: \(stack.recommenderURL)/
            try:         imgrec search "\(exampleQueries[0])" --recommender \(stack.recommenderURL)
            (captions of the demo collection are human-written, from the sidecar files in demo/images)
            serving until Ctrl-C
            """)
        stack.runUntilSignalled()
        return 0
    }

    /// The demo collection: `--dataset`, else `demo/` in the working directory or above the executable.
    static func demoFolder(_ explicit: String?) throws -> URL {
        let fileManager = FileManager.default
        if let explicit {
            let url = URL(fileURLWithPath: explicit).standardizedFileURL
            guard fileManager.fileExists(atPath: url.appendingPathComponent("images").path) else {
                throw ConfigurationError(message: "--dataset \(explicit) has no images/ folder")
            }
            return url
        }
        var candidates = [URL(fileURLWithPath: fileManager.currentDirectoryPath)]
        var executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(executable)
            executable.deleteLastPathComponent()
        }
        for base in candidates {
            let demo = base.appendingPathComponent("demo")
            if fileManager.fileExists(atPath: demo.appendingPathComponent("manifest.csv").path) {
                return demo.standardizedFileURL
            }
        }
        throw ConfigurationError(
            message: "cannot find the demo collection: run from the repository root or pass --dataset")
    }
}
