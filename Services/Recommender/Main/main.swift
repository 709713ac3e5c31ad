import RecommenderService
import Shared

let logger = Logger(label: "recommender")
let (configuration, service) = ServiceLauncher.prepare("recommender") {
    let configuration = try RecommenderConfiguration.parse(CommandLineOptions(switches: ["no-embeddings"]))
    return (configuration, try RecommenderService(configuration: configuration, logger: logger))
}
let server = HTTPServer(
    configuration: .init(
        service: "recommender", host: configuration.host, port: configuration.port, threads: configuration.threads,
        maxBodyBytes: 1 << 20),
    router: service.makeRouter(), logger: logger, health: { service.health() })
service.attach(metrics: server.metrics)
let watcher = service.startWatching()
ServiceLauncher.serve(
    server, logger: logger,
    summary: [
        "model": configuration.modelPath, "image_base_url": configuration.imageBaseURL ?? "(from model)",
        "watch_interval": "\(configuration.watchIntervalSeconds)", "translations": service.translationsSummary,
    ],
    stopped: { watcher?.stop() })
