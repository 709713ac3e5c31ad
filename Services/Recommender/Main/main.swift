import Foundation
import RecommenderService
import Shared

let logger = Logger(label: "recommender")
let configuration: RecommenderConfiguration
do {
    configuration = try RecommenderConfiguration.parse(CommandLineOptions())
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("recommender: \(error.message)\n".utf8))
    exit(2)
}

do {
    let service = try RecommenderService(configuration: configuration, logger: logger)
    let server = HTTPServer(
        configuration: .init(
            service: "recommender", host: configuration.host, port: configuration.port,
            threads: configuration.threads),
        router: service.makeRouter(), logger: logger, health: { service.health() })
    service.attach(metrics: server.metrics)
    try server.start()
    let watcher = service.startWatching()
    logger.info(
        "listening",
        [
            "address": "http://\(configuration.host):\(server.port)", "model": configuration.modelPath,
            "image_base_url": configuration.imageBaseURL ?? "(from model)",
            "watch_interval": "\(configuration.watchIntervalSeconds)",
        ])
    server.runUntilSignalled()
    watcher?.stop()
} catch {
    logger.error("recommender failed to start", ["error": "\(error)"])
    exit(1)
}
