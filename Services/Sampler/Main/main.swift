import SamplerService
import Shared

let logger = Logger(label: "sampler")
let (configuration, service) = ServiceLauncher.prepare("sampler") {
    let configuration = try SamplerConfiguration.parse(CommandLineOptions())
    return (configuration, try SamplerService(configuration: configuration, logger: logger))
}
let server = HTTPServer(
    configuration: .init(
        service: "sampler", host: configuration.host, port: configuration.port,
        maxBodyBytes: 1 << 20),
    router: service.makeRouter(), logger: logger, health: { service.health() })
ServiceLauncher.serve(
    server, logger: logger, summary: configuration.summary, started: { service.attach(metrics: $0.metrics) })
