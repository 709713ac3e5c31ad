import Foundation
import Imaging
import Shared

/// The captioner's settings, from flags with `IMGREC_CAPTIONER_*` environment fallbacks.
public struct CaptionerConfiguration: Sendable, Equatable {
    /// Address to listen on (`--host`, `IMGREC_CAPTIONER_HOST`; default 127.0.0.1).
    public var host: String
    /// Port to listen on (`--port`, `IMGREC_CAPTIONER_PORT`; default 8082; 0 = any free port).
    public var port: Int
    /// The caption engine (`--engine`, `IMGREC_CAPTIONER_ENGINE`): `embedded` unless a model folder is set.
    public var engine: String
    /// Whether `engine` was chosen by default rather than asked for.
    public var engineIsDefault: Bool
    /// The model folder for model engines (`--model-dir`, `IMGREC_CAPTIONER_MODEL_DIR`).
    public var modelDirectory: String?
    /// The SQLite database (`--db`, `IMGREC_CAPTIONER_DB`; default `captioner.sqlite`).
    public var databasePath: String
    /// The largest image accepted, in pixels (`--max-pixels`, `IMGREC_CAPTIONER_MAX_PIXELS`).
    public var maxPixels: Int
    /// Seconds to wait for the sampler during jobs (`--upstream-timeout`, `IMGREC_CAPTIONER_UPSTREAM_TIMEOUT`).
    public var upstreamTimeoutSeconds: Int
    /// Beams for model engines (`--beams`, `IMGREC_CAPTIONER_BEAMS`; default 4, 1 = greedy search).
    public var numBeams: Int
    /// Longest caption in tokens, counting the start token (`--max-length`, `IMGREC_CAPTIONER_MAX_LENGTH`;
    /// default 16).
    public var maxLength: Int

    /// Creates a configuration directly (tests, the CLI's demo).
    public init(
        host: String = "127.0.0.1", port: Int = 8082, engine: String = EmbeddedEngine.engineName,
        engineIsDefault: Bool = false, modelDirectory: String? = nil, databasePath: String = "captioner.sqlite",
        maxPixels: Int = ImageDecoder.defaultMaxPixels, upstreamTimeoutSeconds: Int = 30, numBeams: Int = 4,
        maxLength: Int = 16
    ) {
        self.host = host
        self.port = port
        self.engine = engine
        self.engineIsDefault = engineIsDefault
        self.modelDirectory = modelDirectory
        self.databasePath = databasePath
        self.maxPixels = maxPixels
        self.upstreamTimeoutSeconds = upstreamTimeoutSeconds
        self.numBeams = numBeams
        self.maxLength = maxLength
    }

    /// Reads and validates the settings.
    /// - Throws: `ConfigurationError` for an unknown engine, a model engine without a model folder, a
    ///   model folder that does not exist, or an invalid number.
    public static func parse(
        _ options: CommandLineOptions, registry: CaptionEngineRegistry = .standard
    ) throws -> CaptionerConfiguration {
        try options.validate(
            flags: [
                "host", "port", "engine", "model-dir", "db", "max-pixels", "upstream-timeout", "beams", "max-length",
            ])
        let modelDirectory = options.string("model-dir", env: "IMGREC_CAPTIONER_MODEL_DIR")
            .flatMap { $0.isEmpty ? nil : $0 }
        let requested = options.string("engine", env: "IMGREC_CAPTIONER_ENGINE").flatMap { $0.isEmpty ? nil : $0 }
        let engine = requested ?? (modelDirectory == nil ? EmbeddedEngine.engineName : registry.defaultModelEngine)

        guard registry.names.contains(engine) else {
            throw ConfigurationError(
                message: "unknown engine '\(engine)' (--engine / IMGREC_CAPTIONER_ENGINE); known engines: "
                    + registry.names.sorted().joined(separator: ", "))
        }
        if registry.needsModelDirectory(engine) {
            guard let modelDirectory else {
                throw ConfigurationError(
                    message: "engine '\(engine)' needs a model folder: pass --model-dir DIR "
                        + "(or set IMGREC_CAPTIONER_MODEL_DIR)")
            }
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: modelDirectory, isDirectory: &isDirectory)
            guard exists, isDirectory.boolValue else {
                throw ConfigurationError(message: "--model-dir \(modelDirectory) is not a folder")
            }
        }
        let databasePath = options.string("db", env: "IMGREC_CAPTIONER_DB", default: "captioner.sqlite") ?? ""
        guard !databasePath.isEmpty else {
            throw ConfigurationError(message: "--db (IMGREC_CAPTIONER_DB) must name a database file")
        }

        return CaptionerConfiguration(
            host: options.string("host", env: "IMGREC_CAPTIONER_HOST", default: "127.0.0.1") ?? "127.0.0.1",
            port: try options.int("port", env: "IMGREC_CAPTIONER_PORT", default: 8082, range: 0...65535),
            engine: engine, engineIsDefault: requested == nil, modelDirectory: modelDirectory,
            databasePath: databasePath,
            maxPixels: try options.int(
                "max-pixels", env: "IMGREC_CAPTIONER_MAX_PIXELS", default: ImageDecoder.defaultMaxPixels,
                range: 1...1_000_000_000),
            upstreamTimeoutSeconds: try options.int(
                "upstream-timeout", env: "IMGREC_CAPTIONER_UPSTREAM_TIMEOUT", default: 30, range: 1...3600),
            numBeams: try options.int("beams", env: "IMGREC_CAPTIONER_BEAMS", default: 4, range: 1...64),
            maxLength: try options.int("max-length", env: "IMGREC_CAPTIONER_MAX_LENGTH", default: 16, range: 2...1024))
    }

    /// The settings for the start-up log line.
    public var summary: [String: String] {
        let reason = modelDirectory == nil ? "default: no --model-dir given" : "default for --model-dir"
        var summary = [
            "engine": engineIsDefault ? "\(engine) (\(reason))" : engine,
            "db": databasePath,
            "max_pixels": String(maxPixels),
        ]
        if let modelDirectory {
            summary["model_dir"] = modelDirectory
            summary["beams"] = String(numBeams)
            summary["max_length"] = String(maxLength)
        }
        return summary
    }
}
