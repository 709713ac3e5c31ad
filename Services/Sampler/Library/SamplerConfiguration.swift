import Foundation
import Shared

/// The sampler service's settings, from flags with `IMGREC_SAMPLER_*` environment fallbacks.
public struct SamplerConfiguration: Sendable, Equatable {
    /// Address to bind (`--host`, `IMGREC_SAMPLER_HOST`).
    public var host: String
    /// Port to bind, 0 for any free port (`--port`, `IMGREC_SAMPLER_PORT`, default 8081).
    public var port: Int
    /// Folders that datasets, manifests and served images must lie under (`--roots DIR[:DIR...]`,
    /// `IMGREC_SAMPLER_ROOTS`), resolved to absolute paths without symbolic links.
    public var roots: [String]
    /// SQLite file for scans, verdicts, samples and hashes (`--database`, `IMGREC_SAMPLER_DATABASE`).
    public var databasePath: String
    /// Largest image file a scan reads (`--max-image-bytes`, `IMGREC_SAMPLER_MAX_IMAGE_BYTES`).
    public var maxImageBytes: Int

    /// Creates a configuration; `roots` are canonicalised and must exist.
    /// - Throws: `ConfigurationError` when no root is given or a root is not an existing folder.
    public init(
        host: String = "127.0.0.1", port: Int = 8081, roots: [String], databasePath: String = "sampler.sqlite",
        maxImageBytes: Int = 256 << 20
    ) throws {
        guard !roots.isEmpty else {
            throw ConfigurationError(message: "--roots is required: the folders datasets may be read from")
        }
        self.host = host
        self.port = port
        self.roots = try roots.map { root in
            guard let canonical = PathGuard.canonicalPath(root), PathGuard.isDirectory(canonical) else {
                throw ConfigurationError(message: "--roots: '\(root)' is not an existing folder")
            }
            return canonical
        }
        self.databasePath = databasePath
        self.maxImageBytes = maxImageBytes
    }

    /// Reads the configuration from command-line options.
    /// - Throws: `ConfigurationError` for invalid or missing values.
    public static func parse(_ options: CommandLineOptions) throws -> SamplerConfiguration {
        try options.validate(flags: ["host", "port", "roots", "database", "max-image-bytes"])
        let roots = (options.string("roots", env: "IMGREC_SAMPLER_ROOTS") ?? "")
            .split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return try SamplerConfiguration(
            host: options.string("host", env: "IMGREC_SAMPLER_HOST", default: "127.0.0.1") ?? "127.0.0.1",
            port: try options.int("port", env: "IMGREC_SAMPLER_PORT", default: 8081, range: 0...65535),
            roots: roots,
            databasePath: options.string("database", env: "IMGREC_SAMPLER_DATABASE", default: "sampler.sqlite")
                ?? "sampler.sqlite",
            maxImageBytes: try options.int(
                "max-image-bytes", env: "IMGREC_SAMPLER_MAX_IMAGE_BYTES",
                default: 256 << 20, range: 1...(4 << 30)))
    }

    /// The settings as log metadata.
    public var summary: [String: String] {
        ["roots": roots.joined(separator: ":"), "database": databasePath, "max_image_bytes": "\(maxImageBytes)"]
    }
}
