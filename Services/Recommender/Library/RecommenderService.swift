import Foundation
import Shared
import Synchronization
import TextEmbedding

/// The recommender service: builds model files from a caption job, serves searches over the loaded model,
/// and swaps in newer model files without dropping requests.
public final class RecommenderService: Sendable {
    /// The configuration the service runs with.
    public let configuration: RecommenderConfiguration
    /// The model being served.
    public let store: ModelStore
    let catalog: SearchMethodCatalog
    let logger: Logger
    private let metrics = Mutex<Metrics?>(nil)

    /// Creates the service and loads the model file if one exists. A missing file is not an error (searches
    /// answer 503 `no_model` until the first `POST /v1/models` writes it); a file that exists but fails
    /// verification is, so that a wrong `--model` path stops the start instead of being overwritten later.
    /// - Parameter catalog: the methods to serve; nil loads the encoders from the configured model cache.
    /// - Throws: `ModelFileError` or `RecommenderError` when an existing model file cannot be loaded.
    public init(
        configuration: RecommenderConfiguration, logger: Logger, catalog: SearchMethodCatalog? = nil
    ) throws {
        self.configuration = configuration
        self.catalog = catalog ?? Self.catalog(for: configuration, logger: logger)
        self.logger = logger
        store = ModelStore(path: configuration.modelPath, catalog: self.catalog, logger: logger)
        if try store.loadAtStart() == .missing {
            logger.warning(
                "no model file yet; searches answer 503 until one is built", ["path": configuration.modelPath])
        }
        store.observeSwaps { [weak self] index in self?.recordModelMetrics(index) }
    }

    /// The catalog the configuration asks for: encoders from the model cache, when it is configured.
    static func catalog(for configuration: RecommenderConfiguration, logger: Logger) -> SearchMethodCatalog {
        var hybrid = HybridMethod.Parameters()
        hybrid.lexicalWeight = configuration.hybridLexicalWeight
        guard let directory = configuration.embeddingCacheDirectory else {
            return SearchMethodCatalog(hybrid: hybrid)
        }
        let (catalog, missing) = SearchMethodCatalog.loading(
            cache: ModelCache(directory: URL(fileURLWithPath: directory)), hybrid: hybrid)
        for (method, reason) in missing.sorted(by: { $0.key < $1.key }) {
            if method == "translations" {
                logger.warning("no translation lexicon; new bm25_glove builds translate no words", ["reason": reason])
            } else {
                logger.warning("method unavailable", ["method": method, "reason": reason])
            }
        }
        return catalog
    }

    /// Records model and search metrics into `metrics` (the HTTP server's, so `/metrics` shows them).
    public func attach(metrics: Metrics) {
        self.metrics.withLock { $0 = metrics }
        if let index = store.index { recordModelMetrics(index) }
    }

    /// Starts polling the model file for newer versions, unless the configured interval is 0.
    public func startWatching() -> ModelWatcher? {
        guard configuration.watchIntervalSeconds > 0 else { return nil }
        return ModelWatcher(store: store, intervalSeconds: configuration.watchIntervalSeconds)
    }

    /// The translation lexicon new builds use, for the start-up line: "N words (packages)" or "none".
    public var translationsSummary: String {
        catalog.translations.map { "\($0.count) words (\($0.identity))" } ?? "none"
    }

    /// Extra `/healthz` fields: the model path, its methods and image count, and the methods of the model
    /// this process cannot serve as `name: reason; ...` (empty when it serves them all).
    public func health() -> [String: String] {
        var fields = ["model_path": configuration.modelPath]
        guard let index = store.index else {
            fields["model"] = "none"
            return fields
        }
        fields["model"] = "loaded"
        fields["methods"] = index.methodNames.joined(separator: ",")
        fields["default_method"] = index.defaultMethod
        fields["images"] = "\(index.images.count)"
        fields["model_sha256"] = index.file.headerSHA256
        fields["model_created_at"] = index.file.header.createdAt
        fields["unavailable_methods"] = index.unavailableMethods.sorted { $0.key < $1.key }
            .map { "\($0.key): \($0.value)" }.joined(separator: "; ")
        return fields
    }

    /// The routes: search, the original Flask query API, model builds, reload, and the search page.
    public func makeRouter() -> Router {
        let router = Router()
        router.get("/v1/search") { [self] request in try searchRoute(request) }
        router.post("/v1/search") { [self] request in try searchBodyRoute(request) }
        router.get("/api/mmsys/query") { [self] request in try legacyQueryRoute(request) }
        router.post("/v1/models") { [self] request in try buildRoute(request) }
        router.get("/v1/models/current") { [self] _ in
            .json(ModelResponse(model: ModelSummary(try currentIndex(), path: configuration.modelPath)))
        }
        router.post("/v1/admin/reload") { [self] _ in try reloadRoute() }
        router.get("/") { [self] _ in .html(SearchPage.html(methods: store.index?.methodNames ?? [])) }
        return router
    }

    /// The served model, or 503 `no_model`.
    func currentIndex() throws -> SearchIndex {
        guard let index = store.index else {
            throw ServiceError.unavailable("no_model", "no model is loaded yet; build one with POST /v1/models")
        }
        return index
    }

    /// Runs a search and counts it per method.
    func search(_ query: String, k: Int, method: String?) throws -> SearchResponse {
        let index = try currentIndex()
        do {
            let response = try index.search(query, k: k, method: method, imageBaseURL: configuration.imageBaseURL)
            metrics.withLock {
                $0?.increment(
                    "recommender_searches_total", help: "Searches answered, by method.",
                    labels: ["method": response.method])
            }
            return response
        } catch let error as RecommenderError {
            throw ServiceError(error)
        }
    }

    private func recordModelMetrics(_ index: SearchIndex) {
        metrics.withLock { metrics in
            guard let metrics else { return }
            metrics.setGauge(
                "recommender_model_loaded_timestamp_seconds", help: "When the served model was loaded (Unix time).",
                to: index.loadedAt.timeIntervalSince1970)
            metrics.setGauge(
                "recommender_model_images", help: "Images in the served model.", to: Double(index.images.count))
            metrics.increment("recommender_model_loads_total", help: "Model files loaded and swapped in.")
        }
    }
}
