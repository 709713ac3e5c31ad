import Shared

/// How a recommender process runs: where it listens, which model file it serves, and where images live.
public struct RecommenderConfiguration: Sendable {
    /// The address to bind.
    public var host: String
    /// The port to bind; 0 picks a free one.
    public var port: Int
    /// Worker threads of the HTTP server.
    public var threads: Int
    /// The model file served, and written by `POST /v1/models`.
    public var modelPath: String
    /// Overrides the image base URL recorded in the model (the sampler's URL at build time).
    public var imageBaseURL: String?
    /// Seconds between checks of the model file for a newer version; 0 turns watching off.
    public var watchIntervalSeconds: Double
    /// Seconds a call to the captioner may take.
    public var upstreamTimeoutSeconds: Double
    /// The text-embedding model cache (MiniLM, GloVe); nil turns the `minilm`, `glove` and `hybrid`
    /// methods off.
    public var embeddingCacheDirectory: String?
    /// The lexical weight new `hybrid` methods are built with.
    public var hybridLexicalWeight: Double

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8083, threads: Int = 4, modelPath: String,
        imageBaseURL: String? = nil, watchIntervalSeconds: Double = 1, upstreamTimeoutSeconds: Double = 60,
        embeddingCacheDirectory: String? = nil, hybridLexicalWeight: Double = HybridMethod.Parameters().lexicalWeight
    ) {
        self.host = host
        self.port = port
        self.threads = threads
        self.modelPath = modelPath
        self.imageBaseURL = imageBaseURL
        self.watchIntervalSeconds = watchIntervalSeconds
        self.upstreamTimeoutSeconds = upstreamTimeoutSeconds
        self.embeddingCacheDirectory = embeddingCacheDirectory
        self.hybridLexicalWeight = hybridLexicalWeight
    }

    /// Reads `--host`, `--port`, `--threads`, `--model`, `--image-base-url`, `--watch-interval`,
    /// `--upstream-timeout`, `--model-dir` (else `IMGREC_MODEL_DIR`, else `models`), `--no-embeddings` and
    /// `--hybrid-lexical-weight`, with `IMGREC_RECOMMENDER_<SETTING>` environment fallbacks.
    /// - Throws: `ConfigurationError` for values out of range.
    public static func parse(_ options: CommandLineOptions) throws -> RecommenderConfiguration {
        try options.validate(
            flags: [
                "host", "port", "threads", "model", "image-base-url", "watch-interval", "upstream-timeout",
                "model-dir", "hybrid-lexical-weight",
            ],
            switches: ["no-embeddings"])
        let imageBaseURL = options.string("image-base-url", env: "IMGREC_RECOMMENDER_IMAGE_BASE_URL")
        if let imageBaseURL, !(imageBaseURL.hasPrefix("http://") || imageBaseURL.hasPrefix("https://")) {
            throw ConfigurationError(message: "--image-base-url must start with http:// or https://")
        }
        let modelPath = options.string("model", env: "IMGREC_RECOMMENDER_MODEL", default: "model.imgrec")!
        guard !modelPath.isEmpty else { throw ConfigurationError(message: "--model must name a file") }
        return RecommenderConfiguration(
            host: options.string("host", env: "IMGREC_RECOMMENDER_HOST", default: "127.0.0.1")!,
            port: try options.int("port", env: "IMGREC_RECOMMENDER_PORT", default: 8083, range: 0...65535),
            threads: try options.int("threads", env: "IMGREC_RECOMMENDER_THREADS", default: 4, range: 1...256),
            modelPath: modelPath,
            imageBaseURL: imageBaseURL,
            watchIntervalSeconds: try options.double(
                "watch-interval", env: "IMGREC_RECOMMENDER_WATCH_INTERVAL", default: 1, range: 0...3600),
            upstreamTimeoutSeconds: try options.double(
                "upstream-timeout", env: "IMGREC_RECOMMENDER_UPSTREAM_TIMEOUT", default: 60, range: 1...3600),
            embeddingCacheDirectory: options.flag("no-embeddings")
                ? nil : options.string("model-dir", env: "IMGREC_MODEL_DIR", default: "models"),
            hybridLexicalWeight: try options.double(
                "hybrid-lexical-weight", env: "IMGREC_RECOMMENDER_HYBRID_LEXICAL_WEIGHT",
                default: HybridMethod.Parameters().lexicalWeight, range: 0...1))
    }
}
