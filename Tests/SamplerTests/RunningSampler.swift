import Foundation
import SamplerService
import Shared

/// A sampler service behind a real HTTP server on a free port, with a client pointed at it.
final class RunningSampler {
    let service: SamplerService
    let server: HTTPServer
    let client: HTTPClient

    init(roots: [String], databasePath: String) throws {
        let configuration = try SamplerConfiguration(port: 0, roots: roots, databasePath: databasePath)
        let logger = Logger(label: "sampler-test", level: .error)
        service = try SamplerService(configuration: configuration, logger: logger)
        server = HTTPServer(
            configuration: .init(service: "sampler", port: 0), router: service.makeRouter(), logger: logger,
            health: { [service] in service.health() })
        try server.start()
        service.attach(metrics: server.metrics)
        client = HTTPClient(baseURL: "http://127.0.0.1:\(server.port)", service: "sampler", retries: 0)
    }

    deinit {
        server.stop()
    }

    /// The ServiceError a call throws, or nil when it succeeds or throws something else.
    func failure(_ call: (HTTPClient) throws -> Void) -> ServiceError? {
        do {
            try call(client)
            return nil
        } catch {
            return error as? ServiceError
        }
    }
}
