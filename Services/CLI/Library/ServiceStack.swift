import CaptionerService
import Foundation
import RecommenderService
import SamplerService
import Shared

/// The three services started in one process, each on its own loopback port and reachable only over
/// HTTP, as in production. Used by `imgrec demo` and the end-to-end tests.
public final class ServiceStack: Sendable {
    /// Where the stack keeps its state and which ports it binds.
    public struct Configuration: Sendable {
        /// The folder under which images may be read (the sampler's only root).
        public var datasetRoot: String
        /// Where the SQLite stores and the model file go; created when missing.
        public var dataDirectory: String
        /// The host all three bind.
        public var host: String = "127.0.0.1"
        /// Ports; 0 picks a free one.
        public var samplerPort = 0
        public var captionerPort = 0
        public var recommenderPort = 8083
        /// The text-embedding model cache for `minilm`, `glove` and `hybrid`; nil serves `tfidf` alone.
        public var embeddingCacheDirectory: String?

        /// Creates a configuration with free ports for the sampler and captioner.
        public init(datasetRoot: String, dataDirectory: String, embeddingCacheDirectory: String? = nil) {
            self.datasetRoot = datasetRoot
            self.dataDirectory = dataDirectory
            self.embeddingCacheDirectory = embeddingCacheDirectory
        }
    }

    private let servers: [HTTPServer]
    private let captioner: CaptionerService
    private let watcher: ModelWatcher?
    /// The base URLs of the running services.
    public let samplerURL: String
    public let captionerURL: String
    public let recommenderURL: String
    /// The model file the recommender serves.
    public let modelPath: String

    /// Starts the sampler, captioner (`embedded` engine) and recommender.
    /// - Throws: the first service's error that failed to start; those already started are stopped.
    public init(_ configuration: Configuration, logger: Logger) throws {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let data = URL(fileURLWithPath: configuration.dataDirectory)
        let host = configuration.host
        var started: [HTTPServer] = []
        func start(_ server: HTTPServer) throws -> String {
            do {
                try server.start()
            } catch {
                started.forEach { $0.stop() }
                throw error
            }
            started.append(server)
            return "http://\(host):\(server.port)"
        }

        let samplerConfiguration = try SamplerConfiguration(
            host: host, port: configuration.samplerPort, roots: [configuration.datasetRoot],
            databasePath: data.appendingPathComponent("sampler.sqlite").path)
        let sampler = try SamplerService(
            configuration: samplerConfiguration, logger: Logger(label: "sampler", level: logger.level))
        samplerURL = try start(
            HTTPServer(
                configuration: .init(
                    service: "sampler", host: host, port: configuration.samplerPort, maxBodyBytes: 1 << 20),
                router: sampler.makeRouter(), logger: Logger(label: "sampler", level: logger.level),
                health: { sampler.health() }))

        let captionerConfiguration = CaptionerConfiguration(
            host: host, port: configuration.captionerPort, engine: "embedded", engineIsDefault: true,
            modelDirectory: nil, databasePath: data.appendingPathComponent("captioner.sqlite").path)
        captioner = try CaptionerService(
            configuration: captionerConfiguration, logger: Logger(label: "captioner", level: logger.level))
        let captionerServer = HTTPServer(
            configuration: .init(service: "captioner", host: host, port: configuration.captionerPort),
            router: captioner.makeRouter(), logger: Logger(label: "captioner", level: logger.level),
            health: { [captioner] in
                captioner.health()
            })
        captionerURL = try start(captionerServer)
        try captioner.start(metrics: captionerServer.metrics)

        modelPath = data.appendingPathComponent("model.imgrec").path
        let recommenderConfiguration = RecommenderConfiguration(
            host: host, port: configuration.recommenderPort, modelPath: modelPath,
            embeddingCacheDirectory: configuration.embeddingCacheDirectory)
        let recommender = try RecommenderService(
            configuration: recommenderConfiguration, logger: Logger(label: "recommender", level: logger.level))
        let recommenderServer = HTTPServer(
            configuration: .init(
                service: "recommender", host: host, port: configuration.recommenderPort, maxBodyBytes: 1 << 20),
            router: recommender.makeRouter(), logger: Logger(label: "recommender", level: logger.level),
            health: {
                recommender.health()
            })
        recommender.attach(metrics: recommenderServer.metrics)
        recommenderURL = try start(recommenderServer)
        watcher = recommender.startWatching()
        servers = started
    }

    /// Blocks until SIGTERM or SIGINT, then stops every service.
    public func runUntilSignalled() {
        servers.last?.runUntilSignalled()
        stop()
    }

    /// Stops every service, letting in-flight requests finish.
    public func stop() {
        watcher?.stop()
        captioner.stop()
        servers.reversed().forEach { $0.stop() }
    }
}
