import Foundation

/// Where the set-up script (`scripts/setup_models.sh`) puts the text-embedding models: the directory named by
/// `IMGREC_MODEL_DIR`, else `models/` under the working directory.
public struct ModelCache: Sendable, Equatable {
    /// The environment variable that overrides the cache location.
    public static let environmentVariable = "IMGREC_MODEL_DIR"
    /// The MiniLM folder's name inside the cache.
    public static let miniLMFolder = "all-MiniLM-L6-v2"
    /// The converted GloVe file's name inside the cache.
    public static let gloveFile = "glove-6b-50d.wordvec"
    /// The translation lexicon's name inside the cache.
    public static let translationsFile = "translations.tsv"

    /// The cache directory.
    public let directory: URL

    /// A cache at an explicit directory.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The cache named by `IMGREC_MODEL_DIR` when set and non-empty, else `models/` under `base` (by default
    /// the current directory).
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        base: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) {
        if let configured = environment[Self.environmentVariable], !configured.isEmpty {
            directory =
                configured.hasPrefix("/")
                ? URL(fileURLWithPath: configured).standardizedFileURL
                : base.appendingPathComponent(configured).standardizedFileURL
        } else {
            directory = base.appendingPathComponent("models").standardizedFileURL
        }
    }

    /// The all-MiniLM-L6-v2 folder (`config.json`, `model.safetensors`, `vocab.txt`).
    public var miniLMDirectory: URL { directory.appendingPathComponent(Self.miniLMFolder) }

    /// The GloVe 6B 50-d vectors in imgrec's word-vector format.
    public var gloveURL: URL { directory.appendingPathComponent(Self.gloveFile) }

    /// The translation lexicon (other-language words with their English senses).
    public var translationsURL: URL { directory.appendingPathComponent(Self.translationsFile) }

    /// The MiniLM folder, or a `.modelMissing` error telling the reader to run the set-up script.
    public func requireMiniLM() throws -> URL {
        try require(miniLMDirectory.appendingPathComponent("model.safetensors"), returning: miniLMDirectory)
    }

    /// The GloVe file, or a `.modelMissing` error telling the reader to run the set-up script.
    public func requireGloVe() throws -> URL {
        try require(gloveURL, returning: gloveURL)
    }

    private func require(_ file: URL, returning result: URL) throws -> URL {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw TextEmbeddingError(
                .modelMissing,
                "\(file.path) not found; run scripts/setup_models.sh (or set \(Self.environmentVariable) to a "
                    + "model cache it created)")
        }
        return result
    }
}
