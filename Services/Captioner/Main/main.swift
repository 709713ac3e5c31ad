import CaptionerService
import Shared

let logger = Logger(label: "captioner")
let (configuration, service) = ServiceLauncher.prepare("captioner") {
    let configuration = try CaptionerConfiguration.parse(CommandLineOptions())
    return (configuration, try CaptionerService(configuration: configuration, logger: logger))
}
let server = HTTPServer(
    configuration: .init(service: "captioner", host: configuration.host, port: configuration.port),
    router: service.makeRouter(), logger: logger, health: { service.health() })
ServiceLauncher.serve(
    server, logger: logger, summary: configuration.summary,
    started: { try service.start(metrics: $0.metrics) }, stopped: { service.stop() })
